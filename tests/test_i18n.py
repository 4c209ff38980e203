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


def _catalogs():
    return sorted((ROOT / "i18n").glob("*/LC_MESSAGES/coachdesk.po"))


def test_every_shipped_catalog_is_complete_and_keeps_the_placeholders():
    assert _catalogs(), "at least one translation ships"
    for path in _catalogs():
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id:
                continue
            sources = message.id if isinstance(message.id, tuple) else (message.id,)
            targets = message.string if isinstance(message.string, tuple) else (message.string,)
            assert not message.fuzzy, f"{path.parent.parent.name}: fuzzy {sources[0]!r}"
            assert all(targets), f"{path.parent.parent.name}: untranslated {sources[0]!r}"
            wanted = {n for s in sources for _t, n, _s, _c in string.Formatter().parse(s) if n}
            for target in targets:
                got = {n for _t, n, _s, _c in string.Formatter().parse(target) if n}
                assert got <= wanted and (got == wanted or len(sources) > 1), (
                    f"{path.parent.parent.name}: placeholders of {sources[0]!r} differ: {got} vs {wanted}")


def test_arabic_catalog_translates_the_interface(tmp_path):
    from babel.messages.mofile import write_mo

    with (ROOT / "i18n" / "ar" / "LC_MESSAGES" / "coachdesk.po").open("rb") as handle:
        catalog = read_po(handle, locale="ar")
    folder = tmp_path / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "coachdesk.mo").open("wb") as handle:
        write_mo(handle, catalog)
    i18n.set_language("ar", folder=tmp_path)
    assert i18n._("Today") == "اليوم"
    assert "{count}" not in i18n.ngettext("{count} mentee", "{count} mentees", 11).format(count=11)
    assert i18n.ngettext("{count} mentee", "{count} mentees", 11).format(count=11).startswith("11")


def test_a_language_for_one_block_does_not_change_the_apps_language():
    import threading
    from datetime import date

    from coachdesk.i18n import _, current_language, format_date, set_language, use_language

    set_language("en")
    seen = {}

    def elsewhere() -> None:
        seen["other thread"] = (current_language(), _("Sync"))

    with use_language("ar"):
        assert current_language() == "ar" and _("Sync") == "المزامنة"
        assert format_date(date(2026, 3, 12), "long") == "12 مارس 2026"
        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
    assert seen["other thread"] == ("en", "Sync")
    assert current_language() == "en" and _("Sync") == "Sync"


def test_lang_on_the_command_line_speaks_that_language_and_refuses_an_unknown_one(tmp_path, capsys):
    from coachdesk.cli import main
    from coachdesk.i18n import set_language

    try:
        code = main(["--lang", "ar", "--db", str(tmp_path / "d.sqlite"), "export", "-o", str(tmp_path / "x.cdsync")])
        err = capsys.readouterr().err
        assert code == 2 and "فريق" in err  # "not in a team yet", in Arabic
        code = main(["--lang", "tlh", "stats"])
        err = capsys.readouterr().err
        assert code == 2 and "tlh" in err and "ar" in err and err.count("\n") == 1
        assert not (tmp_path / "x.cdsync").exists()
    finally:
        set_language("en")


def test_every_language_offered_in_settings_ships_whole():
    """A language in the Settings menu has its catalog (with the right plural rules), the taxonomy
    and toolbox texts, the handouts and the funding list; nothing falls back to English."""
    import tomllib

    from babel.messages.plurals import get_plural

    from coachdesk.ui.views.settings import LANGUAGES

    assert set(LANGUAGES) == {"en", "es", "fr", "pt_BR", "ar", "hi", "sw", "id"}
    resources = ROOT / "resources"
    english_handouts = tomllib.loads((resources / "handouts" / "en.toml").read_text())
    funding = [p["key"] for p in tomllib.loads((resources / "reference" / "funding.toml").read_text())["program"]]
    for code in LANGUAGES:
        handouts = tomllib.loads((resources / "handouts" / f"{code}.toml").read_text())
        for section in ("capacity", "method"):
            assert list(handouts[section]) == list(english_handouts[section]), code
        if code == "en":
            continue
        with (ROOT / "i18n" / code / "LC_MESSAGES" / "coachdesk.po").open("rb") as handle:
            catalog = read_po(handle)
        assert catalog.num_plurals == get_plural(code).num_plurals, code  # Arabic: six forms
        texts = tomllib.loads((resources / "reference" / "text" / f"{code}.toml").read_text())
        assert texts["language"] == code and len(texts["capacity"]) == 21 and len(texts["method"]) == 10
        money = tomllib.loads((resources / "reference" / "text" / f"funding-{code}.toml").read_text())
        assert list(money["funding"]) == funding, code
        assert handouts["capacity"]["fundraising"]["what"] != english_handouts["capacity"]["fundraising"]["what"]


def test_a_date_and_a_number_read_as_each_language_writes_them():
    from coachdesk.i18n import format_date, format_decimal, format_percent, use_language

    expected = {"en": ("March 31, 2026", "1,234.5", "7%"), "es": ("31 de marzo de 2026", "1.234,5", "7\u00a0%"),
                "fr": ("31 mars 2026", "1\u202f234,5", "7\u00a0%"), "hi": ("31 मार्च 2026", "1,234.5", "7%")}
    for code, (day, number, share) in expected.items():
        with use_language(code):
            assert (format_date(date(2026, 3, 31), "long"), format_decimal(1234.5), format_percent(0.07)) == (
                day, number, share), code


def test_the_system_language_is_used_when_coachdesk_speaks_it_else_english(monkeypatch):
    from PySide6.QtCore import QLocale

    from coachdesk.ui import app

    for system, expected in (("fr_SN", "fr"), ("pt_BR", "pt_BR"), ("sw_KE", "sw"), ("de_DE", "en"), ("C", "en")):
        monkeypatch.setattr(QLocale, "system", staticmethod(lambda system=system: QLocale(system)))
        assert app.system_language() == expected, system
