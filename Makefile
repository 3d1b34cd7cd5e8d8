# Guanxi — make demo / make test. Everything installs into ./.venv from requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GUANXI_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test test-fast test-browser lint openapi messages bench clean install

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Set up, load Chinese demo data into ./var/guanxi.sqlite3, start web + worker on :8000.
demo: $(STAMP)
	GUANXI_DEBUG=1 $(BIN)/guanxi demo --serve

## Set up and run the whole suite (lint, migrations check, OpenAPI drift, tests) on SQLite.
test: $(STAMP)
	mkdir -p $(GUANXI_DATA_DIR)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/guanxi makemigrations --check --dry-run
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/pytest -m "not browser" -q

## The browser tests only (need /usr/bin/chromium).
test-browser: $(STAMP)
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/pytest -m browser -q

## Regenerate the committed OpenAPI schema after changing the API.
openapi: $(STAMP)
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/guanxi openapi --output docs/openapi.json

## Extract and compile translations (needs gettext). English is the source language: its
## catalog is the identity (scripts/po_english.py); zh_Hans is translated by hand.
messages: $(STAMP)
	cd src/guanxi && GUANXI_INSECURE_DEV_KEY=1 ../../$(BIN)/guanxi makemessages -l zh_Hans -l en --no-obsolete
	$(BIN)/python scripts/po_english.py src/guanxi/locale/en/LC_MESSAGES/django.po
	cd src/guanxi && GUANXI_INSECURE_DEV_KEY=1 ../../$(BIN)/guanxi compilemessages

## Every benchmark at a small size (CI); see docs/benchmarks.md for full-size runs.
bench: $(STAMP)
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/python benchmarks/customers_bench.py --parties 20000 --interactions 60000 --requests 50
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/python benchmarks/dedup_bench.py --rows 20000 --splink
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/python benchmarks/commissions_bench.py --members 20000 --pairs 1 --naive --database
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/python benchmarks/commissions_bench.py --chain 20000 --pairs 1
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/python benchmarks/genealogy_bench.py --members 20000 --requests 20
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/python benchmarks/commerce_bench.py --orders 20000 --customers 5000 --post-lines 15000 --requests 20 --placements 48 --clients 4 --workers 2
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/python benchmarks/pool_bench.py --claims 20000
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/python benchmarks/scoring_bench.py --leads 5000 --database 1000
	GUANXI_INSECURE_DEV_KEY=1 $(BIN)/python benchmarks/sales_bench.py --leads 20000 --opportunities 4000 --requests 20 --report-requests 5

clean:
	rm -rf $(VENV) var
