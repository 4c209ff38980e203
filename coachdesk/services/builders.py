"""Capacity builders' own profiles and their training-of-trainers track: who can support which capacity, in
which language, and where each new trainer is on their path.

Coaches, mentors, trainers and circuit riders come from the communities themselves. Their profile
lists the toolbox methods they are trained in and the capacities they can support; the sessions they
delivered are counted from logged sessions where they are the coach. There are few of them (hundreds at
most), so plain queries are enough.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _, format_date, format_decimal, is_language_code, ngettext, parse_locale
from coachdesk.model import (
    Capacity,
    Coach,
    CoachingSession,
    CoachRole,
    SessionKind,
    ToolboxMethod,
    TrackStepKind,
    TrainerTrackStep,
    uuid7,
)
from coachdesk.services.vocabulary import capacity_labels, method_labels
from coachdesk.store.search import escape_like

#: How many delivered sessions a builder's detail lists (newest first).
DELIVERED_SHOWN = 20
MAX_MINUTES = 10080  # a week, as the database allows


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuilderFilter:
    text: str = ""  # matches name or region, anywhere
    capacity: str = ""  # a capacity key
    method: str = ""  # a toolbox method key
    language: str = ""  # a language code; "pt" finds pt_BR too
    role: CoachRole | None = None
    include_archived: bool = False


@dataclass(frozen=True)
class TrackStatus:
    """Where a capacity builder is on the training-of-trainers track."""

    steps: int = 0
    #: (method label, date) of every sign-off, oldest first.
    signed_off: tuple[tuple[str, date], ...] = ()

    def text(self) -> str:
        if self.signed_off:
            methods = _(", ").join(dict.fromkeys(m for m, _day in self.signed_off))
            return _("Signed off for {methods} on {date}").format(
                methods=methods, date=format_date(self.signed_off[-1][1], "medium"))
        if self.steps:
            return ngettext("In progress: {count} step", "In progress: {count} steps", self.steps).format(
                count=self.steps)
        return _("Not on a track")


@dataclass(frozen=True)
class BuilderRow:
    id: uuid.UUID
    name: str
    role: CoachRole
    languages: list[str]
    region: str
    method_keys: list[str]
    capacity_keys: list[str]
    methods: list[str]  # labels in the active language, in the profile's order
    capacities: list[str]
    sessions: int  # live logged sessions where this person is the coach
    minutes: int
    track: TrackStatus
    archived: bool

    @property
    def hours(self) -> float:
        return self.minutes / 60


@dataclass(frozen=True)
class StepRow:
    id: uuid.UUID
    kind: TrackStepKind
    done_on: date
    mentor_id: uuid.UUID | None
    mentor: str
    session_id: uuid.UUID | None
    session_title: str
    session_on: date | None
    method_key: str
    method: str
    minutes: int
    notes: str


@dataclass(frozen=True)
class DeliveredSession:
    id: uuid.UUID
    title: str
    kind: SessionKind
    started_at: datetime
    minutes: int


@dataclass(frozen=True)
class BuilderDetail:
    row: BuilderRow
    email: str
    notes: str
    steps: list[StepRow]
    delivered: list[DeliveredSession]

    @property
    def progress(self) -> str:
        return progress_line(self.steps)


def _key_labels(session: Session, language: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """(method key → label, capacity key → label) in ``language``."""
    by_method = method_labels(session, language)
    by_capacity = capacity_labels(session, language)
    methods = {key: by_method.get(mid, key) for mid, key in session.execute(select(ToolboxMethod.id, ToolboxMethod.key))}
    capacities = {key: by_capacity.get(cid, key) for cid, key in session.execute(select(Capacity.id, Capacity.key))}
    return methods, capacities


def _json_contains(column: object, key: str, prefix: bool = False) -> object:
    # JSON lists are stored as text such as ["fundraising", "legal"]; a quoted key matches one item.
    ending = "%" if prefix else '"%'
    return cast(column, String).like(f'%"{escape_like(key)}{ending}', escape="\\")


def _query(f: BuilderFilter):  # type: ignore[no-untyped-def]
    query = select(Coach).where(Coach.deleted.is_(False))
    if not f.include_archived:
        query = query.where(Coach.archived.is_(False))
    text = f.text.strip()
    if text:
        pattern = f"%{escape_like(text)}%"
        query = query.where(or_(Coach.name.like(pattern, escape="\\"), Coach.region.like(pattern, escape="\\")))
    if f.capacity:
        query = query.where(_json_contains(Coach.capacities, f.capacity))
    if f.method:
        query = query.where(_json_contains(Coach.methods, f.method))
    if f.language:
        query = query.where(_json_contains(Coach.languages, f.language.replace("-", "_"), prefix=True))
    if f.role is not None:
        query = query.where(Coach.role == f.role)
    return query


def _delivered():  # type: ignore[no-untyped-def]
    """Sessions that took place: a session logged ahead for a later day is not delivered yet."""
    return CoachingSession.started_at <= datetime.now()


def _delivered_totals(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int]]:
    if not ids:
        return {}
    rows = session.execute(
        select(CoachingSession.coach_id, func.count(), func.coalesce(func.sum(CoachingSession.duration_minutes), 0))
        .where(CoachingSession.deleted.is_(False), CoachingSession.coach_id.in_(list(ids)), _delivered())
        .group_by(CoachingSession.coach_id))
    return {coach_id: (count, int(minutes)) for coach_id, count, minutes in rows}


def _track_status(session: Session, ids: Sequence[uuid.UUID], methods: dict[str, str]) -> dict[uuid.UUID, TrackStatus]:
    if not ids:
        return {}
    steps: dict[uuid.UUID, int] = {}
    signed: dict[uuid.UUID, list[tuple[str, date]]] = {}
    rows = session.execute(
        select(TrainerTrackStep.trainee_id, TrainerTrackStep.kind, TrainerTrackStep.done_on, ToolboxMethod.key)
        .outerjoin(ToolboxMethod, ToolboxMethod.id == TrainerTrackStep.method_id)
        .where(TrainerTrackStep.deleted.is_(False), TrainerTrackStep.trainee_id.in_(list(ids)))
        .order_by(TrainerTrackStep.done_on, TrainerTrackStep.id))
    for trainee, kind, done_on, method_key in rows:
        steps[trainee] = steps.get(trainee, 0) + 1
        if kind == TrackStepKind.SIGN_OFF:
            signed.setdefault(trainee, []).append((methods.get(method_key or "", method_key or ""), done_on))
    return {i: TrackStatus(steps.get(i, 0), tuple(signed.get(i, ()))) for i in ids}


def _rows(session: Session, coaches: Iterable[Coach], language: str | None) -> list[BuilderRow]:
    coaches = list(coaches)
    ids = [c.id for c in coaches]
    methods, capacities = _key_labels(session, language)
    totals = _delivered_totals(session, ids)
    tracks = _track_status(session, ids, methods)
    return [BuilderRow(c.id, c.name, c.role, list(c.languages), c.region, list(c.methods), list(c.capacities),
                       [methods.get(k, k) for k in c.methods], [capacities.get(k, k) for k in c.capacities],
                       *totals.get(c.id, (0, 0)), tracks[c.id], c.archived) for c in coaches]


def list_builders(session: Session, f: BuilderFilter | None = None, language: str | None = None) -> list[BuilderRow]:
    """Capacity builders that pass ``f``, by name, with what they can do and what they delivered."""
    query = _query(f or BuilderFilter()).order_by(func.lower(Coach.name), Coach.id)
    return _rows(session, session.scalars(query), language)


def builders_for(session: Session, capacity_id: uuid.UUID, language: str | None = None) -> list[BuilderRow]:
    """Who can support this capacity: live builders who list it, those who speak ``language`` first."""
    capacity = session.get(Capacity, capacity_id)
    if capacity is None or capacity.deleted:
        return []
    rows = list_builders(session, BuilderFilter(capacity=capacity.key))
    if language:
        wanted = language.replace("-", "_").split("_")[0]
        rows.sort(key=lambda r: not any(code.split("_")[0] == wanted for code in r.languages))  # stable: by name
    return rows


def _session_dates(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, date]]:
    if not ids:
        return {}
    return {sid: (title, started.date()) for sid, title, started in session.execute(
        select(CoachingSession.id, CoachingSession.title, CoachingSession.started_at)
        .where(CoachingSession.id.in_(list(ids)), CoachingSession.deleted.is_(False)))}


def track_steps(session: Session, trainee_id: uuid.UUID, language: str | None = None) -> list[StepRow]:
    """A capacity builder's live track steps, oldest first."""
    methods, _capacities = _key_labels(session, language)
    method_keys = dict(session.execute(select(ToolboxMethod.id, ToolboxMethod.key)).all())
    names = dict(session.execute(select(Coach.id, Coach.name)).all())
    steps = list(session.scalars(select(TrainerTrackStep).where(
        TrainerTrackStep.trainee_id == trainee_id, TrainerTrackStep.deleted.is_(False))
        .order_by(TrainerTrackStep.done_on, TrainerTrackStep.id)))
    linked = _session_dates(session, {s.session_id for s in steps if s.session_id})
    rows = []
    for step in steps:
        key = method_keys.get(step.method_id, "") if step.method_id else ""
        title, on = linked.get(step.session_id, ("", None)) if step.session_id else ("", None)
        rows.append(StepRow(step.id, step.kind, step.done_on, step.mentor_id,
                            names.get(step.mentor_id, "") if step.mentor_id else "",
                            step.session_id if step.session_id in linked else None, title, on, key,
                            methods.get(key, key), step.minutes, step.notes))
    return rows


