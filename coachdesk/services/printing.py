"""Printing: gather what a handout or report shows, in the language it is printed in, and write
the PDF (or, for the evaluation report, the same figures as CSV).

Used by the command line (``coachdesk handout …``, ``coachdesk report evaluation``) and by the
app's Print / Save as PDF actions. Bad input — an unknown id, key or language — raises
``InputError`` with one sentence before any file is written.
"""

from __future__ import annotations

import csv
import io
import tomllib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import (
    _,
    current_language,
    format_date,
    is_language_code,
    language_name,
    shipped_languages,
    use_language,
)
from coachdesk.model import (
    ActionStatus,
    Assessment,
    AssessmentMode,
    Capacity,
    CapacityArea,
    CapacityRating,
    Coach,
    CoachingSession,
    Community,
    Mentee,
    Plan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    Priority,
    SessionCapacity,
    SessionParticipant,
    ToolboxMethod,
    id_from_text,
)
from coachdesk.paths import resources_dir
from coachdesk.services import vocabulary
from coachdesk.services.assessments import levels_of, previous_assessment
from coachdesk.services.plans import plan_detail
from coachdesk.store.database import Database

HANDOUTS = ("assessment", "plan", "session", "attendance", "toolbox", "peer-exchange")


@dataclass(frozen=True)
class Printed:
    path: Path
    pages: int


def check_language(code: str) -> str:
    """``code`` if CoachDesk prints in it, else one sentence naming the languages it does."""
    shipped = shipped_languages()
    if not is_language_code(code):
        raise InputError(_("“{code}” is not a language code; CoachDesk prints in: {languages}.").format(
            code=code, languages=", ".join(shipped)))
    wanted = code.replace("-", "_")
    for candidate in (wanted, wanted.split("_")[0]):
        if candidate in shipped:
            return candidate
    raise InputError(_("CoachDesk has no translation for “{code}” yet; it prints in: {languages}.").format(
        code=code, languages=", ".join(shipped)))


def _mentee(session: Session, ref: Any) -> Mentee:
    mentee = session.get(Mentee, id_from_text(ref, _("mentee")))
    if mentee is None or mentee.deleted:
        raise InputError(_("No mentee has the id {id}.").format(id=ref))
    return mentee


def _session(session: Session, ref: Any) -> CoachingSession:
    row = session.get(CoachingSession, id_from_text(ref, _("session")))
    if row is None or row.deleted:
        raise InputError(_("No session has the id {id}.").format(id=ref))
    return row


# -- gathering ------------------------------------------------------------------------------------


