"""The desktop app opens on a database and shows what it holds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from coachdesk import i18n
from coachdesk.services.demo import generate_demo
from coachdesk.services.stats import counts
from coachdesk.ui.app import make_application
from coachdesk.ui.main_window import PAGES, MainWindow


def test_main_window_names_the_database_and_shows_its_counts(qtbot, db):
    generate_demo(db, mentees=15, seed=2)
    window = MainWindow(db.name, counts(db))
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "CoachDesk — coachdesk.sqlite"
    assert window.navigation.count() == len(PAGES)
    summary = window.pages.currentWidget().findChild(QLabel, "summary")
    assert summary is not None and summary.text().startswith("15 mentees, ")


def test_choosing_a_page_in_the_sidebar_shows_it(qtbot, db):
    window = MainWindow(db.name, counts(db))
    qtbot.addWidget(window)
    window.show()
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert window.pages.currentIndex() == 2
    assert window.navigation.currentItem().text() == "Sessions"


def test_arabic_turns_the_application_right_to_left(qtbot):
    app = make_application()
    try:
        i18n.set_language("ar")
        assert make_application().layoutDirection() == Qt.LayoutDirection.RightToLeft
    finally:
        i18n.set_language("en")
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
