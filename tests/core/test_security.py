"""Secure defaults: argon2, CSRF, login throttling, escaped output, secrets from the env."""

import importlib
import subprocess
import sys

import pytest
from django.test import Client

from guanxi.customers.models import Party
from tests.conftest import login
from tests.factories import PartyFactory


def test_production_settings_hash_passwords_with_argon2():
    product = importlib.import_module("guanxi.settings")
    assert product.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_argon2_hashes_verify(company):
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password("秘密-password-2026", hasher="argon2")
    assert encoded.startswith("argon2")
    assert check_password("秘密-password-2026", encoded)


def test_settings_refuse_to_start_without_a_secret_key():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "guanxi.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "GUANXI_SECRET_KEY" in result.stderr


def test_forms_need_a_csrf_token(company):
    client = Client(enforce_csrf_checks=True)
    client.force_login(company.rep)
    response = client.post("/customers/new/", {"name": "无令牌", "kind": "person"})
    assert response.status_code == 403
    assert not Party.objects.filter(name="无令牌").exists()


def test_login_is_throttled_after_repeated_failures(company):
    client = Client()
    for _ in range(4):
        response = client.post("/login/", {"username": "rep", "password": "wrong"})
        assert response.status_code == 200
    assert client.post("/login/", {"username": "rep", "password": "wrong"}).status_code == 429
    locked = client.post("/login/", {"username": "rep", "password": "pw-Guanxi-2026"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_correct_login_works(company):
    client = Client()
    response = client.post("/login/", {"username": "rep", "password": "pw-Guanxi-2026"})
    assert response.status_code == 302
    assert client.get("/customers/").status_code == 200


def test_script_in_a_name_is_shown_escaped(company):
    party = PartyFactory(name="<script>alert(1)</script>", owner=company.rep)
    client = login(company.rep)
    for url in ["/customers/", f"/customers/{party.pk}/", "/customers/?q=%3Cscript"]:
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("url", ["/customers/", "/customers/follow-ups/", "/api/v1/parties"])
def test_anonymous_users_are_sent_to_login_or_refused(client, url):
    response = client.get(url)
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert "/login/" in response["Location"]
