"""English is complete: every interface text has a translation, and the compiled catalogue
that the app loads matches the editable one."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "zielwerk" / "locale" / "en" / "LC_MESSAGES"


def _unquote(chunks: list[str]) -> str:
    return "".join(c[1:-1] for c in chunks).replace('\\"', '"').replace("\\n", "\n")


def po_entries() -> list[tuple[str, list[str], bool]]:
    """(msgid, translations, fuzzy) for every entry of django.po except the header."""
    entries = []
    for block in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n"):
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
