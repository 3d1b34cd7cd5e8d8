"""The committed OpenAPI schema is the API's contract: CI fails when code and file drift."""

import json
from pathlib import Path

from guanxi.core.management.commands.openapi import schema_text

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_schema_matches_the_code():
    assert COMMITTED.exists(), "run `make openapi` and commit docs/openapi.json"
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "The API changed: run `make openapi`, review the diff and commit docs/openapi.json"
    )


def test_schema_covers_the_resources():
    paths = json.loads(COMMITTED.read_text(encoding="utf-8"))["paths"]
    for path in [
        "/api/v1/parties",
        "/api/v1/parties/{party_id}",
        "/api/v1/org-units",
        "/api/v1/users",
        "/api/v1/parties/{party_id}/interactions",
        "/api/v1/parties/{party_id}/contact-points",
        "/api/v1/products",
        "/api/v1/orders/{order_id}",
        "/api/v1/returns",
        "/api/v1/parties/{party_id}/points",
        "/api/v1/subscriptions",
        "/api/v1/portal/orders/{order_id}",
        "/api/v1/portal/points/redemptions",
    ]:
        assert path in paths


def test_schema_and_docs_are_served_without_a_cdn(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in docs and "unpkg" not in docs and "jsdelivr" not in docs