def builder_detail(session: Session, builder_id: uuid.UUID, language: str | None = None) -> BuilderDetail:
    coach = session.get(Coach, builder_id)
    if coach is None or coach.deleted:
        raise InputError(_("This capacity builder no longer exists; they may have been removed on another device."))
    row = _rows(session, [coach], language)[0]
    delivered = [DeliveredSession(sid, title, kind, started, minutes) for sid, title, kind, started, minutes in
                 session.execute(select(CoachingSession.id, CoachingSession.title, CoachingSession.kind,
                                        CoachingSession.started_at, CoachingSession.duration_minutes)
                                 .where(CoachingSession.coach_id == builder_id, CoachingSession.deleted.is_(False),
                                        _delivered())
                                 .order_by(CoachingSession.started_at.desc()).limit(DELIVERED_SHOWN))]
    return BuilderDetail(row, coach.email, coach.notes, track_steps(session, builder_id, language), delivered)


def progress_line(steps: Sequence[StepRow]) -> str:
    """One line saying how far along the track someone is, e.g.
    "Training ✓ · Observed 2 · Co-facilitated 3 · Mentoring 4 h · Signed off for Training (12 Mar 2026)"."""
    if not steps:
        return _("No step on the track yet.")
    by_kind: dict[TrackStepKind, list[StepRow]] = {}
    for step in steps:
        by_kind.setdefault(step.kind, []).append(step)
    parts = []
    if TrackStepKind.TRAINING in by_kind:
        parts.append(_("Training ✓"))
    if observed := len(by_kind.get(TrackStepKind.OBSERVATION, [])):
        parts.append(_("Observed {count}").format(count=observed))
    if co_facilitated := len(by_kind.get(TrackStepKind.CO_FACILITATION, [])):
        parts.append(_("Co-facilitated {count}").format(count=co_facilitated))
    mentoring = by_kind.get(TrackStepKind.MENTORING, [])
    if mentoring:
        minutes = sum(s.minutes for s in mentoring)
        if minutes:
            parts.append(_("Mentoring {hours} h").format(hours=format_decimal(minutes / 60, 0 if minutes % 60 == 0
                                                                                else 1)))
        else:
            parts.append(_("Mentoring ✓"))
    for step in by_kind.get(TrackStepKind.SIGN_OFF, []):
        parts.append(_("Signed off for {method} ({date})").format(method=step.method or "?",
                                                                   date=format_date(step.done_on, "medium")))
    return " · ".join(parts)


