"""Settings, Sync and Reports pages: preferences kept on disk, honest sync status, long work that never freezes."""

from __future__ import annotations

import json
import time

from PySide6.QtCore import Qt, QTimer

from coachdesk.model import Mentee
from coachdesk.services.settings import settings_path
from coachdesk.store.database import count_live
from coachdesk.ui.views import reports as reports_view
from coachdesk.ui.views.reports import ReportsPage
from coachdesk.ui.views.settings import SettingsPage
from coachdesk.ui.views.sync import SyncPage

LEFT = Qt.MouseButton.LeftButton


def _page(qtbot, cls, context):
    page = cls(context)
    qtbot.addWidget(page)
    page.resize(900, 560)
    page.show()
    return page


def _saved() -> dict:
    return json.loads(settings_path().read_text(encoding="utf-8"))


def _mentees(context) -> int:
    with context.db.read() as session:
        return count_live(session, Mentee)


# -- settings -----------------------------------------------------------------------------------


def test_languages_are_offered_each_in_its_own_language(qtbot, ui_context):
    page = _page(qtbot, SettingsPage, ui_context)
    assert [page.language.itemText(i) for i in range(page.language.count())] == [
        "System language", "English", "Español", "Français", "Português (Brasil)", "العربية", "हिन्दी",
        "Kiswahili", "Bahasa Indonesia"]
    assert page.language.currentText() == "System language"
    assert page.device_name.text() == "test-laptop"


def test_choosing_arabic_saves_it_and_asks_for_the_window_in_arabic(qtbot, ui_context):
    page = _page(qtbot, SettingsPage, ui_context)
    with qtbot.waitSignal(ui_context.navigator.language_changed) as changed:
        page.language.setCurrentIndex(page.language.findData("ar"))
    assert changed.args == ["ar"]
    assert _saved()["language"] == "ar"
    assert ui_context.settings.language == "ar"  # the shell reads it when it rebuilds the window


def test_a_new_name_is_saved_after_a_pause_and_announced(qtbot, ui_context):
    page = _page(qtbot, SettingsPage, ui_context)
    page.user_name.clear()
    with qtbot.waitSignal(ui_context.navigator.settings_changed, timeout=3000):
        qtbot.keyClicks(page.user_name, "Amina Yusuf")
        page.role.setCurrentIndex(page.role.findText("Circuit rider"))
    assert (_saved()["user_name"], _saved()["role"]) == ("Amina Yusuf", "circuit_rider")
    assert ui_context.settings.user_name == "Amina Yusuf"
    assert page.status.text() == "Saved." and not page.save_button.isEnabled()


def test_the_save_button_saves_at_once_and_the_sync_page_follows(qtbot, ui_context):
    sync = _page(qtbot, SyncPage, ui_context)
    assert sync.status.text().startswith("This device is not part of a team yet.")
    assert (sync.device.text(), sync.last_export.text()) == ("test-laptop", "Never")
    assert not sync.export_button.isEnabled()
    page = _page(qtbot, SettingsPage, ui_context)
    page.device_name.clear()
    qtbot.keyClicks(page.device_name, "kano-netbook")
    qtbot.mouseClick(page.save_button, LEFT)
    assert _saved()["device_name"] == "kano-netbook"
    assert sync.device.text() == "kano-netbook"


# -- reports ------------------------------------------------------------------------------------


def test_demo_data_through_the_page_adds_the_mentees_asked_for(qtbot, ui_context, monkeypatch):
    monkeypatch.setattr(reports_view, "ask_demo_count", lambda parent: 30)
    page = _page(qtbot, ReportsPage, ui_context)
    before = _mentees(ui_context)
    qtbot.mouseClick(page.demo_button, LEFT)
    assert not page.demo_button.isEnabled() and not page.export_mentees_button.isEnabled()
    assert page.progress.isVisibleTo(page) and page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: page.status.text() == "Added 30 demo mentees with sessions, assessments and plans.",
                    timeout=10000)
    assert _mentees(ui_context) == before + 30
    assert page.demo_button.isEnabled() and not page.progress.isVisibleTo(page)


