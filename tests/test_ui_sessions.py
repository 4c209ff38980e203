"""The "log a session" dialog and the Sessions page, driven from the keyboard as a coach would."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from coachdesk.model import Capacity, CoachingSession, Mentee, Plan, PlanAction, SessionCapacity, SessionParticipant
from coachdesk.services.drafts import pending_drafts
from coachdesk.services.mentees import MenteeForm, save_mentee
from coachdesk.services.sessions import NextStep, Participant, SessionForm, log_session
from coachdesk.ui.dialogs import session_dialog
from coachdesk.ui.dialogs.session_dialog import LogSessionDialog
from coachdesk.ui.views import sessions as sessions_view
from coachdesk.ui.views.sessions import SessionsPage
from tests.conftest import table_dump

CTRL = Qt.KeyboardModifier.ControlModifier


def add_mentee(db, name):
    with db.write() as s:
        return save_mentee(s, MenteeForm(name=name, languages=["ha"]))


def open_dialog(qtbot, context, mentee_ids=()):
    dialog = LogSessionDialog(context, list(mentee_ids))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # window shortcuts (Ctrl+Enter) only reach the active window
    return dialog


def chips(dialog):
    return [dialog.picker.chosen.item(i).text() for i in range(dialog.picker.chosen.count())]


def capacity_item(dialog, text):
    return next(item for item in dialog._capacity_items() if item.text(0) == text)


def test_log_a_training_from_the_keyboard(qtbot, ui_context):
    db = ui_context.db
    add_mentee(db, "Aisha Bello")
    add_mentee(db, "Aisha Musa")
    with db.write() as s:  # an older session, so the new one must come first on the page
        log_session(s, SessionForm(started_at=datetime(2020, 1, 6, 9, 0), participants=[Participant("Old Friend")]))
    dialog = open_dialog(qtbot, ui_context)
    assert dialog.when.dateTime().toPython() <= datetime.now()
    assert dialog.duration.value() == 60

    qtbot.keyClicks(dialog.kind, "T")  # the first letter picks "Training"
    assert dialog.kind.currentText() == "Training"
    assert dialog.method.currentText() == "Training"

    qtbot.keyClicks(dialog.picker.edit, "aisha b")
    assert dialog.picker.suggestions.currentItem().text() == "Aisha Bello"
    qtbot.keyClick(dialog.picker.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.picker.edit, "Chidi Okafor")
    assert dialog.picker.suggestions.currentItem().text() == "Add “Chidi Okafor” as a new mentee"
    qtbot.keyClick(dialog.picker.edit, Qt.Key.Key_Return)
    assert chips(dialog) == ["Aisha Bello", "Chidi Okafor (new mentee)"]
    assert dialog.picker.edit.text() == ""
    assert dialog.language.currentText() == "Hausa"  # what the participants speak

    fundraising = capacity_item(dialog, "Fundraising")
    dialog.capacities.setFocus()
    dialog.capacities.setCurrentItem(fundraising)
    qtbot.keyClick(dialog.capacities, Qt.Key.Key_Space)
    assert fundraising.checkState(0) == Qt.CheckState.Checked

    qtbot.keyClicks(dialog.notes, "Budget training with the club.")
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Tab)  # Tab leaves the notes instead of typing a tab
    assert dialog.notes.toPlainText() == "Budget training with the club."

    row = dialog.steps.rows[0]
    qtbot.keyClicks(row.text, "Send the budget to the board")
    assert not row.due.isEnabled()
    row.action.setFocus()
    qtbot.keyClick(row.action, Qt.Key.Key_Space)
    assert row.due.isEnabled()
    assert row.goal.currentText() == "Each participant's plan" and not row.goal.isEnabled()
    assert dialog.steps.explanation.isVisibleTo(dialog)
    row.due.setDate(QDate(2030, 1, 15))

    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert pending_drafts() == []

    with db.read() as s:
        session = s.scalar(select(CoachingSession).where(CoachingSession.kind == "training"))
        assert session.notes == "Budget training with the club."
        assert session.next_steps == "Send the budget to the board"
        assert session.duration_minutes == 60 and session.language == "ha"
        people = s.scalars(select(Mentee.name).join(SessionParticipant, SessionParticipant.mentee_id == Mentee.id)
                           .where(SessionParticipant.session_id == session.id)).all()
        assert sorted(people) == ["Aisha Bello", "Chidi Okafor"]
        assert len(s.scalars(select(Mentee).where(Mentee.name == "Chidi Okafor")).all()) == 1
        cap = s.scalar(select(Capacity.key).join(SessionCapacity, SessionCapacity.capacity_id == Capacity.id)
                       .where(SessionCapacity.session_id == session.id))
        assert cap == "fundraising"
        actions = s.scalars(select(PlanAction)).all()
        assert [(a.description, a.due_on) for a in actions] == [("Send the budget to the board", date(2030, 1, 15))] * 2
        assert len(s.scalars(select(Plan).where(Plan.title == "Capacity-building plan")).all()) == 2
        session_id = session.id

    page = SessionsPage(ui_context)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    first = [page.model.data(page.model.index(0, c)) for c in range(page.model.columnCount())]
    assert first[1:5] == ["Training", "Training: Fundraising", "Aisha Bello and 1 other", "1 h"]
    page.show_session(session_id)
    assert "Budget training with the club." in page.detail.toPlainText()
    assert "Send the budget to the board" in page.detail.toPlainText()


def test_a_draft_survives_a_crash(qtbot, ui_context):
    aisha = add_mentee(ui_context.db, "Aisha Bello")
    dialog = open_dialog(qtbot, ui_context, [aisha])
    assert chips(dialog) == ["Aisha Bello"]
    qtbot.keyClicks(dialog.kind, "V")
    qtbot.keyClicks(dialog.notes, "Visited the club's office.")
    qtbot.waitUntil(lambda: len(pending_drafts()) == 1, timeout=3000)
    dialog.deleteLater()  # gone without closing: what a crash leaves behind
    qtbot.waitUntil(lambda: not dialog_alive(dialog))

    draft = pending_drafts()[0]
    assert (draft.kind, draft.title) == ("session", "Session with Aisha Bello")
    restored = LogSessionDialog.from_draft(ui_context, draft, None)
    qtbot.addWidget(restored)
    assert restored.kind.currentText() == "Visit"
    assert chips(restored) == ["Aisha Bello"]
    assert restored.notes.toPlainText() == "Visited the club's office."
    assert restored.has_unsaved_changes()


def dialog_alive(widget):
    try:
        widget.objectName()
    except RuntimeError:
        return False
    return True


def test_escape_asks_before_throwing_typing_away(qtbot, ui_context, monkeypatch):
    asked = []
    answer = {"discard": False}
    monkeypatch.setattr(session_dialog, "confirm_discard", lambda parent: asked.append(parent) or answer["discard"])
    dialog = open_dialog(qtbot, ui_context)
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Escape)  # nothing typed yet: closes at once
    assert not dialog.isVisible() and asked == []

    dialog = open_dialog(qtbot, ui_context)
    qtbot.keyClicks(dialog.notes, "Half a thought")
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Escape)
    assert asked == [dialog] and dialog.isVisible()
    assert dialog.notes.toPlainText() == "Half a thought"
    answer["discard"] = True
    dialog.save_draft()
    assert pending_drafts()
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert pending_drafts() == []


def test_saving_without_a_participant_says_so_and_writes_nothing(qtbot, ui_context):
    dialog = open_dialog(qtbot, ui_context)
    before = table_dump(ui_context.db)
    qtbot.keyClicks(dialog.notes, "Who was there?")
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return, CTRL)
    message = dialog.problems["participants"]
    assert message.isVisible() and message.text() == "Add at least one participant."
    assert dialog.picker.edit.hasFocus()
    assert dialog.isVisible()
    ui_context.tasks.wait_idle()
    assert table_dump(ui_context.db) == before

    qtbot.keyClicks(dialog.picker.edit, "Nobody Yet")  # typed, but Enter not pressed
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return, CTRL)
    assert message.text() == "Press Enter to add “Nobody Yet”, or clear the box."
    dialog.picker.edit.clear()

    dialog.when.setDateTime(dialog.when.dateTime().addYears(3))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.problems["started_at"].isVisible()
    ui_context.tasks.wait_idle()
    assert table_dump(ui_context.db) == before


def test_a_single_participants_plan_goals_are_offered(qtbot, ui_context):
    aisha = add_mentee(ui_context.db, "Aisha Bello")
    with ui_context.db.write() as s:
        log_session(s, SessionForm(participants=[Participant("Aisha Bello", aisha)],
                                   next_steps=[NextStep("Start", True, date(2030, 1, 1))]))
    dialog = open_dialog(qtbot, ui_context, [aisha])
    row = dialog.steps.rows[0]
    assert [row.goal.itemText(i) for i in range(row.goal.count())] == [
        "Follow up on our sessions", "A new goal in “Capacity-building plan”"]
    qtbot.keyClicks(row.text, "Second step")
    row.action.setChecked(True)
    assert row.goal.isEnabled() and row.goal.currentIndex() == 0
    qtbot.keyClick(row.text, Qt.Key.Key_Return)  # Enter in a filled step starts another one
    assert len(dialog.steps.rows) == 2 and dialog.steps.rows[1].text.hasFocus()
    qtbot.keyClick(dialog.steps.rows[1].text, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    with ui_context.db.read() as s:
        goals = {a.goal_id for a in s.scalars(select(PlanAction))}
        assert len(goals) == 1 and len(s.scalars(select(Plan)).all()) == 1


def test_sessions_page_filters_edits_and_removes(qtbot, ui_context, monkeypatch):
    db = ui_context.db
    aisha, musa = add_mentee(db, "Aisha Bello"), add_mentee(db, "Musa Aliyu")
    with db.write() as s:
        kept = log_session(s, SessionForm(started_at=datetime.now() - timedelta(days=3), notes="Grant report due.",
                                          participants=[Participant("Musa Aliyu", musa)]))
        gone = log_session(s, SessionForm(started_at=datetime.now() - timedelta(days=1), notes="Visa questions.",
                                          participants=[Participant("Aisha Bello", aisha)]))
    page = SessionsPage(ui_context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert page.count.text() == "2 sessions" and not page.edit_button.isEnabled()

    with qtbot.waitSignal(page.loaded):
        qtbot.keyClicks(page.filter, "grant")
    assert page.model.rowCount() == 1 and page.model.data(page.model.index(0, 3)) == "Musa Aliyu"
    page.show_session(gone)  # hidden by the filter: the filter makes way
    qtbot.waitUntil(lambda: page.selected_id() == gone)
    assert page.filter.text() == "" and "Visa questions." in page.detail.toPlainText()
    assert page.edit_button.isEnabled() and page.remove_button.isEnabled()

    monkeypatch.setattr(sessions_view, "confirm_remove", lambda parent, title: False)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    ui_context.tasks.wait_idle()
    with db.read() as s:
        assert not s.get(CoachingSession, gone).deleted
    monkeypatch.setattr(sessions_view, "confirm_remove", lambda parent, title: True)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.table.setFocus()
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert page.model.rowCount() == 1
    with db.read() as s:
        assert s.get(CoachingSession, gone).deleted

    page.show_session(kept)
    qtbot.waitUntil(lambda: page.selected_id() == kept)
    page.edit_selected()
    dialog = page.findChild(LogSessionDialog)
    assert dialog.windowTitle() == "Edit session" and chips(dialog) == ["Musa Aliyu"]
    assert not dialog.has_unsaved_changes()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.notes, " Sent on time.")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(dialog.notes, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: "Sent on time." in page.detail.toPlainText())
    assert page.selected_id() == kept
    with db.read() as s:
        assert s.get(CoachingSession, kept).notes == "Grant report due. Sent on time."


@pytest.fixture(autouse=True)
def _no_modal_boxes(monkeypatch):
    """A test that reaches a real message box would hang; fail it instead."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("a message box was about to block the test")

    monkeypatch.setattr(session_dialog, "show_error", refuse)
    monkeypatch.setattr(sessions_view, "show_error", refuse)
    # Dialogs still open at the end are closed by pytest-qt: let them go without asking.
    monkeypatch.setattr(session_dialog, "confirm_discard", lambda parent: True)
