"""The same person, organization or group entered twice (often on two devices between syncs):
find likely duplicates and merge one into the other.

Merging is an ordinary edit, so it syncs like any other: the duplicate's sessions, assessments,
plans and requests point at the mentee kept, the kept mentee takes the details only the
duplicate had, and the duplicate is removed (a tombstone). Ids are never rewritten: the clock
cannot tell that two rows are one person, only a person can.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _
from coachdesk.model import (
    Assessment,
    CommunityRequest,
    JourneyStage,
    Mentee,
    Plan,
    SessionParticipant,
    named_id,
)

#: Names at least this alike (0–1, after folding case and accents) are offered as duplicates.
SIMILAR = 0.8
_STAGES = tuple(JourneyStage)


def _folded(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def similarity(a: str, b: str) -> float:
    first, second = _folded(a), _folded(b)
    if not first or not second:
        return 0.0
    if first == second or sorted(first.split()) == sorted(second.split()):
        return 1.0
    return SequenceMatcher(None, first, second).ratio()


@dataclass(frozen=True)
class MenteeSummary:
    id: uuid.UUID
    name: str
    kind: str
    community: str
    region: str
    languages: list[str]
    sessions: int
    assessments: int
    plans: int


def summary(session: Session, mentee_id: uuid.UUID) -> MenteeSummary:
    mentee = _live(session, mentee_id)

    def count(query) -> int:  # type: ignore[no-untyped-def]
        return int(session.scalar(query) or 0)

    return MenteeSummary(
        mentee.id, mentee.name, mentee.kind.value, mentee.community.name if mentee.community else "", mentee.region,
        list(mentee.languages or []),
        count(select(func.count()).select_from(SessionParticipant).where(
            SessionParticipant.mentee_id == mentee_id, SessionParticipant.deleted.is_(False))),
        count(select(func.count()).select_from(Assessment).where(
            Assessment.mentee_id == mentee_id, Assessment.deleted.is_(False))),
        count(select(func.count()).select_from(Plan).where(Plan.mentee_id == mentee_id, Plan.deleted.is_(False))))


def _live(session: Session, mentee_id: uuid.UUID) -> Mentee:
    mentee = session.get(Mentee, mentee_id)
    if mentee is None or mentee.deleted:
        raise InputError(_("No mentee has the id {id}.").format(id=mentee_id))
    return mentee


def candidates(session: Session, mentee_id: uuid.UUID, limit: int = 20) -> list[MenteeSummary]:
    """Other mentees of the same kind whose names look like this one's, most alike first."""
    mentee = _live(session, mentee_id)
    folded = _folded(mentee.name)
    if not folded or mentee.erased:  # erased people's placeholder names all look alike
        return []
    rows = session.execute(select(Mentee.id, Mentee.name).where(
        Mentee.deleted.is_(False), Mentee.erased.is_(False), Mentee.kind == mentee.kind, Mentee.id != mentee.id))
    scored = []
    for other_id, name in rows:
        score = similarity(mentee.name, name)
        if score >= SIMILAR:
            scored.append((-score, _folded(name), other_id))
    scored.sort()
    return [summary(session, other_id) for _score, _name, other_id in scored[:limit]]


@dataclass(frozen=True)
class MergeResult:
    kept: uuid.UUID
    removed: uuid.UUID
    sessions: int
    assessments: int
    plans: int
    requests: int


def merge_mentees(session: Session, keep_id: uuid.UUID, duplicate_id: uuid.UUID) -> MergeResult:
    """Move everything of ``duplicate_id`` to ``keep_id`` and remove the duplicate, in one transaction."""
    if keep_id == duplicate_id:
        raise InputError(_("A mentee cannot be merged into itself."))
    keep, duplicate = _live(session, keep_id), _live(session, duplicate_id)
    if keep.erased or duplicate.erased:
        raise InputError(_("This person's data has been erased; their record can no longer be edited."))
    if keep.kind != duplicate.kind:
        raise InputError(_("{first} and {second} are not the same kind of mentee, so they cannot be merged.").format(
            first=keep.name, second=duplicate.name))
    # Details only the duplicate has fill the gaps of the one kept; the kept one's values win.
    for column in ("region", "consent_given_by", "email", "phone"):
        if not getattr(keep, column) and getattr(duplicate, column):
            setattr(keep, column, getattr(duplicate, column))
    for column in ("community_id", "coach_id", "consent_given_on"):
        if getattr(keep, column) is None and getattr(duplicate, column) is not None:
            setattr(keep, column, getattr(duplicate, column))
    if duplicate.private_notes and duplicate.private_notes not in keep.private_notes:
        keep.private_notes = "\n\n".join(n for n in (keep.private_notes, duplicate.private_notes) if n)
    languages = list(dict.fromkeys([*(keep.languages or []), *(duplicate.languages or [])]))
    if languages != list(keep.languages or []):
        keep.languages = languages
    if list(_STAGES).index(duplicate.journey_stage) > list(_STAGES).index(keep.journey_stage):
        keep.journey_stage = duplicate.journey_stage
    sessions = 0
    links = session.scalars(select(SessionParticipant).where(
        SessionParticipant.mentee_id == duplicate_id, SessionParticipant.deleted.is_(False))).all()
    for link in links:
        link.deleted = True
        # Participation rows are named from both ends: the kept mentee's row may exist already.
        target = session.get(SessionParticipant, named_id(link.session_id, keep_id))
        if target is None:
            session.add(SessionParticipant(id=named_id(link.session_id, keep_id), session_id=link.session_id,
                                           mentee_id=keep_id, deleted=False))
        elif target.deleted:
            target.deleted = False
        sessions += 1
    moved = {}
    for cls in (Assessment, Plan, CommunityRequest):
        rows = session.scalars(select(cls).where(cls.mentee_id == duplicate_id, cls.deleted.is_(False))).all()
        for row in rows:
            row.mentee_id = keep_id
        moved[cls] = len(rows)
    duplicate.deleted = True
    return MergeResult(keep_id, duplicate_id, sessions, moved[Assessment], moved[Plan], moved[CommunityRequest])