def test_cancelling_demo_data_changes_nothing(qtbot, ui_context, monkeypatch):
    monkeypatch.setattr(reports_view, "ask_demo_count", lambda parent: 3000)
    page = _page(qtbot, ReportsPage, ui_context)
    before = _mentees(ui_context)
    qtbot.mouseClick(page.demo_button, LEFT)
    qtbot.mouseClick(page.cancel_button, LEFT)
    qtbot.waitUntil(lambda: page.status.text() == "Cancelled; nothing was changed.", timeout=10000)
    assert _mentees(ui_context) == before
    assert page.demo_button.isEnabled() and not page.cancel_button.isVisibleTo(page)


def test_the_window_keeps_responding_while_demo_data_is_written(qtbot, ui_context, monkeypatch):
    monkeypatch.setattr(reports_view, "ask_demo_count", lambda parent: 800)
    page = _page(qtbot, ReportsPage, ui_context)
    ticks = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()) if page.is_running() else None)
    timer.start()
    seen_progress = []
    qtbot.mouseClick(page.demo_button, LEFT)
    page.task.progressed.connect(lambda done, total, what: seen_progress.append((done, total)))
    qtbot.waitUntil(lambda: not page.is_running(), timeout=15000)
    timer.stop()
    assert page.status.text().startswith("Added 800 demo mentees")
    assert len(ticks) >= 10  # the GUI thread kept handling events all along
    assert seen_progress and seen_progress[-1][0] == seen_progress[-1][1]


def test_exporting_mentees_writes_the_file_and_says_how_many_rows(qtbot, demo_context, monkeypatch, tmp_path):
    target = tmp_path / "mentees.csv"
    monkeypatch.setattr(reports_view, "choose_save_path", lambda parent, title, suggested: target)
    page = _page(qtbot, ReportsPage, demo_context)
    qtbot.mouseClick(page.export_mentees_button, LEFT)
    qtbot.waitUntil(lambda: page.status.text().startswith("Exported"), timeout=10000)
    assert page.status.text() == f"Exported 40 rows to {target}."
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("id,name,kind") and len(lines) == 41


def test_a_refused_import_shows_every_bad_row_and_changes_nothing(qtbot, demo_context, monkeypatch, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("id,name,kind\n,Zainab Bello,person\n,Musa Danjuma,alien\n,,group\n", encoding="utf-8")
    monkeypatch.setattr(reports_view, "choose_open_path", lambda parent, title: source)
    page = _page(qtbot, ReportsPage, demo_context)
    before = _mentees(demo_context)
    qtbot.mouseClick(page.import_mentees_button, LEFT)
    qtbot.waitUntil(lambda: page.refused_dialog is not None, timeout=10000)
    headline = "people.csv was not imported: 2 rows have problems, so nothing was changed."
    assert page.refused_dialog.headline.text() == headline and page.status.text() == headline
    problems = page.refused_dialog.problems.toPlainText().splitlines()
    assert problems[0].startswith("line 3: kind: “alien” is not one of")
    assert problems[1] == "line 4: name: it is empty, and it must not be"
    assert _mentees(demo_context) == before
    page.refused_dialog.close()


def test_a_good_import_says_what_it_added(qtbot, ui_context, monkeypatch, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("id,name,kind,community\n,Zainab Bello,person,Hausa Wikipedia\n", encoding="utf-8")
    monkeypatch.setattr(reports_view, "choose_open_path", lambda parent, title: source)
    page = _page(qtbot, ReportsPage, ui_context)
    qtbot.mouseClick(page.import_mentees_button, LEFT)
    qtbot.waitUntil(lambda: page.status.text().startswith("Imported"), timeout=10000)
    assert page.status.text() == "Imported people.csv: 1 added, 0 updated, 0 unchanged."
    assert _mentees(ui_context) == 1
