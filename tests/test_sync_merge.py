"""Merging change records between devices, field by field: hand-made histories on two or three
databases, each a separate file, written through ordinary ORM sessions so that local change
capture makes the clocks."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from conftest import table_dump
from sqlalchemy import select

from coachdesk.errors import InputError
from coachdesk.model import (
    Community,
    FieldClock,
    JourneyStage,
    Mentee,
    RowClock,
    SyncConflict,
    SyncSite,
    SyncState,
    named_id,
)
from coachdesk.services.workspace import open_workspace
from coachdesk.store import clock
from coachdesk.store.changes import STATE_ID
from coachdesk.store.database import Database
from coachdesk.sync.changes import ROW, all_records, canonical_dump, changed_rows_since
from coachdesk.sync.merge import MergeResult, merge_records


@pytest.fixture
def devices(tmp_path: Path):
    opened: dict[str, Database] = {}

    def device(name: str) -> Database:
        if name not in opened:
            opened[name] = open_workspace(tmp_path / f"{name}.sqlite")
        return opened[name]

    yield device
    for db in opened.values():
        db.close()


def version(db: Database) -> int:
    with db.read() as session:
        return session.get(SyncState, STATE_ID).db_version


def state(db: Database) -> SyncState:
    with db.read() as session:
        return session.get(SyncState, STATE_ID)


def export(db: Database, since: int = 0, *, own: bool = False) -> list[dict]:
    with db.read() as session:
        return changed_rows_since(session, since, only_site_idx=state(db).local_site_idx if own else None)


def merge(db: Database, records: list[dict]) -> MergeResult:
    with db.write() as session:
        return merge_records(session, records)


def dump(db: Database) -> dict[str, list[tuple]]:
    with db.read() as session:
        return canonical_dump(session)


def conflicts(db: Database) -> list[SyncConflict]:
    with db.read() as session:
        return list(session.scalars(select(SyncConflict).order_by(SyncConflict.id)))


def field_clock(db: Database, row_id: uuid.UUID, column: str) -> tuple[int, bytes]:
    """The field's effective clock as (hlc, site id)."""
    with db.read() as session:
        own = session.scalar(select(FieldClock).where(FieldClock.row_id == row_id, FieldClock.column_name == column))
        clock_row = own or session.get(RowClock, row_id)
        return clock_row.hlc, session.get(SyncSite, clock_row.site_idx).site_id


def add_mentee(db: Database, **values) -> uuid.UUID:
    with db.write() as session:
        community = Community(name="Hausa Wikipedia", languages=["ha"])
        session.add(community)
        session.flush()
        mentee = Mentee(name="Amina Bello", community_id=community.id, languages=["ha", "en"],
                        email="amina@example.org", phone="+234 1", private_notes="met at WikiIndaba", **values)
        session.add(mentee)
    return mentee.id


def edit(db: Database, mentee_id: uuid.UUID, **values) -> None:
    with db.write() as session:
        mentee = session.get(Mentee, mentee_id)
        for name, value in values.items():
            setattr(mentee, name, value)


def mentee(db: Database, mentee_id: uuid.UUID) -> Mentee:
    with db.read() as session:
        return session.get(Mentee, mentee_id)


def test_a_row_made_on_one_device_arrives_whole_on_another(devices):
    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a, consent_given_on=date(2024, 5, 2), journey_stage=JourneyStage.PLANNING)

    result = merge(b, export(a))

    assert dump(b) == dump(a)
    assert result.rows_created == 2 and result.changes.created == {"community": 1, "mentee": 1}
    arrived = mentee(b, mentee_id)
    assert (arrived.name, arrived.languages, arrived.consent_given_on, arrived.journey_stage) == (
        "Amina Bello", ["ha", "en"], date(2024, 5, 2), JourneyStage.PLANNING)
    assert field_clock(b, mentee_id, "name") == field_clock(a, mentee_id, "name")


def test_an_edit_on_the_receiver_travels_back(devices):
    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a)
    merge(b, export(a))
    before = version(b)

    edit(b, mentee_id, name="Amina Bello-Yusuf", region="West Africa")
    result = merge(a, export(b, before, own=True))

    assert mentee(a, mentee_id).name == "Amina Bello-Yusuf"
    assert result.fields_applied == 2 and result.conflicts_logged == 0
    assert result.changes.updated == {"mentee": 1}
    assert field_clock(a, mentee_id, "region") == field_clock(b, mentee_id, "region")
    assert dump(a) == dump(b)
    assert conflicts(a) == [] == conflicts(b)


