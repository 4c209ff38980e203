"""The words people see for the domain's fixed values, and labels of reference data in their language.

Enum values are stable keys in the database and in files; what a person reads comes from
here, translated when it is shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from enum import Enum
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.i18n import N_, _, current_language
from coachdesk.model import (
    ActionStatus,
    AssessmentMode,
    AssessmentTemplate,
    AssessmentTemplateText,
    Capacity,
    CapacityArea,
    CapacityAreaText,
    CapacityText,
    CoachRole,
    JourneyStage,
    MenteeKind,
    PlanStatus,
    Priority,
    RequestStatus,
    SessionKind,
    ToolboxMethod,
    ToolboxMethodText,
    TrackStepKind,
)

T = TypeVar("T")

# Pairs, not a dict literal: StrEnum members with one value are equal (MenteeKind.GROUP ==
# AssessmentMode.GROUP == "group"), so a dict keyed by member would give both one word.
_LABEL_PAIRS: list[tuple[Enum, str]] = [
    (MenteeKind.PERSON, N_("Person")),
    (MenteeKind.ORGANIZATION, N_("Organization")),
    (MenteeKind.GROUP, N_("Group")),
    (JourneyStage.FIRST_CONTACT, N_("First contact")),
    (JourneyStage.ASSESSMENT, N_("Assessment")),
    (JourneyStage.PLANNING, N_("Planning")),
    (JourneyStage.FUNDING, N_("Funding")),
    (JourneyStage.ACTIVITIES, N_("Activities")),
    (JourneyStage.EVALUATION, N_("Evaluation")),
    (SessionKind.COACHING, N_("Coaching")),
    (SessionKind.MENTORING, N_("Mentoring")),
    (SessionKind.TRAINING, N_("Training")),
    (SessionKind.CONSULTATION, N_("Consultation")),
    (SessionKind.VISIT, N_("Visit")),
    (ActionStatus.TODO, N_("To do")),
    (ActionStatus.IN_PROGRESS, N_("In progress")),
    (ActionStatus.BLOCKED, N_("Blocked")),
    (ActionStatus.DONE, N_("Done")),
    (ActionStatus.DROPPED, N_("Dropped")),
    (PlanStatus.DRAFT, N_("Draft")),
    (PlanStatus.ACTIVE, N_("Active")),
    (PlanStatus.COMPLETED, N_("Completed")),
    (PlanStatus.ABANDONED, N_("Abandoned")),
    (RequestStatus.OPEN, N_("Open")),
    (RequestStatus.ACCEPTED, N_("Accepted")),
    (RequestStatus.PLANNED, N_("Planned")),
    (RequestStatus.DONE, N_("Done")),
    (RequestStatus.DECLINED, N_("Declined")),
    (Priority.NONE, N_("Not a priority")),
    (Priority.LOW, N_("Low")),
    (Priority.MEDIUM, N_("Medium")),
    (Priority.HIGH, N_("High")),
    (AssessmentMode.SELF, N_("Self-assessment")),
    (AssessmentMode.GROUP, N_("Group in the room")),
    (AssessmentMode.PEER, N_("Peer assessment")),
    (CoachRole.COACH, N_("Coach")),
    (CoachRole.MENTOR, N_("Mentor")),
    (CoachRole.TRAINER, N_("Trainer")),
    (CoachRole.CIRCUIT_RIDER, N_("Circuit rider")),
    (CoachRole.PROGRAM_LEAD, N_("Program lead")),
    (TrackStepKind.TRAINING, N_("Training of trainers")),
    (TrackStepKind.OBSERVATION, N_("Observed a session")),
    (TrackStepKind.CO_FACILITATION, N_("Co-facilitated a session")),
    (TrackStepKind.MENTORING, N_("Mentoring")),
    (TrackStepKind.SIGN_OFF, N_("Signed off")),
]
_LABELS: dict[tuple[type, Enum], str] = {(type(value), value): text for value, text in _LABEL_PAIRS}


def label(value: Enum) -> str:
    """The translated word for an enum value."""
    text = _LABELS.get((type(value), value))
    if text is None:  # a plain value such as "person": the first enum member equal to it
        text = next(t for member, t in _LABEL_PAIRS if member == value)
    return _(text)


def choices(enum_class: type[Enum]) -> list[tuple[Enum, str]]:
    """(value, translated label) pairs in the enum's order, for combo boxes."""
    return [(member, label(member)) for member in enum_class]


