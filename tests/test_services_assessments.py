"""Guided assessments in the service layer: the taxonomy asked, recording, plans, history, the radar and the picker."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from coachdesk.errors import InputError
from coachdesk.i18n import format_date
from coachdesk.model import (
    Assessment,
    AssessmentMode,
    Capacity,
    CapacityRating,
    Coach,
    Community,
    JourneyStage,
    Mentee,
    MenteeKind,
    Plan,
    PlanGoal,
    Priority,
    ToolboxMethod,
    named_id,
    uuid7,
)
from coachdesk.services.assessments import (
    AssessmentForm,
    RatingAnswer,
    assessment_detail,
    assessment_history,
    list_assessments,
    mentee_suggestions,
    radar_series,
    record_assessment,
    taxonomy_for_wizard,
)
from tests.conftest import table_dump


def add_mentee(db, name, stage=JourneyStage.FIRST_CONTACT, community=None, archived=False, deleted=False):
    with db.write() as s:
        community_id = None
        if community:
            community_id = uuid7()
            s.add(Community(id=community_id, name=community, region="", languages=[], notes=""))
            s.flush()
        mentee = Mentee(id=uuid7(), name=name, kind=MenteeKind.PERSON, languages=["pt_BR"], region="",
                        journey_stage=stage, community_id=community_id, archived=archived, deleted=deleted)
        s.add(mentee)
    return mentee.id


def caps(db):
    with db.read() as s:
        return {key: cid for cid, key in s.execute(select(Capacity.id, Capacity.key))}


def record(db, form, create_plan=False):
    (ids, _summary) = db.run_write(lambda s: record_assessment(s, form, create_plan))
    return ids


def test_taxonomy_for_wizard_gives_the_four_areas_in_order_with_anchors(db):
    with db.read() as s:
        areas = taxonomy_for_wizard(s)
    assert [a.key for a in areas] == ["governance_management", "organizational", "interpersonal", "adversity"]
    assert [len(a.capacities) for a in areas] == [8, 5, 5, 3]
    assert areas[0].label == "Governance and management"
    assert areas[0].description.startswith("How an affiliate")
    fundraising = areas[0].capacities[0]
    assert (fundraising.key, fundraising.label) == ("fundraising", "Fundraising")
    assert len(fundraising.anchors) == 5
    assert fundraising.anchors[0].startswith("No one has raised money")
    assert all(len(c.anchors) == 5 for a in areas for c in a.capacities)


def test_record_saves_ratings_a_plan_from_the_priorities_and_moves_the_journey(db):
    mentee = add_mentee(db, "Ana Souza")
    with db.write() as s:
        s.add(Coach(id=uuid7(), name="Test Coach", languages=["en"]))
    c = caps(db)
    form = AssessmentForm(
        mentee_id=mentee, assessed_on=date(2026, 3, 12), mode=AssessmentMode.GROUP, language="pt_BR",
        facilitator="test coach", discover="Weekly meetups", deliver="Write to the board",
        answers=[
            RatingAnswer(c["fundraising"], 2, Priority.HIGH, " Two donors ", "No plan", "Receipts"),
            RatingAnswer(c["public_speaking"], 5, Priority.MEDIUM),
            RatingAnswer(c["legal"], None, Priority.HIGH, assets="typed, then skipped"),
            RatingAnswer(c["it_safety"], 3, Priority.NONE),
            RatingAnswer(c["advocacy"], 4, Priority.LOW),
        ])
    assessment_id, plan_id = record(db, form, create_plan=True)
    with db.read() as s:
        assessment = s.get(Assessment, assessment_id)
        assert (assessment.mode, assessment.language, assessment.discover) == (AssessmentMode.GROUP, "pt_BR",
                                                                                "Weekly meetups")
        assert assessment.facilitator.name == "Test Coach"
        assert assessment.method_id == s.scalar(select(ToolboxMethod.id).where(ToolboxMethod.key == "assessment"))
        ratings = {r.capacity_id: r for r in s.scalars(select(CapacityRating))}
        assert set(ratings) == {c["fundraising"], c["public_speaking"], c["it_safety"], c["advocacy"]}
        fundraising = ratings[c["fundraising"]]
        assert fundraising.id == named_id(assessment_id, c["fundraising"])
        assert (fundraising.level, fundraising.priority, fundraising.assets, fundraising.gaps,
                fundraising.evidence) == (2, Priority.HIGH, "Two donors", "No plan", "Receipts")
        plan = s.get(Plan, plan_id)
        assert plan.assessment_id == assessment_id
        assert format_date(date(2026, 3, 12), "long") in plan.title
        goals = [(g.capacity_id, g.target_level) for g in s.scalars(select(PlanGoal).order_by(PlanGoal.position))]
        assert goals == [(c["fundraising"], 3), (c["public_speaking"], 5), (c["advocacy"], 5)]
        assert s.get(Mentee, mentee).journey_stage is JourneyStage.PLANNING


def test_the_journey_moves_forward_only_and_no_plan_without_priorities(db):
    c = caps(db)
    ahead = add_mentee(db, "Far along", stage=JourneyStage.ACTIVITIES)
    new = add_mentee(db, "Just met")
    _aid, plan = record(db, AssessmentForm(mentee_id=ahead, answers=[RatingAnswer(c["legal"], 3, Priority.HIGH)]))
    assert plan is None
    _aid, plan = record(db, AssessmentForm(mentee_id=new, answers=[RatingAnswer(c["legal"], 3)]), create_plan=True)
    assert plan is None
    with db.read() as s:
        assert s.get(Mentee, ahead).journey_stage is JourneyStage.ACTIVITIES
        assert s.get(Mentee, new).journey_stage is JourneyStage.ASSESSMENT
        assert s.scalars(select(Plan)).all() == []


def test_nothing_rated_is_refused_and_changes_nothing(db):
    mentee = add_mentee(db, "Ana Souza")
    c = caps(db)
    before = table_dump(db)
    form = AssessmentForm(mentee_id=mentee, answers=[RatingAnswer(c["legal"], None, Priority.HIGH, "some assets")])
    with pytest.raises(InputError, match="Rate at least one capacity"):
        record(db, form, create_plan=True)
    with pytest.raises(InputError, match="Choose who is being assessed"):
        record(db, AssessmentForm(answers=[RatingAnswer(c["legal"], 2)]))
    assert table_dump(db) == before


def test_form_survives_json_and_damaged_values(db):
    c = caps(db)
    form = AssessmentForm(mentee_id=uuid7(), assessed_on=date(2025, 1, 31), mode=AssessmentMode.PEER, language="ar",
                          facilitator="Amara", dream="Ours", answers=[
                              RatingAnswer(c["legal"], 4, Priority.HIGH, "a", "b", "c"),
                              RatingAnswer(c["fundraising"], None, Priority.NONE, gaps="skipped but typed"),
                              RatingAnswer(c["it_safety"])])  # blank: not kept
    again = AssessmentForm.from_values(json.loads(json.dumps(form.to_values())))
    assert again == AssessmentForm(**{**form.__dict__, "answers": form.answers[:2]})
    damaged = AssessmentForm.from_values({"mentee_id": "nonsense", "assessed_on": "yesterday", "mode": "alone",
                                          "answers": [{"capacity_id": "x"}, {"capacity_id": str(c["legal"]),
                                                                              "level": 9}]})
    assert damaged.mentee_id is None and damaged.mode is AssessmentMode.SELF
    assert [(a.capacity_id, a.level) for a in damaged.answers] == [(c["legal"], None)]


def test_radar_series_axes_are_the_latest_ratings_over_the_previous(db):
    c = caps(db)
    mentee = add_mentee(db, "Ana Souza")
    record(db, AssessmentForm(mentee_id=mentee, assessed_on=date(2025, 1, 10), answers=[
        RatingAnswer(c["fundraising"], 1), RatingAnswer(c["legal"], 2), RatingAnswer(c["it_safety"], 3)]))
    record(db, AssessmentForm(mentee_id=mentee, assessed_on=date(2025, 6, 10), answers=[
        RatingAnswer(c["public_speaking"], 4), RatingAnswer(c["legal"], 2), RatingAnswer(c["fundraising"], 3)]))
    with db.read() as s:
        data = radar_series(s, mentee)
        empty = radar_series(s, add_mentee(db, "Nobody yet"))
    # Taxonomy order; IT safety was rated only in the older assessment, so it is no axis.
    assert data.axes == ["Fundraising", "Legal", "Public speaking and self-presentation"]
    assert [line.label for line in data.series] == [format_date(date(2025, 1, 10)), format_date(date(2025, 6, 10))]
    assert data.series[0].levels == [1.0, 2.0, None]
    assert data.series[1].levels == [3.0, 2.0, 4.0]
    assert (empty.axes, empty.series) == ([], [])


def test_history_list_and_detail(db):
    c = caps(db)
    ana = add_mentee(db, "Ana Souza", community="Wikimedia Brasil")
    bo = add_mentee(db, "Bo Lindqvist")
    first, _ = record(db, AssessmentForm(mentee_id=ana, assessed_on=date(2025, 1, 10), answers=[
        RatingAnswer(c["legal"], 2), RatingAnswer(c["fundraising"], 5)]))
    second, _ = record(db, AssessmentForm(mentee_id=ana, assessed_on=date(2025, 6, 10), answers=[
        RatingAnswer(c["legal"], 3, Priority.LOW), RatingAnswer(c["fundraising"], 4, Priority.HIGH),
        RatingAnswer(c["it_safety"], 1, Priority.HIGH)]))
    gone, _ = record(db, AssessmentForm(mentee_id=bo, assessed_on=date(2025, 7, 1), answers=[
        RatingAnswer(c["legal"], 1)]))
    with db.write() as s:
        s.get(Assessment, gone).deleted = True
        s.get(CapacityRating, named_id(second, c["legal"])).deleted = True
    with db.read() as s:
        history = assessment_history(s, ana)
        assert [(h.id, h.rated, h.average) for h in history] == [(second, 2, 2.5), (first, 2, 3.5)]
        assert [row.id for row in list_assessments(s)] == [second, first]
        assert [row.id for row in list_assessments(s, "brasil")] == [second, first]
        assert [row.id for row in list_assessments(s, "souza", limit=1)] == [second]
        assert list_assessments(s, "lindqvist") == []
        assert list_assessments(s, "%") == []
        detail = assessment_detail(s, second)
    assert [(r.label, r.level, r.priority) for r in detail.ratings] == [
        ("IT safety", 1, Priority.HIGH), ("Fundraising", 4, Priority.HIGH)]


def test_mentee_suggestions_put_names_that_start_with_the_text_first(db):
    for name in ("Zé Amaral", "Amara Okafor", "amani Juma", "Kamal Haddad", "Amadou Archived", "Amy Deleted",
                 "100% Wiki"):
        add_mentee(db, name, archived="Archived" in name, deleted="Deleted" in name)
    with db.read() as s:
        assert [m.name for m in mentee_suggestions(s, "am")] == ["amani Juma", "Amara Okafor", "Kamal Haddad",
                                                                 "Zé Amaral"]
        assert [m.name for m in mentee_suggestions(s, "am", limit=3)] == ["amani Juma", "Amara Okafor",
                                                                          "Kamal Haddad"]
        assert [m.name for m in mentee_suggestions(s, "0%")] == ["100% Wiki"]
        assert len(mentee_suggestions(s, "  ")) == 5
        assert mentee_suggestions(s, "amara")[0].languages == ["pt_BR"]
