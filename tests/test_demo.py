"""Demo data: reproducible from its seed, realistic (every kind, script, status and session shape),
written whole or not at all, and reachable from the command line."""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from conftest import table_dump
from sqlalchemy import func, select

from coachdesk.cli import main
from coachdesk.errors import Cancelled, InputError
from coachdesk.model import (
    ActionStatus,
    Assessment,
    CapacityRating,
    CoachingSession,
    Community,
    Mentee,
    MenteeKind,
    PlanAction,
    SessionKind,
    SessionParticipant,
)
from coachdesk.services.demo import generate_demo
from coachdesk.services.workspace import open_workspace

TODAY = date(2026, 6, 1)
SIZE = 40
PORTUGUESE_LETTERS = set("ãõçâêôÃÕÇÂÊÔ")  # none of the other demo languages writes these


def _domain(db) -> dict[str, list[tuple]]:
    # Clocks are stamped from the wall clock, so only the domain tables can repeat exactly.
    return table_dump(db, skip_prefixes=("search_", "sync_"))


def _scripts(text: str) -> set[str]:
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


@pytest.fixture
def demo_db(db):
    generate_demo(db, mentees=SIZE, seed=1, today=TODAY)
    return db


def _demo_dump(path: Path, seed: int) -> dict[str, list[tuple]]:
    db = open_workspace(path)
    try:
        generate_demo(db, mentees=SIZE, seed=seed, today=TODAY)
        return _domain(db)
    finally:
        db.close()


def test_the_same_seed_and_day_give_the_same_rows_ids_included(tmp_path):
    first = _demo_dump(tmp_path / "a.sqlite", seed=1)
    second = _demo_dump(tmp_path / "b.sqlite", seed=1)
    assert len(first["mentee"]) == SIZE and first["coaching_session"]
    assert first == second


def test_another_seed_gives_other_rows(tmp_path):
    first = _demo_dump(tmp_path / "a.sqlite", seed=1)
    other = _demo_dump(tmp_path / "b.sqlite", seed=2)
    assert len(other["mentee"]) == SIZE
    assert first["mentee"] != other["mentee"]
    assert first["coaching_session"] != other["coaching_session"]
    # The shipped reference data is the same whatever the seed.
    assert first["capacity"] == other["capacity"]


def test_generate_demo_reports_what_it_added(db):
    added = generate_demo(db, mentees=SIZE, seed=1, today=TODAY)
    with db.read() as session:
        assert added["mentee"] == SIZE == session.scalar(select(func.count()).select_from(Mentee))
        assert added["coaching_session"] == session.scalar(select(func.count()).select_from(CoachingSession))
        assert added["assessment"] == session.scalar(select(func.count()).select_from(Assessment))


def test_every_kind_of_mentee_is_there(demo_db):
    with demo_db.read() as session:
        kinds = set(session.scalars(select(Mentee.kind)))
    assert kinds == set(MenteeKind)


def test_names_are_written_in_arabic_devanagari_and_portuguese(demo_db):
    with demo_db.read() as session:
        mentees = session.execute(select(Mentee.name, Community.languages).join(Community)).all()
    names = [name for name, _ in mentees]
    portuguese_speakers = [name for name, languages in mentees if languages == ["pt"]]
    scripts = set().union(*(_scripts(name) for name in names))
    assert {"ARABIC", "DEVANAGARI", "LATIN"} <= scripts
    assert any(PORTUGUESE_LETTERS & set(name) for name in names)
    assert portuguese_speakers and all(_scripts(name) == {"LATIN"} for name in portuguese_speakers)


def test_assessments_repeat_over_time_and_show_progress(demo_db):
    with demo_db.read() as session:
        rows = session.execute(
            select(Assessment.mentee_id, CapacityRating.capacity_id, Assessment.assessed_on, CapacityRating.level)
            .join(CapacityRating.assessment)
            .order_by(Assessment.assessed_on)
        ).all()
        assessed_on = defaultdict(set)
        for mentee_id, day in session.execute(select(Assessment.mentee_id, Assessment.assessed_on)):
            assessed_on[mentee_id].add(day)
    assert any(len(days) >= 2 for days in assessed_on.values())
    assert all(day <= TODAY for days in assessed_on.values() for day in days)
    history = defaultdict(list)
    for mentee_id, capacity_id, _day, level in rows:
        history[mentee_id, capacity_id].append(level)
    assert any(levels[-1] > levels[0] for levels in history.values())