def test_only_own_writes_leave_a_device_that_exports_its_own(devices):
    a, b = devices("a"), devices("b")
    add_mentee(a)
    before = version(b)
    merge(b, export(a))
    assert export(b, before, own=True) == []
    assert {r["t"] for r in export(b, before)} >= {"community", "mentee"}  # a hub passes everything on


def test_concurrent_edits_of_one_field_keep_one_winner_and_log_the_loser(devices):
    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a)
    merge(b, export(a))
    since_a, since_b = version(a), version(b)

    edit(a, mentee_id, name="Amina (from A)")
    edit(b, mentee_id, name="Amina (from B)")
    clocks = {"Amina (from A)": field_clock(a, mentee_id, "name"), "Amina (from B)": field_clock(b, mentee_id, "name")}
    winner = max(clocks, key=clocks.get)
    loser = min(clocks, key=clocks.get)

    merge(b, export(a, since_a, own=True))
    merge(a, export(b, since_b, own=True))

    assert mentee(a, mentee_id).name == mentee(b, mentee_id).name == winner
    for db in (a, b):
        [conflict] = conflicts(db)
        assert (conflict.table_name, conflict.row_id, conflict.column_name) == ("mentee", mentee_id, "name")
        assert json.loads(conflict.value) == loser
        assert (conflict.value_hlc, conflict.value_site) == (clocks[loser][0], clocks[loser][1].hex())
        assert (conflict.winner_hlc, conflict.winner_site) == (clocks[winner][0], clocks[winner][1].hex())
        assert conflict.id == named_id("conflict", "mentee", mentee_id, "name", clocks[loser][0], clocks[loser][1].hex())
    assert dump(a) == dump(b)


def test_a_value_overwritten_twice_by_a_writer_that_never_saw_it_is_still_logged(devices, monkeypatch):
    # B writes first, A (not having seen it) writes twice; A's last write names A's first as
    # the value it replaced, which is newer than B's: B's value was never seen, so it is kept.
    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a)
    merge(b, export(a))
    wall = clock.wall_ms() + 10_000
    for db, name in ((b, "Amina (B)"), (a, "Amina (A, first)"), (a, "Amina (A, second)")):
        wall += 5
        monkeypatch.setattr(clock, "wall_ms", lambda wall=wall: wall)
        edit(db, mentee_id, name=name)
    monkeypatch.undo()

    merge(b, export(a))
    merge(a, export(b))

    for db in (a, b):
        assert mentee(db, mentee_id).name == "Amina (A, second)"
        assert [json.loads(c.value) for c in conflicts(db)] == ["Amina (B)"]
    assert dump(a) == dump(b)


def test_resolving_a_conflict_is_an_ordinary_edit_that_travels(devices):
    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a)
    merge(b, export(a))
    edit(a, mentee_id, region="Sahel")
    edit(b, mentee_id, region="West Africa")
    merge(b, export(a))
    merge(a, export(b))
    [conflict] = conflicts(a)

    with a.write() as session:
        session.get(SyncConflict, conflict.id).resolved = True
    merge(b, export(a))

    assert [c.resolved for c in conflicts(b)] == [True]
    assert dump(a) == dump(b)


def test_an_edit_concurrent_with_a_delete_is_logged_and_both_converge(devices):
    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a, region="Sahel")
    merge(b, export(a))

    edit(a, mentee_id, deleted=True)
    edit(b, mentee_id, region="West Africa")
    to_b = merge(b, export(a))
    to_a = merge(a, export(b))

    assert to_b.deleted == 1 and to_a.deleted == 0
    for db in (a, b):
        row = mentee(db, mentee_id)
        assert row.deleted is True and row.region == "Sahel"
        [conflict] = conflicts(db)
        assert (conflict.column_name, json.loads(conflict.value)) == ("region", "West Africa")
    assert dump(a) == dump(b)


def test_reviving_after_a_delete_wins_by_causal_length(devices):
    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a)
    merge(b, export(a))
    edit(a, mentee_id, deleted=True)
    tombstone = export(a)
    merge(b, tombstone)

    edit(b, mentee_id, deleted=False, region="back again")
    result = merge(a, export(b))
    again = merge(b, tombstone)  # the older life arrives late: it changes nothing

    assert result.revived == 1 and result.changes.created == {"mentee": 1}
    assert again.version is None
    for db in (a, b):
        assert (mentee(db, mentee_id).deleted, mentee(db, mentee_id).region) == (False, "back again")
    with a.read() as session:
        assert session.get(RowClock, mentee_id).causal_length == 3
    assert conflicts(a) == [] == conflicts(b)
    assert dump(a) == dump(b)


