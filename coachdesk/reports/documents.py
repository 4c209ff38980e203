"""The printed documents: what each one holds (plain data, gathered by ``services.printing``) and
how it is laid out. Everything is written in the active language (``i18n.use_language``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from coachdesk.i18n import _, format_date, format_decimal, format_percent, format_time, ngettext
from coachdesk.reports.charts import LATEST, PREVIOUS, SPREAD, Bar, Legend, Radar
from coachdesk.reports.layout import Page


def _when(moment: datetime) -> str:
    return f"{format_date(moment.date(), 'full')}, {format_time(moment, 'short')}"


def _numbered(number: int, text: str, rtl: bool) -> str:
    """"3. text"; right to left "3- text", as Arabic lists are numbered (a dot would be drawn before the number)."""
    return f"{number}- {text}" if rtl else f"{number}. {text}"


def _or_dash(text: str | None) -> str:
    return text if text else "—"


# -- 1. Assessment summary ------------------------------------------------------------------------


@dataclass
class RatedCapacity:
    label: str
    level: int
    previous: int | None
    priority: str
    assets: str
    gaps: str
    evidence: str
    spread: tuple[int, int, int] | None = None  # a group sitting's (lowest, highest, raters)


@dataclass
class GroupSitting:
    """A group assessment: how many took part, and the words its handout uses (resources/handouts)."""

    participants: int | None
    texts: dict[str, str]
    spreads: list[tuple[int, int] | None] = field(default_factory=list)  # per chart axis: (lowest, highest)


WIDE_SPREAD = 2  # levels apart from which the handout marks a spread as worth discussing


@dataclass
class AssessmentSummaryDoc:
    mentee: str
    kind: str
    community: str
    assessed_on: date
    facilitator: str
    mode: str
    previous_on: date | None
    areas: list[tuple[str, list[RatedCapacity]]]
    axes: list[str]
    latest: list[float]
    previous: list[float] | None
    appreciative: list[tuple[str, str]] = field(default_factory=list)  # (question, answer)
    group: GroupSitting | None = None


def _change(level: int, previous: int | None) -> str:
    if previous is None:
        return _("new")
    difference = level - previous
    return "±0" if difference == 0 else f"{difference:+d}"


def _spread_cell(spread: tuple[int, int, int] | None, texts: dict[str, str]) -> str:
    """"2–5 (14)" and, two levels or more apart, the word for a wide spread on a line of its own."""
    if spread is None:
        return "—"
    lowest, highest, raters = spread
    cell = f"{lowest}–{highest}" if lowest != highest else str(lowest)
    if raters:
        cell += f" ({raters})"
    if highest - lowest >= WIDE_SPREAD:
        cell += "\n" + texts["wide"]
    return cell


def assessment_summary(doc: AssessmentSummaryDoc, page: Page) -> list[Flowable]:
    story: list[Flowable] = [page.p(_("Assessment summary"), "title"),
                             page.p(" · ".join(x for x in (doc.mentee, doc.kind, doc.community) if x), "subtitle")]
    facts = [_("Assessed on {date}").format(date=format_date(doc.assessed_on, "long")), doc.mode]
    if doc.group and doc.group.participants:
        facts.append(doc.group.texts["participants"].format(count=doc.group.participants))
    if doc.facilitator:
        facts.append(_("Facilitated by {name}").format(name=doc.facilitator))
    if doc.previous_on:
        facts.append(_("Compared with {date}").format(date=format_date(doc.previous_on, "long")))
    story.append(page.p(" · ".join(facts), "small"))
    if doc.axes:
        spreads = doc.group.spreads if doc.group and any(doc.group.spreads) else None
        story.append(Radar(doc.axes, doc.latest, doc.previous, min(page.width * 0.55, 95 * mm), page.rtl,
                           spreads=spreads))
        keys = [(LATEST, False, format_date(doc.assessed_on))]
        if doc.previous and doc.previous_on:
            keys.append((PREVIOUS, True, format_date(doc.previous_on)))
        if spreads and doc.group:
            keys.append((SPREAD, False, doc.group.texts["spread"]))
        story += [Legend(keys, page.width * 0.6, page.rtl), page.space(6)]
    for question, answer in doc.appreciative:
        if answer:
            story += [page.bold(question), page.p(answer)]
    header = [_("Capacity"), _("Level"), _("Change"), _("Priority"), _("Assets"), _("Gaps"), _("Evidence")]
    widths = [18, 8, 9, 12, 18, 18, 17]
    if doc.group:
        # The consensus stands where the level would, the spread of the show of hands beside it.
        header = [header[0], doc.group.texts["consensus"], doc.group.texts["spread"], *header[2:]]
        widths = [14, 11, 11, 9, 11, 15, 15, 14]
        story.append(page.p(doc.group.texts["explanation"], "small"))
    for area, rated in doc.areas:
        rows = [header]
        for r in rated:
            row = [r.label, str(r.level), _change(r.level, r.previous), r.priority, r.assets, r.gaps, r.evidence]
            if doc.group:
                row.insert(2, _spread_cell(r.spread, doc.group.texts))
            rows.append(row)
        story.append(CondPageBreak(40 * mm))
        story.append(page.p(area, "heading"))
        story.append(page.table(rows, widths))
    if not doc.areas:
        story.append(page.p(_("This assessment rated no capacities.")))
    return story


# -- 2. Capacity plan -----------------------------------------------------------------------------


@dataclass
class PlannedAction:
    description: str
    owner: str
    due_on: date | None
    status: str
    funding: str
    method: str


@dataclass
class PlannedGoal:
    capacity: str
    description: str
    target_level: int | None
    actions: list[PlannedAction]


@dataclass
class CapacityPlanDoc:
    title: str
    mentee: str
    community: str
    status: str
    created_on: date
    review_on: date | None
    goals: list[PlannedGoal]


def capacity_plan(doc: CapacityPlanDoc, page: Page) -> list[Flowable]:
    story: list[Flowable] = [page.p(doc.title, "title"),
                             page.p(" · ".join(x for x in (doc.mentee, doc.community, doc.status) if x), "subtitle")]
    review = format_date(doc.review_on, "long") if doc.review_on else _("not set yet")
    story.append(page.p(_("Made on {made} · Next review: {review}").format(
        made=format_date(doc.created_on, "long"), review=review)))
    header = [_("Action"), _("Owner"), _("Due"), _("Status"), _("Funding"), _("Method")]
    for number, goal in enumerate(doc.goals, start=1):
        title = _("Goal {number}: {capacity}").format(number=number, capacity=goal.capacity or _("General"))
        if goal.target_level:
            title += " · " + _("target level {level}").format(level=goal.target_level)
        part: list[Flowable] = [page.p(title, "heading")]
        if goal.description:
            part.append(page.p(goal.description))
        if goal.actions:
            rows = [header] + [[a.description, a.owner, format_date(a.due_on, "short") if a.due_on else "—",
                                a.status, _or_dash(a.funding), _or_dash(a.method)] for a in goal.actions]
            part.append(page.table(rows, [30, 13, 11, 11, 17, 18]))
        else:
            part.append(page.p(_("No actions yet."), "small"))
        story.append(KeepTogether(part))
    if not doc.goals:
        story.append(page.p(_("This plan has no goals yet.")))
    story.append(CondPageBreak(50 * mm))
    story.append(page.p(_("Notes"), "heading"))
    story += page.lines(7)
    return story


# -- 3. Session / visit report -------------------------------------------------------------------


@dataclass
class SessionReportDoc:
    title: str
    kind: str
    started_at: datetime
    duration_minutes: int
    location: str
    facilitator: str
    method: str
    language: str
    participants: list[str]
    capacities: list[str]
    notes: str
    next_steps: str


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)
    if hours:
        return ngettext("{count} hour", "{count} hours", hours).format(count=hours)
    return ngettext("{count} minute", "{count} minutes", rest).format(count=rest)


def session_report(doc: SessionReportDoc, page: Page) -> list[Flowable]:
    story: list[Flowable] = [page.p(doc.title, "title"), page.p(doc.kind, "subtitle")]
    facts = [
        (_("When"), f"{_when(doc.started_at)} · {duration_text(doc.duration_minutes)}"),
        (_("Where"), _or_dash(doc.location)),
        (_("Facilitator"), _or_dash(doc.facilitator)),
        (_("Method"), _or_dash(doc.method)),
        (_("Language"), _or_dash(doc.language)),
        (_("Who took part"), ", ".join(doc.participants) or "—"),
        (_("Capacities worked on"), ", ".join(doc.capacities) or "—"),
    ]
    story.append(page.table([[caption, value] for caption, value in facts], [28, 72], header=False, zebra=False,
                            extra=[("FONTNAME", (0, 0), (0, -1), "CoachDeskSans-Bold")]))
    story += [page.p(_("What was covered"), "heading"), page.p(_or_dash(doc.notes)),
              page.p(_("Next steps"), "heading"), page.p(_or_dash(doc.next_steps))]
    story.append(CondPageBreak(45 * mm))
    story.append(page.p(_("Notes"), "heading"))
    story += page.lines(5)
    return story


# -- 4. Attendance sheet -------------------------------------------------------------------------


@dataclass
class AttendanceDoc:
    title: str
    started_at: datetime
    location: str
    facilitator: str
    participants: list[tuple[str, str]]  # (name, community or organization)
    blank_rows: int = 8


def attendance_sheet(doc: AttendanceDoc, page: Page) -> list[Flowable]:
    story: list[Flowable] = [page.p(_("Attendance sheet"), "title"), page.p(doc.title, "subtitle")]
    facts = [(_("Date"), _when(doc.started_at)), (_("Place"), _or_dash(doc.location)),
             (_("Facilitator"), _or_dash(doc.facilitator))]
    story.append(page.table([[c, v] for c, v in facts], [25, 75], header=False, zebra=False,
                            extra=[("FONTNAME", (0, 0), (0, -1), "CoachDeskSans-Bold")]))
    story.append(page.space(8))
    rows: list[list[str]] = [[_("No."), _("Name"), _("Community or organization"), _("Contact (optional)"),
                              _("Signature")]]
    for number, (name, community) in enumerate(doc.participants, start=1):
        rows.append([str(number), name, community, "", ""])
    for extra in range(doc.blank_rows):
        rows.append([str(len(doc.participants) + extra + 1), "", "", "", ""])
    story.append(page.table(rows, [6, 27, 25, 20, 22], min_height=9 * mm, zebra=False))
    story.append(page.p(_("By signing, participants confirm they attended. Contact details are optional and stay "
                          "with the organizers."), "small"))
    return story


# -- 5. Toolbox handout ---------------------------------------------------------------------------


@dataclass
class ToolboxDoc:
    kind: str  # "capacity" or "method"
    label: str
    context: str  # the capacity's area, or "Capacity-building method"
    description: str
    anchors: list[str]
    what: str
    why: str
    questions: list[str]
    first_steps: list[str]


def toolbox_handout(doc: ToolboxDoc, page: Page) -> list[Flowable]:
    story: list[Flowable] = [page.p(doc.label, "title"), page.p(doc.context, "subtitle")]
    if doc.description:
        story.append(page.p(doc.description))
    story += [page.p(_("What it is"), "heading"), page.p(doc.what),
              page.p(_("Why it matters") if doc.kind == "capacity" else _("When to use it"), "heading"),
              page.p(doc.why)]
    if doc.anchors:
        rows = [[_("Level"), _("What it looks like")]] + [[str(n), text] for n, text in enumerate(doc.anchors, 1)]
        story.append(KeepTogether([page.p(_("Where are we today?"), "heading"), page.table(rows, [10, 90])]))
    story.append(page.p(_("Questions to talk about") if doc.kind == "capacity" else _("Questions to prepare and "
                                                                                        "look back"), "heading"))
    story += [page.p(_numbered(n, q, page.rtl)) for n, q in enumerate(doc.questions, start=1)]
    story.append(page.p(_("First steps") if doc.kind == "capacity" else _("How to run it"), "heading"))
    story += [page.p(_numbered(n, s, page.rtl)) for n, s in enumerate(doc.first_steps, start=1)]
    return story


# -- 6. Evaluation report -------------------------------------------------------------------------


@dataclass
class Tally:
    label: str
    sessions: int
    hours: float


@dataclass
class Progress:
    capacity: str
    mentees: int
    first: float
    latest: float


@dataclass
class EvaluationDoc:
    source: str  # the database's name
    period: tuple[date | None, date | None]
    sessions: int
    hours: float
    mentees_reached: int
    by_capacity: list[Tally]
    by_method: list[Tally]
    by_community: list[Tally]
    by_month: list[Tally]  # label: the month, already formatted
    progress: list[Progress]
    plans: int
    plans_completed: int
    actions: int
    actions_done: int


def _period_text(period: tuple[date | None, date | None]) -> str:
    start, end = period
    if start and end:
        return _("From {start} to {end}").format(start=format_date(start, "long"), end=format_date(end, "long"))
    if start:
        return _("From {start}").format(start=format_date(start, "long"))
    if end:
        return _("Until {end}").format(end=format_date(end, "long"))
    return _("All recorded time")


def _bar_table(page: Page, title: str, tallies: list[Tally]) -> list[Flowable]:
    if not tallies:
        return [page.p(title, "heading"), page.p(_("Nothing recorded in this period."), "small")]
    longest = max(t.hours for t in tallies) or 1
    bar_width = page.width * 0.30
    rows: list[list[object]] = [[title, _("Sessions"), _("Hours"), ""]]
    for t in tallies:
        rows.append([t.label, format_decimal(t.sessions, 0), format_decimal(t.hours, 1),
                     Bar(t.hours, longest, bar_width - 8, page.rtl)])
    return [CondPageBreak(40 * mm), page.space(10), page.table(rows, [42, 12, 12, 34], zebra=False)]


def evaluation_report(doc: EvaluationDoc, page: Page) -> list[Flowable]:
    story: list[Flowable] = [page.p(_("Evaluation report"), "title"),
                             page.p(f"{doc.source} · {_period_text(doc.period)}", "subtitle")]
    done_share = doc.actions_done / doc.actions if doc.actions else 0.0
    plan_share = doc.plans_completed / doc.plans if doc.plans else 0.0
    summary = [
        [_("Sessions"), format_decimal(doc.sessions, 0)],
        [_("Hours of capacity building"), format_decimal(doc.hours, 1)],
        [_("Mentees reached"), format_decimal(doc.mentees_reached, 0)],
        [_("Plans completed"), f"{format_decimal(doc.plans_completed, 0)} / {format_decimal(doc.plans, 0)} "
                               f"({format_percent(plan_share)})"],
        [_("Plan actions done"), f"{format_decimal(doc.actions_done, 0)} / {format_decimal(doc.actions, 0)} "
                                 f"({format_percent(done_share)})"],
    ]
    story.append(page.table(summary, [60, 40], header=False, zebra=False))
    story += _bar_table(page, _("By capacity"), doc.by_capacity)
    story += _bar_table(page, _("By method"), doc.by_method)
    story += _bar_table(page, _("By community"), doc.by_community)
    story += _bar_table(page, _("By month"), doc.by_month)
    story.append(CondPageBreak(50 * mm))
    story.append(page.p(_("Assessment progress"), "heading"))
    story.append(page.p(_("Average level per capacity at each mentee's first and latest assessment, for mentees "
                          "assessed at least twice."), "small"))
    if doc.progress:
        rows: list[list[object]] = [[_("Capacity"), _("Mentees"), _("First"), _("Latest"), _("Change")]]
        for p in doc.progress:
            rows.append([p.capacity, format_decimal(p.mentees, 0), format_decimal(p.first, 1),
                         format_decimal(p.latest, 1), f"{p.latest - p.first:+.1f}"])
        story.append(page.table(rows, [46, 13, 13, 13, 15]))
    else:
        story.append(page.p(_("No mentee was assessed twice in this period."), "small"))
    return story
