"""English stays switchable: every Spanish text of the code and templates has an English translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext no está instalado (scripts/setup lo instala)")
def test_english_catalog_is_complete(tmp_path):
    copy = tmp_path / "planea"
    shutil.copytree(ROOT / "planea", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": ""},
        capture_output=True,
    )
    catalog = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, f"Textos sin traducir al inglés (planea/locale/en): {untranslated}"
    assert not fuzzy, f"Traducciones dudosas (fuzzy): {fuzzy}"
