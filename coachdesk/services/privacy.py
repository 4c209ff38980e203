"""Personal data on request: erase a person everywhere, or export all that is kept about them.

**What erasing removes.** The mentee's name becomes a neutral placeholder derived from the id
("Erased person 3F2A"), and region, contact details (email, phone), private notes and the name of
whoever gave consent are emptied; the mentee is marked ``erased``. Elsewhere, the name is removed
where a field holds exactly that name (case and spacing aside): the owner of a plan action, the
person who asked in a community request, and values the conflict log kept of those fields.

**What erasing keeps**, so that the evaluation counts stay right: the mentee row itself (kind,
community, languages, journey stage, coach, archived, the date consent was given), the sessions
they took part in and their participation, assessments with their levels and texts, plans with
their goals and actions, and requests. These are about capacities and about work done with
others, not about the person.

**What erasing cannot reach.** Free text that mentions the person in passing: session notes and
next steps (they belong to everyone who took part), assessment and plan texts, and request
descriptions; a coach reads and edits those by hand if they must. Backups made before the
erasure and bundle files already written keep the old values until they are deleted.

Everything is done in one transaction, as ordinary edits, so the erasure syncs like any change
and the hub and every other device honour it (see :mod:`coachdesk.sync.erasure`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coachdesk.atomic import atomic_write
from coachdesk.errors import InputError, os_reason
from coachdesk.i18n import _
from coachdesk.model import (
    Assessment,
    Capacity,
    CapacityRating,
    Coach,
    CoachingSession,
    Community,
    CommunityRequest,
    Mentee,
    Plan,
    PlanAction,
    PlanGoal,
    SessionParticipant,
    SyncConflict,
    ToolboxMethod,
    id_from_text,
)
from coachdesk.services.vocabulary import capacity_labels
from coachdesk.store.database import Database
from coachdesk.sync.changes import canonical_json
from coachdesk.sync.erasure import empty_conflicts, erase_fields

#: What the exported file says it is, so a program reading it can tell.
EXPORT_KIND = "coachdesk-person-data"
EXPORT_FORMAT = 1
#: Fields elsewhere that may hold a person's name as a whole value.
_NAME_FIELDS = (("plan_action", "owner"), ("community_request", "requested_by"))


@dataclass(frozen=True)
class ErasureResult:
    """What erasing a person changed, and what it kept for the evaluation counts."""

    mentee_id: uuid.UUID
    #: The placeholder the mentee is now listed under.
    name: str
    #: The mentee's personal fields that held something and were emptied or replaced.
    fields_erased: tuple[str, ...]
    action_owners_removed: int
    request_names_removed: int
    conflict_values_removed: int
    sessions_kept: int
    assessments_kept: int
    plans_kept: int


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _mentee_id(ref: uuid.UUID | str) -> uuid.UUID:
    return id_from_text(ref, _("mentee"))


def _find(session: Session, ref: uuid.UUID | str) -> Mentee:
    mentee = session.get(Mentee, _mentee_id(ref))
    if mentee is None:
        raise InputError(_("No mentee has the id {id}.").format(id=ref))
    return mentee


def _count(session: Session, query: Any) -> int:
    return int(session.scalar(query) or 0)


def _remove_name(session: Session, cls: type[Any], column: str, folded_name: str) -> int:
    """Empty ``column`` wherever it holds the name; return how many rows it was in."""
    field = getattr(cls, column)
    # Compared in Python: SQL's lower() folds ASCII only, and names are written in every script.
    ids = [rid for rid, value in session.execute(select(cls.id, field).where(field != ""))
           if _folded(value) == folded_name]
    for row in session.scalars(select(cls).where(cls.id.in_(ids))) if ids else ():
        setattr(row, column, "")
    return len(ids)


def erase_person(session: Session, mentee_id: uuid.UUID | str) -> ErasureResult:
    """Erase the personal data of the mentee ``mentee_id`` everywhere in the database (module doc),
    inside the caller's write transaction; refuse an unknown or already erased mentee."""
    mentee = _find(session, mentee_id)
    if mentee.erased:
        raise InputError(_("This person's data has already been erased."))
    name = _folded(mentee.name)
    mentee.erased = True
    fields = erase_fields(mentee)
    owners = _remove_name(session, PlanAction, "owner", name) if name else 0
    requests = _remove_name(session, CommunityRequest, "requested_by", name) if name else 0
    conflicts = empty_conflicts(session, [mentee.id])
    if name:
        for table_name, column in _NAME_FIELDS:
            for conflict in session.scalars(select(SyncConflict).where(
                    SyncConflict.table_name == table_name, SyncConflict.column_name == column)):
                lost = json.loads(conflict.value)
                if isinstance(lost, str) and _folded(lost) == name:
                    conflict.value = canonical_json("")
                    conflict.resolved = True
                    conflicts += 1
    session.flush()
    mid = mentee.id
    return ErasureResult(
        mid, mentee.name, tuple(fields), owners, requests, conflicts,
        _count(session, select(func.count()).select_from(SessionParticipant).where(
            SessionParticipant.mentee_id == mid, SessionParticipant.deleted.is_(False))),
        _count(session, select(func.count()).select_from(Assessment).where(
            Assessment.mentee_id == mid, Assessment.deleted.is_(False))),
        _count(session, select(func.count()).select_from(Plan).where(Plan.mentee_id == mid, Plan.deleted.is_(False))))


