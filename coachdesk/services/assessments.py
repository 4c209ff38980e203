"""Guided assessments: the taxonomy as the wizard asks it, recording one (and a plan from it), reading them back."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _, format_date, ngettext
from coachdesk.model import (
    LEVEL_MAX,
    LEVEL_MIN,
    Assessment,
    AssessmentMode,
    AssessmentTemplate,
    Capacity,
    CapacityArea,
    CapacityRating,
    Coach,
    Community,
    JourneyStage,
    Mentee,
    MenteeKind,
    Plan,
    PlanGoal,
    PlanStatus,
    Priority,
    ToolboxMethod,
    named_id,
    uuid7,
)
from coachdesk.services.vocabulary import area_details, capacity_details, capacity_labels, template_names
from coachdesk.store.search import escape_like

# -- the taxonomy, as the wizard asks it -------------------------------------------------------


@dataclass(frozen=True)
class CapacityInfo:
    id: uuid.UUID
    key: str
    label: str
    description: str
    #: What each level 1–5 looks like; fewer than five where a translation lacks some.
    anchors: tuple[str, ...]
    #: The question as a template words it for its stakeholders; "" when the whole taxonomy is asked.
    prompt: str = ""


@dataclass(frozen=True)
class AreaInfo:
    id: uuid.UUID
    key: str
    label: str
    description: str
    capacities: tuple[CapacityInfo, ...]


def taxonomy_for_wizard(session: Session, language: str | None = None) -> list[AreaInfo]:
    """Live areas in order, each with its live capacities in order, with texts in ``language``."""
    areas = area_details(session, language)
    details = capacity_details(session, language)
    by_area: dict[uuid.UUID, list[CapacityInfo]] = {}
    for cid, key, area_id in session.execute(
        select(Capacity.id, Capacity.key, Capacity.area_id).where(Capacity.deleted.is_(False))
        .order_by(Capacity.position, Capacity.key)
    ):
        label, description, anchors = details.get(cid, (key, "", []))
        by_area.setdefault(area_id, []).append(CapacityInfo(cid, key, label, description, tuple(anchors)))
    result = []
    for aid, key in session.execute(
        select(CapacityArea.id, CapacityArea.key).where(CapacityArea.deleted.is_(False))
        .order_by(CapacityArea.position, CapacityArea.key)
    ):
        if by_area.get(aid):
            label, description = areas.get(aid, (key, ""))
            result.append(AreaInfo(aid, key, label, description, tuple(by_area[aid])))
    return result


def _capacity_order(session: Session) -> dict[uuid.UUID, int]:
    rows = session.execute(select(Capacity.id).join(CapacityArea, CapacityArea.id == Capacity.area_id)
                           .order_by(CapacityArea.position, CapacityArea.key, Capacity.position, Capacity.key))
    return {cid: n for n, (cid,) in enumerate(rows)}


# -- the form ------------------------------------------------------------------------------------


@dataclass
class RatingAnswer:
    """One capacity's answers; ``level`` None means skipped (not saved, but its texts are drafted).

    In a group sitting ``level`` is the consensus the group agreed, and ``votes`` counts how many
    participants chose each level 1–5 on their own before agreeing: the spread is kept from it.
    """

    capacity_id: uuid.UUID
    level: int | None = None
    priority: Priority = Priority.NONE
    assets: str = ""
    gaps: str = ""
    evidence: str = ""
    votes: tuple[int, ...] = ()

    def is_blank(self) -> bool:
        return (self.level is None and self.priority == Priority.NONE and not any(self.votes)
                and not (self.assets.strip() or self.gaps.strip() or self.evidence.strip()))

    def spread(self) -> Spread | None:
        return spread_of(self.votes)


@dataclass(frozen=True)
class Spread:
    """How far apart the participants of a group sitting were on one capacity."""

    lowest: int
    highest: int
    raters: int

    def text(self) -> str:
        if self.lowest == self.highest:
            return ngettext("all {raters} at {level}", "all {raters} at {level}", self.raters).format(
                raters=self.raters, level=self.lowest)
        return ngettext("{lowest}–{highest} among {raters} rater", "{lowest}–{highest} among {raters} raters",
                        self.raters).format(lowest=self.lowest, highest=self.highest, raters=self.raters)


def spread_of(votes: Iterable[int]) -> Spread | None:
    """The spread of a tally of votes (how many chose level 1, 2 … 5); None when nobody voted."""
    counts = list(votes)[: LEVEL_MAX - LEVEL_MIN + 1]
    chosen = [LEVEL_MIN + n for n, count in enumerate(counts) if count > 0]
    if not chosen:
        return None
    return Spread(min(chosen), max(chosen), sum(c for c in counts if c > 0))


def stored_spread(lowest: int | None, highest: int | None, raters: int | None) -> Spread | None:
    if lowest is None or highest is None:
        return None
    return Spread(lowest, highest, raters or 0)


@dataclass
class AssessmentForm:
    """What the wizard asks; ``to_values``/``from_values`` make it a JSON-friendly draft."""

    mentee_id: uuid.UUID | None = None
    assessed_on: date = field(default_factory=date.today)
    mode: AssessmentMode = AssessmentMode.SELF
    language: str = ""
    facilitator: str = ""  # the person running it: their name, matched to a coach if one has it
    template_id: uuid.UUID | None = None  # the template whose questions were asked
    participants: int | None = None  # in a group sitting: how many people took part
    discover: str = ""
    dream: str = ""
    design: str = ""
    deliver: str = ""
    answers: list[RatingAnswer] = field(default_factory=list)

    def rated(self) -> list[RatingAnswer]:
        return [a for a in self.answers if a.level is not None]

    def to_values(self) -> dict[str, Any]:
        return {
            "mentee_id": str(self.mentee_id) if self.mentee_id else None,
            "assessed_on": self.assessed_on.isoformat(), "mode": self.mode.value, "language": self.language,
            "facilitator": self.facilitator, "discover": self.discover, "dream": self.dream,
            "design": self.design, "deliver": self.deliver,
            "template_id": str(self.template_id) if self.template_id else None, "participants": self.participants,
            "answers": [{"capacity_id": str(a.capacity_id), "level": a.level, "priority": int(a.priority),
                         "assets": a.assets, "gaps": a.gaps, "evidence": a.evidence, "votes": list(a.votes)}
                        for a in self.answers if not a.is_blank()],
        }

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> AssessmentForm:
        """Rebuild a form from ``to_values``; damaged entries fall back to defaults rather than fail."""
        form = cls()
        try:
            form.mentee_id = uuid.UUID(values["mentee_id"]) if values.get("mentee_id") else None
        except (ValueError, TypeError, AttributeError):
            form.mentee_id = None
        try:
            form.assessed_on = date.fromisoformat(str(values.get("assessed_on")))
        except ValueError:
            pass
        try:
            form.mode = AssessmentMode(values.get("mode", form.mode.value))
        except ValueError:
            pass
        for name in ("language", "facilitator", "discover", "dream", "design", "deliver"):
            if isinstance(values.get(name), str):
                setattr(form, name, values[name])
        try:
            form.template_id = uuid.UUID(values["template_id"]) if values.get("template_id") else None
        except (ValueError, TypeError, AttributeError):
            form.template_id = None
        participants = values.get("participants")
        if isinstance(participants, int) and not isinstance(participants, bool) and participants > 0:
            form.participants = participants
        for raw in values.get("answers") or []:
            try:
                level = raw.get("level")
                level = int(level) if level is not None and LEVEL_MIN <= int(level) <= LEVEL_MAX else None
                votes = tuple(max(0, int(v)) for v in (raw.get("votes") or ())[: LEVEL_MAX - LEVEL_MIN + 1])
                form.answers.append(RatingAnswer(
                    uuid.UUID(raw["capacity_id"]), level, Priority(int(raw.get("priority", 0))),
                    str(raw.get("assets", "")), str(raw.get("gaps", "")), str(raw.get("evidence", "")), votes))
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
        return form


def validate(form: AssessmentForm) -> list[str]:
    """Problems with ``form``, in plain words; empty when it can be recorded."""
    problems = []
    if form.mentee_id is None:
        problems.append(_("Choose who is being assessed."))
    if not form.rated():
        problems.append(_("Rate at least one capacity before finishing. Skipped capacities are not saved."))
    if any(not LEVEL_MIN <= (a.level or LEVEL_MIN) <= LEVEL_MAX for a in form.answers):
        problems.append(_("A level must be between {low} and {high}.").format(low=LEVEL_MIN, high=LEVEL_MAX))
    if form.participants is not None and form.participants < 1:
        problems.append(_("A group sitting needs at least one participant."))
    for answer in form.rated():
        spread = answer.spread()
        if spread is None:
            continue
        if any(v < 0 for v in answer.votes) or len(answer.votes) > LEVEL_MAX - LEVEL_MIN + 1:
            problems.append(_("A count of votes cannot be negative."))
            break
        if form.participants is not None and spread.raters > form.participants:
            problems.append(_("More votes were counted on one capacity ({raters}) than people took part "
                              "({participants}).").format(raters=spread.raters, participants=form.participants))
            break
        if not spread.lowest <= (answer.level or 0) <= spread.highest:
            problems.append(_("The consensus level {level} lies outside what the participants chose "
                              "({lowest} to {highest}); check the counts or the consensus.").format(
                level=answer.level, lowest=spread.lowest, highest=spread.highest))
            break
    return problems


def prioritised(answers: Iterable[RatingAnswer]) -> list[RatingAnswer]:
    """Rated answers with a priority, most urgent first, the weakest first within a priority."""
    return sorted((a for a in answers if a.level is not None and a.priority > Priority.NONE),
                  key=lambda a: (-int(a.priority), a.level))


def plan_title(day: date) -> str:
    return _("Capacity-building plan, {date}").format(date=format_date(day, "long"))


def facilitator_id(session: Session, name: str) -> uuid.UUID | None:
    """The coach row whose name is ``name`` (any case), if one exists; none is created."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return None
    for cid, coach_name in session.execute(select(Coach.id, Coach.name).where(Coach.deleted.is_(False))):
        if " ".join(coach_name.split()).casefold() == wanted:
            return cid
    return None


