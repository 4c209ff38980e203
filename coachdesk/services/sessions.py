"""Sessions: logging one with its participants, capacities, new mentees and follow-up plan actions in one
write; editing and removing it; what the session dialog offers. The list itself lives in ``session_list``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _, current_language
from coachdesk.model import (
    ActionStatus,
    Capacity,
    CapacityArea,
    CoachingSession,
    Community,
    Mentee,
    MenteeKind,
    Plan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    SessionCapacity,
    SessionKind,
    SessionParticipant,
    ToolboxMethod,
    named_id,
    uuid7,
)
from coachdesk.services import vocabulary
from coachdesk.services.mentees import MenteeForm, save_mentee
from coachdesk.services.session_list import (  # noqa: F401 - the session list is part of this module's API
    MenteeSuggestion,
    SessionRow,
    mentee_suggestions,
    participants_summary,
    session_keys,
    session_rowid,
    session_rows,
)

MAX_MINUTES = 10080  # a week, as the table's CHECK constraint allows
DEFAULT_METHOD = {
    SessionKind.TRAINING: "training",
    SessionKind.COACHING: "mentoring_coaching",
    SessionKind.MENTORING: "mentoring_coaching",
    SessionKind.CONSULTATION: "consultation",
    SessionKind.VISIT: "onsite_assistance",
}
#: Offered after the participants' and the communities' languages.
COMMON_LANGUAGES = ("en", "fr", "es", "pt", "ar", "hi", "bn", "ur", "sw", "ha", "yo", "ig", "am", "id", "ru",
                    "zh", "de", "it", "tr", "fa")


def default_start(now: datetime | None = None) -> datetime:
    """Now, rounded down to five minutes: what people write on an attendance sheet."""
    now = now or datetime.now()
    return now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)


# -- the form ---------------------------------------------------------------------------------


@dataclass
class Participant:
    name: str
    mentee_id: uuid.UUID | None = None  # None: a new mentee, added when the session is saved


@dataclass
class NextStep:
    text: str
    make_action: bool = False
    due_on: date | None = None
    goal_id: uuid.UUID | None = None  # None: a new goal (in a new plan when the mentee has none)


@dataclass
class SessionForm:
    """What the session dialog edits; ``id`` is None for a new session."""

    kind: SessionKind = SessionKind.COACHING
    started_at: datetime = field(default_factory=default_start)
    duration_minutes: int = 60
    participants: list[Participant] = field(default_factory=list)
    capacity_ids: list[uuid.UUID] = field(default_factory=list)
    method_id: uuid.UUID | None = None
    language: str = ""
    location: str = ""
    notes: str = ""
    next_steps: list[NextStep] = field(default_factory=list)
    title: str = ""
    id: uuid.UUID | None = None

    def to_values(self) -> dict[str, Any]:
        """Plain JSON values (ids as text, dates as ISO strings), for drafts."""
        return {
            "kind": self.kind.value, "started_at": self.started_at.isoformat(timespec="minutes"),
            "duration_minutes": self.duration_minutes,
            "participants": [{"name": p.name, "mentee_id": str(p.mentee_id) if p.mentee_id else None}
                             for p in self.participants],
            "capacity_ids": [str(c) for c in self.capacity_ids],
            "method_id": str(self.method_id) if self.method_id else None,
            "language": self.language, "location": self.location, "notes": self.notes,
            "next_steps": [{"text": s.text, "make_action": s.make_action,
                            "due_on": s.due_on.isoformat() if s.due_on else None,
                            "goal_id": str(s.goal_id) if s.goal_id else None} for s in self.next_steps],
            "title": self.title, "id": str(self.id) if self.id else None,
        }

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> SessionForm:
        """The form back from :meth:`to_values`; a value that no longer parses falls back to its default."""
        form = cls()
        try:
            form.kind = SessionKind(values.get("kind", form.kind.value))
        except ValueError:
            pass
        form.started_at = _parsed(datetime.fromisoformat, values.get("started_at")) or form.started_at
        try:
            form.duration_minutes = int(values.get("duration_minutes", form.duration_minutes))
        except (TypeError, ValueError):
            pass
        form.participants = [Participant(str(p.get("name", "")), _parsed(uuid.UUID, p.get("mentee_id")))
                             for p in values.get("participants") or [] if isinstance(p, dict)]
        form.capacity_ids = [c for c in (_parsed(uuid.UUID, v) for v in values.get("capacity_ids") or []) if c]
        form.method_id = _parsed(uuid.UUID, values.get("method_id"))
        for name in ("language", "location", "notes", "title"):
            setattr(form, name, str(values.get(name) or ""))
        form.next_steps = [NextStep(str(s.get("text", "")), bool(s.get("make_action")),
                                    _parsed(date.fromisoformat, s.get("due_on")), _parsed(uuid.UUID, s.get("goal_id")))
                           for s in values.get("next_steps") or [] if isinstance(s, dict)]
        form.id = _parsed(uuid.UUID, values.get("id"))
        return form


def _parsed(parse: Any, value: Any) -> Any:
    if not value:
        return None
    try:
        return parse(str(value))
    except ValueError:
        return None


def validate(form: SessionForm, now: datetime | None = None) -> dict[str, str]:
    """Problems with ``form`` by field ("participants", "duration", "started_at", "next_steps")."""
    now = now or datetime.now()
    problems = {}
    if not [p for p in form.participants if p.mentee_id or p.name.strip()]:
        problems["participants"] = _("Add at least one participant.")
    if not 0 <= form.duration_minutes <= MAX_MINUTES:
        problems["duration"] = _("The duration must be between 0 and {most} minutes (a week).").format(
            most=MAX_MINUTES)
    if form.started_at > now + timedelta(days=366):
        problems["started_at"] = _("The date is more than a year ahead; check the year.")
    if any(s.make_action and not s.text.strip() for s in form.next_steps):
        problems["next_steps"] = _("A next step that becomes a plan action needs a text.")
    return problems


# -- writing ----------------------------------------------------------------------------------


def log_session(session: Session, form: SessionForm, coach_id: uuid.UUID | None = None) -> uuid.UUID:
    """Add the session in ``form`` with everything it brings, inside the caller's write transaction."""
    _refuse_invalid(form)
    mentee_ids = _participant_ids(session, form)
    row = CoachingSession(id=uuid7(), coach_id=coach_id, private_notes="")
    _apply(session, row, form, mentee_ids)
    session.add(row)
    session.flush()
    _set_links(session, SessionParticipant, row.id, "mentee_id", mentee_ids)
    _set_links(session, SessionCapacity, row.id, "capacity_id", form.capacity_ids)
    _add_actions(session, form, mentee_ids, coach_id)
    return row.id