def assessment_doc(session: Session, mentee_ref: Any):  # type: ignore[no-untyped-def]
    from coachdesk.reports.documents import AssessmentSummaryDoc, GroupSitting, RatedCapacity

    mentee = _mentee(session, mentee_ref)
    latest = previous_assessment(session, mentee.id)
    if latest is None:
        raise InputError(_("{name} has no assessment yet, so there is nothing to summarize.").format(name=mentee.name))
    assessment = session.get(Assessment, latest[0])
    earlier = previous_assessment(session, mentee.id, (assessment.assessed_on, assessment.id))
    before = levels_of(session, earlier[0]) if earlier else {}
    details = vocabulary.capacity_details(session)
    areas = vocabulary.area_labels(session)
    order = {cid: (a_pos, c_pos, aid) for cid, a_pos, c_pos, aid in session.execute(
        select(Capacity.id, CapacityArea.position, Capacity.position, CapacityArea.id)
        .join(CapacityArea, CapacityArea.id == Capacity.area_id))}
    ratings = sorted(session.scalars(select(CapacityRating).where(CapacityRating.assessment_id == assessment.id,
                                                                 CapacityRating.deleted.is_(False))),
                     key=lambda r: order.get(r.capacity_id, (99, 99, None))[:2])
    grouped: dict[Any, list[RatedCapacity]] = {}
    for r in ratings:
        area_id = order.get(r.capacity_id, (0, 0, None))[2]
        label = details.get(r.capacity_id, ("?", "", []))[0]
        grouped.setdefault(area_id, []).append(RatedCapacity(
            label, r.level, before.get(r.capacity_id) if earlier else None,
            vocabulary.label(Priority(r.priority)) if r.priority else "—", r.assets, r.gaps, r.evidence,
            (r.lowest, r.highest, r.raters or 0) if r.lowest is not None and r.highest is not None else None))
    coach = session.get(Coach, assessment.facilitator_id) if assessment.facilitator_id else None
    community = session.get(Community, mentee.community_id) if mentee.community_id else None
    axes = [details.get(r.capacity_id, ("?", "", []))[0] for r in ratings]
    return AssessmentSummaryDoc(
        mentee.name, vocabulary.label(mentee.kind), community.name if community else "", assessment.assessed_on,
        coach.name if coach else "", vocabulary.label(assessment.mode), earlier[1] if earlier else None,
        [(areas.get(aid, ""), rows) for aid, rows in grouped.items()], axes, [float(r.level) for r in ratings],
        [float(before.get(r.capacity_id, 0)) for r in ratings] if earlier else None,
        [(_("What works well today?"), assessment.discover), (_("What could it be?"), assessment.dream),
         (_("How will we get there?"), assessment.design), (_("What do we do next?"), assessment.deliver)],
        # A group sitting: how many took part, and the handout's words for consensus and spread.
        GroupSitting(assessment.participants, handout_texts(current_language())["group_assessment"],
                     [(r.lowest, r.highest) if r.lowest is not None and r.highest is not None else None
                      for r in ratings])
        if assessment.mode == AssessmentMode.GROUP else None)


def plan_doc(session: Session, mentee_ref: Any):  # type: ignore[no-untyped-def]
    from coachdesk.reports.documents import CapacityPlanDoc, PlannedAction, PlannedGoal

    mentee = _mentee(session, mentee_ref)
    plans = list(session.execute(select(Plan.id, Plan.status).where(Plan.mentee_id == mentee.id,
                                                                   Plan.deleted.is_(False))
                                 .order_by(Plan.created_on.desc(), Plan.id.desc())))
    if not plans:
        raise InputError(_("{name} has no capacity plan yet.").format(name=mentee.name))
    chosen = next((pid for pid, status in plans if status == PlanStatus.ACTIVE), plans[0][0])
    detail = plan_detail(session, chosen)
    community = session.get(Community, mentee.community_id) if mentee.community_id else None
    return CapacityPlanDoc(
        detail.title, mentee.name, community.name if community else "", detail.status_label, detail.created_on,
        detail.review_on,
        [PlannedGoal(g.capacity_label, g.description, g.target_level,
                     [PlannedAction(a.description, a.owner, a.due_on, a.status_label, a.funding_program,
                                    a.method_label) for a in g.actions]) for g in detail.goals])


def _participants(session: Session, session_id: uuid.UUID) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Mentee.name, Community.name).join(SessionParticipant, SessionParticipant.mentee_id == Mentee.id)
        .outerjoin(Community, Community.id == Mentee.community_id)
        .where(SessionParticipant.session_id == session_id, SessionParticipant.deleted.is_(False))
        .order_by(Mentee.name))
    return [(name, community or "") for name, community in rows]


def session_doc(session: Session, session_ref: Any):  # type: ignore[no-untyped-def]
    from coachdesk.reports.documents import SessionReportDoc

    row = _session(session, session_ref)
    labels = vocabulary.capacity_labels(session)
    capacities = [labels.get(cid, "?") for cid in session.scalars(select(SessionCapacity.capacity_id).where(
        SessionCapacity.session_id == row.id, SessionCapacity.deleted.is_(False)))]
    coach = session.get(Coach, row.coach_id) if row.coach_id else None
    methods = vocabulary.method_labels(session)
    return SessionReportDoc(
        row.title or vocabulary.label(row.kind), vocabulary.label(row.kind), row.started_at, row.duration_minutes,
        row.location, coach.name if coach else "", methods.get(row.method_id, "") if row.method_id else "",
        language_name(row.language) if row.language else "", [name for name, _c in _participants(session, row.id)],
        sorted(capacities, key=str.casefold), row.notes, row.next_steps)