_STAGES = list(JourneyStage)


def record_assessment(session: Session, form: AssessmentForm, create_plan: bool) -> tuple[uuid.UUID, uuid.UUID | None]:
    """Save the assessment and its ratings and, if asked, a draft plan from its priorities; move the
    mentee's journey forward (never back). Returns (assessment id, plan id or None)."""
    problems = validate(form)
    if problems:
        raise InputError(" ".join(problems))
    mentee = session.get(Mentee, form.mentee_id)
    if mentee is None or mentee.deleted:
        raise InputError(_("This mentee no longer exists; it may have been removed on another device."))
    rated = form.rated()
    live = set(session.scalars(select(Capacity.id).where(Capacity.deleted.is_(False))))
    if any(a.capacity_id not in live for a in rated):
        raise InputError(_("A capacity in this assessment was removed from the taxonomy. Skip it and finish again."))
    method = session.scalar(select(ToolboxMethod.id).where(ToolboxMethod.key == "assessment",
                                                           ToolboxMethod.deleted.is_(False)))
    assessment_id = uuid7()
    template = session.get(AssessmentTemplate, form.template_id) if form.template_id else None
    if form.template_id and (template is None or template.deleted):
        raise InputError(_("The template of this assessment was removed on another device; choose another one."))
    group = form.mode == AssessmentMode.GROUP
    session.add(Assessment(
        id=assessment_id, mentee_id=mentee.id, assessed_on=form.assessed_on,
        facilitator_id=facilitator_id(session, form.facilitator), method_id=method, mode=form.mode,
        language=form.language, discover=form.discover.strip(), dream=form.dream.strip(),
        design=form.design.strip(), deliver=form.deliver.strip(), template_id=form.template_id,
        participants=form.participants if group else None))
    for answer in rated:
        spread = answer.spread() if group else None
        session.add(CapacityRating(
            id=named_id(assessment_id, answer.capacity_id), assessment_id=assessment_id,
            capacity_id=answer.capacity_id, level=answer.level, priority=int(answer.priority),
            assets=answer.assets.strip(), gaps=answer.gaps.strip(), evidence=answer.evidence.strip(),
            lowest=spread.lowest if spread else None, highest=spread.highest if spread else None,
            raters=spread.raters if spread else None))
    # Plan.assessment_id has no relationship, so the unit of work would not order the inserts.
    session.flush()

    plan_id = None
    chosen = prioritised(rated)
    if create_plan and chosen:
        plan_id = uuid7()
        session.add(Plan(id=plan_id, mentee_id=mentee.id, title=plan_title(form.assessed_on),
                         status=PlanStatus.DRAFT, created_on=date.today(), review_on=None,
                         assessment_id=assessment_id))
        session.flush()
        for position, answer in enumerate(chosen):
            assert answer.level is not None
            target = min(LEVEL_MAX, answer.level + 1)
            description = _("From level {level} to level {target}.").format(level=answer.level, target=target)
            if answer.gaps.strip():
                description += "\n" + _("Gaps: {gaps}").format(gaps=answer.gaps.strip())
            session.add(PlanGoal(id=uuid7(), plan_id=plan_id, capacity_id=answer.capacity_id,
                                 description=description, target_level=target, position=position))
    reached = JourneyStage.PLANNING if plan_id else JourneyStage.ASSESSMENT
    if _STAGES.index(mentee.journey_stage) < _STAGES.index(reached):
        mentee.journey_stage = reached
    session.flush()
    return assessment_id, plan_id