def test_private_fields_never_travel_and_are_not_overwritten(devices):
    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a)
    records = export(a)
    assert not {"email", "phone", "private_notes"} & {r["c"] for r in records if r["t"] == "mentee"}
    assert "amina@example.org" not in json.dumps(records)

    merge(b, records)
    assert (mentee(b, mentee_id).email, mentee(b, mentee_id).private_notes) == ("", "")
    edit(b, mentee_id, email="amina.b@example.net")
    since = version(a)
    edit(a, mentee_id, name="Amina B.")
    forged = [dict(r, c="email", v="stolen@example.com") for r in export(a, since) if r["c"] == "name"]
    result = merge(b, export(a, since) + forged)

    assert (mentee(b, mentee_id).name, mentee(b, mentee_id).email) == ("Amina B.", "amina.b@example.net")
    assert mentee(a, mentee_id).email == "amina@example.org"
    assert result.fields_ignored >= 1


def test_merging_the_same_records_twice_changes_nothing_the_second_time(devices):
    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a)
    merge(b, export(a))
    edit(a, mentee_id, name="Amina B.", deleted=True)
    records = export(a)
    merge(b, records)
    before = table_dump(b)

    again = merge(b, records)

    assert again.version is None and again.fields_applied == 0 and again.conflicts_logged == 0
    assert table_dump(b) == before  # db_version and the local clock included


@pytest.mark.parametrize("column, spoil, message", [
    (None, lambda r: dict(r, t="no_such_table"), "table"),
    ("name", lambda r: dict(r, c="shoe_size"), "column"),
    ("consent_given_on", lambda r: dict(r, v="the fifth of May"), "date"),
    ("journey_stage", lambda r: dict(r, v="wizard"), "allowed values"),
    ("name", lambda r: dict(r, v=None), "empty"),
    (None, lambda r: {k: v for k, v in r.items() if k != "h"}, "lacks"),
    (None, lambda r: dict(r, s="not hex"), "site"),
], ids=["table", "column", "date", "enum", "null", "missing-clock", "site"])
def test_a_record_that_does_not_fit_is_refused_before_anything_changes(devices, column, spoil, message):
    a, b = devices("a"), devices("b")
    add_mentee(a, consent_given_on=date(2024, 5, 2))
    records = export(a)  # parents first: the mentee's records come last
    target = max(i for i, r in enumerate(records) if column is None or (r["t"], r["c"]) == ("mentee", column))
    records[target] = spoil(records[target])
    before = table_dump(b)

    with b.write() as session:  # the error is caught inside the transaction, which then commits
        with pytest.raises(InputError, match=message):
            merge_records(session, records)

    assert table_dump(b) == before


def test_the_local_clock_moves_to_the_latest_incoming_and_never_back(devices, monkeypatch):
    a, b = devices("a"), devices("b")
    ahead = clock.wall_ms() + 3_600_000  # A's wall clock is an hour fast
    monkeypatch.setattr(clock, "wall_ms", lambda: ahead)
    mentee_id = add_mentee(a)
    records = export(a)
    monkeypatch.undo()

    merge(b, records)

    assert state(b).last_hlc >= max(r["h"] for r in records)
    edit(b, mentee_id, region="Sahel")  # a later edit on B beats A's hour-fast clock
    assert field_clock(b, mentee_id, "region")[0] > max(r["h"] for r in records)


def test_records_of_a_row_whose_creation_was_never_seen_still_make_it(devices):
    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a, region="Sahel")
    creation = export(a)
    since = version(a)
    edit(a, mentee_id, name="Amina B.")

    result = merge(b, export(a, since))  # only the rows the edit touched, whole

    assert result.rows_created == 1
    assert (mentee(b, mentee_id).name, mentee(b, mentee_id).region) == ("Amina B.", "Sahel")
    assert field_clock(b, mentee_id, "name") == field_clock(a, mentee_id, "name")
    late = merge(b, creation)  # the creation arrives late: the mentee does not go back
    assert mentee(b, mentee_id).name == "Amina B." and late.conflicts_logged == 0
    assert dump(a) == dump(b)


