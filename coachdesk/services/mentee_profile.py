"""One mentee's whole journey on one screen: profile, timeline, current plan and capacity radar.

Each section is read with one query however long the mentee's history, so the page opens
in a few milliseconds on a database of tens of thousands of mentees.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import Connection, and_, func, select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _
from coachdesk.model import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    Assessment,
    Capacity,
    CapacityArea,
    CapacityRating,
    Coach,
    CoachingSession,
    Community,
    JourneyStage,
    Mentee,
    MenteeKind,
    Plan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    SessionKind,
    SessionParticipant,
)
from coachdesk.services.vocabulary import capacity_labels


@dataclass(frozen=True)
class MenteeHeader:
    id: uuid.UUID
    name: str
    kind: MenteeKind
    community: str
    region: str
    languages: tuple[str, ...]
    journey_stage: JourneyStage
    archived: bool
    consent_given_on: date | None
    consent_given_by: str
    email: str
    phone: str
    coach: str
    #: The person's data was erased at their request: the name is a placeholder, details are empty.
    erased: bool = False


class TimelineKind(enum.StrEnum):
    SESSION = "session"
    ASSESSMENT = "assessment"
    PLAN_CREATED = "plan_created"
    ACTION_COMPLETED = "action_completed"


@dataclass(frozen=True)
class TimelineEntry:
    kind: TimelineKind
    ref_id: uuid.UUID
    #: When it happened; events known only by their day sit at the start of that day.
    when: datetime
    title: str
    session_kind: SessionKind | None = None
    duration_minutes: int | None = None
    rated: int = 0
    average_level: float | None = None


@dataclass(frozen=True)
class ActionSummary:
    id: uuid.UUID
    description: str
    status: ActionStatus
    owner: str
    due_on: date | None
    completed_on: date | None
    overdue: bool


@dataclass(frozen=True)
class GoalSummary:
    id: uuid.UUID
    capacity: str  # the capacity's label in the asked language; empty when the goal names none
    description: str
    target_level: int | None
    actions: tuple[ActionSummary, ...]


@dataclass(frozen=True)
class PlanSummary:
    id: uuid.UUID
    title: str
    status: PlanStatus
    created_on: date
    review_on: date | None
    goals: tuple[GoalSummary, ...]


@dataclass(frozen=True)
class RadarLevels:
    assessment_id: uuid.UUID
    assessed_on: date
    levels: tuple[int | None, ...]  # one per axis; None where this assessment did not rate it


@dataclass(frozen=True)
class RadarData:
    """The capacities rated in the latest assessment, and the latest and previous levels (oldest first)."""

    axes: tuple[str, ...] = ()
    series: tuple[RadarLevels, ...] = ()


@dataclass(frozen=True)
class MenteeProfile:
    header: MenteeHeader
    timeline: tuple[TimelineEntry, ...]  # newest first
    plan: PlanSummary | None
    radar: RadarData = field(default_factory=RadarData)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min)


def _header(session: Session, mentee_id: uuid.UUID) -> MenteeHeader:
    row = session.execute(
        select(Mentee.id, Mentee.name, Mentee.kind, Community.name, Mentee.region, Mentee.languages,
               Mentee.journey_stage, Mentee.archived, Mentee.consent_given_on, Mentee.consent_given_by,
               Mentee.email, Mentee.phone, Coach.name, Mentee.erased, Mentee.deleted)
        .outerjoin(Community, Community.id == Mentee.community_id)
        .outerjoin(Coach, Coach.id == Mentee.coach_id)
        .where(Mentee.id == mentee_id)
    ).first()
    if row is None or row[-1]:
        raise InputError(_("This mentee no longer exists; it may have been removed on another device."))
    (mid, name, kind, community, region, languages, stage, archived, consent_on, consent_by, email, phone,
     coach, erased, _deleted) = row
    return MenteeHeader(mid, name, kind, community or "", region or "", tuple(languages or ()), stage,
                        bool(archived), consent_on, consent_by or "", email or "", phone or "", coach or "",
                        bool(erased))


def _sessions(session: Session, mentee_id: uuid.UUID) -> list[TimelineEntry]:
    rows = session.execute(
        select(CoachingSession.id, CoachingSession.started_at, CoachingSession.kind, CoachingSession.title,
               CoachingSession.duration_minutes)
        .join(SessionParticipant, SessionParticipant.session_id == CoachingSession.id)
        .where(SessionParticipant.mentee_id == mentee_id, SessionParticipant.deleted.is_(False),
               CoachingSession.deleted.is_(False))
    )
    return [TimelineEntry(TimelineKind.SESSION, sid, started, title or "", session_kind=kind,
                          duration_minutes=minutes) for sid, started, kind, title, minutes in rows]


def _assessments(session: Session, mentee_id: uuid.UUID) -> list[tuple[uuid.UUID, date, int, float | None]]:
    """(id, assessed on, capacities rated, average level), newest first."""
    rows = session.execute(
        select(Assessment.id, Assessment.assessed_on, func.count(CapacityRating.id), func.avg(CapacityRating.level))
        .outerjoin(CapacityRating, and_(CapacityRating.assessment_id == Assessment.id,
                                        CapacityRating.deleted.is_(False)))
        .where(Assessment.mentee_id == mentee_id, Assessment.deleted.is_(False))
        .group_by(Assessment.id, Assessment.assessed_on)
    ).all()
    # Two sittings on one day: the later-made one (UUIDv7 ids grow with time) counts as newer.
    rows.sort(key=lambda r: (r[1], r[0]), reverse=True)
    return [(aid, day, int(count), float(avg) if avg is not None else None) for aid, day, count, avg in rows]


def _plans(session: Session, mentee_id: uuid.UUID) -> list[tuple[uuid.UUID, str, PlanStatus, date, date | None]]:
    rows = session.execute(
        select(Plan.id, Plan.title, Plan.status, Plan.created_on, Plan.review_on)
        .where(Plan.mentee_id == mentee_id, Plan.deleted.is_(False))
    ).all()
    rows.sort(key=lambda r: (r[3], r[0]), reverse=True)
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _completed_actions(session: Session, mentee_id: uuid.UUID) -> list[TimelineEntry]:
    # The status is checked here, not in SQL: without table statistics SQLite would otherwise walk
    # the status index over every plan of every mentee (50 ms at 50k mentees) instead of this one's.
    rows = session.execute(
        select(PlanAction.id, PlanAction.description, PlanAction.completed_on, PlanAction.status)
        .join(PlanGoal, PlanGoal.id == PlanAction.goal_id)
        .join(Plan, Plan.id == PlanGoal.plan_id)
        .where(Plan.mentee_id == mentee_id, Plan.deleted.is_(False), PlanGoal.deleted.is_(False),
               PlanAction.deleted.is_(False), PlanAction.completed_on.is_not(None))
    )
    return [TimelineEntry(TimelineKind.ACTION_COMPLETED, aid, _start_of(done), text)
            for aid, text, done, status in rows if status is ActionStatus.DONE]


def _plan_summary(session: Session, plan: tuple[uuid.UUID, str, PlanStatus, date, date | None],
                  labels: dict[uuid.UUID, str], today: date) -> PlanSummary:
    plan_id, title, status, created_on, review_on = plan
    rows = session.execute(
        select(PlanGoal.id, PlanGoal.capacity_id, PlanGoal.description, PlanGoal.target_level,
               PlanAction.id, PlanAction.description, PlanAction.status, PlanAction.owner, PlanAction.due_on,
               PlanAction.completed_on)
        .outerjoin(PlanAction, and_(PlanAction.goal_id == PlanGoal.id, PlanAction.deleted.is_(False)))
        .where(PlanGoal.plan_id == plan_id, PlanGoal.deleted.is_(False))
        .order_by(PlanGoal.position, PlanGoal.id, PlanAction.position, PlanAction.id)
    )
    goals: dict[uuid.UUID, tuple[uuid.UUID | None, str, int | None, list[ActionSummary]]] = {}
    for gid, cid, goal_text, target, aid, action_text, action_status, owner, due, done in rows:
        goal = goals.setdefault(gid, (cid, goal_text or "", target, []))
        if aid is not None:
            overdue = due is not None and due < today and action_status in OPEN_ACTION_STATUSES
            goal[3].append(ActionSummary(aid, action_text or "", action_status, owner or "", due, done, overdue))
    return PlanSummary(plan_id, title, status, created_on, review_on, tuple(
        GoalSummary(gid, labels.get(cid, "") if cid else "", text, target, tuple(actions))
        for gid, (cid, text, target, actions) in goals.items()
    ))


def _radar(session: Session, latest: tuple[uuid.UUID, date], previous: tuple[uuid.UUID, date] | None,
           labels: dict[uuid.UUID, str]) -> RadarData:
    wanted = [latest[0]] + ([previous[0]] if previous else [])
    rows = session.execute(
        select(CapacityRating.assessment_id, CapacityRating.capacity_id, CapacityRating.level)
        .join(Capacity, Capacity.id == CapacityRating.capacity_id)
        .join(CapacityArea, CapacityArea.id == Capacity.area_id)
        .where(CapacityRating.assessment_id.in_(wanted), CapacityRating.deleted.is_(False))
        .order_by(CapacityArea.position, Capacity.position, Capacity.id)
    )
    levels: dict[uuid.UUID, dict[uuid.UUID, int]] = {aid: {} for aid in wanted}
    axes: list[uuid.UUID] = []
    for aid, cid, level in rows:
        levels[aid][cid] = level
        if aid == latest[0]:
            axes.append(cid)
    series = [RadarLevels(aid, day, tuple(levels[aid].get(cid) for cid in axes))
              for aid, day in ([previous] if previous else []) + [latest]]
    return RadarData(tuple(labels.get(cid, "") for cid in axes), tuple(series))


def mentee_profile(session: Session, mentee_id: uuid.UUID, language: str | None = None,
                   today: date | None = None) -> MenteeProfile:
    """Everything the mentee page shows; capacity names in ``language`` (default: the active one)."""
    today = today or date.today()
    header = _header(session, mentee_id)
    assessments = _assessments(session, mentee_id)
    plans = _plans(session, mentee_id)
    timeline = _sessions(session, mentee_id)
    timeline += [TimelineEntry(TimelineKind.ASSESSMENT, aid, _start_of(day), "", rated=count, average_level=avg)
                 for aid, day, count, avg in assessments]
    timeline += [TimelineEntry(TimelineKind.PLAN_CREATED, pid, _start_of(created), title)
                 for pid, title, _status, created, _review in plans]
    timeline += _completed_actions(session, mentee_id)
    timeline.sort(key=lambda e: (e.when, e.ref_id), reverse=True)

    current = next((p for p in plans if p[2] is PlanStatus.ACTIVE), None) or next(
        (p for p in plans if p[2] is PlanStatus.DRAFT), None)
    labels = capacity_labels(session, language) if current or assessments else {}
    plan = _plan_summary(session, current, labels, today) if current else None
    radar = RadarData()
    if assessments:
        latest = assessments[0][:2]
        previous = assessments[1][:2] if len(assessments) > 1 else None
        radar = _radar(session, latest, previous, labels)
    return MenteeProfile(header, tuple(timeline), plan, radar)


# -- small reads for the mentee list --------------------------------------------------------------


def mentee_rowid(connection: Connection, mentee_id: uuid.UUID) -> int | None:
    """The SQLite rowid the mentee list keys this mentee by, or None when it is gone."""
    row = connection.exec_driver_sql("SELECT rowid FROM mentee WHERE id = ? AND deleted = 0",
                                     (mentee_id.bytes,)).first()
    return int(row[0]) if row else None


def mentee_languages(session: Session) -> list[str]:
    """Every language code some live mentee speaks, sorted; for the list's language filter."""
    # Mentees of one community mostly share one list, so there are few distinct lists to parse.
    found: set[str] = set()
    for raw in session.scalars(select(Mentee.languages).where(Mentee.deleted.is_(False)).distinct()):
        found.update(code for code in raw or () if isinstance(code, str) and code)
    return sorted(found)