# -- choices for the forms ----------------------------------------------------------------------


def mentor_choices(session: Session, trainee_id: uuid.UUID | None) -> list[tuple[uuid.UUID, str]]:
    """Live capacity builders who could mentor ``trainee_id`` (everyone else), by name."""
    query = select(Coach.id, Coach.name).where(Coach.deleted.is_(False), Coach.archived.is_(False))
    if trainee_id is not None:
        query = query.where(Coach.id != trainee_id)
    return [(cid, name) for cid, name in session.execute(query.order_by(func.lower(Coach.name)))]


def session_choices(session: Session, *coach_ids: uuid.UUID | None, limit: int = 200) -> list[tuple[uuid.UUID, str, date]]:
    """Logged sessions of these builders (the trainee's and the mentor's), newest first."""
    ids = [i for i in coach_ids if i is not None]
    if not ids:
        return []
    return [(sid, title, started.date()) for sid, title, started in session.execute(
        select(CoachingSession.id, CoachingSession.title, CoachingSession.started_at)
        .where(CoachingSession.deleted.is_(False), CoachingSession.coach_id.in_(ids))
        .order_by(CoachingSession.started_at.desc()).limit(limit))]


# -- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuilderChange:
    """What one write did: which builder or step, and how."""

    what: str  # "builder" or "step"
    id: uuid.UUID
    created: bool = False
    removed: bool = False
    archived: bool | None = None