# -- choosing the mentee -------------------------------------------------------------------------


@dataclass(frozen=True)
class MenteeChoice:
    id: uuid.UUID
    name: str
    community: str
    kind: MenteeKind
    languages: list[str]
    journey_stage: JourneyStage


def _choices(session: Session, condition: str = "", limit: int = 20, **params: Any) -> list[MenteeChoice]:
    # Plain SQL so the WHERE matches migration 0003's partial index word for word (``deleted = 0``,
    # not the ORM's ``IS 0``): SQLite then walks the index in name order and stops at the limit.
    sql = ("SELECT m.id, m.name, c.name, m.kind, m.languages, m.journey_stage FROM mentee m "
           "LEFT JOIN community c ON c.id = m.community_id WHERE m.deleted = 0 AND m.archived = 0 "
           f"{'AND ' + condition if condition else ''} ORDER BY m.name COLLATE NOCASE LIMIT :limit")
    rows = session.execute(sql_text(sql), {**params, "limit": limit})
    return [MenteeChoice(uuid.UUID(bytes=bytes(raw_id)), name, community or "", MenteeKind(kind),
                         list(json.loads(languages or "[]")), JourneyStage(stage))
            for raw_id, name, community, kind, languages, stage in rows]


def mentee_suggestions(session: Session, text: str, limit: int = 20) -> list[MenteeChoice]:
    """Live mentees whose name holds ``text``: names that start with it first, then the others.

    Both queries walk migration 0003's name index in order and stop at ``limit``, which keeps
    a keystroke cheap at 50k mentees.
    """
    text = " ".join(text.split())
    if not text:
        return _choices(session, limit=limit)
    prefix, anywhere = f"{escape_like(text)}%", f"%{escape_like(text)}%"
    found = _choices(session, "m.name LIKE :prefix ESCAPE '\\'", limit, prefix=prefix)
    if len(found) < limit:
        found += _choices(session, "m.name LIKE :anywhere ESCAPE '\\' AND m.name NOT LIKE :prefix ESCAPE '\\'",
                          limit - len(found), prefix=prefix, anywhere=anywhere)
    return found


