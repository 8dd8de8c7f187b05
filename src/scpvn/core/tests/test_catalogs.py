"""The English catalogs as one language: Django merges every app's catalog into one, and
where two apps translate the same Vietnamese words differently only one translation wins
("Trước" is "Previous" on a page list and "Before" in a change history). Such words carry
a context (`{% translate "Trước" context "pagination" %}`), so each keeps its meaning."""

from collections import defaultdict
from pathlib import Path

import polib

SOURCES = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    [
        *SOURCES.glob("locale/en/LC_MESSAGES/django.po"),
        *SOURCES.glob("*/locale/en/LC_MESSAGES/django.po"),
    ]
)


def _entries():
    for path in CATALOGS:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                yield path.relative_to(SOURCES), entry


def test_catalogs_are_found():
    assert len(CATALOGS) > 10


def test_no_words_translated_two_ways_without_a_context():
    translations: dict[tuple[str | None, str], dict[str, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for path, entry in _entries():
        if entry.msgstr:
            key = (entry.msgctxt, entry.msgid)
            translations[key][entry.msgstr].append(str(path))
    clashes = {
        f"{ctxt or ''}|{msgid}": dict(by_text)
        for (ctxt, msgid), by_text in translations.items()
        if len(by_text) > 1
    }
    assert not clashes


def test_every_message_is_translated():
    missing = [
        f"{path}: {entry.msgid!r}"
        for path, entry in _entries()
        if not entry.translated() or "fuzzy" in entry.flags
    ]
    assert not missing