@dataclass
class BuilderForm:
    """What the profile dialog edits; ``id`` is None for a new capacity builder."""

    name: str
    role: CoachRole = CoachRole.COACH
    languages: list[str] = field(default_factory=list)
    region: str = ""
    methods: list[str] = field(default_factory=list)
    capacities: list[str] = field(default_factory=list)
    email: str = ""
    notes: str = ""
    id: uuid.UUID | None = None


def validate_builder(session: Session, form: BuilderForm) -> list[str]:
    """Problems with ``form``, one sentence each; empty when it can be saved."""
    problems = []
    name = " ".join(form.name.split())
    if not name:
        problems.append(_("Give the capacity builder a name."))
    elif len(name) > 200:
        problems.append(_("The name is longer than 200 characters."))
    if len(form.region.strip()) > 100:
        problems.append(_("The region is longer than 100 characters."))
    bad = [code for code in form.languages if not is_language_code(code)]
    if bad:
        problems.append(_("“{code}” is not a language code; use codes such as ar, hi or pt_BR.").format(code=bad[0]))
    if form.email.strip() and "@" not in form.email:
        problems.append(_("“{email}” does not look like an email address.").format(email=form.email.strip()))
    known_methods = set(session.scalars(select(ToolboxMethod.key).where(ToolboxMethod.deleted.is_(False))))
    unknown = [k for k in form.methods if k not in known_methods]
    if unknown:
        problems.append(_("“{key}” is not a method of the toolbox.").format(key=unknown[0]))
    known_capacities = set(session.scalars(select(Capacity.key).where(Capacity.deleted.is_(False))))
    unknown = [k for k in form.capacities if k not in known_capacities]
    if unknown:
        problems.append(_("“{key}” is not a capacity of the taxonomy.").format(key=unknown[0]))
    return problems


def _live_coach(session: Session, builder_id: uuid.UUID) -> Coach:
    coach = session.get(Coach, builder_id)
    if coach is None or coach.deleted:
        raise InputError(_("This capacity builder no longer exists; they may have been removed on another device."))
    return coach


def save_builder(session: Session, form: BuilderForm) -> BuilderChange:
    """Add or update a capacity builder's profile (inside the caller's write transaction)."""
    problems = validate_builder(session, form)
    if problems:
        raise InputError(" ".join(problems))
    values = {
        "name": " ".join(form.name.split()), "role": form.role, "region": " ".join(form.region.split()),
        "languages": list(dict.fromkeys(str(parse_locale(c)) for c in form.languages)),
        "methods": list(dict.fromkeys(form.methods)), "capacities": list(dict.fromkeys(form.capacities)),
        "email": form.email.strip(), "notes": form.notes.strip(),
    }
    if form.id is None:
        coach = Coach(id=uuid7(), archived=False, **values)
        session.add(coach)
        session.flush()
        return BuilderChange("builder", coach.id, created=True)
    coach = _live_coach(session, form.id)
    for key, value in values.items():
        if getattr(coach, key) != value:
            setattr(coach, key, value)
    return BuilderChange("builder", coach.id)


def load_builder(session: Session, builder_id: uuid.UUID) -> BuilderForm:
    coach = _live_coach(session, builder_id)
    return BuilderForm(coach.name, coach.role, list(coach.languages), coach.region, list(coach.methods),
                       list(coach.capacities), coach.email, coach.notes, coach.id)


def set_builder_archived(session: Session, builder_id: uuid.UUID, archived: bool) -> BuilderChange:
    coach = _live_coach(session, builder_id)
    if coach.archived != archived:
        coach.archived = archived
    return BuilderChange("builder", coach.id, archived=archived)