def update_session(session: Session, session_id: uuid.UUID, form: SessionForm,
                   coach_id: uuid.UUID | None = None) -> uuid.UUID:
    """Change a logged session to match ``form``; ticked next steps become new plan actions."""
    _refuse_invalid(form)
    row = session.get(CoachingSession, session_id)
    if row is None or row.deleted:
        raise InputError(_("This session no longer exists; it may have been removed on another device."))
    mentee_ids = _participant_ids(session, form)
    old_title = _title(session, row.kind, _live_capacities(session, session_id)[:1],
                       _live_participants(session, session_id))
    _apply(session, row, form, mentee_ids, keep_title=row.title != old_title)
    _set_links(session, SessionParticipant, row.id, "mentee_id", mentee_ids)
    _set_links(session, SessionCapacity, row.id, "capacity_id", form.capacity_ids)
    _add_actions(session, form, mentee_ids, coach_id)
    return row.id


def remove_session(session: Session, session_id: uuid.UUID) -> None:
    """Tombstone the session and its links, so the removal travels to other devices."""
    row = session.get(CoachingSession, session_id)
    if row is None:
        raise InputError(_("No session has the id {id}.").format(id=session_id))
    row.deleted = True
    for cls in (SessionParticipant, SessionCapacity):
        for link in session.scalars(select(cls).where(cls.session_id == session_id, cls.deleted.is_(False))):
            link.deleted = True


def _refuse_invalid(form: SessionForm) -> None:
    problems = validate(form)
    if problems:
        raise InputError(" ".join(problems.values()))


