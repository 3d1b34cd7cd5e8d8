"""A real server (demo data, SQLite or the PostgreSQL of DATABASE_URL) and headless Chromium.

The server runs in its own process on a fresh database, as a user would start it, so the
tests exercise the product exactly as shipped.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("GUANXI_SCREENSHOTS", "var/screenshots"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fresh_postgres(url: str):
    """Create a throw-away database next to the one DATABASE_URL names."""
    import psycopg

    parsed = urlparse(url)
    name = f"guanxi_browser_{uuid.uuid4().hex[:8]}"
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(parsed._replace(path=f"/{name}")), drop


@pytest.fixture(scope="session")
def live_url():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    data_dir = tempfile.mkdtemp(prefix="guanxi-browser-")
    env = {
        **os.environ,
        "GUANXI_DATA_DIR": data_dir,
        "GUANXI_INSECURE_DEV_KEY": "1",
        "GUANXI_SECURE_COOKIES": "0",
        "GUANXI_DEBUG": "0",
        "GUANXI_LOGIN_FAILURE_LIMIT": "50",
        "GUANXI_PAYMENT_SANDBOX": "1",
        "DJANGO_SETTINGS_MODULE": "guanxi.settings",
    }
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = _fresh_postgres(os.environ["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
    cli = [sys.executable, "-m", "guanxi.cli"]
    subprocess.run(
        [*cli, "demo", "--customers", "60"],
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    worker = subprocess.Popen(
        [*cli, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    server = subprocess.Popen(
        [*cli, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        worker.kill()
        pytest.fail("the server did not start")
    yield url
    for process in (server, worker):
        process.terminate()
        process.wait(timeout=20)
    if drop:
        drop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def open_menu(page, group: str, entry: str) -> None:
    """Follow a staff menu entry: open its group (by core.menu key), click the entry."""
    page.click(f".mainnav details[data-group={group}] > summary")
    page.locator(f".mainnav details[data-group={group}] .navmenu a", has_text=entry).click()


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "guanxi-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/customers/follow-ups/")
