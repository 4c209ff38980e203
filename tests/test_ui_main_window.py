"""The main window: title, status bar, pages by keyboard, global search, language switch, drafts offered back."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from coachdesk.model import CoachingSession, Mentee
from coachdesk.services.drafts import pending_drafts, save_draft
from coachdesk.ui import app as app_module
from coachdesk.ui.app import Shell, offer_drafts
from coachdesk.ui.main_window import PAGES, MainWindow


def _window(qtbot, context) -> MainWindow:
    window = MainWindow(context.db.name, context.settings)
    qtbot.addWidget(window)
    window.show()
    window.attach(context)
    qtbot.waitExposed(window)
    window.activateWindow()  # shortcuts fire only in the active window
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_title_and_status_bar_name_the_database_device_and_sync(qtbot, ui_context):
    window = _window(qtbot, ui_context)
    assert window.windowTitle() == "CoachDesk — coachdesk.sqlite"
    assert window.database_label.text() == "Database: coachdesk.sqlite"
    assert window.device_label.text() == "Device: test-laptop"
    assert window.sync_label.text() == "Not synced yet"
    assert [window.navigation.item(i).text() for i in range(window.navigation.count())] == [
        "Today", "Mentees", "Sessions", "Assessments", "Plans", "Toolbox", "Funding", "Requests", "Sync",
        "Reports", "Templates", "Capacity builders", "Settings"]


def test_every_page_opens_from_the_sidebar_and_by_keyboard(qtbot, demo_context):
    window = _window(qtbot, demo_context)
    for row, spec in enumerate(PAGES):
        window.navigation.setCurrentRow(row)
        assert window.current_page_key() == spec.key
        assert window.page(spec.key).isVisible()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "sessions"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "today"


def test_global_search_finds_a_mentee_and_opens_their_page(qtbot, demo_context):
    with demo_context.db.read() as session:
        mentee = session.scalars(select(Mentee).where(Mentee.deleted.is_(False)).order_by(Mentee.name)).first()
    window = _window(qtbot, demo_context)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search.edit.hasFocus()
    qtbot.keyClicks(window.search.edit, mentee.name.split()[0])
    qtbot.waitUntil(lambda: window.search.results.count() > 0)
    texts = [window.search.results.item(i).text() for i in range(window.search.results.count())]
    assert any(mentee.name.split()[0] in t for t in texts)
    row = next(i for i, hit in enumerate(window.search.hits) if hit.id == mentee.id)
    window.search.results.setCurrentRow(row)
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    assert window.current_page_key() == "mentees"


def test_global_search_finds_a_word_in_session_notes(qtbot, demo_context):
    with demo_context.db.write() as session:
        note = session.scalars(select(CoachingSession)).first()
        note.notes = "We planned the zebrafinch editathon together"
    window = _window(qtbot, demo_context)
    window.search.focus()
    qtbot.keyClicks(window.search.edit, "zebrafin")
    qtbot.waitUntil(lambda: window.search.results.count() == 1)
    assert window.search.results.item(0).text().startswith("Session: ")
    assert "zebrafinch" in window.search.results.item(0).text()


def test_choosing_arabic_rebuilds_the_window_right_to_left(qtbot, ui_context):
    app = QApplication.instance()
    shell = Shell(app, ui_context)
    window = shell.show()
    qtbot.addWidget(window)
    try:
        ui_context.settings.language = "ar"
        ui_context.navigator.language_changed.emit("ar")
        assert shell.window is not window
        qtbot.addWidget(shell.window)
        assert app.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert shell.window.layoutDirection() == Qt.LayoutDirection.RightToLeft
        # "Back" points the way Arabic reads: right.
        from PySide6.QtWidgets import QStyle

        back = shell.window.show_page("mentees").mentee_page.back_button.icon().pixmap(16).toImage()
        right = app.style().standardIcon(QStyle.StandardPixmap.SP_ArrowRight).pixmap(16).toImage()
        left = app.style().standardIcon(QStyle.StandardPixmap.SP_ArrowLeft).pixmap(16).toImage()
        assert back == right and back != left
    finally:
        ui_context.settings.language = "en"
        ui_context.navigator.language_changed.emit("en")
        qtbot.addWidget(shell.window)
    assert app.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_drafts_left_by_a_crash_are_offered_back(qtbot, ui_context, monkeypatch):
    save_draft("session", "session", "Session with Aisha", {"notes": "half written"})
    asked = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(app_module.QMessageBox, "question", answer)
    window = _window(qtbot, ui_context)
    opened = offer_drafts(window, ui_context)
    assert opened == []
    assert len(asked) == 1 and "Session with Aisha" in asked[0]
    assert pending_drafts() == []  # discarding removes it


def test_arabic_loads_qt_own_translations_for_standard_buttons(qtbot, ui_context):
    from PySide6.QtCore import QCoreApplication

    from coachdesk.ui.app import apply_language

    app = QApplication.instance()
    ui_context.settings.language = "ar"
    try:
        apply_language(app, ui_context.settings)
        assert QCoreApplication.translate("QWizard", "Cancel") != "Cancel"
    finally:
        ui_context.settings.language = "en"
        apply_language(app, ui_context.settings)
    assert QCoreApplication.translate("QWizard", "Cancel") == "Cancel"


@pytest.mark.parametrize(("language", "words"), [
    ("hi", ("आगे > (&N)", "< पीछे (&B)", ["ठीक है", "रद्द करें"])),
    ("sw", ("Inayo&fuata >", "< &Iliyotangulia", ["Sawa", "Ghairi"])),
    ("id", ("&Berikutnya >", "< &Sebelumnya", ["OK", "Batal"])),
])
def test_qt_own_buttons_speak_languages_qt_ships_no_words_for(qtbot, ui_context, language, words):
    from PySide6.QtWidgets import QDialogButtonBox, QWizard

    from coachdesk.ui.app import apply_language

    app = QApplication.instance()
    ui_context.settings.language = language
    try:
        apply_language(app, ui_context.settings)
        wizard = QWizard()
        qtbot.addWidget(wizard)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        next_text, back_text, box_texts = words
        assert wizard.buttonText(QWizard.WizardButton.NextButton) == next_text
        assert wizard.buttonText(QWizard.WizardButton.BackButton) == back_text
        assert sorted(b.text() for b in box.buttons()) == sorted(box_texts)
    finally:
        ui_context.settings.language = "en"
        apply_language(app, ui_context.settings)
    english = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(english)
    assert english.buttons()[0].text() == "Cancel"
