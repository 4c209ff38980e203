"""Capacity builders' profiles and their training-of-trainers track, through the service."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import table_dump
from sqlalchemy import select

from coachdesk.errors import InputError
from coachdesk.i18n import use_language
from coachdesk.model import Capacity, Coach, CoachingSession, CoachRole, TrackStepKind, TrainerTrackStep
from coachdesk.services.builders import (
    BuilderFilter,
    BuilderForm,
    StepForm,
    builder_detail,
    builders_for,
    list_builders,
    remove_step,
    save_builder,
    save_step,
    set_builder_archived,
)
from coachdesk.services.workspace import open_workspace
from coachdesk.sync.changes import changed_rows_since
from coachdesk.sync.merge import merge_records


def add(db, form: BuilderForm) -> uuid.UUID:
    with db.write() as session:
        return save_builder(session, form).id


def add_session(db, coach_id, minutes=60, day=datetime(2026, 2, 3, 10), title="Budget workshop", deleted=False):
    with db.write() as session:
        row = CoachingSession(title=title, started_at=day, duration_minutes=minutes, coach_id=coach_id,
                              deleted=deleted)
        session.add(row)
    return row.id


def names(db, f: BuilderFilter) -> list[str]:
    with db.read() as session:
        return [r.name for r in list_builders(session, f)]


@pytest.fixture
def team(db):
    amina = add(db, BuilderForm("Amina Bello", CoachRole.TRAINER, ["ha", "en"], "West Africa", ["training", "mentoring_coaching"],
                                ["fundraising", "public_speaking"], email="amina@example.org"))
    ravi = add(db, BuilderForm("Ravi Kumar", CoachRole.MENTOR, ["hi"], "South Asia", ["mentoring_coaching"], ["fundraising"]))
    lucia = add(db, BuilderForm("Lúcia Souza", CoachRole.CIRCUIT_RIDER, ["pt-BR"], "Brazil", ["training"], ["legal"]))
    return {"amina": amina, "ravi": ravi, "lucia": lucia}


def test_sessions_delivered_count_live_sessions_and_their_hours(db, team):
    add_session(db, team["amina"], 90)
    add_session(db, team["amina"], 120, day=datetime(2026, 2, 5, 9), title="Press training")
    add_session(db, team["amina"], 600, deleted=True)
    add_session(db, team["amina"], 60, day=datetime.now() + timedelta(days=3), title="Planned visit")  # not yet
    add_session(db, team["ravi"], 30)
    with db.read() as session:
        rows = {r.name: r for r in list_builders(session)}
        detail = builder_detail(session, team["amina"])
    assert (rows["Amina Bello"].sessions, rows["Amina Bello"].hours) == (2, 3.5)
    assert (rows["Ravi Kumar"].sessions, rows["Ravi Kumar"].minutes) == (1, 30)
    assert (rows["Lúcia Souza"].sessions, rows["Lúcia Souza"].minutes) == (0, 0)
    assert [s.title for s in detail.delivered] == ["Press training", "Budget workshop"]


def test_filters_by_capacity_method_language_role_text_and_archive(db, team):
    assert names(db, BuilderFilter(capacity="fundraising")) == ["Amina Bello", "Ravi Kumar"]
    assert names(db, BuilderFilter(method="training")) == ["Amina Bello", "Lúcia Souza"]
    assert names(db, BuilderFilter(language="pt")) == ["Lúcia Souza"]
    assert names(db, BuilderFilter(language="hi")) == ["Ravi Kumar"]
    assert names(db, BuilderFilter(role=CoachRole.MENTOR)) == ["Ravi Kumar"]
    assert names(db, BuilderFilter(text="asia")) == ["Ravi Kumar"]
    assert names(db, BuilderFilter(capacity="it_safety")) == []
    with db.write() as session:
        set_builder_archived(session, team["ravi"], True)
    assert names(db, BuilderFilter(capacity="fundraising")) == ["Amina Bello"]
    assert names(db, BuilderFilter(capacity="fundraising", include_archived=True)) == ["Amina Bello", "Ravi Kumar"]


def test_profile_shows_labels_in_the_language_asked(db, team):
    with db.read() as session:
        row = next(r for r in list_builders(session, language="en") if r.name == "Amina Bello")
        french = next(r for r in list_builders(session, language="fr") if r.name == "Amina Bello")
    assert row.methods[0] == "Training" and row.capacities == ["Fundraising", "Public speaking and self-presentation"]
    assert french.capacities[0] != "Fundraising"  # the taxonomy's French label


def test_who_can_support_a_capacity_puts_those_who_speak_the_language_first(db, team):
    with db.read() as session:
        fundraising = session.scalar(select(Capacity.id).where(Capacity.key == "fundraising"))
        assert [r.name for r in builders_for(session, fundraising)] == ["Amina Bello", "Ravi Kumar"]
        assert [r.name for r in builders_for(session, fundraising, "hi")] == ["Ravi Kumar", "Amina Bello"]


@pytest.mark.parametrize(("form", "message"), [
    (BuilderForm("  "), "Give the capacity builder a name."),
    (BuilderForm("Musa", methods=["juggling"]), "“juggling” is not a method of the toolbox."),
    (BuilderForm("Musa", capacities=["flying"]), "“flying” is not a capacity of the taxonomy."),
    (BuilderForm("Musa", languages=["xx-zz-12"]),
     "“xx-zz-12” is not a language code; use codes such as ar, hi or pt_BR."),
])
def test_a_bad_profile_is_refused_in_one_sentence_and_nothing_changes(db, team, form, message):
    before = table_dump(db)
    with pytest.raises(InputError) as refused, db.write() as session:
        save_builder(session, form)
    assert str(refused.value) == message
    assert table_dump(db) == before


def step(db, trainee, kind, day, mentor=None, method="", minutes=0, session_id=None):
    with db.write() as session:
        return save_step(session, StepForm(trainee, kind, day, mentor, session_id, method, minutes)).id


@pytest.mark.parametrize(("kind", "mentor", "method", "day", "message"), [
    (TrackStepKind.SIGN_OFF, None, "training", date(2026, 3, 1),
     "A sign-off needs the experienced trainer who signs off; choose them as the mentor."),
    (TrackStepKind.SIGN_OFF, "amina", "", date(2026, 3, 1),
     "A sign-off is for one method of the toolbox; choose the method."),
    (TrackStepKind.MENTORING, "lucia", "", date(2026, 3, 1),
     "Nobody can be their own mentor; choose another capacity builder."),
    (TrackStepKind.OBSERVATION, "amina", "", date.today() + timedelta(days=1),
     "The date is in the future; record a step once it has happened."),
])
def test_a_bad_track_step_is_refused_and_nothing_changes(db, team, kind, mentor, method, day, message):
    before = table_dump(db)
    with pytest.raises(InputError) as refused:
        step(db, team["lucia"], kind, day, team[mentor] if mentor else None, method)
    assert str(refused.value) == message
    assert table_dump(db) == before


def test_the_track_reads_as_a_progress_line_and_a_status(db, team):
    lucia, amina = team["lucia"], team["amina"]
    workshop = add_session(db, amina, 120, title="Wiki Loves Africa workshop")
    step(db, lucia, TrackStepKind.TRAINING, date(2026, 1, 10), method="training")
    step(db, lucia, TrackStepKind.OBSERVATION, date(2026, 1, 20), amina)
    step(db, lucia, TrackStepKind.CO_FACILITATION, date(2026, 2, 3), amina, session_id=workshop)
    step(db, lucia, TrackStepKind.MENTORING, date(2026, 2, 10), amina, minutes=150)
    step(db, lucia, TrackStepKind.MENTORING, date(2026, 2, 20), amina, minutes=90)
    with use_language("en"), db.read() as session:
        in_progress = builder_detail(session, lucia)
    assert in_progress.progress == "Training ✓ · Observed 1 · Co-facilitated 1 · Mentoring 4 h"
    assert in_progress.row.track.text() == "In progress: 5 steps"
    co = in_progress.steps[2]
    assert (co.mentor, co.session_title, co.session_on) == ("Amina Bello", "Wiki Loves Africa workshop", date(2026, 2, 3))

    step(db, lucia, TrackStepKind.SIGN_OFF, date(2026, 3, 12), amina, "training")
    with use_language("en"), db.read() as session:
        done = builder_detail(session, lucia)
    assert done.progress.endswith("Signed off for Training (Mar 12, 2026)")
    assert done.row.track.text() == "Signed off for Training on Mar 12, 2026"
    assert [s.kind for s in done.steps][-1] is TrackStepKind.SIGN_OFF

    with db.write() as session:
        remove_step(session, done.steps[-1].id)
    with use_language("en"), db.read() as session:
        assert builder_detail(session, lucia).row.track.text() == "In progress: 5 steps"
        assert session.get(TrainerTrackStep, done.steps[-1].id).deleted  # a tombstone, to travel


def test_track_steps_arrive_whole_on_another_device_and_the_email_stays(db, team, tmp_path: Path):
    step(db, team["lucia"], TrackStepKind.MENTORING, date(2026, 2, 10), team["amina"], minutes=45)
    step(db, team["lucia"], TrackStepKind.SIGN_OFF, date(2026, 3, 12), team["amina"], "training")
    with db.read() as session:
        records = changed_rows_since(session, 0)
    assert "amina@example.org" not in json.dumps(records, default=str)
    other = open_workspace(tmp_path / "other.sqlite")
    try:
        with other.write() as session:
            merge_records(session, records)
        with use_language("en"), other.read() as session:
            arrived = builder_detail(session, team["lucia"])
            amina = session.get(Coach, team["amina"])
            assert (amina.name, amina.methods, amina.email) == ("Amina Bello", ["training", "mentoring_coaching"], "")
        with use_language("en"), db.read() as session:
            here = builder_detail(session, team["lucia"])
        assert arrived.steps == here.steps
        assert arrived.progress == here.progress == "Mentoring 0.8 h · Signed off for Training (Mar 12, 2026)"
        assert arrived.row.track.text() == "Signed off for Training on Mar 12, 2026"
    finally:
        other.close()
