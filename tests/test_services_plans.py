"""Plans as the services keep them: status rules, what counts as overdue, tombstones, the plan list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from coachdesk.errors import InputError
from coachdesk.model import (
    ActionStatus,
    Capacity,
    Mentee,
    Plan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    ToolboxMethod,
    uuid7,
)
from coachdesk.services.plans import (
    ActionForm,
    GoalForm,
    add_plan,
    list_plans,
    overdue_and_due_soon,
    plan_detail,
    remove_action,
    remove_goal,
    save_action,
    save_goal,
    set_action_status,
    step_status,
)

TODAY = date(2026, 3, 10)


def make_plan(db, name="Amina Yusuf", status=PlanStatus.ACTIVE, archived=False, title="Fundraising plan"):
    """A mentee with one plan and one goal on the first capacity; returns (mentee, plan, goal) ids."""
    with db.write() as s:
        capacity = s.scalars(select(Capacity).order_by(Capacity.key)).first()
        mentee = Mentee(id=uuid7(), name=name, archived=archived)
        s.add(mentee)
        s.flush()
        plan = Plan(id=uuid7(), mentee_id=mentee.id, title=title, status=status, created_on=TODAY)
        s.add(plan)
        s.flush()
        goal = PlanGoal(id=uuid7(), plan_id=plan.id, capacity_id=capacity.id, description="Raise money", position=0,
                        target_level=3)
        s.add(goal)
        return mentee.id, plan.id, goal.id


def add_action(db, goal_id, description, due_on, status=ActionStatus.TODO, deleted=False):
    with db.write() as s:
        action = PlanAction(id=uuid7(), goal_id=goal_id, description=description, due_on=due_on, status=status,
                            deleted=deleted, completed_on=TODAY if status is ActionStatus.DONE else None)
        s.add(action)
        return action.id


def action(db, action_id):
    with db.read() as s:
        return s.get(PlanAction, action_id)


def test_status_steps_follow_to_do_in_progress_done():
    assert step_status(ActionStatus.TODO, True) is ActionStatus.IN_PROGRESS
    assert step_status(ActionStatus.IN_PROGRESS, True) is ActionStatus.DONE
    assert step_status(ActionStatus.DONE, True) is None
    assert step_status(ActionStatus.DONE, False) is ActionStatus.IN_PROGRESS
    assert step_status(ActionStatus.TODO, False) is None
    assert step_status(ActionStatus.BLOCKED, True) is ActionStatus.IN_PROGRESS
    assert step_status(ActionStatus.BLOCKED, False) is ActionStatus.TODO
    assert step_status(ActionStatus.DROPPED, True) is ActionStatus.TODO


def test_done_sets_completed_on_and_leaving_done_clears_it(db):
    _m, _p, goal = make_plan(db)
    aid = add_action(db, goal, "Write the grant report", TODAY - timedelta(days=2))
    with db.write() as s:
        assert set_action_status(s, aid, ActionStatus.DONE, TODAY) is ActionStatus.TODO
    kept = action(db, aid)
    assert (kept.status, kept.completed_on) == (ActionStatus.DONE, TODAY)
    with db.write() as s:  # done again later: the day it was first completed stays
        set_action_status(s, aid, ActionStatus.DONE, TODAY + timedelta(days=5))
    assert action(db, aid).completed_on == TODAY
    with db.write() as s:
        assert set_action_status(s, aid, ActionStatus.IN_PROGRESS, TODAY) is ActionStatus.DONE
    kept = action(db, aid)
    assert (kept.status, kept.completed_on) == (ActionStatus.IN_PROGRESS, None)


def test_status_of_a_removed_action_is_refused(db):
    _m, _p, goal = make_plan(db)
    aid = add_action(db, goal, "Gone", TODAY, deleted=True)
    with db.write() as s, pytest.raises(InputError, match="no longer exists"):
        set_action_status(s, aid, ActionStatus.DONE, TODAY)


def test_overdue_counts_open_statuses_only_and_skips_tombstones(db):
    _m, _p, goal = make_plan(db)
    late = TODAY - timedelta(days=3)
    todo = add_action(db, goal, "To do, late", late)
    doing = add_action(db, goal, "In progress, later", late - timedelta(days=4), ActionStatus.IN_PROGRESS)
    blocked = add_action(db, goal, "Blocked, late", late, ActionStatus.BLOCKED)
    add_action(db, goal, "Done, late", late, ActionStatus.DONE)
    add_action(db, goal, "Dropped, late", late, ActionStatus.DROPPED)
    add_action(db, goal, "Removed, late", late, deleted=True)
    today_id = add_action(db, goal, "Due today", TODAY)
    week = add_action(db, goal, "Due in seven days", TODAY + timedelta(days=7))
    add_action(db, goal, "Due in eight days", TODAY + timedelta(days=8))
    add_action(db, goal, "No date", None)

    with db.read() as s:
        due = overdue_and_due_soon(s, TODAY)
    assert [a.id for a in due.overdue] == [doing, todo, blocked]  # oldest due date first
    assert [a.days_overdue for a in due.overdue] == [7, 3, 3]
    assert [a.id for a in due.due_soon] == [today_id, week]
    assert [a.days_overdue for a in due.due_soon] == [0, -7]
    assert (due.overdue_total, due.due_soon_total) == (3, 2)
    first = due.overdue[0]
    assert first.mentee_name == "Amina Yusuf"
    assert first.capacity_label and "_" not in first.capacity_label  # a translated label, not the key
    assert first.status_label == "In progress"


def test_overdue_leaves_out_removed_goals_finished_plans_and_archived_mentees(db):
    late = TODAY - timedelta(days=1)
    _m, _p, live_goal = make_plan(db, "Live")
    kept = add_action(db, live_goal, "Counts", late)
    _m, _p, removed_goal = make_plan(db, "Removed goal")
    add_action(db, removed_goal, "Goal removed", late)
    with db.write() as s:
        remove_goal(s, removed_goal)
    _m, _p, done_goal = make_plan(db, "Finished plan", status=PlanStatus.COMPLETED)
    add_action(db, done_goal, "Plan completed", late)
    _m, _p, archived_goal = make_plan(db, "Archived", archived=True)
    add_action(db, archived_goal, "Mentee archived", late)
    with db.read() as s:
        due = overdue_and_due_soon(s, TODAY)
    assert [a.id for a in due.overdue] == [kept]


def test_overdue_lists_are_limited_and_totals_say_how_many(db):
    _m, _p, goal = make_plan(db)
    for day in range(5):
        add_action(db, goal, f"Late {day}", TODAY - timedelta(days=10 - day))
    with db.read() as s:
        due = overdue_and_due_soon(s, TODAY, limit=2)
    assert [a.description for a in due.overdue] == ["Late 0", "Late 1"]
    assert due.overdue_total == 5 and not due.overdue_capped


def test_plan_detail_resolves_labels_and_marks_overdue(db):
    _m, plan, goal = make_plan(db)
    with db.read() as s:
        method = s.scalars(select(ToolboxMethod).where(ToolboxMethod.key == "training")).one()
    with db.write() as s:
        late = save_action(s, ActionForm(goal, "Run a training", method_id=method.id, owner="Board",
                                         due_on=TODAY - timedelta(days=1)), TODAY)
        done = save_action(s, ActionForm(goal, "Already done", due_on=TODAY - timedelta(days=1),
                                         status=ActionStatus.DONE), TODAY)
        gone = save_action(s, ActionForm(goal, "Removed", due_on=TODAY), TODAY)
        remove_action(s, gone)
    with db.read() as s:
        detail = plan_detail(s, plan, TODAY)
        assert s.get(PlanAction, gone).deleted is True  # a tombstone: the row stays
    assert detail.title == "Fundraising plan" and detail.mentee_name == "Amina Yusuf"
    (only_goal,) = detail.goals
    assert only_goal.target_level == 3 and only_goal.capacity_label
    assert [a.description for a in only_goal.actions] == ["Run a training", "Already done"]
    first, second = only_goal.actions
    assert first.id == late and first.overdue and first.method_label == "Training" and first.owner == "Board"
    assert second.id == done and not second.overdue and second.completed_on == TODAY


def test_save_action_checks_what_it_is_given_and_edits_in_place(db):
    _m, _p, goal = make_plan(db)
    with db.write() as s, pytest.raises(InputError, match="Describe the action"):
        save_action(s, ActionForm(goal, "   "), TODAY)
    with db.write() as s, pytest.raises(InputError, match="goal no longer exists"):
        save_action(s, ActionForm(uuid7(), "Orphan"), TODAY)
    with db.write() as s:
        aid = save_action(s, ActionForm(goal, " Book the venue ", due_on=TODAY), TODAY)
    with db.write() as s:
        save_action(s, ActionForm(goal, "Book the library hall", owner="Karim", status=ActionStatus.DONE, id=aid),
                    TODAY)
    kept = action(db, aid)
    assert (kept.description, kept.owner, kept.status, kept.completed_on) == (
        "Book the library hall", "Karim", ActionStatus.DONE, TODAY)


def test_goals_go_after_the_others_and_targets_stay_on_the_scale(db):
    _m, plan, first = make_plan(db)
    with db.write() as s:
        second = save_goal(s, GoalForm(plan, "Keep volunteers", target_level=4))
    with db.read() as s:
        positions = {g.id: g.position for g in s.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan))}
    assert positions[second] > positions[first]
    with db.write() as s, pytest.raises(InputError, match="between 1 and 5"):
        save_goal(s, GoalForm(plan, "Too high", target_level=6))
    with db.write() as s, pytest.raises(InputError):
        save_goal(s, GoalForm(plan, ""))


def test_removing_a_goal_tombstones_its_actions(db):
    _m, plan, goal = make_plan(db)
    aid = add_action(db, goal, "Goes with the goal", TODAY)
    with db.write() as s:
        assert remove_goal(s, goal) == 1
    with db.read() as s:
        assert s.get(PlanGoal, goal).deleted and s.get(PlanAction, aid).deleted
        assert plan_detail(s, plan, TODAY).goals == []


def test_plan_list_filters_by_text_and_by_active(db):
    make_plan(db, "Amina Yusuf", title="Fundraising plan")
    make_plan(db, "Bola Ade", status=PlanStatus.COMPLETED, title="Outreach plan")
    make_plan(db, "Carlos Ruiz", status=PlanStatus.DRAFT, title="Legal plan")
    with db.read() as s:
        assert [p.mentee_name for p in list_plans(s)] == ["Amina Yusuf", "Carlos Ruiz"]
        assert [p.mentee_name for p in list_plans(s, active_only=False)] == ["Amina Yusuf", "Bola Ade", "Carlos Ruiz"]
        assert [p.title for p in list_plans(s, "outreach", active_only=False)] == ["Outreach plan"]
        assert [p.mentee_name for p in list_plans(s, "carl")] == ["Carlos Ruiz"]
        assert list_plans(s, "100%") == []  # LIKE wildcards are taken literally


def test_add_plan_needs_a_title_and_a_live_mentee(db):
    mentee, _p, _g = make_plan(db)
    with db.write() as s, pytest.raises(InputError, match="title"):
        add_plan(s, mentee, "  ")
    with db.write() as s, pytest.raises(InputError, match="mentee no longer exists"):
        add_plan(s, uuid7(), "Plan")
    with db.write() as s:
        pid = add_plan(s, mentee, "  Second   plan ", TODAY)
    with db.read() as s:
        plan = s.get(Plan, pid)
        assert (plan.title, plan.status, plan.created_on) == ("Second plan", PlanStatus.ACTIVE, TODAY)