def _apply(session: Session, row: CoachingSession, form: SessionForm, mentee_ids: list[uuid.UUID],
           keep_title: bool = False) -> None:
    steps = "\n".join(s.text.strip() for s in form.next_steps if s.text.strip())
    title = form.title.strip() if keep_title or form.id is None else ""
    if not title:
        title = _title(session, form.kind, form.capacity_ids[:1], mentee_ids)
    values = {"kind": form.kind, "title": title[:200], "started_at": form.started_at,
              "duration_minutes": form.duration_minutes, "location": form.location.strip()[:200],
              "method_id": form.method_id, "language": form.language, "notes": form.notes, "next_steps": steps}
    for key, value in values.items():
        if getattr(row, key, None) != value:
            setattr(row, key, value)


def _title(session: Session, kind: SessionKind, capacity_ids: Sequence[uuid.UUID],
           mentee_ids: Sequence[uuid.UUID]) -> str:
    """A title made from the kind and the first capacity (or the participants), in the active language."""
    if capacity_ids:
        capacity = vocabulary.capacity_labels(session).get(capacity_ids[0], "")
        return _("{kind}: {capacity}").format(kind=vocabulary.label(kind), capacity=capacity)
    names = sorted(session.scalars(select(Mentee.name).where(Mentee.id.in_(list(mentee_ids)))), key=str.casefold)
    if not names:
        return vocabulary.label(kind)
    return _("{kind} with {people}").format(kind=vocabulary.label(kind),
                                            people=participants_summary(names[0], len(names)))


def _participant_ids(session: Session, form: SessionForm) -> list[uuid.UUID]:
    """Existing participants checked, new ones added as Person mentees (one per distinct name)."""
    ids: list[uuid.UUID] = []
    added: dict[str, uuid.UUID] = {}
    for person in form.participants:
        if person.mentee_id is not None:
            mentee = session.get(Mentee, person.mentee_id)
            if mentee is None or mentee.deleted:
                raise InputError(_("“{name}” is no longer a mentee; remove them from the participants.").format(
                    name=person.name))
            mentee_id = mentee.id
        else:
            name = " ".join(person.name.split())
            if not name:
                continue
            key = name.casefold()
            if key not in added:
                languages = [form.language] if form.language else []
                added[key] = save_mentee(session, MenteeForm(name=name, kind=MenteeKind.PERSON, languages=languages))
            mentee_id = added[key]
        if mentee_id not in ids:
            ids.append(mentee_id)
    return ids


def _set_links(session: Session, cls: type[SessionParticipant] | type[SessionCapacity], session_id: uuid.UUID,
               column: str, wanted: Sequence[uuid.UUID]) -> None:
    """Make the live links of ``session_id`` exactly ``wanted``: add, revive or tombstone."""
    links = session.scalars(select(cls).where(cls.session_id == session_id))
    existing = {getattr(link, column): link for link in links}
    for other in dict.fromkeys(wanted):
        link = existing.get(other)
        if link is None:
            session.add(cls(id=named_id(session_id, other), session_id=session_id, deleted=False, **{column: other}))
        elif link.deleted:
            link.deleted = False
    for other, link in existing.items():
        if other not in wanted and not link.deleted:
            link.deleted = True


def _live_participants(session: Session, session_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.scalars(select(SessionParticipant.mentee_id).where(
        SessionParticipant.session_id == session_id, SessionParticipant.deleted.is_(False))))


def _live_capacities(session: Session, session_id: uuid.UUID) -> list[uuid.UUID]:
    rows = session.execute(
        select(SessionCapacity.capacity_id).join(Capacity, Capacity.id == SessionCapacity.capacity_id)
        .join(CapacityArea, CapacityArea.id == Capacity.area_id)
        .where(SessionCapacity.session_id == session_id, SessionCapacity.deleted.is_(False))
        .order_by(CapacityArea.position, Capacity.position))
    return [r[0] for r in rows]


# -- next steps that become plan actions --------------------------------------------------------


@dataclass(frozen=True)
class GoalChoice:
    goal_id: uuid.UUID
    plan_id: uuid.UUID
    plan_title: str
    label: str  # the goal's capacity (or its description when it has none)
    capacity_id: uuid.UUID | None


def _current_plan(session: Session, mentee_id: uuid.UUID) -> Plan | None:
    """The plan follow-ups go into: the newest active one, else the newest draft."""
    plans = session.scalars(select(Plan).where(Plan.mentee_id == mentee_id, Plan.deleted.is_(False),
                                               Plan.status.in_([PlanStatus.ACTIVE, PlanStatus.DRAFT])))
    ranked = sorted(plans, key=lambda p: (p.status is PlanStatus.ACTIVE, p.created_on), reverse=True)
    return ranked[0] if ranked else None