def test_plan_actions_are_in_every_status(demo_db):
    with demo_db.read() as session:
        statuses = set(session.scalars(select(PlanAction.status)))
        done_without_date = session.scalar(
            select(func.count()).select_from(PlanAction)
            .where(PlanAction.status == ActionStatus.DONE, PlanAction.completed_on.is_(None))
        )
    assert statuses == set(ActionStatus)
    assert done_without_date == 0


def test_there_are_one_to_one_sessions_and_trainings_with_several_participants(demo_db):
    with demo_db.read() as session:
        shapes = session.execute(
            select(CoachingSession.kind, func.count(SessionParticipant.id))
            .join(SessionParticipant, SessionParticipant.session_id == CoachingSession.id)
            .group_by(CoachingSession.id)
        ).all()
    assert any(kind is not SessionKind.TRAINING and count == 1 for kind, count in shapes)
    assert any(kind is SessionKind.TRAINING and count > 1 for kind, count in shapes)


def test_the_same_seed_twice_on_one_database_is_refused_and_changes_nothing(demo_db):
    before = table_dump(demo_db)
    with pytest.raises(InputError, match="already holds the demo data for seed 1"):
        generate_demo(demo_db, mentees=SIZE, seed=1, today=TODAY)
    assert table_dump(demo_db) == before


def test_another_seed_adds_to_a_database_that_has_demo_data(demo_db):
    generate_demo(demo_db, mentees=20, seed=2, today=TODAY)
    with demo_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Mentee)) == SIZE + 20


def test_a_cancelled_demo_changes_nothing_and_can_run_again(db):
    before = table_dump(db)
    calls = []

    def stop_on_third_report(done: int, total: int, what: str) -> None:
        calls.append((done, total))
        if len(calls) == 3:
            raise Cancelled("stopped by the person")

    with pytest.raises(Cancelled):
        generate_demo(db, mentees=SIZE, seed=1, today=TODAY, progress=stop_on_third_report)

    assert len(calls) == 3 and 0 < calls[-1][0] < calls[-1][1]  # it stopped part way
    assert table_dump(db) == before
    generate_demo(db, mentees=SIZE, seed=1, today=TODAY)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Mentee)) == SIZE


@pytest.mark.parametrize("mentees", [0, -3])
def test_demo_needs_at_least_one_mentee(db, mentees):
    before = table_dump(db)
    with pytest.raises(InputError, match="at least 1"):
        generate_demo(db, mentees=mentees, seed=1, today=TODAY)
    assert table_dump(db) == before


def test_command_line_demo_then_stats_as_json(db_path, capsys):
    assert main(["--db", str(db_path), "demo", "--mentees", "30"]) == 0
    assert "30 mentees" in capsys.readouterr().out

    assert main(["--db", str(db_path), "stats", "--json"]) == 0
    numbers = json.loads(capsys.readouterr().out)

    assert numbers["mentees"] == 30
    assert numbers["capacities"] == 21
    assert numbers["toolbox_methods"] == 10
    assert numbers["capacity_areas"] == 4
    for key in ("sessions", "assessments", "plans"):
        assert isinstance(numbers[key], int) and numbers[key] > 0, key


def test_command_line_refuses_zero_demo_mentees_with_a_clear_message(db_path, capsys):
    db = open_workspace(db_path)
    before = table_dump(db)
    db.close()

    assert main(["--db", str(db_path), "demo", "--mentees", "0"]) == 2

    captured = capsys.readouterr()
    assert captured.err.strip() == "coachdesk: The number of demo mentees must be at least 1."
    assert captured.out == ""
    db = open_workspace(db_path)
    try:
        assert table_dump(db) == before
    finally:
        db.close()
