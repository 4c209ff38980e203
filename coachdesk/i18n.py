"""Translations and locale formatting: gettext catalogs through Babel, set up explicitly.

Nothing is installed into builtins. Modules import ``_`` (and friends) from here; the
functions look up the active catalog on every call, so switching language takes effect
for every string produced afterwards.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path

from babel.core import Locale, UnknownLocaleError

from coachdesk.paths import catalogs_dir

# babel.dates, babel.numbers and the catalog reader load on first use: the window paints first.

DOMAIN = "coachdesk"
SOURCE_LANGUAGE = "en"

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_locale: Locale = Locale.parse(SOURCE_LANGUAGE)
#: A language for this thread only (a handout printed in Hindi while the app speaks English).
_override: ContextVar[tuple[_gettext.NullTranslations, Locale] | None] = ContextVar("coachdesk_language",
                                                                                     default=None)


def _active() -> tuple[_gettext.NullTranslations, Locale]:
    return _override.get() or (_translations, _locale)


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _active()[0].gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; translate it later, where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active()[0].ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _active()[0].pgettext(context, message)


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
    _translations, _locale = _load(language, folder)


def _load(language: str, folder: Path | None = None) -> tuple[_gettext.NullTranslations, Locale]:
    locale = parse_locale(language)
    catalog = find_catalog(str(locale), folder) or find_catalog(locale.language, folder)
    if catalog is None:
        return _gettext.NullTranslations(), locale
    from babel.support import Translations

    with catalog.open("rb") as handle:
        return Translations(handle, domain=DOMAIN), locale


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Speak ``language`` in this thread until the block ends; other threads keep theirs."""
    token = _override.set(_load(language))
    try:
        yield
    finally:
        _override.reset(token)


def shipped_languages(folder: Path | None = None) -> list[str]:
    """The languages with a catalog, English (the source) first."""
    folder = folder or catalogs_dir()
    found = sorted(p.parent.parent.name for p in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return [SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE)]


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
    return str(_active()[1])


def text_direction(language: str | None = None) -> str:
    """``"rtl"`` or ``"ltr"`` for ``language`` (default: the active one)."""
    locale = parse_locale(language) if language else _active()[1]
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
    display = parse_locale(in_language) if in_language else _active()[1]
    return locale.get_display_name(display) or code


def format_date(value: date, form: str = "medium") -> str:
    from babel import dates

    return dates.format_date(value, format=form, locale=_active()[1])


def format_datetime(value: datetime, form: str = "medium") -> str:
    from babel import dates

    return dates.format_datetime(value, format=form, locale=_active()[1])


def format_number(value: float | int) -> str:
    from babel import numbers

    return numbers.format_decimal(value, locale=_active()[1])


def format_percent(value: float) -> str:
    """``value`` (0.25 for a quarter) as a percentage in the active language."""
    from babel import numbers

    return numbers.format_percent(value, locale=_active()[1])


def format_decimal(value: float, digits: int = 1) -> str:
    from babel import numbers

    return numbers.format_decimal(round(value, digits), format=f"#,##0.{'0' * digits}" if digits else "#,##0",
                                  locale=_active()[1])


def territory(language: str | None = None) -> str:
    """The country a language is most used in when it names none (``ar`` → ``EG``, ``en`` → ``US``)."""
    from babel.core import get_global

    locale = parse_locale(language) if language else _active()[1]
    if locale.territory:
        return locale.territory
    likely = get_global("likely_subtags").get(locale.language, "")
    return likely.split("_")[-1] if "_" in likely else ""


def format_time(value: datetime, form: str = "short") -> str:
    from babel import dates

    return dates.format_time(value, format=form, locale=_active()[1])