def plan_goals_for(session: Session, mentee_id: uuid.UUID) -> list[GoalChoice]:
    """The goals of the mentee's current plan, in order; empty when the mentee has no current plan."""
    plan = _current_plan(session, mentee_id)
    if plan is None:
        return []
    labels = vocabulary.capacity_labels(session)
    goals = session.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id, PlanGoal.deleted.is_(False))
                            .order_by(PlanGoal.position))
    return [GoalChoice(g.id, plan.id, plan.title,
                       labels.get(g.capacity_id, "") if g.capacity_id else (g.description or plan.title), g.capacity_id)
            for g in goals]


def _add_actions(session: Session, form: SessionForm, mentee_ids: list[uuid.UUID],
                 coach_id: uuid.UUID | None) -> None:
    steps = [s for s in form.next_steps if s.make_action and s.text.strip()]
    if not steps:
        return
    capacity_id = form.capacity_ids[0] if form.capacity_ids else None
    new_goals: dict[uuid.UUID, uuid.UUID] = {}
    for step in steps:
        for mentee_id in mentee_ids:
            goal_id = step.goal_id if len(mentee_ids) == 1 else None
            if goal_id is not None:
                goal = session.get(PlanGoal, goal_id)
                if goal is None or goal.deleted:
                    raise InputError(_("The plan goal chosen for “{step}” no longer exists; choose another.")
                                     .format(step=step.text.strip()))
            else:
                if mentee_id not in new_goals:
                    new_goals[mentee_id] = _goal_for(session, mentee_id, capacity_id, reuse=len(mentee_ids) > 1)
                goal_id = new_goals[mentee_id]
            position = session.scalar(select(func.count()).select_from(PlanAction).where(PlanAction.goal_id == goal_id))
            session.add(PlanAction(id=uuid7(), goal_id=goal_id, description=step.text.strip(), owner="",
                                   owner_coach_id=coach_id, due_on=step.due_on, status=ActionStatus.TODO,
                                   position=position or 0, deleted=False))
    session.flush()


def _goal_for(session: Session, mentee_id: uuid.UUID, capacity_id: uuid.UUID | None, reuse: bool) -> uuid.UUID:
    """A goal for follow-up actions: with ``reuse``, the current plan's goal for the capacity if it has one;
    otherwise a new goal, in a new "Capacity-building plan" when the mentee has no current plan."""
    plan = _current_plan(session, mentee_id)
    if plan is None:
        plan = Plan(id=uuid7(), mentee_id=mentee_id, title=_("Capacity-building plan"), status=PlanStatus.ACTIVE,
                    created_on=date.today(), deleted=False)
        session.add(plan)
        session.flush()
    elif reuse and capacity_id is not None:
        found = session.scalar(select(PlanGoal.id).where(PlanGoal.plan_id == plan.id, PlanGoal.deleted.is_(False),
                                                         PlanGoal.capacity_id == capacity_id))
        if found is not None:
            return found
    position = session.scalar(select(func.count()).select_from(PlanGoal).where(PlanGoal.plan_id == plan.id)) or 0
    description = (_("Build {capacity}").format(capacity=vocabulary.capacity_labels(session).get(capacity_id, ""))
                   if capacity_id else _("Follow up on our sessions"))
    goal = PlanGoal(id=uuid7(), plan_id=plan.id, capacity_id=capacity_id, description=description,
                    position=position, deleted=False)
    session.add(goal)
    session.flush()
    return goal.id


# -- reading one session, and what the dialog offers -------------------------------------------


@dataclass(frozen=True)
class SessionDetail:
    id: uuid.UUID
    kind: SessionKind
    title: str
    started_at: datetime
    duration_minutes: int
    location: str
    method: str  # translated label, "" when none
    language: str
    notes: str
    next_steps: str
    participants: list[tuple[uuid.UUID, str]]
    capacities: list[tuple[uuid.UUID, str]]


