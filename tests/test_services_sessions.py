"""Logging, editing and removing sessions, and the session list queries (services.sessions)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from coachdesk.errors import InputError
from coachdesk.model import (
    ActionStatus,
    Capacity,
    CoachingSession,
    Mentee,
    MenteeKind,
    Plan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    SessionCapacity,
    SessionKind,
    SessionParticipant,
    named_id,
    uuid7,
)
from coachdesk.services.mentees import MenteeForm, save_mentee
from coachdesk.services.sessions import (
    NextStep,
    Participant,
    SessionForm,
    default_start,
    language_choices,
    load_form,
    log_session,
    mentee_suggestions,
    participants_summary,
    plan_goals_for,
    remove_session,
    session_detail,
    session_keys,
    session_rows,
    update_session,
    validate,
)
from tests.conftest import table_dump

WHEN = datetime(2026, 3, 12, 10, 0)


def add_mentee(db, name, *, archived=False, languages=("ha",)):
    with db.write() as s:
        mentee_id = save_mentee(s, MenteeForm(name=name, languages=list(languages)))
        s.get(Mentee, mentee_id).archived = archived
    return mentee_id


def capacity(db, key):
    with db.read() as s:
        return s.scalar(select(Capacity.id).where(Capacity.key == key))


def log(db, form):
    with db.write() as s:
        return log_session(s, form)


def keys(db, *args, **kwargs):
    with db.engine.connect() as connection:
        return session_keys(connection, *args, **kwargs)


def rows(db, rowids):
    with db.engine.connect() as connection:
        return session_rows(connection, rowids)


def test_form_values_survive_json_and_come_back_equal():
    form = SessionForm(kind=SessionKind.TRAINING, started_at=WHEN, duration_minutes=90,
                       participants=[Participant("Aisha Bello", uuid7()), Participant("New Person")],
                       capacity_ids=[uuid7()], method_id=uuid7(), language="ha", location="Kano", notes="n",
                       next_steps=[NextStep("Call the board", True, date(2026, 4, 1), uuid7()), NextStep("x")])
    values = json.loads(json.dumps(form.to_values()))
    assert SessionForm.from_values(values) == form


def test_from_values_falls_back_on_what_no_longer_parses():
    form = SessionForm.from_values({"kind": "party", "started_at": "yesterday", "duration_minutes": "long",
                                    "capacity_ids": ["nope"], "participants": [{"name": "A", "mentee_id": "bad"}]})
    assert form.kind is SessionKind.COACHING and form.duration_minutes == 60
    assert form.capacity_ids == [] and form.participants == [Participant("A", None)]


def test_default_start_rounds_down_to_five_minutes():
    assert default_start(datetime(2026, 3, 12, 10, 58, 41, 5)) == datetime(2026, 3, 12, 10, 55)


def test_validate_names_each_problem():
    form = SessionForm(started_at=datetime.now() + timedelta(days=400), duration_minutes=20000,
                       next_steps=[NextStep("  ", make_action=True)])
    assert set(validate(form)) == {"participants", "duration", "started_at", "next_steps"}
    assert validate(SessionForm(participants=[Participant("Someone")])) == {}


def test_log_session_writes_everything_in_one_go(db):
    aisha = add_mentee(db, "Aisha Bello")
    fundraising, legal = capacity(db, "fundraising"), capacity(db, "legal")
    form = SessionForm(kind=SessionKind.COACHING, started_at=WHEN, duration_minutes=45,
                       participants=[Participant("Aisha Bello", aisha), Participant("  Chidi   Okafor ")],
                       capacity_ids=[fundraising, legal], language="ha", notes="Talked budgets.",
                       next_steps=[NextStep("Draft the budget", True, date(2026, 4, 1)), NextStep("Call Musa")])
    session_id = log(db, form)
    with db.read() as s:
        row = s.get(CoachingSession, session_id)
        assert (row.title, row.notes, row.next_steps) == ("Coaching: Fundraising", "Talked budgets.",
                                                          "Draft the budget\nCall Musa")
        chidi = s.scalar(select(Mentee).where(Mentee.name == "Chidi Okafor"))
        assert chidi.kind is MenteeKind.PERSON and chidi.languages == ["ha"]
        links = s.scalars(select(SessionParticipant).where(SessionParticipant.session_id == session_id)).all()
        assert {link.id for link in links} == {named_id(session_id, aisha), named_id(session_id, chidi.id)}
        caps = s.scalars(select(SessionCapacity).where(SessionCapacity.session_id == session_id)).all()
        assert {c.id for c in caps} == {named_id(session_id, fundraising), named_id(session_id, legal)}
        # Two participants: the action goes into each one's (new) plan.
        actions = s.scalars(select(PlanAction)).all()
        assert [(a.description, a.due_on, a.status) for a in actions] == [
            ("Draft the budget", date(2026, 4, 1), ActionStatus.TODO)] * 2
        plans = s.scalars(select(Plan)).all()
        assert sorted(p.mentee_id for p in plans) == sorted([aisha, chidi.id])
        assert {(p.title, p.status) for p in plans} == {("Capacity-building plan", PlanStatus.ACTIVE)}
        assert {g.capacity_id for g in s.scalars(select(PlanGoal))} == {fundraising}


def test_an_action_goes_into_the_chosen_goal_after_its_other_actions(db):
    aisha = add_mentee(db, "Aisha Bello")
    log(db, SessionForm(participants=[Participant("Aisha Bello", aisha)], started_at=WHEN,
                        next_steps=[NextStep("first", True, date(2026, 4, 1))]))
    with db.read() as s:
        goals = plan_goals_for(s, aisha)
    assert [g.label for g in goals] == ["Follow up on our sessions"]
    log(db, SessionForm(participants=[Participant("Aisha Bello", aisha)], started_at=WHEN,
                        next_steps=[NextStep("second", True, date(2026, 5, 1), goals[0].goal_id)]))
    with db.read() as s:
        actions = s.scalars(select(PlanAction).order_by(PlanAction.position)).all()
        assert [(a.description, a.position, a.goal_id) for a in actions] == [
            ("first", 0, goals[0].goal_id), ("second", 1, goals[0].goal_id)]
        assert len(s.scalars(select(Plan)).all()) == 1


def test_several_participants_reuse_the_goal_for_the_capacity(db):
    aisha, musa = add_mentee(db, "Aisha Bello"), add_mentee(db, "Musa Aliyu")
    fundraising = capacity(db, "fundraising")
    with db.write() as s:
        plan = Plan(id=uuid7(), mentee_id=aisha, title="Our plan", status=PlanStatus.ACTIVE,
                    created_on=date(2026, 1, 1))
        s.add(plan)
        s.flush()
        s.add(PlanGoal(id=uuid7(), plan_id=plan.id, capacity_id=fundraising, description="Raise money", position=0))
    log(db, SessionForm(kind=SessionKind.TRAINING, started_at=WHEN, capacity_ids=[fundraising],
                        participants=[Participant("Aisha Bello", aisha), Participant("Musa Aliyu", musa)],
                        next_steps=[NextStep("Write the proposal", True, date(2026, 4, 1))]))
    with db.read() as s:
        assert len(s.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id)).all()) == 1
        assert len(s.scalars(select(Plan)).all()) == 2  # Musa had none


def test_refused_form_writes_nothing(db):
    before = table_dump(db)
    with pytest.raises(InputError, match="at least one participant"):
        log(db, SessionForm(notes="nobody came"))
    gone = uuid7()
    with pytest.raises(InputError, match="no longer a mentee"):
        log(db, SessionForm(participants=[Participant("Ghost", gone), Participant("New Person")]))
    assert table_dump(db) == before


def test_update_tombstones_and_revives_links_and_keeps_a_custom_title(db):
    aisha, musa = add_mentee(db, "Aisha Bello"), add_mentee(db, "Musa Aliyu")
    session_id = log(db, SessionForm(started_at=WHEN, participants=[Participant("Aisha Bello", aisha),
                                                                     Participant("Musa Aliyu", musa)]))
    with db.read() as s:
        form = load_form(s, session_id)
    assert form.title == "Coaching with Aisha Bello and 1 other"
    form.participants = form.participants[:1]
    form.kind = SessionKind.VISIT
    with db.write() as s:
        update_session(s, session_id, form)
    with db.read() as s:
        assert s.get(CoachingSession, session_id).title == "Visit with Aisha Bello"  # generated, so it follows
        assert s.get(SessionParticipant, named_id(session_id, musa)).deleted is True
        form = load_form(s, session_id)
    form.participants.append(Participant("Musa Aliyu", musa))
    form.title = "Board visit in Kano"
    with db.write() as s:
        s.get(CoachingSession, session_id).title = "Board visit in Kano"
    with db.write() as s:
        update_session(s, session_id, form)
    with db.read() as s:
        assert s.get(SessionParticipant, named_id(session_id, musa)).deleted is False
        assert len(s.scalars(select(SessionParticipant)).all()) == 2
        assert s.get(CoachingSession, session_id).title == "Board visit in Kano"


def test_remove_tombstones_the_session_and_its_links(db):
    aisha = add_mentee(db, "Aisha Bello")
    session_id = log(db, SessionForm(started_at=WHEN, participants=[Participant("Aisha Bello", aisha)],
                                     capacity_ids=[capacity(db, "legal")]))
    with db.write() as s:
        remove_session(s, session_id)
    with db.read() as s:
        assert s.get(CoachingSession, session_id).deleted
        assert all(link.deleted for link in s.scalars(select(SessionParticipant)))
        assert all(link.deleted for link in s.scalars(select(SessionCapacity)))
        assert session_detail(s, session_id) is None
    assert keys(db) == []


def test_session_keys_filter_and_sort(db):
    aisha, musa = add_mentee(db, "Aisha Bello"), add_mentee(db, "Musa Aliyu")
    old = log(db, SessionForm(started_at=WHEN - timedelta(days=30), participants=[Participant("Musa Aliyu", musa)],
                              notes="We wrote a budget together.", duration_minutes=30))
    new = log(db, SessionForm(kind=SessionKind.TRAINING, started_at=WHEN, duration_minutes=120,
                              participants=[Participant("Aisha Bello", aisha), Participant("Musa Aliyu", musa)]))
    listed = rows(db, keys(db))
    assert [r.id for r in listed.values()] and [listed[k].id for k in keys(db)] == [new, old]
    assert [listed[k].id for k in keys(db, sort="started_at", ascending=True)] == [old, new]
    assert [listed[k].id for k in keys(db, "budg")] == [old]  # full text, as a prefix
    assert [listed[k].id for k in keys(db, "aisha")] == [new]  # a participant's name
    assert [listed[k].id for k in keys(db, "musa")] == [new, old]
    assert [listed[k].id for k in keys(db, kind=SessionKind.TRAINING)] == [new]
    assert [listed[k].id for k in keys(db, sort="duration", ascending=True)] == [old, new]
    assert keys(db, "100%") == []
    row = listed[keys(db)[0]]
    assert (row.participants, row.participant_count, row.duration_minutes) == ("Aisha Bello and 1 other", 2, 120)


def test_participants_summary_counts_the_others():
    assert participants_summary("Aisha Bello", 1) == "Aisha Bello"
    assert participants_summary("Aisha Bello", 12) == "Aisha Bello and 11 others"
    assert participants_summary(None, 0) == ""


def test_mentee_suggestions_put_names_that_start_with_the_text_first(db):
    for name in ("Zainab Abubakar", "Abubakar Sani", "Abu 100% Club", "Abubakar Gone"):
        add_mentee(db, name, archived=name.endswith("Gone"))
    with db.engine.connect() as connection:
        found = [m.name for m in mentee_suggestions(connection, "abu")]
        assert found == ["Abu 100% Club", "Abubakar Sani", "Zainab Abubakar"]
        assert [m.name for m in mentee_suggestions(connection, "0%")] == ["Abu 100% Club"]
        assert len(mentee_suggestions(connection, "abu", limit=2)) == 2
        assert mentee_suggestions(connection, "   ") == []


def test_language_choices_start_with_the_participants(db):
    aisha = add_mentee(db, "Aisha Bello", languages=("ha", "en"))
    musa = add_mentee(db, "Musa Aliyu", languages=("en",))
    with db.read() as s:
        codes, spoken = language_choices(s, [aisha, musa])
    assert codes[:2] == ["en", "ha"] and spoken == "en"
    assert "ar" in codes and len(codes) == len(set(codes))