def mentee_choice(session: Session, mentee_id: uuid.UUID) -> MenteeChoice | None:
    mentee = session.get(Mentee, mentee_id)
    if mentee is None or mentee.deleted:
        return None
    community = session.get(Community, mentee.community_id) if mentee.community_id else None
    return MenteeChoice(mentee.id, mentee.name, community.name if community else "", mentee.kind,
                        list(mentee.languages or []), mentee.journey_stage)


# -- reading assessments back --------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentSummary:
    id: uuid.UUID
    mentee_id: uuid.UUID
    mentee_name: str
    assessed_on: date
    mode: AssessmentMode
    rated: int
    average: float | None  # None when nothing was rated


def _summaries(session: Session, *conditions: Any, limit: int | None = None) -> list[AssessmentSummary]:
    query = (select(Assessment.id, Assessment.mentee_id, Mentee.name, Assessment.assessed_on, Assessment.mode)
             .join(Mentee, Mentee.id == Assessment.mentee_id)
             .where(Assessment.deleted.is_(False), Mentee.deleted.is_(False), *conditions)
             .order_by(Assessment.assessed_on.desc(), Assessment.id.desc()))
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    if not rows:
        return []
    # Aggregate only the ratings of the rows shown, not of every assessment in the database.
    stats = {aid: (count, avg) for aid, count, avg in session.execute(
        select(CapacityRating.assessment_id, func.count(), func.avg(CapacityRating.level))
        .where(CapacityRating.deleted.is_(False), CapacityRating.assessment_id.in_([r[0] for r in rows]))
        .group_by(CapacityRating.assessment_id))}
    return [AssessmentSummary(aid, mid, name, day, mode, stats.get(aid, (0, None))[0],
                              float(stats[aid][1]) if aid in stats and stats[aid][1] is not None else None)
            for aid, mid, name, day, mode in rows]