def session_detail(session: Session, session_id: uuid.UUID) -> SessionDetail | None:
    """Everything the detail pane shows; None when the session is gone."""
    row = session.get(CoachingSession, session_id)
    if row is None or row.deleted:
        return None
    names = {mid: name for mid, name in session.execute(select(Mentee.id, Mentee.name).where(
        Mentee.id.in_(_live_participants(session, session_id))))}
    participants = sorted(names.items(), key=lambda item: item[1].casefold())
    labels = vocabulary.capacity_labels(session)
    capacities = [(cid, labels.get(cid, "")) for cid in _live_capacities(session, session_id)]
    method = vocabulary.method_labels(session).get(row.method_id, "") if row.method_id else ""
    return SessionDetail(row.id, row.kind, row.title, row.started_at, row.duration_minutes, row.location, method,
                         row.language, row.notes, row.next_steps, participants, capacities)


def load_form(session: Session, session_id: uuid.UUID) -> SessionForm:
    """The form for editing a logged session; its next steps come back one per line, not yet actions."""
    row = session.get(CoachingSession, session_id)
    if row is None or row.deleted:
        raise InputError(_("This session no longer exists; it may have been removed on another device."))
    detail = session_detail(session, session_id)
    assert detail is not None
    return SessionForm(kind=row.kind, started_at=row.started_at, duration_minutes=row.duration_minutes,
                       participants=[Participant(name, mid) for mid, name in detail.participants],
                       capacity_ids=[cid for cid, _label in detail.capacities], method_id=row.method_id,
                       language=row.language, location=row.location, notes=row.notes,
                       next_steps=[NextStep(line.strip()) for line in row.next_steps.splitlines() if line.strip()],
                       title=row.title, id=row.id)


def participants_named(session: Session, mentee_ids: Sequence[uuid.UUID]) -> list[Participant]:
    """Live mentees among ``mentee_ids``, in the order given."""
    names = {mid: name for mid, name in session.execute(select(Mentee.id, Mentee.name).where(
        Mentee.id.in_(list(mentee_ids)), Mentee.deleted.is_(False)))}
    return [Participant(names[mid], mid) for mid in mentee_ids if mid in names]


@dataclass(frozen=True)
class CapacityGroup:
    area: str
    capacities: list[tuple[uuid.UUID, str]]


def capacity_groups(session: Session) -> list[CapacityGroup]:
    """Live capacities with their translated labels, grouped by area, in the taxonomy's order."""
    areas, labels = vocabulary.area_labels(session), vocabulary.capacity_labels(session)
    rows = session.execute(select(CapacityArea.id, Capacity.id).join(Capacity, Capacity.area_id == CapacityArea.id)
                           .where(Capacity.deleted.is_(False), CapacityArea.deleted.is_(False))
                           .order_by(CapacityArea.position, Capacity.position))
    groups: dict[uuid.UUID, CapacityGroup] = {}
    for area_id, capacity_id in rows:
        group = groups.setdefault(area_id, CapacityGroup(areas.get(area_id, ""), []))
        group.capacities.append((capacity_id, labels.get(capacity_id, "")))
    return list(groups.values())


def method_choices(session: Session) -> list[tuple[uuid.UUID, str, str]]:
    """(id, key, translated label) of the toolbox methods, in the toolbox's order."""
    labels = vocabulary.method_labels(session)
    rows = session.execute(select(ToolboxMethod.id, ToolboxMethod.key).where(ToolboxMethod.deleted.is_(False))
                           .order_by(ToolboxMethod.position))
    return [(mid, key, labels.get(mid, key)) for mid, key in rows]


def language_choices(session: Session, mentee_ids: Sequence[uuid.UUID]) -> tuple[list[str], str]:
    """Language codes to offer (the participants' first, most shared first, then the communities', then
    common ones) and the one the participants share most ("" when none is known)."""
    counted: dict[str, int] = {}
    for languages in session.scalars(select(Mentee.languages).where(Mentee.id.in_(list(mentee_ids)))):
        for code in languages or []:
            counted[code] = counted.get(code, 0) + 1
    ordered = sorted(counted, key=lambda c: -counted[c])
    spoken = ordered[0] if ordered else ""
    for languages in session.scalars(select(Community.languages).where(Community.deleted.is_(False))):
        ordered.extend(languages or [])
    ordered.extend([current_language().split("_")[0], *COMMON_LANGUAGES])
    return list(dict.fromkeys(code for code in ordered if code)), spoken
