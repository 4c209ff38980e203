"""One mentee's profile: header, timeline, current plan and radar, each section read in one query."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from coachdesk.errors import InputError
from coachdesk.model import (
    ActionStatus,
    Assessment,
    Capacity,
    CapacityRating,
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
    named_id,
    uuid7,
)
from coachdesk.services.mentee_profile import TimelineKind, mentee_languages, mentee_profile, mentee_rowid

TODAY = date(2026, 6, 1)


def _capacities(db, *keys):
    with db.read() as s:
        found = {c.key: c.id for c in s.scalars(select(Capacity).where(Capacity.key.in_(keys)))}
    return [found[k] for k in keys]


def _mentee(s, name="Amina Bello", **values):
    community = Community(id=uuid7(), name="Hausa Wikimedians", region="West Africa", languages=["ha"], notes="")
    s.add(community)
    mentee = Mentee(id=uuid7(), name=name, kind=values.pop("kind", MenteeKind.PERSON), community_id=community.id,
                    languages=values.pop("languages", ["ha", "en"]), region="West Africa",
                    journey_stage=values.pop("stage", JourneyStage.PLANNING), archived=False, **values)
    s.add(mentee)
    return mentee.id


def _session(s, mentee_id, when, title, minutes=60, kind=SessionKind.COACHING):
    session = CoachingSession(id=uuid7(), kind=kind, title=title, started_at=when, duration_minutes=minutes)
    s.add(session)
    s.flush()
    link = SessionParticipant(id=named_id(session.id, mentee_id), session_id=session.id, mentee_id=mentee_id)
    s.add(link)
    return session.id, link.id


def _assessment(s, mentee_id, day, levels):
    assessment = Assessment(id=uuid7(), mentee_id=mentee_id, assessed_on=day)
    s.add(assessment)
    s.flush()
    for capacity_id, level in levels.items():
        s.add(CapacityRating(id=named_id(assessment.id, capacity_id), assessment_id=assessment.id,
                             capacity_id=capacity_id, level=level))
    return assessment.id


@pytest.fixture
def journey(db):
    """A mentee with sessions, two assessments, an active plan, an older completed plan and a draft."""
    legal, outreach, it_safety = _capacities(db, "legal", "community_outreach", "it_safety")
    with db.write() as s:
        mid = _mentee(s, consent_given_on=date(2025, 1, 5), consent_given_by="signed form",
                      email="amina@example.org", phone="+234 1")
        first, _ = _session(s, mid, datetime(2026, 2, 1, 10), "First call", 45)
        _session(s, mid, datetime(2026, 5, 20, 14), "Fundraising follow-up", 90, SessionKind.MENTORING)
        _gone, gone_link = _session(s, mid, datetime(2026, 4, 1, 9), "Logged by mistake")
        older = _assessment(s, mid, date(2026, 1, 10), {legal: 1, outreach: 2})
        latest = _assessment(s, mid, date(2026, 5, 1), {legal: 3, outreach: 2, it_safety: 4})
        s.add(Plan(id=uuid7(), mentee_id=mid, title="Old plan", status=PlanStatus.COMPLETED,
                   created_on=date(2025, 6, 1)))
        s.add(Plan(id=uuid7(), mentee_id=mid, title="Next year's ideas", status=PlanStatus.DRAFT,
                   created_on=date(2026, 5, 25)))
        plan = Plan(id=uuid7(), mentee_id=mid, title="Grow outreach", status=PlanStatus.ACTIVE,
                    created_on=date(2026, 3, 1), review_on=date(2026, 9, 1))
        s.add(plan)
        s.flush()
        goal = PlanGoal(id=uuid7(), plan_id=plan.id, capacity_id=outreach, description="Reach two schools",
                        target_level=3, position=0)
        s.add(goal)
        s.flush()
        s.add_all([
            PlanAction(id=uuid7(), goal_id=goal.id, description="Visit the school board", position=0,
                       status=ActionStatus.DONE, due_on=date(2026, 4, 1), completed_on=date(2026, 3, 28)),
            PlanAction(id=uuid7(), goal_id=goal.id, description="Print flyers", position=1,
                       status=ActionStatus.TODO, due_on=date(2026, 5, 1)),
            PlanAction(id=uuid7(), goal_id=goal.id, description="Plan the workshop", position=2,
                       status=ActionStatus.IN_PROGRESS, due_on=date(2026, 7, 1)),
        ])
    with db.write() as s:
        s.get(SessionParticipant, gone_link).deleted = True  # removed from that session: a tombstone
    return {"mentee": mid, "first_session": first, "older": older, "latest": latest,
            "legal": legal, "outreach": outreach, "it_safety": it_safety}


def test_header_carries_profile_consent_and_contact(db, journey):
    with db.read() as s:
        header = mentee_profile(s, journey["mentee"], today=TODAY).header
    assert (header.name, header.kind, header.community, header.region) == (
        "Amina Bello", MenteeKind.PERSON, "Hausa Wikimedians", "West Africa")
    assert header.languages == ("ha", "en")
    assert header.journey_stage is JourneyStage.PLANNING
    assert (header.consent_given_on, header.consent_given_by) == (date(2025, 1, 5), "signed form")
    assert (header.email, header.phone) == ("amina@example.org", "+234 1")


def test_timeline_is_newest_first_and_leaves_out_removed_links(db, journey):
    with db.read() as s:
        timeline = mentee_profile(s, journey["mentee"], today=TODAY).timeline
    assert [(e.kind, e.when.date()) for e in timeline] == [
        (TimelineKind.PLAN_CREATED, date(2026, 5, 25)),
        (TimelineKind.SESSION, date(2026, 5, 20)),
        (TimelineKind.ASSESSMENT, date(2026, 5, 1)),
        (TimelineKind.ACTION_COMPLETED, date(2026, 3, 28)),
        (TimelineKind.PLAN_CREATED, date(2026, 3, 1)),
        (TimelineKind.SESSION, date(2026, 2, 1)),
        (TimelineKind.ASSESSMENT, date(2026, 1, 10)),
        (TimelineKind.PLAN_CREATED, date(2025, 6, 1)),
    ]
    session = timeline[1]
    assert (session.title, session.session_kind, session.duration_minutes) == (
        "Fundraising follow-up", SessionKind.MENTORING, 90)
    latest = timeline[2]
    assert (latest.ref_id, latest.rated, latest.average_level) == (journey["latest"], 3, pytest.approx(3.0))
    assert timeline[3].title == "Visit the school board"
    assert timeline[5].ref_id == journey["first_session"]


def test_current_plan_is_the_active_one_with_goals_actions_and_overdue(db, journey):
    with db.read() as s:
        plan = mentee_profile(s, journey["mentee"], today=TODAY).plan
    assert plan is not None
    assert (plan.title, plan.status, plan.review_on) == ("Grow outreach", PlanStatus.ACTIVE, date(2026, 9, 1))
    [goal] = plan.goals
    assert (goal.capacity, goal.description, goal.target_level) == ("Community outreach", "Reach two schools", 3)
    assert [(a.description, a.status, a.overdue) for a in goal.actions] == [
        ("Visit the school board", ActionStatus.DONE, False),
        ("Print flyers", ActionStatus.TODO, True),
        ("Plan the workshop", ActionStatus.IN_PROGRESS, False),
    ]


def test_a_draft_plan_stands_in_when_none_is_active(db):
    with db.write() as s:
        mid = _mentee(s)
        s.add(Plan(id=uuid7(), mentee_id=mid, title="Done", status=PlanStatus.COMPLETED, created_on=date(2026, 1, 1)))
        s.add(Plan(id=uuid7(), mentee_id=mid, title="Sketch", status=PlanStatus.DRAFT, created_on=date(2025, 1, 1)))
    with db.read() as s:
        plan = mentee_profile(s, mid, today=TODAY).plan
    assert plan is not None and plan.title == "Sketch" and plan.goals == ()


def test_radar_has_the_latest_capacities_over_the_previous_levels(db, journey):
    with db.read() as s:
        radar = mentee_profile(s, journey["mentee"], today=TODAY).radar
        arabic = mentee_profile(s, journey["mentee"], language="ar", today=TODAY).radar
    assert len(radar.axes) == 3
    assert set(radar.axes) == {"Legal", "Community outreach", "IT safety"}
    previous, latest = radar.series
    assert (previous.assessment_id, latest.assessment_id) == (journey["older"], journey["latest"])
    by_axis = {axis: (previous.levels[i], latest.levels[i]) for i, axis in enumerate(radar.axes)}
    assert by_axis == {"Legal": (1, 3), "Community outreach": (2, 2), "IT safety": (None, 4)}
    assert arabic.axes != radar.axes and all(arabic.axes)


def test_a_mentee_without_history_has_an_empty_profile(db):
    with db.write() as s:
        mid = _mentee(s, stage=JourneyStage.FIRST_CONTACT)
    with db.read() as s:
        profile = mentee_profile(s, mid, today=TODAY)
    assert profile.timeline == () and profile.plan is None
    assert profile.radar.axes == () and profile.radar.series == ()
    assert profile.header.consent_given_on is None


def test_missing_or_removed_mentee_is_refused_in_plain_words(db):
    with db.write() as s:
        mid = _mentee(s)
    with db.write() as s:
        s.get(Mentee, mid).deleted = True
    with db.read() as s, pytest.raises(InputError, match="no longer exists"):
        mentee_profile(s, mid)
    with db.read() as s, pytest.raises(InputError):
        mentee_profile(s, uuid7())


def test_queries_do_not_grow_with_the_history(db, journey):
    def count_queries(mentee_id):
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            with db.read() as s:
                mentee_profile(s, mentee_id, today=TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    before = count_queries(journey["mentee"])
    with db.write() as s:
        for n in range(15):
            _session(s, journey["mentee"], datetime(2025, 3, 1 + n, 10), f"Extra {n}")
            _assessment(s, journey["mentee"], date(2025, 2, 1) + timedelta(days=n), {journey["legal"]: 2})
    assert count_queries(journey["mentee"]) == before


def test_list_helpers_find_rowids_and_languages(db):
    with db.write() as s:
        first = _mentee(s, languages=["ha", "en"])
        _mentee(s, name="Bruno", languages=["pt"])
        gone = _mentee(s, name="Gone", languages=["qu"])
    with db.write() as s:
        s.get(Mentee, gone).deleted = True
    with db.read() as s:
        assert mentee_languages(s) == ["en", "ha", "pt"]
    with db.engine.connect() as c:
        rowid = mentee_rowid(c, first)
        assert isinstance(rowid, int)
        assert c.exec_driver_sql("SELECT name FROM mentee WHERE rowid = ?", (rowid,)).scalar() == "Amina Bello"
        assert mentee_rowid(c, gone) is None
        assert mentee_rowid(c, uuid7()) is None