def assessment_history(session: Session, mentee_id: uuid.UUID) -> list[AssessmentSummary]:
    """The mentee's assessments, newest first."""
    return _summaries(session, Assessment.mentee_id == mentee_id)


def list_assessments(session: Session, text: str = "", limit: int = 500) -> list[AssessmentSummary]:
    """The most recent assessments, newest first; ``text`` matches the mentee's name or community."""
    text = " ".join(text.split())
    if not text:
        return _summaries(session, limit=limit)
    pattern = f"%{escape_like(text)}%"
    communities = select(Community.id).where(Community.name.like(pattern, escape="\\"))
    return _summaries(session, or_(Mentee.name.like(pattern, escape="\\"), Mentee.community_id.in_(communities)),
                      limit=limit)


@dataclass(frozen=True)
class RatingRow:
    capacity_id: uuid.UUID
    label: str
    level: int
    priority: Priority
    assets: str
    gaps: str
    evidence: str
    spread: Spread | None = None  # a group sitting's lowest and highest ratings


@dataclass(frozen=True)
class AssessmentDetail:
    summary: AssessmentSummary
    language: str
    facilitator: str  # the coach's name, or empty
    discover: str
    dream: str
    design: str
    deliver: str
    ratings: list[RatingRow]  # most urgent priority first, then the weakest
    participants: int | None = None  # how many took part in a group sitting
    template: str = ""  # the name of the template whose questions were asked


def summary_order(priority: int, level: int, label: str) -> tuple[int, int, str]:
    """How rated capacities are listed: highest priority first, the weakest within a priority."""
    return (-int(priority), level, label.casefold())