def attendance_doc(session: Session, session_ref: Any, blank_rows: int = 8):  # type: ignore[no-untyped-def]
    from coachdesk.reports.documents import AttendanceDoc

    row = _session(session, session_ref)
    coach = session.get(Coach, row.coach_id) if row.coach_id else None
    return AttendanceDoc(row.title or vocabulary.label(row.kind), row.started_at, row.location,
                         coach.name if coach else "", _participants(session, row.id), blank_rows)


@cache
def handout_texts(language: str) -> dict[str, dict[str, dict[str, Any]]]:
    """The toolbox handouts' texts in ``language`` (resources/handouts/), each entry falling back to English."""
    folder = resources_dir() / "handouts"
    english = tomllib.loads((folder / "en.toml").read_text(encoding="utf-8"))
    texts = {section: dict(entries) for section, entries in english.items() if isinstance(entries, dict)}
    for code in dict.fromkeys((language.split("_")[0], language)):
        path = folder / f"{code}.toml"
        if code != "en" and path.exists():
            translated = tomllib.loads(path.read_text(encoding="utf-8"))
            for section in texts:
                texts[section].update(translated.get(section, {}))
    return texts


def toolbox_keys(session: Session) -> tuple[list[str], list[str]]:
    capacities = list(session.scalars(select(Capacity.key).where(Capacity.deleted.is_(False))
                                      .order_by(Capacity.position)))
    methods = list(session.scalars(select(ToolboxMethod.key).where(ToolboxMethod.deleted.is_(False))
                                   .order_by(ToolboxMethod.position)))
    return capacities, methods


def toolbox_doc(session: Session, key: str, language: str):  # type: ignore[no-untyped-def]
    from coachdesk.reports.documents import ToolboxDoc

    texts = handout_texts(language)
    capacity = session.scalar(select(Capacity).where(Capacity.key == key, Capacity.deleted.is_(False)))
    if capacity is not None:
        label, description, anchors = vocabulary.capacity_details(session).get(capacity.id, (key, "", []))
        area = vocabulary.area_labels(session).get(capacity.area_id, "")
        entry = texts["capacity"].get(key)
        if entry is None:
            raise InputError(_("There is no handout for the capacity “{key}” yet.").format(key=key))
        return ToolboxDoc("capacity", label, area, description, anchors, entry["what"], entry["why"],
                          list(entry["questions"]), list(entry["first_steps"]))
    method = session.scalar(select(ToolboxMethod).where(ToolboxMethod.key == key, ToolboxMethod.deleted.is_(False)))
    if method is not None:
        label, description = vocabulary.method_details(session).get(method.id, (key, ""))
        entry = texts["method"].get(key)
        if entry is None:
            raise InputError(_("There is no handout for the method “{key}” yet.").format(key=key))
        return ToolboxDoc("method", label, _("Capacity-building method"), description, [], entry["what"],
                          entry["why"], list(entry["questions"]), list(entry["first_steps"]))
    capacities, methods = toolbox_keys(session)
    raise InputError(_("“{key}” is neither a capacity nor a method; try one of: {keys}.").format(
        key=key, keys=", ".join(capacities + methods)))