@dataclass
class StepForm:
    """What the track-step dialog edits; ``id`` is None for a new step."""

    trainee_id: uuid.UUID
    kind: TrackStepKind = TrackStepKind.CO_FACILITATION
    done_on: date | None = None
    mentor_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    method: str = ""  # a toolbox method key; empty for none
    minutes: int = 0
    notes: str = ""
    id: uuid.UUID | None = None


def validate_step(session: Session, form: StepForm, today: date | None = None) -> list[str]:
    problems = []
    today = today or date.today()
    trainee = session.get(Coach, form.trainee_id)
    if trainee is None or trainee.deleted:
        problems.append(_("This capacity builder no longer exists; they may have been removed on another device."))
    if form.mentor_id is not None:
        if form.mentor_id == form.trainee_id:
            problems.append(_("Nobody can be their own mentor; choose another capacity builder."))
        else:
            mentor = session.get(Coach, form.mentor_id)
            if mentor is None or mentor.deleted:
                problems.append(_("The chosen mentor no longer exists; choose another one."))
    if form.kind == TrackStepKind.SIGN_OFF:
        if form.mentor_id is None:
            problems.append(_("A sign-off needs the experienced trainer who signs off; choose them as the mentor."))
        if not form.method:
            problems.append(_("A sign-off is for one method of the toolbox; choose the method."))
    if form.done_on is None:
        problems.append(_("Give the date of the step."))
    elif form.done_on > today:
        problems.append(_("The date is in the future; record a step once it has happened."))
    if form.method and session.scalar(select(ToolboxMethod.id).where(
            ToolboxMethod.key == form.method, ToolboxMethod.deleted.is_(False))) is None:
        problems.append(_("“{key}” is not a method of the toolbox.").format(key=form.method))
    if form.session_id is not None:
        linked = session.get(CoachingSession, form.session_id)
        if linked is None or linked.deleted:
            problems.append(_("The chosen session no longer exists; choose another one."))
    if not 0 <= form.minutes <= MAX_MINUTES:
        problems.append(_("The minutes must be between 0 and 10080 (a week)."))
    return problems


def save_step(session: Session, form: StepForm, today: date | None = None) -> BuilderChange:
    """Add or update a step on a capacity builder's track (inside the caller's write transaction)."""
    problems = validate_step(session, form, today)
    if problems:
        raise InputError(" ".join(problems))
    method_id = session.scalar(select(ToolboxMethod.id).where(ToolboxMethod.key == form.method)) if form.method else None
    values = {"trainee_id": form.trainee_id, "kind": form.kind, "done_on": form.done_on, "mentor_id": form.mentor_id,
              "session_id": form.session_id, "method_id": method_id, "minutes": int(form.minutes),
              "notes": form.notes.strip()}
    if form.id is None:
        step = TrainerTrackStep(id=uuid7(), **values)
        session.add(step)
        session.flush()
        return BuilderChange("step", step.id, created=True)
    step = session.get(TrainerTrackStep, form.id)
    if step is None or step.deleted:
        raise InputError(_("This step no longer exists; it may have been removed on another device."))
    for key, value in values.items():
        if getattr(step, key) != value:
            setattr(step, key, value)
    return BuilderChange("step", step.id)


def load_step(session: Session, step_id: uuid.UUID) -> StepForm:
    step = session.get(TrainerTrackStep, step_id)
    if step is None or step.deleted:
        raise InputError(_("This step no longer exists; it may have been removed on another device."))
    method = session.get(ToolboxMethod, step.method_id) if step.method_id else None
    return StepForm(step.trainee_id, step.kind, step.done_on, step.mentor_id, step.session_id,
                    method.key if method else "", step.minutes, step.notes, step.id)


def remove_step(session: Session, step_id: uuid.UUID) -> BuilderChange:
    """Remove a step (a tombstone, so the removal travels to the other devices)."""
    step = session.get(TrainerTrackStep, step_id)
    if step is None or step.deleted:
        raise InputError(_("This step no longer exists; it may have been removed on another device."))
    step.deleted = True
    return BuilderChange("step", step.id, removed=True)


def restore_step(session: Session, step_id: uuid.UUID) -> BuilderChange:
    """Bring back a removed step (undo)."""
    step = session.get(TrainerTrackStep, step_id)
    if step is None:
        raise InputError(_("This step no longer exists; it may have been removed on another device."))
    step.deleted = False
    return BuilderChange("step", step.id)
