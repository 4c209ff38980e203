"""The Today page as a coach uses it: what is overdue, who waits for a session, deadlines, requests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from coachdesk.model import (
    ActionStatus,
    Capacity,
    CoachingSession,
    CommunityRequest,
    FundingOpportunity,
    JourneyStage,
    Mentee,
    Plan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    SessionParticipant,
    named_id,
    uuid7,
)
from coachdesk.services.today import waiting_mentees
from coachdesk.ui.views.today import TodayPage


def _mentee(s, name, stage=JourneyStage.PLANNING, archived=False):
    mentee = Mentee(id=uuid7(), name=name, journey_stage=stage, archived=archived)
    s.add(mentee)
    s.flush()
    return mentee.id


def _session(s, mentee_id, started_at):
    session = CoachingSession(id=uuid7(), started_at=started_at, title="Check-in")
    s.add(session)
    s.flush()
    s.add(SessionParticipant(id=named_id(session.id, mentee_id), session_id=session.id, mentee_id=mentee_id))


@pytest.fixture
def world(ui_context):
    """A small database with one of each thing the Today page shows, dated from today."""
    today = date.today()
    ids = {}
    with ui_context.db.write() as s:
        ids["planner"] = _mentee(s, "Amina Yusuf")
        plan = Plan(id=uuid7(), mentee_id=ids["planner"], title="Plan", status=PlanStatus.ACTIVE, created_on=today)
        s.add(plan)
        s.flush()
        capacity = s.scalars(select(Capacity).where(Capacity.key == "fundraising")).one()
        goal = PlanGoal(id=uuid7(), plan_id=plan.id, capacity_id=capacity.id, description="Raise money")
        s.add(goal)
        s.flush()
        ids["late"] = uuid7()
        s.add(PlanAction(id=ids["late"], goal_id=goal.id, description="Send the grant report",
                         due_on=today - timedelta(days=3), status=ActionStatus.IN_PROGRESS))
        s.add(PlanAction(id=uuid7(), goal_id=goal.id, description="Book the venue", due_on=today + timedelta(days=2)))
        s.add(PlanAction(id=uuid7(), goal_id=goal.id, description="Old and finished",
                         due_on=today - timedelta(days=9), status=ActionStatus.DONE, completed_on=today))
        _session(s, ids["planner"], datetime.now() + timedelta(days=5))  # the planner has a session booked
        ids["waiting"] = _mentee(s, "Bola Ade", JourneyStage.ASSESSMENT)
        ids["seen"] = _mentee(s, "Carlos Ruiz", JourneyStage.ACTIVITIES)
        _session(s, ids["seen"], datetime.now() - timedelta(days=40))
        _mentee(s, "Dina First", JourneyStage.FIRST_CONTACT)
        _mentee(s, "Eve Archived", JourneyStage.FUNDING, archived=True)
        programs = list(s.scalars(select(FundingOpportunity).order_by(FundingOpportunity.program)))
        programs[0].deadline = today + timedelta(days=10)
        programs[1].deadline = today + timedelta(days=90)
        ids["soon_program"], ids["late_program"] = programs[0].program, programs[1].program
        s.add(CommunityRequest(id=uuid7(), title="Help with a photo contest", requested_on=today, priority=2))
        s.add(CommunityRequest(id=uuid7(), title="Train our treasurer", requested_on=today - timedelta(days=3),
                               priority=1))
    return ids


@pytest.fixture
def page(qtbot, ui_context, world):
    widget = TodayPage(ui_context)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.overview is not None)
    return widget


def rows(section):
    tree = section.list
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())] if tree.isVisible() else []


def row(section, text):
    return next((item for item in rows(section) if item.text(0) == text), None)


def button(section, item, text):
    holder = section.list.itemWidget(item, section.list.columnCount() - 1)
    return next(b for b in holder.findChildren(QPushButton) if b.text() == text)


def test_overdue_action_is_shown_highlighted_with_its_days(page, world):
    item = row(page.actions, "Send the grant report")
    assert item is not None
    assert "3 days overdue" in item.text(2)
    assert item.text(1).startswith("Amina Yusuf") and "Fundraising" in item.text(1)
    assert item.font(0).bold()
    dark = page.palette().color(QPalette.ColorRole.Window).lightness() < 128
    assert item.foreground(0).color().name() == ("#ef9a9a" if dark else "#c62828")
    soon = row(page.actions, "Book the venue")
    assert soon is not None and "due in 2 days" in soon.text(2) and not soon.font(0).bold()
    assert row(page.actions, "Old and finished") is None
    assert [i.text(0) for i in rows(page.actions)] == ["Send the grant report", "Book the venue"]
    assert "1 overdue" in page.actions.title() and "1 due this week" in page.actions.title()


def test_marking_done_from_today_removes_it_and_the_database_keeps_it(qtbot, page, world, ui_context):
    item = row(page.actions, "Send the grant report")
    qtbot.mouseClick(button(page.actions, item, "Mark done"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row(page.actions, "Send the grant report") is None)
    assert page.undo_bar.isVisible() and "Send the grant report" in page.done_note.text()
    with ui_context.db.read() as s:
        kept = s.get(PlanAction, world["late"])
        assert (kept.status, kept.completed_on) == (ActionStatus.DONE, date.today())

    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row(page.actions, "Send the grant report") is not None)
    with ui_context.db.read() as s:
        kept = s.get(PlanAction, world["late"])
        assert (kept.status, kept.completed_on) == (ActionStatus.IN_PROGRESS, None)


def test_mentee_without_a_next_session_can_have_one_logged(qtbot, page, world, ui_context):
    names = [i.text(0) for i in rows(page.waiting)]
    assert names == ["Bola Ade", "Carlos Ruiz"]  # never seen first, then by the last session
    assert row(page.waiting, "Bola Ade").text(1) == "No session yet"
    assert row(page.waiting, "Carlos Ruiz").text(1).startswith("Last seen ")
    with qtbot.waitSignal(ui_context.navigator.session_log_requested) as signal:
        qtbot.mouseClick(button(page.waiting, row(page.waiting, "Bola Ade"), "Log a session"),
                         Qt.MouseButton.LeftButton)
    assert signal.args == [[world["waiting"]]]
    with qtbot.waitSignal(ui_context.navigator.mentee_requested) as signal:
        qtbot.mouseClick(button(page.waiting, row(page.waiting, "Carlos Ruiz"), "Open"), Qt.MouseButton.LeftButton)
    assert signal.args == [world["seen"]]


def test_funding_deadlines_within_sixty_days_only(page, world):
    assert [i.text(0) for i in rows(page.deadlines)] == [world["soon_program"]]
    assert "in 10 days" in row(page.deadlines, world["soon_program"]).text(2)


def test_requests_by_priority_and_enter_opens_the_requests_page(qtbot, page, ui_context):
    assert [i.text(0) for i in rows(page.requests)] == ["Train our treasurer", "Help with a photo contest"]
    assert row(page.requests, "Train our treasurer").text(2) == "Highest"
    tree = page.requests.list
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(1))
    with qtbot.waitSignal(ui_context.navigator.page_requested) as signal:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert signal.args == ["requests"]


def test_page_follows_changes_made_elsewhere(qtbot, page, ui_context):
    def add_request(s):
        s.add(CommunityRequest(id=uuid7(), title="Safety online", requested_on=date.today(), priority=1))

    ui_context.tasks.write(add_request)
    qtbot.waitUntil(lambda: row(page.requests, "Safety online") is not None)
    assert page.requests.title() == "Open community requests: 3"


def test_empty_sections_say_so(qtbot, ui_context):
    widget = TodayPage(ui_context)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.overview is not None)
    assert widget.actions.empty.isVisible() and "Well done" in widget.actions.empty.text()
    assert not widget.actions.list.isVisible()
    assert widget.waiting.empty.isVisible()


def test_waiting_mentees_are_the_longest_waiting_first(ui_context):
    now = datetime.now()
    with ui_context.db.write() as s:
        recent, old, never = _mentee(s, "Recent"), _mentee(s, "Old"), _mentee(s, "Never")
        _session(s, recent, now - timedelta(days=2))
        _session(s, old, now - timedelta(days=200))
        _session(s, old, now - timedelta(days=100))  # their last session, not the first
        gone = CoachingSession(id=uuid7(), started_at=now + timedelta(days=1), deleted=True)
        s.add(gone)
        s.flush()
        s.add(SessionParticipant(id=named_id(gone.id, recent), session_id=gone.id, mentee_id=recent))
    with ui_context.db.read() as s:
        waiting, total = waiting_mentees(s.connection(), now)
        first_two, _total = waiting_mentees(s.connection(), now, limit=2)
    assert [m.name for m in waiting] == ["Never", "Old", "Recent"]  # a removed session books nothing
    assert waiting[1].last_session.date() == (now - timedelta(days=100)).date()
    assert total == 3 and [m.name for m in first_two] == ["Never", "Old"]
