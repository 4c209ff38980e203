"""The Capacity builders page, driven as a program lead would: profiles, the track, the filters."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from coachdesk.model import Coach, CoachingSession, CoachRole, TrackStepKind, TrainerTrackStep
from coachdesk.services.builders import BuilderForm, save_builder
from coachdesk.ui.dialogs import builder_dialog
from coachdesk.ui.dialogs.builder_dialog import BuilderDialog, StepDialog
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.builders import BuildersPage


@pytest.fixture
def page(qtbot, ui_context):
    widget = BuildersPage(ui_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


@pytest.fixture
def team(ui_context):
    with ui_context.db.write() as session:
        amina = save_builder(session, BuilderForm("Amina Bello", CoachRole.TRAINER, ["ha", "en"], "West Africa",
                                                  ["training"], ["fundraising", "public_speaking"])).id
        lucia = save_builder(session, BuilderForm("Lúcia Souza", CoachRole.CIRCUIT_RIDER, ["pt_BR"], "Brazil",
                                                  [], ["legal"])).id
        workshop = CoachingSession(title="Wiki Loves Africa workshop", started_at=datetime(2025, 2, 3, 10),
                                   duration_minutes=120, coach_id=amina)
        session.add(workshop)
    return {"amina": amina, "lucia": lucia, "workshop": workshop.id}


def table(page: BuildersPage) -> list[list[str]]:
    model = page.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))
    assert combo.currentIndex() >= 0, data


def test_creating_a_builder_through_the_dialog_adds_a_row_with_what_was_ticked(qtbot, page, ui_context):
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.findChild(BuilderDialog) is not None)
    dialog = page.findChild(BuilderDialog)
    qtbot.keyClicks(dialog.name, "Ngozi Okafor")
    choose(dialog.role, "trainer")
    qtbot.keyClicks(dialog.languages, "ig; en")
    dialog.email.setText("ngozi@example.org")
    for label in ("Training", "Mentoring and coaching"):
        dialog.methods.findItems(label, Qt.MatchFlag.MatchStartsWith)[0].setCheckState(Qt.CheckState.Checked)
    dialog.capacities.findItems("Fundraising", Qt.MatchFlag.MatchRecursive)[0].setCheckState(0, Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: any(row[0] == "Ngozi Okafor" for row in table(page)))
    row = next(r for r in table(page) if r[0] == "Ngozi Okafor")
    assert row[:5] == ["Ngozi Okafor", "Trainer", "ig, en", "1", "0"]
    assert row[5] == "Not on a track"
    summary = page.summary.text()
    assert "Trained in: Training, Mentoring" in summary and "Can support: Fundraising" in summary
    with ui_context.db.read() as session:
        coach = session.scalar(select(Coach).where(Coach.name == "Ngozi Okafor"))
        assert (coach.methods, coach.capacities, coach.email) == (
            ["training", "mentoring_coaching"], ["fundraising"], "ngozi@example.org")


def test_a_profile_without_a_name_is_refused_in_the_dialog(qtbot, page, ui_context):
    dialog = page.new_builder()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problems.text() == "Give the capacity builder a name."
    with ui_context.db.read() as session:
        assert session.scalar(select(Coach.id)) is None


def add_step(qtbot, page, kind, day, mentor=None, session=None, method="", minutes=0) -> StepDialog:
    dialog = page.add_step()
    choose(dialog.kind, kind.value)
    dialog.done_on.setDate(QDate(day.year, day.month, day.day))
    if mentor:
        choose(dialog.mentor, str(mentor))
    if session:
        choose(dialog.session, str(session))
    choose(dialog.method, method)
    dialog.minutes.setValue(minutes)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return dialog


def test_a_co_facilitation_and_a_sign_off_read_on_the_progress_line(qtbot, team, page, ui_context):
    page.select(team["lucia"])
    assert page.progress.text() == "No step on the track yet."
    add_step(qtbot, page, TrackStepKind.CO_FACILITATION, date(2025, 2, 3), team["amina"], team["workshop"],
             minutes=120)
    qtbot.waitUntil(lambda: page.steps.topLevelItemCount() == 1)
    step = page.steps.topLevelItem(0)
    assert [step.text(i) for i in range(1, 4)] == ["Co-facilitated a session", "Amina Bello",
                                                   "Wiki Loves Africa workshop"]
    assert step.toolTip(3) == "Feb 3, 2025 — Wiki Loves Africa workshop"

    add_step(qtbot, page, TrackStepKind.SIGN_OFF, date(2025, 3, 12), team["amina"], method="training")
    qtbot.waitUntil(lambda: page.steps.topLevelItemCount() == 2)
    assert page.progress.text() == "Co-facilitated 1 · Signed off for Training (Mar 12, 2025)"
    lucia = next(r for r in table(page) if r[0] == "Lúcia Souza")
    assert lucia[5] == "Signed off for Training on Mar 12, 2025"
    amina = next(r for r in table(page) if r[0] == "Amina Bello")
    assert amina[4] == "1"  # the workshop she delivered


def test_a_sign_off_without_a_mentor_is_refused_and_nothing_is_kept(qtbot, team, page, ui_context):
    page.select(team["lucia"])
    dialog = add_step(qtbot, page, TrackStepKind.SIGN_OFF, date(2025, 3, 12), method="training")
    assert dialog.isVisible()
    assert dialog.problems.text() == "A sign-off needs the experienced trainer who signs off; choose them as the mentor."
    with ui_context.db.read() as session:
        assert session.scalar(select(TrainerTrackStep.id)) is None


def test_removing_a_step_asks_first_and_can_be_undone(qtbot, team, page, monkeypatch):
    page.select(team["lucia"])
    add_step(qtbot, page, TrackStepKind.MENTORING, date(2025, 2, 10), team["amina"], minutes=90)
    qtbot.waitUntil(lambda: page.steps.topLevelItemCount() == 1)
    assert page.progress.text() == "Mentoring 1.5 h"
    page.steps.setCurrentItem(page.steps.topLevelItem(0))
    asked = []
    monkeypatch.setattr(page_parts, "ask", lambda *args: asked.append(args[2]) or False)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.steps.setFocus()
    qtbot.keyClick(page.steps, Qt.Key.Key_Delete)
    assert asked and "Mentoring" in asked[0] and page.steps.topLevelItemCount() == 1
    monkeypatch.setattr(page_parts, "ask", lambda *args: True)
    qtbot.keyClick(page.steps, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: page.steps.topLevelItemCount() == 0)
    assert page.progress.text() == "No step on the track yet." and page.undo_button.isVisible()
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.steps.topLevelItemCount() == 1)
    assert page.progress.text() == "Mentoring 1.5 h"


def test_filtering_by_capacity_shows_only_those_who_support_it(qtbot, team, page):
    assert [r[0] for r in table(page)] == ["Amina Bello", "Lúcia Souza"]
    choose(page.capacity, "legal")
    assert [r[0] for r in table(page)] == ["Lúcia Souza"]
    assert page.count.text() == "1 capacity builder"
    choose(page.capacity, "fundraising")
    choose(page.language, "pt_BR")
    assert table(page) == []
    choose(page.language, "")
    qtbot.keyClicks(page.filter, "west")
    assert [r[0] for r in table(page)] == ["Amina Bello"]


def test_a_failed_save_is_told_in_a_dialog(qtbot, team, page, ui_context, monkeypatch):
    told = []
    monkeypatch.setattr(builder_dialog, "tell", lambda _parent, _title, text: told.append(text))
    dialog = page.new_builder()
    dialog.name.setText("Musa")
    # The dialog's own check passes; the write refuses (as when data changed under the open dialog).
    monkeypatch.setattr(builder_dialog, "validate_builder", lambda *_args: [])
    dialog.languages.setText("xx-zz-12")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told))
    assert told == ["“xx-zz-12” is not a language code; use codes such as ar, hi or pt_BR."]
    assert dialog.isVisible()