def assessment_detail(session: Session, assessment_id: uuid.UUID,
                      language: str | None = None) -> AssessmentDetail | None:
    found = _summaries(session, Assessment.id == assessment_id)
    assessment = session.get(Assessment, assessment_id)
    if not found or assessment is None:
        return None
    labels = capacity_labels(session, language)
    coach = session.get(Coach, assessment.facilitator_id) if assessment.facilitator_id else None
    ratings = [RatingRow(r.capacity_id, labels.get(r.capacity_id, "?"), r.level, Priority(r.priority), r.assets,
                         r.gaps, r.evidence, stored_spread(r.lowest, r.highest, r.raters))
               for r in session.scalars(select(CapacityRating).where(CapacityRating.assessment_id == assessment_id,
                                                                     CapacityRating.deleted.is_(False)))]
    ratings.sort(key=lambda r: summary_order(r.priority, r.level, r.label))
    template = ""
    if assessment.template_id:
        template = template_names(session, language).get(assessment.template_id, "")
    return AssessmentDetail(found[0], assessment.language, coach.name if coach else "", assessment.discover,
                            assessment.dream, assessment.design, assessment.deliver, ratings,
                            assessment.participants, template)


# -- the radar chart -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RadarLine:
    label: str
    levels: list[float | None]  # one per axis; None where that capacity was not rated


@dataclass(frozen=True)
class RadarData:
    axes: list[str]
    capacity_ids: list[uuid.UUID]
    series: list[RadarLine]  # oldest first; the last is the latest


def levels_of(session: Session, assessment_id: uuid.UUID) -> dict[uuid.UUID, int]:
    rows = session.execute(select(CapacityRating.capacity_id, CapacityRating.level).where(
        CapacityRating.assessment_id == assessment_id, CapacityRating.deleted.is_(False)))
    return {cid: level for cid, level in rows}


def previous_assessment(session: Session, mentee_id: uuid.UUID,
                        before: tuple[date, uuid.UUID] | None = None) -> tuple[uuid.UUID, date] | None:
    """The mentee's latest assessment, or the latest one earlier than ``before`` (its date and id)."""
    query = select(Assessment.id, Assessment.assessed_on).where(Assessment.mentee_id == mentee_id,
                                                                 Assessment.deleted.is_(False))
    if before is not None:
        day, aid = before
        query = query.where(or_(Assessment.assessed_on < day, (Assessment.assessed_on == day) & (Assessment.id < aid)))
    row = session.execute(query.order_by(Assessment.assessed_on.desc(), Assessment.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else None


def radar_for(session: Session, latest: Mapping[uuid.UUID, int], latest_label: str,
              previous: tuple[str, Mapping[uuid.UUID, int]] | None, language: str | None = None) -> RadarData:
    """Axes are the capacities rated in ``latest``, in taxonomy order; ``previous`` is drawn beneath."""
    order = _capacity_order(session)
    labels = capacity_labels(session, language)
    ids = sorted(latest, key=lambda cid: (order.get(cid, len(order)), labels.get(cid, "")))
    series = []
    if previous is not None:
        label, levels = previous
        series.append(RadarLine(label, [float(levels[c]) if c in levels else None for c in ids]))
    series.append(RadarLine(latest_label, [float(latest[c]) for c in ids]))
    return RadarData([labels.get(c, "?") for c in ids], ids, series)


def radar_for_assessment(session: Session, assessment_id: uuid.UUID, language: str | None = None) -> RadarData:
    """One assessment over the same mentee's assessment just before it."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        return RadarData([], [], [])
    earlier = previous_assessment(session, assessment.mentee_id, (assessment.assessed_on, assessment.id))
    previous = (format_date(earlier[1]), levels_of(session, earlier[0])) if earlier else None
    return radar_for(session, levels_of(session, assessment_id), format_date(assessment.assessed_on), previous,
                     language)


def radar_series(session: Session, mentee_id: uuid.UUID, language: str | None = None) -> RadarData:
    """The mentee's latest assessment over the one before; axes are the capacities rated in the latest."""
    latest = previous_assessment(session, mentee_id)
    if latest is None:
        return RadarData([], [], [])
    return radar_for_assessment(session, latest[0], language)
