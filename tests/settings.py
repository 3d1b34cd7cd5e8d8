"""Test settings: the product's settings with jobs run inline and a fast password hash."""

import os
import tempfile

os.environ.setdefault("GUANXI_INSECURE_DEV_KEY", "1")

from guanxi.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Argon2 stays the production hasher (tested in tests/core/test_security.py); MD5 keeps
# the suite fast where tests create many users.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="guanxi-private-"), "base_url": None},
    },
}
