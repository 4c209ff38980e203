"""Qt's own button and menu texts in the languages Qt ships no translation for (Hindi, Swahili, Indonesian …).

Qt draws some words itself: a wizard's Next and Back, a dialog's OK and Cancel, a text field's
Copy and Paste. Where ``qtbase_<language>.qm`` exists it translates them; where it does not,
this translator gives them from CoachDesk's own catalogs, so no English word is left on a screen.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from coachdesk.i18n import current_language, pgettext

#: The Qt contexts whose words are given here; everything else passes through untouched.
CONTEXTS = frozenset({"QWizard", "QPlatformTheme", "QDialogButtonBox", "QLineEdit", "QWidgetTextControl"})


def qt_words() -> dict[str, str]:
    """Qt's English text → the same word in the active language (literal calls, so extraction finds them)."""
    return {
        "< &Back": pgettext("Qt button", "< &Back"),
        "&Next >": pgettext("Qt button", "&Next >"),
        "&Finish": pgettext("Qt button", "&Finish"),
        "&Help": pgettext("Qt button", "&Help"),
        "OK": pgettext("Qt button", "OK"),
        "Save": pgettext("Qt button", "Save"),
        "Save All": pgettext("Qt button", "Save All"),
        "Open": pgettext("Qt button", "Open"),
        "&Yes": pgettext("Qt button", "&Yes"),
        "Yes to &All": pgettext("Qt button", "Yes to &All"),
        "&No": pgettext("Qt button", "&No"),
        "N&o to All": pgettext("Qt button", "N&o to All"),
        "Abort": pgettext("Qt button", "Abort"),
        "Retry": pgettext("Qt button", "Retry"),
        "Ignore": pgettext("Qt button", "Ignore"),
        "Close": pgettext("Qt button", "Close"),
        "Cancel": pgettext("Qt button", "Cancel"),
        "Discard": pgettext("Qt button", "Discard"),
        "Help": pgettext("Qt button", "Help"),
        "Apply": pgettext("Qt button", "Apply"),
        "Reset": pgettext("Qt button", "Reset"),
        "Restore Defaults": pgettext("Qt button", "Restore Defaults"),
        "&Undo": pgettext("Qt button", "&Undo"),
        "&Redo": pgettext("Qt button", "&Redo"),
        "Cu&t": pgettext("Qt button", "Cu&t"),
        "&Copy": pgettext("Qt button", "&Copy"),
        "&Paste": pgettext("Qt button", "&Paste"),
        "Delete": pgettext("Qt button", "Delete"),
        "Select All": pgettext("Qt button", "Select All"),
    }


class QtWords(QTranslator):
    """Gives Qt's own words from CoachDesk's catalog of the language active when it was made."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.language = current_language()
        self.words = qt_words()

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None,  # type: ignore[override]
                  n: int = -1) -> str:
        if context in CONTEXTS:
            return self.words.get(source, "")
        return ""
