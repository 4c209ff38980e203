"""The model and the store: constraints the database enforces, change capture, the clock, search."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from conftest import table_dump
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError, StatementError

from coachdesk.model import (
    Assessment,
    CapacityRating,
    Coach,
    CoachingSession,
    FieldClock,
    Mentee,
    MenteeKind,
    RowClock,
    SyncState,
    named_id,
    private_columns,
    uuid7,
)
from coachdesk.store import clock
from coachdesk.store.changes import STATE_ID, HardDeleteRefused, insert_rows
from coachdesk.store.search import search

FUNDRAISING = named_id("capacity", "fundraising")
LEGAL = named_id("capacity", "legal")


def _db_version(db) -> int:
    with db.read() as session:
        return session.get(SyncState, STATE_ID).db_version


def _add_mentee(db, **values) -> uuid.UUID:
    with db.write() as session:
        mentee = Mentee(name=values.pop("name", "Amina Bello"), **values)
        session.add(mentee)
    return mentee.id


@pytest.fixture
def assessment_id(db) -> uuid.UUID:
    mentee_id = _add_mentee(db)
    with db.write() as session:
        assessment = Assessment(mentee_id=mentee_id, assessed_on=date(2026, 3, 1))
        session.add(assessment)
    return assessment.id


def _refused(db, make_rows, error=IntegrityError):
    """Run one write transaction that must be refused; return the error after checking nothing changed."""
    before = table_dump(db)
    with pytest.raises(error) as caught:
        with db.write() as session:
            session.add_all(make_rows())
    assert table_dump(db) == before
    return caught.value


# --- constraints --------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 6, -1])
def test_rating_level_off_the_scale_is_refused_and_nothing_is_written(db, assessment_id, level):
    error = _refused(db, lambda: [CapacityRating(assessment_id=assessment_id, capacity_id=FUNDRAISING, level=level)])
    assert "level_on_scale" in str(error)


@pytest.mark.parametrize("level", [1, 5])
def test_rating_levels_at_both_ends_of_the_scale_are_kept(db, assessment_id, level):
    with db.write() as session:
        session.add(CapacityRating(assessment_id=assessment_id, capacity_id=FUNDRAISING, level=level))
    with db.read() as session:
        assert session.scalars(select(CapacityRating.level)).all() == [level]


@pytest.mark.parametrize("priority", [-1, 4])
def test_rating_priority_out_of_range_is_refused(db, assessment_id, priority):
    error = _refused(db, lambda: [
        CapacityRating(assessment_id=assessment_id, capacity_id=FUNDRAISING, level=3, priority=priority)
    ])
    assert "priority_known" in str(error)


def test_unknown_mentee_kind_is_refused_by_the_model(db):
    error = _refused(db, lambda: [Mentee(name="Someone", kind="alien")], error=StatementError)
    assert "alien" in str(error)


def test_unknown_mentee_kind_is_refused_by_the_database_itself(db):
    before = table_dump(db)
    with pytest.raises(IntegrityError, match="ck_mentee_menteekind"):
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO mentee (id, kind, name, languages, region, journey_stage, consent_given_by, email, "
                "phone, private_notes, archived, deleted) VALUES (:id, 'alien', 'x', '[]', '', 'first_contact', "
                "'', '', '', '', 0, 0)"
            ), {"id": uuid7().bytes})
    assert table_dump(db) == before


def test_mentee_in_a_community_that_does_not_exist_is_refused(db):
    error = _refused(db, lambda: [Mentee(name="Nobody's member", community_id=uuid7())])
    assert "FOREIGN KEY" in str(error)


def test_second_rating_of_the_same_capacity_in_one_assessment_is_refused(db, assessment_id):
    with db.write() as session:
        session.add(CapacityRating(assessment_id=assessment_id, capacity_id=FUNDRAISING, level=2))
    _refused(db, lambda: [CapacityRating(assessment_id=assessment_id, capacity_id=FUNDRAISING, level=4)])
    with db.read() as session:
        assert session.execute(select(CapacityRating.capacity_id, CapacityRating.level)).all() == [(FUNDRAISING, 2)]


def test_the_same_assessment_may_rate_different_capacities(db, assessment_id):
    with db.write() as session:
        session.add(CapacityRating(assessment_id=assessment_id, capacity_id=FUNDRAISING, level=2))
        session.add(CapacityRating(assessment_id=assessment_id, capacity_id=LEGAL, level=4))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(CapacityRating)) == 2


# --- change capture -----------------------------------------------------------------------


def _row_clocks(db, row_id):
    with db.read() as session:
        return session.scalars(select(RowClock).where(RowClock.row_id == row_id)).all()


def _field_clocks(db, row_id):
    with db.read() as session:
        return session.scalars(select(FieldClock).where(FieldClock.row_id == row_id)).all()


def test_a_new_mentee_gets_one_row_clock_at_the_new_database_version(db):
    version_before = _db_version(db)
    mentee_id = _add_mentee(db)

    assert mentee_id.version == 7
    assert _db_version(db) == version_before + 1
    [row_clock] = _row_clocks(db, mentee_id)
    assert (row_clock.table_name, row_clock.causal_length, row_clock.version) == ("mentee", 1, version_before + 1)
    assert _field_clocks(db, mentee_id) == []
    with db.read() as session:
        state = session.get(SyncState, STATE_ID)
        assert row_clock.hlc == state.last_hlc
        assert row_clock.site_idx == state.local_site_idx


def test_editing_two_fields_stamps_two_field_clocks_later_than_the_row(db):
    mentee_id = _add_mentee(db)
    [created] = _row_clocks(db, mentee_id)

    with db.write() as session:
        mentee = session.get(Mentee, mentee_id)
        mentee.name = "Amina Bello-Yusuf"
        mentee.region = "West Africa"

    fields = _field_clocks(db, mentee_id)
    assert sorted(f.column_name for f in fields) == ["name", "region"]
    assert {f.version for f in fields} == {_db_version(db)}
    assert all(f.version > created.version and f.hlc > created.hlc for f in fields)
    [row_clock_after] = _row_clocks(db, mentee_id)
    assert (row_clock_after.version, row_clock_after.hlc) == (created.version, created.hlc)


def test_editing_a_field_again_moves_its_one_clock_forward(db):
    mentee_id = _add_mentee(db)
    for region in ("West Africa", "Sahel"):
        with db.write() as session:
            session.get(Mentee, mentee_id).region = region
        [field_clock] = _field_clocks(db, mentee_id)
        assert field_clock.version == _db_version(db)


def test_setting_a_field_to_the_value_it_has_writes_no_clock(db):
    mentee_id = _add_mentee(db, region="Sahel")
    version = _db_version(db)
    with db.write() as session:
        session.get(Mentee, mentee_id).region = "Sahel"
    assert _field_clocks(db, mentee_id) == []
    assert _db_version(db) == version


def test_tombstoning_and_reviving_a_mentee_moves_its_causal_length(db):
    mentee_id = _add_mentee(db)

    with db.write() as session:
        session.get(Mentee, mentee_id).deleted = True
    [tombstoned] = _row_clocks(db, mentee_id)
    assert (tombstoned.causal_length, tombstoned.version) == (2, _db_version(db))

    with db.write() as session:
        session.get(Mentee, mentee_id).deleted = False
    [revived] = _row_clocks(db, mentee_id)
    assert (revived.causal_length, revived.version) == (3, _db_version(db))
    assert revived.hlc > tombstoned.hlc
    # Liveness travels in the causal length, not as a field change.
    assert _field_clocks(db, mentee_id) == []
    with db.read() as session:
        assert session.get(Mentee, mentee_id).deleted is False


def test_deleting_a_mentee_outright_is_refused_and_nothing_changes(db):
    mentee_id = _add_mentee(db)
    before = table_dump(db)
    with pytest.raises(HardDeleteRefused, match="deleted=True"):
        with db.write() as session:
            session.delete(session.get(Mentee, mentee_id))
    assert table_dump(db) == before


@pytest.mark.parametrize("statement", [
    update(Mentee).values(name="Everyone"),
    update(Mentee).where(Mentee.name == "Amina Bello").values(region="Nowhere"),
    delete(Mentee),
], ids=["update-all", "update-where", "delete"])
def test_orm_bulk_statements_on_synced_tables_are_refused(db, statement):
    _add_mentee(db)
    before = table_dump(db)
    with pytest.raises(HardDeleteRefused, match="change capture"):
        with db.write() as session:
            session.execute(statement)
    assert table_dump(db) == before


def test_insert_rows_stamps_one_row_clock_per_row_in_one_version(db):
    version_before = _db_version(db)
    rows = [{"name": f"Member {i}", "kind": MenteeKind.PERSON} for i in range(3)]
    with db.write() as session:
        ids = insert_rows(session, Mentee, rows)

    assert len(set(ids)) == 3 and all(i.version == 7 for i in ids)
    with db.read() as session:
        assert sorted(session.scalars(select(Mentee.name).where(Mentee.id.in_(ids)))) == [
            "Member 0", "Member 1", "Member 2"]
        clocks = session.scalars(select(RowClock).where(RowClock.row_id.in_(ids))).all()
    assert len(clocks) == 3
    assert {(c.table_name, c.causal_length, c.version) for c in clocks} == {("mentee", 1, version_before + 1)}


def test_every_flush_of_one_transaction_shares_one_version(db):
    version_before = _db_version(db)
    with db.write() as session:
        first = Mentee(name="First")
        session.add(first)
        session.flush()
        second = Coach(name="Second")
        session.add(second)
    versions = {c.version for c in _row_clocks(db, first.id) + _row_clocks(db, second.id)}
    assert versions == {version_before + 1} == {_db_version(db)}


# --- the hybrid logical clock -------------------------------------------------------------

MS = st.integers(min_value=0, max_value=(1 << 47) - 1)
HLC = st.builds(clock.pack, MS, st.integers(min_value=0, max_value=clock.COUNTER_MASK))


@given(start=HLC, walls=st.lists(MS, min_size=1, max_size=60))
def test_tick_never_goes_backwards_whatever_the_wall_clock_does(start, walls):
    last = start
    for wall in walls:
        value = clock.tick(last, wall)
        assert value > last
        assert clock.milliseconds(value) >= wall  # never behind the wall clock either
        last = value


@given(last=HLC, remote=HLC, wall=MS)
def test_receive_is_later_than_both_clocks(last, remote, wall):
    value = clock.receive(last, remote, wall)
    assert value > last and value > remote


def test_tick_follows_the_wall_clock_when_it_moves_forward():
    assert clock.tick(clock.pack(1_000, 7), 2_000) == clock.pack(2_000, 0)


def test_a_full_counter_carries_into_the_milliseconds():
    full = clock.pack(1_000, clock.COUNTER_MASK)
    assert clock.tick(full, 1_000) == clock.pack(1_001, 0)


# --- private columns and the engine --------------------------------------------------------


def test_mentee_contact_details_and_private_notes_are_the_private_columns():
    assert private_columns(Mentee) == {"email", "phone", "private_notes"}
    assert private_columns(Coach) == {"email"}
    assert private_columns(CoachingSession) == {"private_notes"}


def test_a_file_database_runs_in_wal_mode_with_foreign_keys_on(db):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# --- full-text search ---------------------------------------------------------------------

NOTES = {
    "Editathon follow-up": "Workshops about fundraising went well; the treasurer joined.",
    "हिंदी सत्र": "आज हमने संपादन प्रशिक्षण किया और नए सदस्य आए।",
    "جلسة": "ورشة تدريب على التحرير في عمّان مع المتطوعين.",
}


@pytest.fixture
def sessions(db) -> dict[str, uuid.UUID]:
    with db.write() as session:
        made = {title: CoachingSession(title=title, started_at=datetime(2026, 5, 4, 10), notes=notes)
                for title, notes in NOTES.items()}
        session.add_all(made.values())
    return {title: s.id for title, s in made.items()}


def _found(db, query: str) -> list[tuple[str, str]]:
    with db.engine.connect() as connection:
        return [(hit.kind, hit.title) for hit in search(connection, query)]


@pytest.mark.parametrize(("query", "title"), [
    ("treasurer", "Editathon follow-up"),
    ("FUNDRAISING", "Editathon follow-up"),
    ("fundrais", "Editathon follow-up"),
    ("workshops treas", "Editathon follow-up"),
    ("प्रशिक्षण", "हिंदी सत्र"),
    ("प्रशि", "हिंदी सत्र"),
    ("تدريب", "جلسة"),
    ("المتطوعين", "جلسة"),
], ids=["word", "any-case", "prefix", "two-words", "hindi", "hindi-prefix", "arabic", "arabic-2"])
def test_search_finds_a_session_by_what_its_notes_say(db, sessions, query, title):
    assert _found(db, query) == [("session", title)]


def test_search_snippet_marks_the_matching_word(db, sessions):
    with db.engine.connect() as connection:
        [hit] = search(connection, "प्रशिक्षण")
    assert hit.id == sessions["हिंदी सत्र"]
    assert "[प्रशिक्षण]" in hit.snippet


def test_search_finds_nothing_for_a_word_no_note_holds(db, sessions):
    assert _found(db, "budget") == []


def test_search_does_not_find_a_tombstoned_session(db, sessions):
    with db.write() as session:
        session.get(CoachingSession, sessions["جلسة"]).deleted = True
    assert _found(db, "تدريب") == []
    assert _found(db, "treasurer") == [("session", "Editathon follow-up")]


def test_search_follows_edited_notes(db, sessions):
    with db.write() as session:
        session.get(CoachingSession, sessions["Editathon follow-up"]).notes = "Planned the photo contest."
    assert _found(db, "treasurer") == []
    assert _found(db, "photo contest") == [("session", "Editathon follow-up")]


def test_search_finds_mentees_by_name_ignoring_latin_accents(db):
    _add_mentee(db, name="Conceição Gonçalves")
    assert _found(db, "conceicao") == [("mentee", "Conceição Gonçalves")]


@pytest.mark.parametrize(("query", "expected"), [
    ('"AND (', []),
    ("NEAR(", []),
    ("fund AND", []),
    ("OR", []),
    ("*", []),
    ("col:umn", []),
    ("'", []),
    ("", []),
    ("   ", []),
    ("-treasurer", [("session", "Editathon follow-up")]),
    ('"treasurer', [("session", "Editathon follow-up")]),
])
def test_search_treats_operators_and_punctuation_as_plain_text(db, sessions, query, expected):
    assert _found(db, query) == expected