def test_a_row_arriving_before_its_parent_waits_on_a_placeholder(devices):
    a, b = devices("a"), devices("b")
    with a.write() as session:
        community = Community(name="Igbo Wikipedia", languages=["ig"])
        session.add(community)
    parent = export(a)
    since = version(a)
    with a.write() as session:
        session.add(Mentee(name="Chidi", community_id=community.id))
    child = export(a, since)

    first = merge(b, child)

    assert first.placeholders == 1
    with b.read() as session:
        stand_in = session.get(Community, community.id)
        assert stand_in.deleted is True and session.get(RowClock, community.id).causal_length == 0
    assert "community" not in {r["t"] for r in export(b)}  # a placeholder never travels
    merge(b, parent)
    with b.read() as session:
        assert (session.get(Community, community.id).name, session.get(Community, community.id).deleted) == (
            "Igbo Wikipedia", False)
    assert dump(a) == dump(b)


def test_the_hub_passes_everything_on_and_a_new_device_converges(devices):
    a, b, hub, fresh = devices("a"), devices("b"), devices("hub"), devices("fresh")
    first = add_mentee(a)
    second = add_mentee(b, region="Sahel")
    merge(hub, export(a))
    merge(hub, export(b))
    merge(a, export(hub))
    edit(a, second, name="Ngozi")

    merge(hub, export(a))
    with hub.read() as session:
        central = all_records(session)
    merge(fresh, central)
    merge(b, central)

    assert {r["c"] for r in central if r["t"] == "mentee"} >= {ROW, "name", "region"}
    assert dump(fresh) == dump(hub) == dump(b) == dump(a)
    assert mentee(fresh, first).name == "Amina Bello" and mentee(fresh, second).name == "Ngozi"


def test_every_column_type_travels_and_a_grandchild_may_come_first(devices):
    from datetime import datetime

    from coachdesk.model import (
        Assessment,
        AssessmentMode,
        CapacityRating,
        Coach,
        CoachingSession,
        SessionKind,
        SessionParticipant,
    )

    a, b = devices("a"), devices("b")
    mentee_id = add_mentee(a)
    with a.write() as session:
        coach = Coach(name="Musa", languages=["ha", "fr"], email="musa@example.org")
        session.add(coach)
        session.flush()
        visit = CoachingSession(kind=SessionKind.VISIT, title="Board visit", started_at=datetime(2024, 3, 9, 14, 30),
                                duration_minutes=90, coach_id=coach.id, notes="budget", private_notes="tense")
        assessment = Assessment(mentee_id=mentee_id, assessed_on=date(2024, 3, 9), facilitator_id=coach.id,
                                mode=AssessmentMode.GROUP, dream="a strong affiliate")
        session.add_all([visit, assessment])
        session.flush()
        session.add(SessionParticipant(session_id=visit.id, mentee_id=mentee_id))
    since = version(a)
    with a.write() as session:
        rating = CapacityRating(assessment_id=assessment.id, capacity_id=named_id("capacity", "fundraising"),
                                level=4, priority=2, gaps="no treasurer")
        session.add(rating)

    early = merge(b, export(a, since))  # the rating alone: its assessment, and that one's mentee, wait

    assert early.placeholders == 2
    merge(b, export(a))
    assert dump(a) == dump(b)
    with b.read() as session:
        arrived = session.get(CoachingSession, visit.id)
        assert (arrived.started_at, arrived.kind, arrived.duration_minutes, arrived.private_notes) == (
            datetime(2024, 3, 9, 14, 30), SessionKind.VISIT, 90, "")
        assert session.get(CapacityRating, rating.id).level == 4
        assert session.get(Assessment, assessment.id).mode is AssessmentMode.GROUP
        assert session.get(Coach, coach.id).email == ""


def test_a_unique_key_taken_by_another_row_is_refused_and_rolled_back(devices):
    from coachdesk.model import CapacityArea
    from coachdesk.sync.merge import MergeRefused

    a, b = devices("a"), devices("b")
    for db in (a, b):  # two devices add "the same" custom area, each with its own id
        with db.write() as session:
            session.add(CapacityArea(key="local_media", position=9, custom=True))
    before = table_dump(b)

    with pytest.raises(MergeRefused, match="unique value"):
        merge(b, export(a))

    assert table_dump(b) == before
