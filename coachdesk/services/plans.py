"""Capacity-building plans: listing them, reading one with its goals and actions, and changing them.

Status rules live here so every screen agrees: an action that becomes DONE is completed today;
one that leaves DONE is no longer completed. Open actions (to do, in progress, blocked) past
their due date are overdue. The lists that can grow with the database (plans, due actions)
are queried in SQL on SQLite rowids and indexes, with limits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _
from coachdesk.model import (
    LEVEL_MAX,
    LEVEL_MIN,
    OPEN_ACTION_STATUSES,
    ActionStatus,
    Capacity,
    FundingOpportunity,
    Mentee,
    Plan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    ToolboxMethod,
    uuid7,
)
from coachdesk.services.vocabulary import capacity_labels, label, method_labels
from coachdesk.store.search import escape_like

#: Plans still being worked on: what "active plans only" keeps.
LIVE_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.ACTIVE)
#: The order Ctrl+Right / Ctrl+Left walk through.
STATUS_FLOW = (ActionStatus.TODO, ActionStatus.IN_PROGRESS, ActionStatus.DONE)
#: Counts of due actions stop here: past it nobody reads the exact number, and counting
#: tens of thousands of rows through four joins would slow the Today page.
COUNT_CAP = 1000

_OPEN_SQL = "(" + ", ".join(f"'{s.value}'" for s in OPEN_ACTION_STATUSES) + ")"
_LIVE_PLAN_SQL = "(" + ", ".join(f"'{s.value}'" for s in LIVE_PLAN_STATUSES) + ")"


def step_status(status: ActionStatus, forward: bool) -> ActionStatus | None:
    """The next (or previous) status along to do → in progress → done; None at either end.

    Blocked stands beside "in progress": forward unblocks it, backward puts it back to do.
    Dropped comes back to "to do" going forward.
    """
    if status is ActionStatus.BLOCKED:
        return ActionStatus.IN_PROGRESS if forward else ActionStatus.TODO
    if status is ActionStatus.DROPPED:
        return ActionStatus.TODO if forward else None
    position = STATUS_FLOW.index(status) + (1 if forward else -1)
    return STATUS_FLOW[position] if 0 <= position < len(STATUS_FLOW) else None


def is_overdue(status: ActionStatus, due_on: date | None, today: date) -> bool:
    return due_on is not None and due_on < today and status in OPEN_ACTION_STATUSES


# -- the list of plans ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    rowid: int
    id: uuid.UUID
    mentee_id: uuid.UUID
    mentee_name: str
    title: str
    status: PlanStatus
    status_label: str
    open_actions: int
    overdue_actions: int


def plan_keys(connection: Connection, text: str = "", active_only: bool = True) -> list[int]:
    """Rowids of the plans that match, by mentee name then title.

    ``text`` matches the mentee's name or the plan's title, anywhere. ``active_only`` keeps
    draft and active plans of mentees who are not archived.
    """
    clauses = ["p.deleted = 0", "m.deleted = 0"]
    params: dict[str, object] = {}
    if active_only:
        clauses += [f"p.status IN {_LIVE_PLAN_SQL}", "m.archived = 0"]
    if text.strip():
        params["text"] = f"%{escape_like(text.strip())}%"
        clauses.append("(m.name LIKE :text ESCAPE '\\' OR p.title LIKE :text ESCAPE '\\')")
    # Plans first, mentees by id: the other way round walks every mentee (four times slower at 50k).
    sql = (f"SELECT p.rowid FROM plan p CROSS JOIN mentee m ON m.id = p.mentee_id WHERE {' AND '.join(clauses)} "
           "ORDER BY m.name COLLATE NOCASE, p.title COLLATE NOCASE, p.rowid")
    return [r[0] for r in connection.exec_driver_sql(sql, params)]


def plan_rows(connection: Connection, rowids: Sequence[int], today: date | None = None) -> dict[int, PlanSummary]:
    """The summaries of the plans with ``rowids`` (plans removed since are left out)."""
    if not rowids:
        return {}
    today = today or date.today()
    marks = ",".join("?" * len(rowids))
    sql = (
        "SELECT p.rowid, p.id, m.id, m.name, p.title, p.status, "
        f" (SELECT count(*) FROM plan_goal g JOIN plan_action a ON a.goal_id = g.id WHERE g.plan_id = p.id "
        f"  AND g.deleted = 0 AND a.deleted = 0 AND a.status IN {_OPEN_SQL}), "
        f" (SELECT count(*) FROM plan_goal g JOIN plan_action a ON a.goal_id = g.id WHERE g.plan_id = p.id "
        f"  AND g.deleted = 0 AND a.deleted = 0 AND a.status IN {_OPEN_SQL} AND a.due_on < ?) "
        f"FROM plan p JOIN mentee m ON m.id = p.mentee_id WHERE p.deleted = 0 AND p.rowid IN ({marks})"
    )
    rows = {}
    for rowid, pid, mid, name, title, status, open_count, overdue in connection.exec_driver_sql(
        sql, (today.isoformat(), *rowids)
    ):
        plan_status = PlanStatus(status)
        rows[rowid] = PlanSummary(rowid, uuid.UUID(bytes=pid), uuid.UUID(bytes=mid), name, title, plan_status,
                                  label(plan_status), open_count, overdue)
    return rows


def plan_rowid(connection: Connection, plan_id: uuid.UUID) -> int | None:
    """The rowid the plan list knows a plan by."""
    return connection.exec_driver_sql("SELECT rowid FROM plan WHERE id = ?", (plan_id.bytes,)).scalar()


def list_plans(session: Session, text: str = "", active_only: bool = True) -> list[PlanSummary]:
    """Every plan that matches, as :func:`plan_keys` orders them."""
    connection = session.connection()
    keys = plan_keys(connection, text, active_only)
    rows = plan_rows(connection, keys)
    return [rows[k] for k in keys if k in rows]


# -- one plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionView:
    id: uuid.UUID
    goal_id: uuid.UUID
    description: str
    method_id: uuid.UUID | None
    method_label: str
    owner: str
    due_on: date | None
    status: ActionStatus
    status_label: str
    completed_on: date | None
    funding_id: uuid.UUID | None
    funding_program: str
    overdue: bool


@dataclass(frozen=True)
class GoalView:
    id: uuid.UUID
    capacity_id: uuid.UUID | None
    capacity_label: str
    description: str
    target_level: int | None
    actions: list[ActionView] = field(default_factory=list)


@dataclass(frozen=True)
class PlanDetail:
    id: uuid.UUID
    mentee_id: uuid.UUID
    mentee_name: str
    title: str
    status: PlanStatus
    status_label: str
    created_on: date
    review_on: date | None
    goals: list[GoalView] = field(default_factory=list)

    def action(self, action_id: uuid.UUID) -> ActionView | None:
        return next((a for g in self.goals for a in g.actions if a.id == action_id), None)


def plan_detail(session: Session, plan_id: uuid.UUID, today: date | None = None) -> PlanDetail:
    """A plan with its live goals and actions, in order, with every label translated."""
    today = today or date.today()
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted:
        raise InputError(_("This plan no longer exists; it may have been removed on another device."))
    mentee = session.get(Mentee, plan.mentee_id)
    capacities = capacity_labels(session)
    methods = method_labels(session)
    programs = {fid: name for fid, name in session.execute(select(FundingOpportunity.id, FundingOpportunity.program))}
    goals = list(session.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan_id, PlanGoal.deleted.is_(False))
                                 .order_by(PlanGoal.position, PlanGoal.id)))
    actions: dict[uuid.UUID, list[ActionView]] = {g.id: [] for g in goals}
    if goals:
        query = (select(PlanAction).where(PlanAction.goal_id.in_(list(actions)), PlanAction.deleted.is_(False))
                 .order_by(PlanAction.position, PlanAction.id))
        for a in session.scalars(query):
            actions[a.goal_id].append(ActionView(
                a.id, a.goal_id, a.description, a.method_id, methods.get(a.method_id, "") if a.method_id else "",
                a.owner, a.due_on, a.status, label(a.status), a.completed_on, a.funding_id,
                programs.get(a.funding_id, "") if a.funding_id else "", is_overdue(a.status, a.due_on, today)))
    return PlanDetail(
        plan.id, plan.mentee_id, mentee.name if mentee else "", plan.title, plan.status, label(plan.status),
        plan.created_on, plan.review_on,
        [GoalView(g.id, g.capacity_id, capacities.get(g.capacity_id, "") if g.capacity_id else "", g.description,
                  g.target_level, actions[g.id]) for g in goals])


# -- changing plans ---------------------------------------------------------------------------


@dataclass
class GoalForm:
    """What the goal form edits; ``id`` is None for a new goal."""

    plan_id: uuid.UUID
    description: str
    capacity_id: uuid.UUID | None = None
    target_level: int | None = None
    id: uuid.UUID | None = None


@dataclass
class ActionForm:
    """What the action form edits; ``id`` is None for a new action."""

    goal_id: uuid.UUID
    description: str
    method_id: uuid.UUID | None = None
    owner: str = ""
    due_on: date | None = None
    status: ActionStatus = ActionStatus.TODO
    funding_id: uuid.UUID | None = None
    id: uuid.UUID | None = None


def _live(session: Session, cls: type, row_id: uuid.UUID | None, gone: str):  # type: ignore[no-untyped-def]
    row = session.get(cls, row_id) if row_id is not None else None
    if row is None or row.deleted:
        raise InputError(gone)
    return row


def _plan_gone() -> str:
    return _("This plan no longer exists; it may have been removed on another device.")


def _goal_gone() -> str:
    return _("This goal no longer exists; it may have been removed on another device.")


def _action_gone() -> str:
    return _("This action no longer exists; it may have been removed on another device.")


def add_plan(session: Session, mentee_id: uuid.UUID, title: str, today: date | None = None,
             status: PlanStatus = PlanStatus.ACTIVE) -> uuid.UUID:
    """Start a plan for a mentee (inside the caller's write transaction); returns its id."""
    title = " ".join(title.split())
    if not title:
        raise InputError(_("Give the plan a title."))
    if len(title) > 200:
        raise InputError(_("The title is longer than 200 characters."))
    _live(session, Mentee, mentee_id, _("This mentee no longer exists; it may have been removed on another device."))
    plan = Plan(id=uuid7(), mentee_id=mentee_id, title=title, status=status, created_on=today or date.today(),
                review_on=None, assessment_id=None)
    session.add(plan)
    session.flush()
    return plan.id


def set_plan_status(session: Session, plan_id: uuid.UUID, status: PlanStatus) -> None:
    plan = _live(session, Plan, plan_id, _plan_gone())
    if plan.status != status:
        plan.status = PlanStatus(status)


def save_goal(session: Session, form: GoalForm) -> uuid.UUID:
    """Add or update a goal; a new goal goes after the plan's others."""
    description = form.description.strip()
    if not description and form.capacity_id is None:
        raise InputError(_("Describe the goal or choose the capacity it builds."))
    if form.target_level is not None and not LEVEL_MIN <= form.target_level <= LEVEL_MAX:
        raise InputError(_("The target level must be between {low} and {high}.").format(low=LEVEL_MIN, high=LEVEL_MAX))
    if form.capacity_id is not None:
        _live(session, Capacity, form.capacity_id, _("This capacity is no longer in the taxonomy."))
    _live(session, Plan, form.plan_id, _plan_gone())
    values = {"description": description, "capacity_id": form.capacity_id, "target_level": form.target_level}
    if form.id is None:
        last = session.scalar(select(func.max(PlanGoal.position)).where(PlanGoal.plan_id == form.plan_id))
        goal = PlanGoal(id=uuid7(), plan_id=form.plan_id, position=(last or 0) + 1, **values)
        session.add(goal)
        session.flush()
        return goal.id
    goal = _live(session, PlanGoal, form.id, _goal_gone())
    for key, value in values.items():
        if getattr(goal, key) != value:
            setattr(goal, key, value)
    return goal.id


def _apply_status(action: PlanAction, status: ActionStatus, today: date) -> None:
    status = ActionStatus(status)
    if action.status != status:
        action.status = status
    if status is ActionStatus.DONE:
        if action.completed_on is None:
            action.completed_on = today
    elif action.completed_on is not None:
        action.completed_on = None


def save_action(session: Session, form: ActionForm, today: date | None = None) -> uuid.UUID:
    """Add or update an action; a new action goes after its goal's others."""
    description = form.description.strip()
    if not description:
        raise InputError(_("Describe the action."))
    if len(form.owner) > 200:
        raise InputError(_("The owner is longer than 200 characters."))
    _live(session, PlanGoal, form.goal_id, _goal_gone())
    if form.method_id is not None:
        _live(session, ToolboxMethod, form.method_id, _("This method is no longer in the toolbox."))
    if form.funding_id is not None:
        _live(session, FundingOpportunity, form.funding_id, _("This funding opportunity is no longer listed."))
    values = {"goal_id": form.goal_id, "description": description, "method_id": form.method_id,
              "owner": form.owner.strip(), "due_on": form.due_on, "funding_id": form.funding_id}
    if form.id is None:
        last = session.scalar(select(func.max(PlanAction.position)).where(PlanAction.goal_id == form.goal_id))
        action = PlanAction(id=uuid7(), position=(last or 0) + 1, status=ActionStatus(form.status), completed_on=None,
                            owner_coach_id=None, **values)
        _apply_status(action, form.status, today or date.today())
        session.add(action)
        session.flush()
        return action.id
    action = _live(session, PlanAction, form.id, _action_gone())
    for key, value in values.items():
        if getattr(action, key) != value:
            setattr(action, key, value)
    _apply_status(action, form.status, today or date.today())
    return action.id


def set_action_status(session: Session, action_id: uuid.UUID, status: ActionStatus,
                      today: date | None = None) -> ActionStatus:
    """Move an action to ``status``; returns the status it had (for undo)."""
    action = _live(session, PlanAction, action_id, _action_gone())
    previous = action.status
    _apply_status(action, status, today or date.today())
    return previous


def remove_action(session: Session, action_id: uuid.UUID) -> None:
    """Tombstone an action, so the removal travels to other devices."""
    action = _live(session, PlanAction, action_id, _action_gone())
    action.deleted = True


def remove_goal(session: Session, goal_id: uuid.UUID) -> int:
    """Tombstone a goal and its actions; returns how many actions went with it."""
    goal = _live(session, PlanGoal, goal_id, _goal_gone())
    goal.deleted = True
    actions = list(session.scalars(select(PlanAction).where(PlanAction.goal_id == goal_id,
                                                            PlanAction.deleted.is_(False))))
    for action in actions:
        action.deleted = True
    return len(actions)


def load_goal_form(session: Session, goal_id: uuid.UUID) -> GoalForm:
    goal = _live(session, PlanGoal, goal_id, _goal_gone())
    return GoalForm(goal.plan_id, goal.description, goal.capacity_id, goal.target_level, goal.id)


def load_action_form(session: Session, action_id: uuid.UUID) -> ActionForm:
    a = _live(session, PlanAction, action_id, _action_gone())
    return ActionForm(a.goal_id, a.description, a.method_id, a.owner, a.due_on, a.status, a.funding_id, a.id)


# -- what is due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueAction:
    id: uuid.UUID
    description: str
    mentee_id: uuid.UUID
    mentee_name: str
    plan_id: uuid.UUID
    capacity_label: str
    due_on: date
    status: ActionStatus
    status_label: str
    #: Days past the due date: positive when overdue, 0 when due today, negative when still ahead.
    days_overdue: int


@dataclass(frozen=True)
class DueActions:
    overdue: list[DueAction]
    due_soon: list[DueAction]
    #: How many there are in all, counted up to :data:`COUNT_CAP`.
    overdue_total: int
    due_soon_total: int

    @property
    def overdue_capped(self) -> bool:
        return self.overdue_total >= COUNT_CAP

    @property
    def due_soon_capped(self) -> bool:
        return self.due_soon_total >= COUNT_CAP


# Open actions of live plans (draft or active) of live, unarchived mentees. CROSS JOIN and the
# unary + keep SQLite on the due-date index, walked in order: the status index would make it
# read every open action before sorting.
_DUE_FROM = (
    "FROM plan_action a CROSS JOIN plan_goal g ON g.id = a.goal_id CROSS JOIN plan p ON p.id = g.plan_id "
    "CROSS JOIN mentee m ON m.id = p.mentee_id "
    f"WHERE a.deleted = 0 AND +a.status IN {_OPEN_SQL} AND {{range}} AND g.deleted = 0 AND p.deleted = 0 "
    f"AND p.status IN {_LIVE_PLAN_SQL} AND m.deleted = 0 AND m.archived = 0"
)


def _due(connection: Connection, date_range: str, params: dict[str, str], limit: int, today: date,
         capacities: dict[uuid.UUID, str]) -> tuple[list[DueAction], int]:
    where = _DUE_FROM.format(range=date_range)
    sql = (f"SELECT a.id, a.description, m.id, m.name, p.id, g.capacity_id, a.due_on, a.status {where} "
           "ORDER BY a.due_on, a.position, a.rowid LIMIT :limit")
    rows = []
    for aid, text, mid, name, pid, cap, due, status in connection.exec_driver_sql(sql, {**params, "limit": limit}):
        due_on = date.fromisoformat(due)
        state = ActionStatus(status)
        rows.append(DueAction(uuid.UUID(bytes=aid), text, uuid.UUID(bytes=mid), name, uuid.UUID(bytes=pid),
                              capacities.get(uuid.UUID(bytes=cap), "") if cap else "", due_on, state, label(state),
                              (today - due_on).days))
    if len(rows) < limit:
        return rows, len(rows)
    count = connection.exec_driver_sql(f"SELECT count(*) FROM (SELECT 1 {where} LIMIT :cap)",
                                       {**params, "cap": COUNT_CAP}).scalar_one()
    return rows, count


def overdue_and_due_soon(session: Session, today: date, days: int = 7, limit: int = 50) -> DueActions:
    """Open actions past their due date, and those due from today to ``days`` ahead, by due date.

    Each list holds at most ``limit`` actions; the totals say how many there are (up to :data:`COUNT_CAP`).
    """
    connection = session.connection()
    capacities = capacity_labels(session)
    overdue, overdue_total = _due(connection, "a.due_on < :today", {"today": today.isoformat()}, limit, today,
                                  capacities)
    soon, soon_total = _due(connection, "a.due_on >= :today AND a.due_on <= :until",
                            {"today": today.isoformat(), "until": (today + timedelta(days=days)).isoformat()},
                            limit, today, capacities)
    return DueActions(overdue, soon, overdue_total, soon_total)
