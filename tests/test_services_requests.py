"""Community requests: recorded with a priority, listed open-first, turned into a mentee with a plan."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from coachdesk.errors import InputError
from coachdesk.model import (
    Capacity,
    Community,
    CommunityRequest,
    JourneyStage,
    Mentee,
    MenteeKind,
    Plan,
    PlanGoal,
    RequestStatus,
    named_id,
)
from coachdesk.services.requests import (
    RequestForm,
    list_requests,
    load_request,
    request_keys,
    request_to_mentee_and_plan,
    save_request,
)

FUNDRAISING = named_id("capacity", "fundraising")


def _save(db, form: RequestForm):
    with db.write() as session:
        return save_request(session, form)


def test_a_request_is_recorded_in_its_community_and_listed_with_the_capacity_label(db):
    request_id = _save(db, RequestForm("Help with grant reports", community="Hausa Wikipedia community",
                                       requested_by="Amina", capacity_id=FUNDRAISING, priority=2))
    with db.read() as session:
        rows = list_requests(session)
        community = session.scalars(select(Community).where(Community.name == "Hausa Wikipedia community")).one()
    assert [(r.id, r.title, r.community, r.capacity, r.priority, r.status) for r in rows] == [
        (request_id, "Help with grant reports", "Hausa Wikipedia community", "Fundraising", 2, RequestStatus.OPEN)]
    assert rows[0].community_id == community.id
    assert rows[0].requested_on == date.today()


def test_the_same_community_name_in_another_case_is_not_added_twice(db):
    _save(db, RequestForm("One", community="Yoruba Wikipedia"))
    _save(db, RequestForm("Two", community="  yoruba   wikipedia "))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Community)) == 1


def test_open_requests_come_first_then_the_most_urgent(db):
    ids = {}
    for title, priority, status in [("done-1", 1, RequestStatus.DONE), ("open-3", 3, RequestStatus.OPEN),
                                    ("open-1", 1, RequestStatus.OPEN), ("accepted-2", 2, RequestStatus.ACCEPTED)]:
        ids[title] = _save(db, RequestForm(title, priority=priority, status=status))
    with db.read() as session:
        assert [r.title for r in list_requests(session)] == ["open-1", "open-3", "accepted-2", "done-1"]
        assert [r.title for r in list_requests(session, RequestStatus.OPEN)] == ["open-1", "open-3"]
        assert request_keys(session, sort="priority")[:2] == [ids["open-1"], ids["done-1"]]


def test_editing_a_request_keeps_its_id_and_changes_what_was_edited(db):
    request_id = _save(db, RequestForm("Training", community="Kiswahili", priority=4))
    with db.read() as session:
        form = load_request(session, request_id)
    form.priority, form.status, form.description = 1, RequestStatus.ACCEPTED, "Urgent before the conference"
    assert _save(db, form) == request_id
    with db.read() as session:
        request = session.get(CommunityRequest, request_id)
        assert (request.priority, request.status, request.description) == (
            1, RequestStatus.ACCEPTED, "Urgent before the conference")


@pytest.mark.parametrize("form, words", [
    (RequestForm("   "), "title"),
    (RequestForm("Ok", priority=0), "between 1"),
    (RequestForm("Ok", priority=6), "between 1"),
    (RequestForm("x" * 201), "200"),
])
def test_a_bad_request_is_refused_in_plain_words_and_nothing_is_written(db, form, words):
    with pytest.raises(InputError, match=words):
        _save(db, form)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(CommunityRequest)) == 0


def test_a_request_becomes_a_mentee_in_its_community_with_a_plan_on_the_capacity(db):
    request_id = _save(db, RequestForm("Support with fundraising", community="Hausa Wikipedia community",
                                       capacity_id=FUNDRAISING, description="We need a first grant"))
    with db.write() as session:
        made = request_to_mentee_and_plan(session, request_id, MenteeKind.GROUP, "Hausa Wikipedians of Kano",
                                          today=date(2026, 3, 1))
    with db.read() as session:
        request = session.get(CommunityRequest, request_id)
        mentee = session.get(Mentee, made.mentee_id)
        plan = session.get(Plan, made.plan_id)
        goals = session.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id)).all()
        assert (mentee.kind, mentee.name, mentee.community_id) == (
            MenteeKind.GROUP, "Hausa Wikipedians of Kano", request.community_id)
        assert mentee.journey_stage is JourneyStage.PLANNING
        assert (plan.mentee_id, plan.title, plan.created_on) == (
            mentee.id, "Plan for: Support with fundraising", date(2026, 3, 1))
        assert [(g.id, g.capacity_id, g.description) for g in goals] == [
            (made.goal_id, FUNDRAISING, "We need a first grant")]
        assert (request.mentee_id, request.status) == (mentee.id, RequestStatus.PLANNED)


def test_a_request_cannot_become_a_person_nor_become_a_mentee_twice(db):
    request_id = _save(db, RequestForm("Legal help", community="Bangla"))
    with db.write() as session, pytest.raises(InputError, match="not a single person"):
        request_to_mentee_and_plan(session, request_id, MenteeKind.PERSON, "Someone")
    with db.write() as session:
        request_to_mentee_and_plan(session, request_id, MenteeKind.ORGANIZATION, "Bangla Wikimedians")
    with db.write() as session, pytest.raises(InputError, match="already become the mentee “Bangla Wikimedians”"):
        request_to_mentee_and_plan(session, request_id, MenteeKind.GROUP, "Again")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Mentee)) == 1
        assert session.scalar(select(func.count()).select_from(Plan)) == 1


def test_a_request_without_a_capacity_still_gets_a_plan_with_one_goal(db):
    request_id = _save(db, RequestForm("Not sure yet", community="Tamil"))
    with db.write() as session:
        made = request_to_mentee_and_plan(session, request_id, MenteeKind.ORGANIZATION, "Tamil Wiki User Group")
    with db.read() as session:
        goal = session.get(PlanGoal, made.goal_id)
        assert goal.capacity_id is None and goal.description == "Not sure yet"
        assert session.get(Capacity, FUNDRAISING) is not None