def peer_exchange_doc(session: Session, mentee_ref: Any, language: str):  # type: ignore[no-untyped-def]
    """The peers suggested for the mentee's priority gaps and what each pair can give the other. Only
    mentees who agreed to be suggested appear (``services.matching``), and no contact details."""
    from coachdesk.reports.peer_exchange import GapSection, PeerExchangeDoc, PeerRow
    from coachdesk.services.matching import find_peers, mentee_id_of, offers_text

    mentee = _mentee(session, mentee_id_of(mentee_ref))
    found = find_peers(session, mentee.id, language)
    words = {key: str(value) for key, value in handout_texts(language)["peer_exchange"].items()}

    def about(kind: Any, community: str) -> str:
        return " · ".join(x for x in (vocabulary.label(kind), community) if x)

    gaps = [GapSection(g.label, g.level, [
        PeerRow(s.name, about(s.kind, s.community), s.level, offers_text([s.they_offer]), offers_text(s.you_offer),
                ", ".join(language_name(code) for code in s.shared_languages)) for s in g.suggestions])
        for g in found.gaps]
    return PeerExchangeDoc(found.name, about(found.kind, found.community), found.assessed_on, gaps,
                           offers_text(found.assets), found.opted_in, words)


# -- the evaluation report -------------------------------------------------------------------------


def evaluation_doc(session: Session, source: str, start: date | None = None, end: date | None = None):  # type: ignore[no-untyped-def]
    from coachdesk.reports.documents import EvaluationDoc, Tally

    if start and end and start > end:
        raise InputError(_("The period starts after it ends ({start} > {end}).").format(
            start=start.isoformat(), end=end.isoformat()))
    conditions = [CoachingSession.deleted.is_(False)]
    if start:
        conditions.append(CoachingSession.started_at >= datetime.combine(start, datetime.min.time()))
    if end:
        conditions.append(CoachingSession.started_at < datetime.combine(end, datetime.max.time()))
    rows = session.execute(select(CoachingSession.id, CoachingSession.started_at, CoachingSession.duration_minutes,
                                  CoachingSession.method_id).where(*conditions)).all()
    minutes = {sid: m for sid, _s, m, _me in rows}
    ids = list(minutes)

    def tally(pairs: list[tuple[Any, Any]], labels: dict[Any, str], fallback: str) -> list[Tally]:
        sessions: dict[str, set] = defaultdict(set)
        for key, sid in pairs:
            sessions[labels.get(key, fallback) if key is not None else fallback].add(sid)
        result = [Tally(label, len(s), sum(minutes[x] for x in s) / 60) for label, s in sessions.items()]
        return sorted(result, key=lambda t: (-t.hours, t.label.casefold()))

    capacity_pairs: list[tuple[Any, Any]] = []
    participant_pairs: list[tuple[Any, Any]] = []
    chunk = 900
    for i in range(0, len(ids), chunk):
        part = ids[i:i + chunk]
        capacity_pairs += session.execute(select(SessionCapacity.capacity_id, SessionCapacity.session_id).where(
            SessionCapacity.session_id.in_(part), SessionCapacity.deleted.is_(False))).all()
        participant_pairs += session.execute(
            select(Mentee.community_id, SessionParticipant.session_id, SessionParticipant.mentee_id)
            .join(Mentee, Mentee.id == SessionParticipant.mentee_id)
            .where(SessionParticipant.session_id.in_(part), SessionParticipant.deleted.is_(False))).all()
    communities = {cid: name for cid, name in session.execute(select(Community.id, Community.name))}
    months: dict[str, str] = {}
    month_pairs = []
    for sid, started, _m, _me in rows:
        key = started.strftime("%Y-%m")
        months[key] = format_date(started.date(), "MMMM y")
        month_pairs.append((key, sid))
    by_month = tally(month_pairs, months, "")
    by_month.sort(key=lambda t: next(k for k, v in months.items() if v == t.label))
    progress = _progress(session, start, end)
    plan_rows = session.execute(select(Plan.status).where(Plan.deleted.is_(False))).scalars().all()
    action_rows = session.execute(select(PlanAction.status).join(PlanGoal, PlanGoal.id == PlanAction.goal_id).join(
        Plan, Plan.id == PlanGoal.plan_id).where(PlanAction.deleted.is_(False), PlanGoal.deleted.is_(False),
                                                 Plan.deleted.is_(False), PlanAction.status != ActionStatus.DROPPED)
                                 ).scalars().all()
    return EvaluationDoc(
        source, (start, end), len(rows), sum(minutes.values()) / 60, len({m for _c, _s, m in participant_pairs}),
        tally(capacity_pairs, vocabulary.capacity_labels(session), _("No capacity named")),
        tally([(me, sid) for sid, _s, _m, me in rows], vocabulary.method_labels(session), _("No method named")),
        tally([(c, s) for c, s, _m in participant_pairs], communities, _("No community")),
        by_month, progress, len(plan_rows), sum(1 for s in plan_rows if s == PlanStatus.COMPLETED),
        len(action_rows), sum(1 for s in action_rows if s == ActionStatus.DONE))