# -- access requests ----------------------------------------------------------------------------


def _value(value: Any) -> Any:
    """A stored value as JSON shows it: dates in ISO form, enums and ids as their text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return getattr(value, "value", str(value))


def _name_of(session: Session, cls: type[Any], row_id: uuid.UUID | None) -> str | None:
    if row_id is None:
        return None
    return session.scalar(select(cls.name).where(cls.id == row_id))


def _sessions(session: Session, mentee_id: uuid.UUID, methods: dict[uuid.UUID, str]) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(CoachingSession)
        .join(SessionParticipant, SessionParticipant.session_id == CoachingSession.id)
        .where(SessionParticipant.mentee_id == mentee_id, SessionParticipant.deleted.is_(False),
               CoachingSession.deleted.is_(False))
        .order_by(CoachingSession.started_at, CoachingSession.id))
    return [{"id": _value(s.id), "date": _value(s.started_at), "title": s.title, "kind": _value(s.kind),
             "duration_minutes": s.duration_minutes, "location": s.location, "language": s.language,
             "method": methods.get(s.method_id) if s.method_id else None, "notes": s.notes,
             "next_steps": s.next_steps} for s in rows]


def _assessments(session: Session, mentee_id: uuid.UUID, labels: dict[uuid.UUID, str],
                 keys: dict[uuid.UUID, str]) -> list[dict[str, Any]]:
    found = []
    for a in session.scalars(select(Assessment).where(Assessment.mentee_id == mentee_id,
                                                      Assessment.deleted.is_(False))
                             .order_by(Assessment.assessed_on, Assessment.id)):
        ratings = session.scalars(select(CapacityRating).where(CapacityRating.assessment_id == a.id,
                                                               CapacityRating.deleted.is_(False)))
        found.append({
            "id": _value(a.id), "date": _value(a.assessed_on), "mode": _value(a.mode), "language": a.language,
            "facilitator": _name_of(session, Coach, a.facilitator_id),
            "discover": a.discover, "dream": a.dream, "design": a.design, "deliver": a.deliver,
            # A group sitting also keeps how many took part and, per rating, the spread of their votes.
            **({"participants": a.participants} if a.participants is not None else {}),
            "ratings": sorted(({"capacity": keys.get(r.capacity_id), "capacity_label": labels.get(r.capacity_id),
                                "level": r.level, "priority": r.priority, "assets": r.assets, "gaps": r.gaps,
                                "evidence": r.evidence,
                                **({"lowest": r.lowest, "highest": r.highest, "raters": r.raters}
                                   if r.lowest is not None else {})} for r in ratings),
                              key=lambda r: (r["capacity_label"] or "").casefold()),
        })
    return found


def _plans(session: Session, mentee_id: uuid.UUID, labels: dict[uuid.UUID, str], keys: dict[uuid.UUID, str],
           methods: dict[uuid.UUID, str]) -> list[dict[str, Any]]:
    found = []
    for plan in session.scalars(select(Plan).where(Plan.mentee_id == mentee_id, Plan.deleted.is_(False))
                                .order_by(Plan.created_on, Plan.id)):
        goals = []
        for goal in session.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id, PlanGoal.deleted.is_(False))
                                    .order_by(PlanGoal.position, PlanGoal.id)):
            actions = session.scalars(select(PlanAction).where(PlanAction.goal_id == goal.id,
                                                               PlanAction.deleted.is_(False))
                                      .order_by(PlanAction.position, PlanAction.id))
            goals.append({
                "capacity": keys.get(goal.capacity_id) if goal.capacity_id else None,
                "capacity_label": labels.get(goal.capacity_id) if goal.capacity_id else None,
                "description": goal.description, "target_level": goal.target_level,
                "actions": [{"description": a.description, "owner": a.owner,
                             "method": methods.get(a.method_id) if a.method_id else None,
                             "due_on": _value(a.due_on), "status": _value(a.status),
                             "completed_on": _value(a.completed_on)} for a in actions],
            })
        found.append({"id": _value(plan.id), "title": plan.title, "status": _value(plan.status),
                      "created_on": _value(plan.created_on), "review_on": _value(plan.review_on), "goals": goals})
    return found


def _requests(session: Session, mentee_id: uuid.UUID, labels: dict[uuid.UUID, str]) -> list[dict[str, Any]]:
    rows = session.scalars(select(CommunityRequest).where(CommunityRequest.mentee_id == mentee_id,
                                                          CommunityRequest.deleted.is_(False))
                           .order_by(CommunityRequest.requested_on, CommunityRequest.id))
    return [{"id": _value(r.id), "requested_on": _value(r.requested_on), "requested_by": r.requested_by,
             "title": r.title, "description": r.description, "priority": r.priority, "status": _value(r.status),
             "community": _name_of(session, Community, r.community_id),
             "capacity_label": labels.get(r.capacity_id) if r.capacity_id else None} for r in rows]


def export_person(session: Session, mentee_id: uuid.UUID | str, now: datetime | None = None) -> str:
    """Everything kept about the mentee ``mentee_id``, private fields included, as a readable JSON
    document (keys in English, values as stored, capacity names also in the active language)."""
    mentee = _find(session, mentee_id)
    mid = mentee.id
    labels = capacity_labels(session)
    keys = {cid: key for cid, key in session.execute(select(Capacity.id, Capacity.key))}
    methods = {mid: key for mid, key in session.execute(select(ToolboxMethod.id, ToolboxMethod.key))}
    document = {
        "kind": EXPORT_KIND,
        "format": EXPORT_FORMAT,
        "exported_at": (now or datetime.now()).isoformat(timespec="seconds"),
        "mentee": {
            "id": _value(mid), "kind": _value(mentee.kind), "name": mentee.name,
            "community": _name_of(session, Community, mentee.community_id),
            "languages": list(mentee.languages or []), "region": mentee.region,
            "journey_stage": _value(mentee.journey_stage), "coach": _name_of(session, Coach, mentee.coach_id),
            "email": mentee.email, "phone": mentee.phone, "private_notes": mentee.private_notes,
            "archived": mentee.archived, "erased": mentee.erased, "removed": mentee.deleted,
        },
        "consent": {"given_on": _value(mentee.consent_given_on), "given_by": mentee.consent_given_by},
        "sessions": _sessions(session, mid, methods),
        "assessments": _assessments(session, mid, labels, keys),
        "plans": _plans(session, mid, labels, keys, methods),
        "requests": _requests(session, mid, labels),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_person_export(db: Database, mentee_id: uuid.UUID | str, out: Path) -> Path:
    """Write :func:`export_person` to ``out`` as UTF-8, whole or not at all; return ``out``."""
    with db.read() as session:
        text = export_person(session, mentee_id)
    try:
        with atomic_write(out, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as error:
        raise InputError(_("{file} could not be written: {reason}.").format(
            file=out, reason=os_reason(error))) from None
    return out
