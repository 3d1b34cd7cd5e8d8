"""zh-hans (default) and en are complete: every string in the code is in both catalogs."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
ENTRY = re.compile(r'^msgid "(.*)"\n((?:".*"\n)*)', re.MULTILINE)


def _entries(po: Path) -> dict[str, str]:
    """msgid → the msgstr block that follows it (header excluded)."""
    text = po.read_text(encoding="utf-8")
    out = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            out[f"fuzzy:{block[:60]}"] = ""
        ids = re.findall(r'^msgid "(.*)"((?:\n".*")*)', block, re.MULTILINE)
        strs = re.findall(r'^msgstr(?:\[0\])? "(.*)"((?:\n".*")*)', block, re.MULTILINE)
        if ids and strs:
            msgid = ids[0][0] + ids[0][1]
            if msgid:
                out[msgid] = strs[0][0] + strs[0][1]
    return out


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_catalog_has_no_untranslated_or_fuzzy_entries(lang):
    entries = _entries(LOCALE / lang / "LC_MESSAGES" / "django.po")
    assert len(entries) > 250
    missing = [k for k, v in entries.items() if not v.strip('"\n ')]
    assert missing == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools not installed")
@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_compiled_catalog_matches_the_source(lang, tmp_path):
    folder = LOCALE / lang / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(fresh), str(folder / "django.po")],
        check=True,
    )
    assert fresh.read_bytes() == (folder / "django.mo").read_bytes(), (
        "run `make messages` and commit the .mo files"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed")
def test_every_string_in_the_code_is_in_the_catalog(tmp_path):
    copy = tmp_path / "guanxi"
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "guanxi.cli",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"GUANXI_INSECURE_DEV_KEY": "1", "PATH": "/usr/bin:/bin"},
    )
    fresh = set(_entries(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = set(_entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert fresh - committed == set(), "new strings: run `make messages` and translate them"


def test_chinese_is_the_default_and_english_works():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert translation.gettext("Customers") == "客户"
    with translation.override("en"):
        assert translation.gettext("Customers") == "Customers"
