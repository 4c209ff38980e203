"""Translations and locale formatting: gettext catalogs through Babel, set up explicitly.

Nothing is installed into builtins. Modules import ``_`` (and friends) from here; the
functions look up the active catalog on every call, so switching language takes effect
for every string produced afterwards.
"""

from __future__ import annotations

import gettext as _gettext
from datetime import date, datetime
from pathlib import Path

from babel.core import Locale, UnknownLocaleError

from coachdesk.paths import catalogs_dir

# babel.dates, babel.numbers and the catalog reader load on first use: the window paints first.

DOMAIN = "coachdesk"
SOURCE_LANGUAGE = "en"

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_locale: Locale = Locale.parse(SOURCE_LANGUAGE)


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; translate it later, where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def find_catalog(language: str, folder: Path | None = None) -> Path | None:
    """The compiled catalog for ``language``, or None when it does not ship one."""
    folder = folder or catalogs_dir()
    for candidate in (folder / language / "LC_MESSAGES" / f"{DOMAIN}.mo", folder / f"{language}.mo"):
        if candidate.is_file():
            return candidate
    return None


def set_language(language: str, folder: Path | None = None) -> None:
    """Make ``language`` (a BCP 47 / POSIX code such as ``ar`` or ``pt_BR``) the active one.

    A language without a shipped catalog falls back to the source text, but dates and
    numbers still follow its conventions.
    """
    global _translations, _locale
    _locale = parse_locale(language)
    catalog = find_catalog(str(_locale), folder) or find_catalog(_locale.language, folder)
    if catalog is None:
        _translations = _gettext.NullTranslations()
        return
    from babel.support import Translations

    with catalog.open("rb") as handle:
        _translations = Translations(handle, domain=DOMAIN)


def parse_locale(code: str) -> Locale:
    """Parse a language code, accepting both ``pt-BR`` and ``pt_BR``."""
    try:
        return Locale.parse(code.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError) as error:
        raise ValueError(_("“{code}” is not a language code CoachDesk knows.").format(code=code)) from error


def is_language_code(code: str) -> bool:
    try:
        parse_locale(code)
    except ValueError:
        return False
    return True


def current_language() -> str:
    return str(_locale)


def text_direction(language: str | None = None) -> str:
    """``"rtl"`` or ``"ltr"`` for ``language`` (default: the active one)."""
    locale = parse_locale(language) if language else _locale
    return "rtl" if locale.text_direction == "rtl" else "ltr"


def isolated(value: object) -> str:
    """``value`` as text for a sentence, keeping its own direction in a right-to-left language.

    A path or a Latin name placed in an Arabic sentence would otherwise have its leading slash
    or its punctuation drawn at the wrong end; Unicode's first-strong isolate keeps it whole.
    """
    text = str(value)
    return f"\u2068{text}\u2069" if text_direction() == "rtl" else text


def language_name(code: str, in_language: str | None = None) -> str:
    """The name of language ``code``, written in ``in_language`` (default: the active one)."""
    try:
        locale = parse_locale(code)
    except ValueError:
        return code
    display = parse_locale(in_language) if in_language else _locale
    return locale.get_display_name(display) or code


def format_date(value: date, form: str = "medium") -> str:
    from babel import dates

    return dates.format_date(value, format=form, locale=_locale)


def format_datetime(value: datetime, form: str = "medium") -> str:
    from babel import dates

    return dates.format_datetime(value, format=form, locale=_locale)


def format_number(value: float | int) -> str:
    from babel import numbers

    return numbers.format_decimal(value, locale=_locale)