def _progress(session: Session, start: date | None, end: date | None) -> list:  # type: ignore[type-arg]
    from coachdesk.reports.documents import Progress

    conditions = [Assessment.deleted.is_(False)]
    if start:
        conditions.append(Assessment.assessed_on >= start)
    if end:
        conditions.append(Assessment.assessed_on <= end)
    assessments = session.execute(select(Assessment.id, Assessment.mentee_id, Assessment.assessed_on)
                                  .where(*conditions).order_by(Assessment.assessed_on, Assessment.id)).all()
    by_mentee: dict[Any, list[Any]] = defaultdict(list)
    for aid, mid, _day in assessments:
        by_mentee[mid].append(aid)
    pairs = {mid: (ids[0], ids[-1]) for mid, ids in by_mentee.items() if len(ids) > 1}
    wanted = [a for pair in pairs.values() for a in pair]
    levels: dict[Any, dict[Any, int]] = defaultdict(dict)
    for i in range(0, len(wanted), 900):
        for aid, cid, level in session.execute(select(CapacityRating.assessment_id, CapacityRating.capacity_id,
                                                      CapacityRating.level).where(
                CapacityRating.assessment_id.in_(wanted[i:i + 900]), CapacityRating.deleted.is_(False))):
            levels[aid][cid] = level
    firsts: dict[Any, list[int]] = defaultdict(list)
    lasts: dict[Any, list[int]] = defaultdict(list)
    for first, last in pairs.values():
        for cid, level in levels[first].items():
            if cid in levels[last]:
                firsts[cid].append(level)
                lasts[cid].append(levels[last][cid])
    labels = vocabulary.capacity_labels(session)
    result = [Progress(labels.get(cid, "?"), len(firsts[cid]), sum(firsts[cid]) / len(firsts[cid]),
                       sum(lasts[cid]) / len(lasts[cid])) for cid in firsts]
    return sorted(result, key=lambda p: (-(p.latest - p.first), p.capacity.casefold()))