def _texts(session: Session, text_cls: type, owner_column: str, owners: Iterable[uuid.UUID] | None,
           language: str | None) -> dict[uuid.UUID, tuple[str, str]]:
    """owner id → (label, description) in ``language``, falling back to its base language, then English."""
    language = language or current_language()
    wanted = [language, language.split("_")[0], "en"]
    query = select(getattr(text_cls, owner_column), text_cls.language, text_cls.label, text_cls.description).where(
        text_cls.deleted.is_(False), text_cls.language.in_(wanted))
    if owners is not None:
        query = query.where(getattr(text_cls, owner_column).in_(list(owners)))
    best: dict[uuid.UUID, tuple[int, str, str]] = {}
    for owner, lang, text, description in session.execute(query):
        rank = wanted.index(lang)
        if owner not in best or rank < best[owner][0]:
            best[owner] = (rank, text, description)
    return {owner: (text, description) for owner, (_rank, text, description) in best.items()}


def capacity_labels(session: Session, language: str | None = None) -> dict[uuid.UUID, str]:
    """Every capacity's label in ``language`` (default: the active one); the key where no text exists."""
    texts = _texts(session, CapacityText, "capacity_id", None, language)
    return {cid: texts.get(cid, (key, ""))[0] for cid, key in session.execute(select(Capacity.id, Capacity.key))}


def capacity_details(session: Session, language: str | None = None) -> dict[uuid.UUID, tuple[str, str, list[str]]]:
    """capacity id → (label, description, five level anchors) in ``language``."""
    language = language or current_language()
    wanted = [language, language.split("_")[0], "en"]
    best: dict[uuid.UUID, tuple[int, str, str, list[str]]] = {}
    rows = session.execute(select(CapacityText.capacity_id, CapacityText.language, CapacityText.label,
                                  CapacityText.description, CapacityText.level_anchors)
                           .where(CapacityText.deleted.is_(False), CapacityText.language.in_(wanted)))
    for cid, lang, text, description, anchors in rows:
        rank = wanted.index(lang)
        if cid not in best or rank < best[cid][0]:
            best[cid] = (rank, text, description, [a for a in anchors.splitlines() if a.strip()])
    return {cid: (t, d, a) for cid, (_r, t, d, a) in best.items()}


def area_labels(session: Session, language: str | None = None) -> dict[uuid.UUID, str]:
    texts = _texts(session, CapacityAreaText, "area_id", None, language)
    return {aid: texts.get(aid, (key, ""))[0] for aid, key in session.execute(select(CapacityArea.id, CapacityArea.key))}


def method_labels(session: Session, language: str | None = None) -> dict[uuid.UUID, str]:
    texts = _texts(session, ToolboxMethodText, "method_id", None, language)
    return {mid: texts.get(mid, (key, ""))[0] for mid, key in session.execute(select(ToolboxMethod.id, ToolboxMethod.key))}


def method_details(session: Session, language: str | None = None) -> dict[uuid.UUID, tuple[str, str]]:
    return _texts(session, ToolboxMethodText, "method_id", None, language)


def area_details(session: Session, language: str | None = None) -> dict[uuid.UUID, tuple[str, str]]:
    """area id → (label, description) in ``language``; the key and no description where no text exists."""
    texts = _texts(session, CapacityAreaText, "area_id", None, language)
    return {aid: texts.get(aid, (key, "")) for aid, key in session.execute(select(CapacityArea.id, CapacityArea.key))}


def best_by_language(rows: Iterable[tuple[uuid.UUID, str, T]], language: str) -> dict[uuid.UUID, tuple[str, T]]:
    """owner → (language, value) in the best language there is: the one asked, its base, English, then
    any (a community's own template may exist in its language only)."""
    wanted = list(dict.fromkeys([language, language.split("_")[0], "en"]))
    best: dict[uuid.UUID, tuple[int, str, T]] = {}
    for owner, lang, value in rows:
        rank = wanted.index(lang) if lang in wanted else len(wanted)
        if owner not in best or (rank, lang) < (best[owner][0], best[owner][1]):
            best[owner] = (rank, lang, value)
    return {owner: (lang, value) for owner, (_rank, lang, value) in best.items()}


def template_names(session: Session, language: str | None = None) -> dict[uuid.UUID, str]:
    """Every assessment template's name in ``language`` (see :func:`best_by_language`)."""
    best = best_by_language(session.execute(
        select(AssessmentTemplateText.template_id, AssessmentTemplateText.language, AssessmentTemplateText.name)
        .where(AssessmentTemplateText.deleted.is_(False))).all(), language or current_language())
    return {tid: best[tid][1] if tid in best else key or ""
            for tid, key in session.execute(select(AssessmentTemplate.id, AssessmentTemplate.key))}
