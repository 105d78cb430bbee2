"""English is complete: every interface text has a translation, and the compiled catalogue
that the app loads matches the editable one."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "zielwerk" / "locale" / "en" / "LC_MESSAGES"


def _unquote(chunks: list[str]) -> str:
    return "".join(c[1:-1] for c in chunks).replace('\\"', '"').replace("\\n", "\n")


def po_entries(path: Path = LOCALE / "django.po") -> list[tuple[str, list[str], bool]]:
    """(msgid, translations, fuzzy) for every entry of a catalogue except the header."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        parts: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                key = match.group(1)
                parts[key] = [match.group(2)]
            elif key:
                parts[key].append(line)
        if "msgid" not in parts or _unquote(parts["msgid"]) == "":
            continue
        translations = [_unquote(v) for k, v in parts.items() if k.startswith("msgstr")]
        entries.append((_unquote(parts["msgid"]), translations, fuzzy))
    return entries


def test_every_interface_text_has_an_english_translation():
    entries = po_entries()
    assert len(entries) > 100
    untranslated = [msgid for msgid, translations, fuzzy in entries if fuzzy or "" in translations]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, translations, _ in po_entries()
        if len(translations) == 1 and compiled.gettext(msgid) != translations[0]
    ]
    assert stale == [], "run `make messages` (compilemessages) after editing django.po"


def test_catalogue_has_every_text_of_the_code(tmp_path):
    """Extract the texts from the code as `make messages` would and compare with django.po."""
    package = Path(__file__).resolve().parents[1] / "zielwerk"
    copy = tmp_path / "zielwerk"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "zielwerk.settings"},
    )
    extracted = po_entries(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    ours = {msgid for msgid, _, _ in po_entries()}
    missing = [msgid for msgid, _, _ in extracted if msgid not in ours]
    assert missing == [], "run `make messages` and translate the new texts"


def test_catalogue_compiles_with_matching_placeholders():
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", os.devnull, str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
