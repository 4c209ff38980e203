"""Translatable text: the template is current, placeholders are named, and languages format their own way."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from coachdesk import i18n

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "coachdesk", method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_translation_template_holds_every_message_in_the_source():
    with (ROOT / "i18n" / "coachdesk.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
        handle.seek(0)
        template |= {m.id[1] for m in read_po(handle) if isinstance(m.id, tuple)}
    missing = _source_messages() - template
    assert not missing, f"run `make pot`: {sorted(missing)[:5]}"


def test_placeholders_are_named():
    for message in _source_messages():
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(message) if name is not None]
        assert all(fields), f"positional placeholder in {message!r}: use {{name}}"


def test_arabic_is_right_to_left_and_hindi_left_to_right():
    assert i18n.text_direction("ar") == "rtl"
    assert i18n.text_direction("fa") == "rtl"
    assert i18n.text_direction("hi") == "ltr"


def test_dates_follow_the_active_language():
    i18n.set_language("pt_BR")
    assert i18n.format_date(date(2026, 3, 31), "long") == "31 de março de 2026"
    i18n.set_language("en")
    assert i18n.format_date(date(2026, 3, 31), "long") == "March 31, 2026"


def test_unknown_language_code_is_refused_in_plain_words():
    assert not i18n.is_language_code("xx-nonsense")
    assert i18n.is_language_code("pt-BR")