def evaluation_csv(doc: Any) -> str:
    """The report's figures as CSV: one row per figure (section, label, measure, value)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "label", "measure", "value"])
    start, end = doc.period
    writer.writerow(["period", "from", "date", start.isoformat() if start else ""])
    writer.writerow(["period", "to", "date", end.isoformat() if end else ""])
    for measure, value in (("sessions", doc.sessions), ("hours", round(doc.hours, 2)),
                           ("mentees_reached", doc.mentees_reached), ("plans", doc.plans),
                           ("plans_completed", doc.plans_completed), ("actions", doc.actions),
                           ("actions_done", doc.actions_done)):
        writer.writerow(["total", "", measure, value])
    for section, tallies in (("capacity", doc.by_capacity), ("method", doc.by_method),
                             ("community", doc.by_community), ("month", doc.by_month)):
        for t in tallies:
            writer.writerow([section, t.label, "sessions", t.sessions])
            writer.writerow([section, t.label, "hours", round(t.hours, 2)])
    for p in doc.progress:
        writer.writerow(["progress", p.capacity, "mentees", p.mentees])
        writer.writerow(["progress", p.capacity, "first_level", round(p.first, 2)])
        writer.writerow(["progress", p.capacity, "latest_level", round(p.latest, 2)])
    return out.getvalue()


# -- writing ---------------------------------------------------------------------------------------


def _page(title: str, subject: str, author: str = ""):  # type: ignore[no-untyped-def]
    from coachdesk.reports.layout import Page

    return Page(title, subject, author)


def render_handout(db: Database, kind: str, ref: Any, language: str) -> tuple[Any, list[Any]]:
    """The page and story of a handout, for writing or previewing."""
    from coachdesk.reports import documents

    language = check_language(language)
    if kind not in HANDOUTS:
        raise InputError(_("“{kind}” is not a handout; choose one of: {kinds}.").format(
            kind=kind, kinds=", ".join(HANDOUTS)))
    with use_language(language), db.read() as session:
        if kind == "assessment":
            doc = assessment_doc(session, ref)
            page = _page(_("Assessment summary") + f" — {doc.mentee}", _("Capacity self-assessment"))
            return page, documents.assessment_summary(doc, page)
        if kind == "plan":
            doc = plan_doc(session, ref)
            page = _page(f"{doc.title} — {doc.mentee}", _("Capacity-building plan"))
            return page, documents.capacity_plan(doc, page)
        if kind == "session":
            doc = session_doc(session, ref)
            page = _page(doc.title, _("Session report"))
            return page, documents.session_report(doc, page)
        if kind == "attendance":
            doc = attendance_doc(session, ref)
            page = _page(_("Attendance sheet") + f" — {doc.title}", _("Attendance sheet"))
            return page, documents.attendance_sheet(doc, page)
        if kind == "peer-exchange":
            from coachdesk.reports.peer_exchange import peer_exchange

            doc = peer_exchange_doc(session, ref, language)
            page = _page(f"{doc.words['title']} — {doc.mentee}", doc.words["title"])
            return page, peer_exchange(doc, page)
        doc = toolbox_doc(session, str(ref), language)
        page = _page(doc.label, _("Toolbox handout"))
        return page, documents.toolbox_handout(doc, page)


def handout_pdf(db: Database, kind: str, ref: Any, language: str) -> tuple[bytes, int]:
    """A handout's PDF bytes and page count, for a preview."""
    page, story = render_handout(db, kind, ref, language)
    with use_language(page.language):
        return page.render(story)


def evaluation_pdf(db: Database, language: str, start: date | None = None, end: date | None = None) -> tuple[bytes, int]:
    from coachdesk.reports import documents

    language = check_language(language)
    source = db.path.stem if db.path else "CoachDesk"
    with use_language(language):
        with db.read() as session:
            doc = evaluation_doc(session, source, start, end)
        page = _page(_("Evaluation report") + f" — {source}", _("Evaluation report"))
        return page.render(documents.evaluation_report(doc, page))


def save_pdf(data: bytes, out: Path) -> Path:
    """Write PDF bytes from a preview, whole or not at all."""
    from coachdesk.reports.layout import write_file

    return write_file(data, out)


def write_handout(db: Database, kind: str, ref: Any, language: str, out: Path) -> Printed:
    page, story = render_handout(db, kind, ref, language)
    with use_language(page.language):
        return Printed(out, page.write(story, out))


def write_evaluation(db: Database, out: Path, start: date | None = None, end: date | None = None,
                     language: str = "en", source: str = "") -> Printed:
    """The evaluation report as a PDF, or as CSV when ``out`` ends in .csv."""
    from coachdesk.reports import documents

    language = check_language(language)
    source = source or (db.path.stem if db.path else "CoachDesk")
    with use_language(language):
        with db.read() as session:
            doc = evaluation_doc(session, source, start, end)
        if out.suffix.lower() == ".csv":
            from coachdesk.reports.layout import write_file

            return Printed(write_file(evaluation_csv(doc), out), 0)
        page = _page(_("Evaluation report") + f" — {source}", _("Evaluation report"))
        return Printed(out, page.write(documents.evaluation_report(doc, page), out))
