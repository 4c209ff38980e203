"""Spreadsheets: export mentees and sessions, edit them, import them back.

What a user sees or keeps: the bytes and rows of the file, the sentence that refuses a bad
file (naming every bad row), the exit status, and a database left exactly as it was after
a refused file (``table_dump`` covers the sync clock tables too, so not even the version
counter may move).
"""

from __future__ import annotations

import csv
import os
import shutil
import uuid
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from coachdesk.cli import main
from coachdesk.errors import InputError
from coachdesk.model import (
    Capacity,
    CoachingSession,
    Community,
    JourneyStage,
    Mentee,
    MenteeKind,
    SessionCapacity,
    SessionKind,
    SessionParticipant,
    ToolboxMethod,
    named_id,
)
from coachdesk.services.csvfile import CsvError, write_table
from coachdesk.services.demo import generate_demo
from coachdesk.services.spreadsheets import ImportResult, export_csv, import_csv
from coachdesk.services.workspace import open_workspace
from tests.conftest import table_dump

BOM = b"\xef\xbb\xbf"
# The documented columns, written out here so that a change to the module cannot pass unnoticed.
MENTEE_HEADER = ["id", "name", "kind", "community", "region", "languages", "journey_stage", "consent_given_on",
                 "consent_given_by", "email", "phone", "archived", "open_to_peers"]
SESSION_HEADER = ["id", "title", "kind", "started_at", "duration_minutes", "location", "participants",
                  "participant_ids", "capacities", "method", "language", "notes", "next_steps"]

KHALID = "خالد عبد الله"
KAVITA = "कविता यादव"
ANA = "Ana Souza"
SAM = "Sam Lee"
NOT_IN_DB = uuid.UUID("0190f0e0-1234-7abc-8def-000000000001")


# -- data and helpers --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _migrated_template(tmp_path_factory) -> Path:
    """One database made the way the app makes it (migrated, reference data loaded), made once."""
    path = tmp_path_factory.mktemp("template") / "coachdesk.sqlite"
    open_workspace(path).close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, _migrated_template: Path) -> Path:
    """A copy of the template for each test (``db`` opens it): copying is much faster than migrating."""
    path = tmp_path / "coachdesk.sqlite"
    shutil.copyfile(_migrated_template, path)
    return path


@pytest.fixture
def people(db):
    """Five mentees (one Arabic, one Hindi name; two called Sam Lee) and two sessions."""
    with db.write() as s:
        capacity = {c.key: c.id for c in s.scalars(select(Capacity))}
        method = {m.key: m.id for m in s.scalars(select(ToolboxMethod))}
        levant = Community(name="Wikimedia Levant", region="Middle East")
        s.add(levant)
        s.flush()
        khalid = Mentee(name=KHALID, community_id=levant.id, region="Middle East", languages=["ar"],
                        journey_stage=JourneyStage.PLANNING, consent_given_on=date(2025, 12, 31),
                        consent_given_by="signed form")
        kavita = Mentee(name=KAVITA, languages=["hi"], journey_stage=JourneyStage.ASSESSMENT)
        ana = Mentee(name=ANA, languages=["pt_BR"], kind=MenteeKind.ORGANIZATION, email="ana@example.org")
        sam_a = Mentee(name=SAM, languages=["en"])
        sam_b = Mentee(name=SAM, languages=["en"], archived=True)
        s.add_all([khalid, kavita, ana, sam_a, sam_b])
        s.flush()
        legal = CoachingSession(title="Mentoring: legal", kind=SessionKind.MENTORING,
                                started_at=datetime(2026, 1, 10, 9, 0), duration_minutes=90, location="بيروت",
                                method_id=method["mentoring_coaching"], language="ar", notes="Talked about licences.",
                                next_steps="Read the guide.")
        outreach = CoachingSession(title="Training: outreach", kind=SessionKind.TRAINING,
                                   started_at=datetime(2026, 2, 3, 14, 30), duration_minutes=120, location="भोपाल",
                                   method_id=method["training"], language="hi")
        s.add_all([legal, outreach])
        s.flush()
        for session_id, mentee_id in ((legal.id, khalid.id), (outreach.id, kavita.id), (outreach.id, ana.id)):
            s.add(SessionParticipant(id=named_id(session_id, mentee_id), session_id=session_id, mentee_id=mentee_id))
        for session_id, key in ((legal.id, "legal"), (legal.id, "fundraising"), (outreach.id, "communication")):
            s.add(SessionCapacity(id=named_id(session_id, capacity[key]), session_id=session_id,
                                  capacity_id=capacity[key]))
    return SimpleNamespace(khalid=khalid.id, kavita=kavita.id, ana=ana.id, sam_a=sam_a.id, sam_b=sam_b.id,
                           levant=levant.id, legal=legal.id, outreach=outreach.id, capacity=capacity)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, header, delimiter=delimiter, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def blank(header: list[str], **cells: str) -> dict[str, str]:
    return {column: "" for column in header} | cells


def row_with_id(rows: list[dict[str, str]], row_id: uuid.UUID) -> dict[str, str]:
    (row,) = [r for r in rows if r["id"] == str(row_id)]
    return row


def cli(capsys, db_path: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return status, out, err


def links(db, link, column: str, session_id: uuid.UUID) -> dict[uuid.UUID, bool]:
    """Every link row of one session (live or tombstoned): target id -> deleted."""
    with db.read() as s:
        rows = s.scalars(select(link).where(link.session_id == session_id)).all()
        return {getattr(r, column): r.deleted for r in rows}


def live_count(db, cls) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(cls).where(cls.deleted.is_(False)))


def assert_refused(db, db_path: Path, capsys, kind: str, path: Path, *phrases: str) -> str:
    """Import ``path`` through the command line: exit 2, every phrase on stderr, nothing changed."""
    before = table_dump(db)
    status, out, err = cli(capsys, db_path, "csv", "import", kind, str(path))
    assert status == 2, err
    assert out == ""
    assert err.startswith("coachdesk: ")
    assert path.name in err.splitlines()[0]
    for phrase in phrases:
        assert phrase in err
    assert table_dump(db) == before
    return err


# -- export and round trip -------------------------------------------------------------------


def test_mentee_export_has_bom_documented_header_and_rows_byte_for_byte(db, people, tmp_path):
    path = tmp_path / "mentees.csv"

    written = export_csv(db, "mentees", path)

    data = path.read_bytes()
    assert written == 5
    assert data.startswith(BOM + b"id,name,")
    lines = data[len(BOM):].decode("utf-8").split("\r\n")
    assert lines[0] == ",".join(MENTEE_HEADER)
    assert f"{people.khalid},{KHALID},person,Wikimedia Levant,Middle East,ar,planning,2025-12-31,signed form,,,no,no" \
        in lines
    assert f"{people.kavita},{KAVITA},person,,,hi,assessment,,,,,no,no" in lines
    assert f"{people.ana},{ANA},organization,,,pt_BR,first_contact,,,ana@example.org,,no,no" in lines
    assert f"{people.sam_b},{SAM},person,,,en,first_contact,,,,,yes,no" in lines
    assert lines[-1] == ""  # every row ends with CRLF, the last one too
    assert len(lines) == 1 + 5 + 1
    assert KHALID.encode("utf-8") in data and KAVITA.encode("utf-8") in data


def test_session_export_has_bom_documented_header_and_rows_byte_for_byte(db, people, tmp_path):
    path = tmp_path / "sessions.csv"

    written = export_csv(db, "sessions", path)

    data = path.read_bytes()
    assert written == 2
    assert data.startswith(BOM + b"id,title,")
    lines = data[len(BOM):].decode("utf-8").split("\r\n")
    assert lines == [
        ",".join(SESSION_HEADER),
        f"{people.legal},Mentoring: legal,mentoring,2026-01-10 09:00,90,بيروت,{KHALID},{people.khalid},"
        "fundraising; legal,mentoring_coaching,ar,Talked about licences.,Read the guide.",
        # participants sorted by name, their ids in the same order
        f"{people.outreach},Training: outreach,training,2026-02-03 14:30,120,भोपाल,{ANA}; {KAVITA},"
        f"{people.ana}; {people.kavita},communication,training,hi,,",
        "",
    ]


@pytest.mark.parametrize(("kind", "count"), [("mentees", 5), ("sessions", 2)])
def test_unchanged_export_imports_back_as_all_unchanged_and_changes_nothing(db, people, tmp_path, kind, count):
    path = tmp_path / f"{kind}.csv"
    export_csv(db, kind, path)
    before = table_dump(db)

    result = import_csv(db, kind, path)

    assert result == ImportResult(added=0, updated=0, unchanged=count)
    assert table_dump(db) == before


@pytest.mark.parametrize(("kind", "count"), [("mentees", 5), ("sessions", 2)])
def test_cli_export_then_import_of_unchanged_file_reports_all_unchanged(db, db_path, people, tmp_path, capsys,
                                                                         kind, count):
    path = tmp_path / f"{kind}.csv"
    before = table_dump(db)

    status, out, err = cli(capsys, db_path, "csv", "export", kind, "-o", str(path))
    assert (status, err) == (0, "")
    assert out.strip() == f"Wrote {count} rows to {path}."
    header = path.read_bytes().split(b"\r\n")[0]
    assert header == BOM + ",".join(MENTEE_HEADER if kind == "mentees" else SESSION_HEADER).encode()

    status, out, err = cli(capsys, db_path, "csv", "import", kind, str(path))
    assert (status, err) == (0, "")
    assert out.strip() == f"Imported {path}: 0 added, 0 updated, {count} unchanged."
    assert table_dump(db) == before


@pytest.mark.parametrize(("kind", "count"), [("mentees", 20), ("sessions", 45)])
def test_demo_data_round_trips_unchanged(db, tmp_path, kind, count):
    generate_demo(db, mentees=20, seed=3)
    path = tmp_path / f"{kind}.csv"
    assert export_csv(db, kind, path) == count
    before = table_dump(db)

    assert import_csv(db, kind, path) == ImportResult(added=0, updated=0, unchanged=count)
    assert table_dump(db) == before


# -- edit and import -------------------------------------------------------------------------


def test_edited_mentee_and_new_row_are_imported(db, people, tmp_path):
    path = tmp_path / "mentees.csv"
    export_csv(db, "mentees", path)
    rows = read_rows(path)
    khalid = row_with_id(rows, people.khalid)
    khalid["name"] = "خالد عبدالله"
    khalid["journey_stage"] = "funding"
    rows.append(blank(MENTEE_HEADER, name="नेहा गुप्ता", kind="group", community="Delhi Circle",
                      languages="hi, en", consent_given_on="2026-03-01", archived="no"))
    write_rows(path, MENTEE_HEADER, rows)

    result = import_csv(db, "mentees", path)

    assert result == ImportResult(added=1, updated=1, unchanged=4)
    assert live_count(db, Mentee) == 6
    with db.read() as s:
        edited = s.get(Mentee, people.khalid)
        assert (edited.name, edited.journey_stage) == ("خالد عبدالله", JourneyStage.FUNDING)
        assert edited.community_id == people.levant and edited.languages == ["ar"]
        new = s.scalars(select(Mentee).where(Mentee.name == "नेहा गुप्ता")).one()
        assert (new.kind, new.languages, new.consent_given_on, new.archived) == (
            MenteeKind.GROUP, ["hi", "en"], date(2026, 3, 1), False)
        assert s.get(Community, new.community_id).name == "Delhi Circle"
    again = tmp_path / "again.csv"
    export_csv(db, "mentees", again)
    assert row_with_id(read_rows(again), people.khalid)["name"] == "خالد عبدالله"


def test_edited_mentees_import_through_cli_reports_counts(db, db_path, people, tmp_path, capsys):
    path = tmp_path / "mentees.csv"
    export_csv(db, "mentees", path)
    rows = read_rows(path)
    row_with_id(rows, people.kavita)["journey_stage"] = "Activities"  # spreadsheets capitalise
    rows.append(blank(MENTEE_HEADER, name="Lina Haddad", community="wikimedia levant"))
    write_rows(path, MENTEE_HEADER, rows)

    status, out, err = cli(capsys, db_path, "csv", "import", "mentees", str(path))

    assert (status, err) == (0, "")
    assert out.strip() == f"Imported {path}: 1 added, 1 updated, 4 unchanged."
    with db.read() as s:
        assert s.get(Mentee, people.kavita).journey_stage == JourneyStage.ACTIVITIES
        lina = s.scalars(select(Mentee).where(Mentee.name == "Lina Haddad")).one()
        assert lina.community_id == people.levant  # an existing community, matched ignoring case
    assert live_count(db, Community) == 1


def test_edited_session_participants_by_name_and_capacities_are_imported(db, people, tmp_path):
    path = tmp_path / "sessions.csv"
    export_csv(db, "sessions", path)
    original = path.read_bytes()
    rows = read_rows(path)
    legal = row_with_id(rows, people.legal)
    legal["participants"] = f"{KAVITA}; ana  SOUZA"  # names match ignoring case and extra spaces
    legal["participant_ids"] = ""
    legal["capacities"] = "legal; it_safety"
    legal["method"] = "consultation"
    write_rows(path, SESSION_HEADER, rows)

    assert import_csv(db, "sessions", path) == ImportResult(added=0, updated=1, unchanged=1)

    # the removed links stay as tombstones, so the removal can sync
    assert links(db, SessionParticipant, "mentee_id", people.legal) == {
        people.khalid: True, people.kavita: False, people.ana: False}
    cap = people.capacity
    assert links(db, SessionCapacity, "capacity_id", people.legal) == {
        cap["legal"]: False, cap["fundraising"]: True, cap["it_safety"]: False}
    assert links(db, SessionParticipant, "mentee_id", people.outreach) == {people.kavita: False, people.ana: False}
    with db.read() as s:
        method = s.get(ToolboxMethod, s.get(CoachingSession, people.legal).method_id)
        assert method.key == "consultation"

    # importing the first file again brings Khalid back on the same link row
    path.write_bytes(original)
    assert import_csv(db, "sessions", path) == ImportResult(added=0, updated=1, unchanged=1)
    assert links(db, SessionParticipant, "mentee_id", people.legal) == {
        people.khalid: False, people.kavita: True, people.ana: True}
    assert links(db, SessionCapacity, "capacity_id", people.legal) == {
        cap["legal"]: False, cap["fundraising"]: False, cap["it_safety"]: True}


def test_emptying_both_participant_cells_removes_every_participant(db, people, tmp_path):
    path = tmp_path / "sessions.csv"
    export_csv(db, "sessions", path)
    rows = read_rows(path)
    outreach = row_with_id(rows, people.outreach)
    outreach["participants"] = outreach["participant_ids"] = ""
    write_rows(path, SESSION_HEADER, rows)

    assert import_csv(db, "sessions", path) == ImportResult(added=0, updated=1, unchanged=1)
    assert links(db, SessionParticipant, "mentee_id", people.outreach) == {people.kavita: True, people.ana: True}


def test_new_session_row_is_added_with_participants_and_capacities(db, people, tmp_path):
    path = tmp_path / "sessions.csv"
    export_csv(db, "sessions", path)
    rows = read_rows(path)
    rows.append(blank(SESSION_HEADER, title="Visit: Beirut", kind="visit", started_at="2026-04-01 10:15",
                      participants=f"{KHALID}; {ANA}", capacities="advocacy; public_speaking",
                      method="onsite_assistance", language="ar"))
    write_rows(path, SESSION_HEADER, rows)

    assert import_csv(db, "sessions", path) == ImportResult(added=1, updated=0, unchanged=2)

    with db.read() as s:
        new = s.scalars(select(CoachingSession).where(CoachingSession.title == "Visit: Beirut")).one()
        assert (new.kind, new.started_at, new.duration_minutes, new.language) == (
            SessionKind.VISIT, datetime(2026, 4, 1, 10, 15), 60, "ar")
    assert links(db, SessionParticipant, "mentee_id", new.id) == {people.khalid: False, people.ana: False}
    cap = people.capacity
    assert links(db, SessionCapacity, "capacity_id", new.id) == {cap["advocacy"]: False, cap["public_speaking"]: False}


def test_repeated_capacity_key_links_the_capacity_once(db, people, tmp_path):
    path = tmp_path / "sessions.csv"
    path.write_text(f"id,title,started_at,capacities\n"
                    f"{people.outreach},Training: outreach,2026-02-03 14:30,it_safety; it_safety\n"
                    ",Workshop,2026-05-05 10:00,legal; legal; fundraising\n", encoding="utf-8")

    assert import_csv(db, "sessions", path) == ImportResult(added=1, updated=1, unchanged=0)

    cap = people.capacity
    assert links(db, SessionCapacity, "capacity_id", people.outreach) == {
        cap["communication"]: True, cap["it_safety"]: False}
    with db.read() as s:
        workshop = s.scalars(select(CoachingSession).where(CoachingSession.title == "Workshop")).one()
    assert links(db, SessionCapacity, "capacity_id", workshop.id) == {cap["legal"]: False, cap["fundraising"]: False}


def test_participant_whose_name_contains_a_semicolon_round_trips_unchanged(db, tmp_path):
    with db.write() as s:
        mentee = Mentee(name="Wiki Club; Dakar")
        session = CoachingSession(title="Kick-off", started_at=datetime(2026, 1, 5, 18, 0))
        s.add_all([mentee, session])
        s.flush()
        s.add(SessionParticipant(id=named_id(session.id, mentee.id), session_id=session.id, mentee_id=mentee.id))
    path = tmp_path / "sessions.csv"
    export_csv(db, "sessions", path)
    assert read_rows(path)[0]["participants"] == "Wiki Club; Dakar"
    before = table_dump(db)

    assert import_csv(db, "sessions", path) == ImportResult(added=0, updated=0, unchanged=1)
    assert table_dump(db) == before


# -- separators and encodings ------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    'id;name;region;languages\n{khalid};{name};Beirut, Lebanon;"ar; en"\n;Lina Haddad;Tripoli, Lebanon;ar\n',
    "id\tname\tregion\tlanguages\n{khalid}\t{name}\tBeirut, Lebanon\tar; en\n\tLina Haddad\tTripoli, Lebanon\tar\n",
], ids=["semicolons", "tabs"])
def test_semicolon_and_tab_separated_files_import(db, people, tmp_path, text):
    path = tmp_path / "mentees.csv"
    path.write_text(text.format(khalid=people.khalid, name=KHALID), encoding="utf-8")

    assert import_csv(db, "mentees", path) == ImportResult(added=1, updated=1, unchanged=0)

    with db.read() as s:
        khalid = s.get(Mentee, people.khalid)
        assert (khalid.region, khalid.languages) == ("Beirut, Lebanon", ["ar", "en"])
        assert khalid.journey_stage == JourneyStage.PLANNING  # columns left out are left alone
        lina = s.scalars(select(Mentee).where(Mentee.name == "Lina Haddad")).one()
        assert (lina.region, lina.languages, lina.kind) == ("Tripoli, Lebanon", ["ar"], MenteeKind.PERSON)


def test_utf16_file_from_a_spreadsheet_imports(db, people, tmp_path):
    path = tmp_path / "mentees.csv"
    path.write_bytes(f"id\tname\tregion\r\n{people.kavita}\t{KAVITA}\tमध्य प्रदेश\r\n".encode("utf-16"))

    assert import_csv(db, "mentees", path) == ImportResult(added=0, updated=1, unchanged=0)
    with db.read() as s:
        assert s.get(Mentee, people.kavita).region == "मध्य प्रदेश"


# -- refused files -----------------------------------------------------------------------------

ONE_ROW = "was not imported: 1 row has a problem, so nothing was changed."


def bad_files(p: SimpleNamespace) -> dict[str, tuple[str, bytes, list[str]]]:
    """name -> (kind, file content, phrases the refusal must contain)."""
    legal = f"{p.legal},Mentoring: legal,2026-01-10 09:00"
    return {
        "missing_name_column": ("mentees", b"id,kind\n,person\n", [
            "was not imported: it has no \u201cname\u201d column. The first row must name the columns, "
            "e.g. id,name,kind,community."]),
        "missing_started_at_column": ("sessions", b"id,title\n,Workshop\n", [
            "it has no \u201cstarted_at\u201d column"]),
        "unknown_column": ("mentees", b"id,name,nickname\n,Lina,L\n", [
            "was not imported: \u201cnickname\u201d is not a column CoachDesk knows. Known columns are: id, name, "
            "kind, community, region, languages, journey_stage, consent_given_on, consent_given_by, email, phone, "
            "archived, open_to_peers."]),
        "repeated_column": ("mentees", b"id,name,name\n,Lina,Lina\n", [
            "was not imported: the column \u201cname\u201d appears twice."]),
        "bad_date": ("mentees", f"id,name,consent_given_on\n{p.khalid},{KHALID},31/12/2025\n".encode(), [
            ONE_ROW, "line 2: consent_given_on: \u201c31/12/2025\u201d is not a date; write it as YYYY-MM-DD, "
            "e.g. 2026-03-31"]),
        "bad_datetime": ("sessions", f"id,title,started_at\n{p.legal},Mentoring: legal,10.01.2026 9:00\n".encode(), [
            ONE_ROW, "line 2: started_at: \u201c10.01.2026 9:00\u201d is not a date and time; write it as "
            "YYYY-MM-DD HH:MM, e.g. 2026-03-31 14:30"]),
        "missing_datetime": ("sessions", b"id,title,started_at\n,Workshop,\n", [
            ONE_ROW, "line 2: started_at: the date and time are missing; write them as YYYY-MM-DD HH:MM"]),
        "unknown_capacity_key": ("sessions", f"id,title,started_at,capacities\n{legal},legal; knitting\n".encode(), [
            ONE_ROW, "line 2: capacities: \u201cknitting\u201d is not a capacity key; known keys are listed by the "
            "Toolbox page, e.g. fundraising, it_safety"]),
        "unknown_method_key": ("sessions", f"id,title,started_at,method\n{legal},coaching_by_owl\n".encode(), [
            ONE_ROW, "line 2: method: \u201ccoaching_by_owl\u201d is not a toolbox method key, e.g. training, "
            "mentoring_coaching"]),
        "unknown_id": ("mentees", f"id,name\n{NOT_IN_DB},Ghost\n".encode(), [
            ONE_ROW, f"line 2: id {NOT_IN_DB} is not a mentee in this database; leave the id empty to add a new one"]),
        "session_id_in_mentee_file": ("mentees", f"id,name\n{p.legal},Mentoring: legal\n".encode(), [
            f"line 2: id {p.legal} is not a mentee in this database"]),
        "mentee_id_in_session_file": ("sessions", f"id,title,started_at\n{p.khalid},x,2026-01-01 10:00\n".encode(), [
            f"line 2: id {p.khalid} is not a session in this database"]),
        "malformed_id": ("mentees", b"id,name\n12345-not-an-id,Ghost\n", [
            ONE_ROW, "line 2: id \u201c12345-not-an-id\u201d is not a CoachDesk id"]),
        "duplicate_ids": ("mentees", f"id,name\n{p.khalid},{KHALID}\n{p.ana},{ANA}\n{p.khalid},Khalid\n".encode(), [
            ONE_ROW, f"line 4: id {p.khalid} is already on line 2"]),
        "latin1_bytes": ("mentees", b"id,name\n,Ana\n,Jos\xe9\n", [
            "is not UTF-8 text (line 3 has a byte that is not UTF-8), so nothing was imported. Save it again with "
            "the character set \u201cUnicode (UTF-8)\u201d."]),
        "empty_file": ("mentees", b"", ["is empty: it has no header row, so nothing was imported."]),
        "only_blank_lines": ("sessions", b"\r\n \r\n", ["is empty: it has no header row"]),
        "binary_data": ("mentees", b"id,name\n,\x00\x01\x02\n", ["is not a CSV file (it holds binary data)"]),
        "more_cells_than_columns": ("mentees", b"id,name,kind\n,Lina,person,Beirut\n", [
            ONE_ROW, "line 2: it has more cells than the header has columns"]),
        "unknown_participant_name": ("sessions", f"id,title,started_at,participants,participant_ids\n"
                                                 f"{legal},Nobody Here,\n".encode(), [
            ONE_ROW, "line 2: participants: no mentee is called \u201cNobody Here\u201d"]),
        "ambiguous_participant_name": ("sessions", f"id,title,started_at,participants,participant_ids\n"
                                                   f"{legal},{SAM},\n".encode(), [
            ONE_ROW, f"line 2: participants: 2 mentees are called \u201c{SAM}\u201d; give their ids in "
            "participant_ids"]),
        "participants_disagree_with_ids": ("sessions", f"id,title,started_at,participants,participant_ids\n"
                                                       f"{legal},{ANA},{p.khalid}\n".encode(), [
            ONE_ROW, "line 2: participants and participant_ids disagree; to change who took part by name, empty the "
            "participant_ids cell"]),
        "unknown_participant_id": ("sessions", f"id,title,started_at,participant_ids\n{legal},{NOT_IN_DB}\n".encode(), [
            ONE_ROW, f"line 2: participant_ids: \u201c{NOT_IN_DB}\u201d is not a mentee in this database"]),
        "bad_mentee_kind": ("mentees", f"id,name,kind\n{p.ana},{ANA},robot\n".encode(), [
            ONE_ROW, "line 2: kind: \u201crobot\u201d is not one of: person, organization, group"]),
        "bad_session_kind": ("sessions", f"id,title,started_at,kind\n{legal},webinar\n".encode(), [
            ONE_ROW, "line 2: kind: \u201cwebinar\u201d is not one of: coaching, mentoring, training, consultation, "
            "visit"]),
        "bad_journey_stage": ("mentees", b"id,name,journey_stage\n,Lina,done\n", [
            "line 2: journey_stage: \u201cdone\u201d is not one of: first_contact, assessment, planning, funding, "
            "activities, evaluation"]),
        "bad_language_code": ("mentees", f"id,name,languages\n{p.ana},{ANA},pt; xx\n".encode(), [
            ONE_ROW, "line 2: languages: unknown language code \u201cxx\u201d; use codes such as ar, hi, pt or pt_BR"]),
        "several_session_languages": ("sessions", f"id,title,started_at,language\n{legal},\"ar; en\"\n".encode(), [
            ONE_ROW, "line 2: language: give one language code, not several"]),
        "bad_archived": ("mentees", f"id,name,archived\n{p.ana},{ANA},maybe\n".encode(), [
            ONE_ROW, "line 2: archived: \u201cmaybe\u201d is not yes or no"]),
        "empty_name": ("mentees", f"id,name\n{p.ana},  \n".encode(), [
            ONE_ROW, "line 2: name: it is empty, and it must not be"]),
        "name_too_long": ("mentees", ("id,name\n," + "x" * 201 + "\n").encode(), [
            ONE_ROW, "line 2: name: the text is 201 characters long; at most 200 fit"]),
        "duration_not_a_number": ("sessions", f"id,title,started_at,duration_minutes\n{legal},an hour\n".encode(), [
            ONE_ROW, "line 2: duration_minutes: \u201can hour\u201d is not a number of minutes"]),
        "duration_infinite": ("sessions", f"id,title,started_at,duration_minutes\n{legal},inf\n".encode(), [
            ONE_ROW, "line 2: duration_minutes: \u201cinf\u201d is not a number of minutes"]),
        "duration_over_a_week": ("sessions", f"id,title,started_at,duration_minutes\n{legal},20000\n".encode(), [
            ONE_ROW, "line 2: duration_minutes: 20000 minutes is not between 0 and 10080 (one week)"]),
    }


BAD_FILE_NAMES = list(bad_files(SimpleNamespace(khalid="K", kavita="V", ana="A", legal="L", outreach="O")))


@pytest.mark.parametrize("case", BAD_FILE_NAMES)
def test_import_refuses_bad_file_with_clear_message_exit_2_and_changes_nothing(db, db_path, people, tmp_path,
                                                                                capsys, case):
    kind, content, phrases = bad_files(people)[case]
    path = tmp_path / f"{case}.csv"
    path.write_bytes(content)

    assert_refused(db, db_path, capsys, kind, path, *phrases)

    # the same refusal through the service: a CsvError carrying the same sentence
    with pytest.raises(CsvError) as refused:
        import_csv(db, kind, path)
    assert all(phrase in str(refused.value) for phrase in phrases)


def test_import_of_missing_file_exits_2_and_names_it(db, db_path, people, tmp_path, capsys):
    path = tmp_path / "nowhere.csv"
    err = assert_refused(db, db_path, capsys, "mentees", path)
    assert err.strip() == f"coachdesk: {path} does not exist."


def test_import_of_folder_exits_2(db, db_path, people, tmp_path, capsys):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    err = assert_refused(db, db_path, capsys, "sessions", folder)
    assert err.strip() == f"coachdesk: {folder} is a folder, not a CSV file."


def test_every_bad_row_is_listed_and_the_good_row_is_not_imported(db, db_path, people, tmp_path, capsys):
    path = tmp_path / "mentees.csv"
    path.write_text(
        "id,name,kind,consent_given_on,archived\r\n"
        f"{people.khalid},{KHALID},person,31/12/2025,no\r\n"  # line 2: bad date
        ",Lina Haddad,person,2026-01-01,no\r\n"  # line 3: good
        "\r\n"  # line 4: blank, skipped
        f"{people.ana},{ANA},robot,,no\r\n"  # line 5: bad kind
        "not-an-id,Ghost,person,,no\r\n"  # line 6: malformed id
        f"{people.kavita},{KAVITA},alien,,perhaps\r\n",  # line 7: two problems
        encoding="utf-8-sig")

    err = assert_refused(db, db_path, capsys, "mentees", path)

    assert err.splitlines() == [
        "coachdesk: mentees.csv was not imported: 4 rows have problems, so nothing was changed.",
        "  line 2: consent_given_on: \u201c31/12/2025\u201d is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31",
        "  line 5: kind: \u201crobot\u201d is not one of: person, organization, group",
        "  line 6: id \u201cnot-an-id\u201d is not a CoachDesk id",
        "  line 7: kind: \u201calien\u201d is not one of: person, organization, group",
        "  line 7: archived: \u201cperhaps\u201d is not yes or no",
    ]
    with db.read() as s:
        assert s.scalars(select(Mentee).where(Mentee.name == "Lina Haddad")).first() is None


def test_bad_session_rows_of_every_sort_are_listed_together(db, db_path, people, tmp_path, capsys):
    path = tmp_path / "sessions.csv"
    path.write_text(
        "id,title,started_at,participants,participant_ids,capacities,method\n"
        f"{people.legal},Mentoring: legal,2026-01-10 09:00,{SAM},,legal,training\n"  # line 2: ambiguous
        ",New workshop,2026-06-01 10:00,Ana Souza,,fundraising,training\n"  # line 3: good
        ",Broken,tomorrow,,,knitting,\n"  # line 4: bad time and unknown capacity
        f"{people.outreach},Training: outreach,2026-02-03 14:30,{KAVITA},{people.kavita},communication,owl\n",  # 5
        encoding="utf-8")

    err = assert_refused(db, db_path, capsys, "sessions", path)

    lines = err.splitlines()
    assert lines[0] == "coachdesk: sessions.csv was not imported: 3 rows have problems, so nothing was changed."
    assert lines[1].startswith(f"  line 2: participants: 2 mentees are called \u201c{SAM}\u201d")
    assert lines[2].startswith("  line 4: started_at: \u201ctomorrow\u201d is not a date and time")
    assert lines[3].startswith("  line 4: capacities: \u201cknitting\u201d is not a capacity key")
    assert lines[4].startswith("  line 5: method: \u201cowl\u201d is not a toolbox method key")
    assert len(lines) == 5
    assert "line 3" not in err
    with db.read() as s:
        assert s.scalars(select(CoachingSession).where(CoachingSession.title == "New workshop")).first() is None


def test_problem_in_a_row_with_multiline_notes_names_the_line_the_row_starts_on(db, db_path, people, tmp_path,
                                                                                   capsys):
    path = tmp_path / "sessions.csv"
    path.write_text(
        "id,title,started_at,notes\n"
        f'{people.legal},Mentoring: legal,someday,"First paragraph.\nSecond paragraph."\n'  # lines 2-3
        f'{people.outreach},Training: outreach,later,"One\nTwo\nThree"\n'  # lines 4-6
        f"{people.legal},Again,2026-01-10 09:00,\n",  # line 7: repeats the id of line 2
        encoding="utf-8")

    err = assert_refused(db, db_path, capsys, "sessions", path)

    assert "  line 2: started_at: \u201csomeday\u201d is not a date and time" in err
    assert "  line 4: started_at: \u201clater\u201d is not a date and time" in err
    assert f"  line 7: id {people.legal} is already on line 2" in err


def test_import_refuses_unknown_kind_and_changes_nothing(db, people, tmp_path):
    path = tmp_path / "mentees.csv"
    export_csv(db, "mentees", path)
    before = table_dump(db)
    with pytest.raises(InputError, match="\u201cpeople\u201d cannot be imported; choose mentees or sessions."):
        import_csv(db, "people", path)
    assert table_dump(db) == before


# -- formula guard ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "cell"), [
    ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
    ("+49 30 1234", "'+49 30 1234"),
    ("-minus", "'-minus"),
    ("@mention", "'@mention"),
    ("'=already guarded", "''=already guarded"),
    ("'tis the season", "'tis the season"),
    ("plain", "plain"),
])
def test_formula_like_names_are_guarded_on_export_and_import_back_exactly(db, tmp_path, name, cell):
    with db.write() as s:
        mentee = Mentee(name=name, phone=name[:50])
        s.add(mentee)
    path = tmp_path / "mentees.csv"
    export_csv(db, "mentees", path)
    (row,) = read_rows(path)
    assert (row["name"], row["phone"]) == (cell, cell)
    before = table_dump(db)

    assert import_csv(db, "mentees", path) == ImportResult(added=0, updated=0, unchanged=1)
    assert table_dump(db) == before
    with db.read() as s:
        assert s.get(Mentee, mentee.id).name == name


def test_hyperlink_formula_bytes_in_export_and_guarded_cells_in_new_rows(db, tmp_path):
    with db.write() as s:
        s.add(Mentee(name='=HYPERLINK("x")'))
    path = tmp_path / "mentees.csv"
    export_csv(db, "mentees", path)
    assert b',"\'=HYPERLINK(""x"")",' in path.read_bytes()

    rows = read_rows(path)
    rows.append(blank(MENTEE_HEADER, name="'=SUM(A1:A3)", community="'+Group"))
    write_rows(path, MENTEE_HEADER, rows)
    assert import_csv(db, "mentees", path) == ImportResult(added=1, updated=0, unchanged=1)
    with db.read() as s:
        new = s.scalars(select(Mentee).where(Mentee.name == "=SUM(A1:A3)")).one()
        assert s.get(Community, new.community_id).name == "+Group"


def test_formula_like_participant_name_round_trips_in_sessions(db, tmp_path):
    with db.write() as s:
        mentee = Mentee(name="=cmd|' /C calc'!A0")
        session = CoachingSession(title="-dash title", started_at=datetime(2026, 3, 3, 8, 0), notes="@notes")
        s.add_all([mentee, session])
        s.flush()
        s.add(SessionParticipant(id=named_id(session.id, mentee.id), session_id=session.id, mentee_id=mentee.id))
    path = tmp_path / "sessions.csv"
    export_csv(db, "sessions", path)
    (row,) = read_rows(path)
    assert (row["title"], row["participants"], row["notes"]) == ("'-dash title", "'=cmd|' /C calc'!A0", "'@notes")
    before = table_dump(db)

    assert import_csv(db, "sessions", path) == ImportResult(added=0, updated=0, unchanged=1)
    assert table_dump(db) == before


# -- atomic export -----------------------------------------------------------------------------


def test_export_into_missing_folder_exits_2_and_leaves_no_file(db, db_path, people, tmp_path, capsys):
    target = tmp_path / "no such folder" / "mentees.csv"

    status, out, err = cli(capsys, db_path, "csv", "export", "mentees", "-o", str(target))

    assert (status, out) == (2, "")
    assert err.strip() == f"coachdesk: {target} could not be written: No such file or directory. Nothing was written."
    assert not target.parent.exists()
    # Nothing but the database and its daily backup (made on the day's first open).
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("coachdesk.sqlite")) in ([], ["backups"])
    assert all(p.name.endswith("-daily.sqlite") for p in (tmp_path / "backups").glob("*"))


def test_export_over_existing_file_replaces_it_whole(db, db_path, people, tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "sessions.csv"
    target.write_bytes(b"OLD CONTENT\r\n" * 5000)

    status, out, err = cli(capsys, db_path, "csv", "export", "sessions", "-o", str(target))

    assert (status, err) == (0, "")
    fresh = tmp_path / "fresh.csv"
    export_csv(db, "sessions", fresh)
    assert target.read_bytes() == fresh.read_bytes()
    assert b"OLD" not in target.read_bytes()
    assert sorted(os.listdir(folder)) == ["sessions.csv"]  # no .part file left behind


def test_export_onto_a_folder_exits_2_and_leaves_the_folder_alone(db, db_path, people, tmp_path, capsys):
    folder = tmp_path / "out"
    (folder / "mentees.csv").mkdir(parents=True)

    status, out, err = cli(capsys, db_path, "csv", "export", "mentees", "-o", str(folder / "mentees.csv"))

    assert (status, out) == (2, "")
    assert err.startswith(f"coachdesk: {folder / 'mentees.csv'} could not be written: ")
    assert err.strip().endswith("Nothing was written.")
    assert sorted(os.listdir(folder)) == ["mentees.csv"]
    assert (folder / "mentees.csv").is_dir() and list((folder / "mentees.csv").iterdir()) == []


def test_failed_write_keeps_the_old_file_and_leaves_no_part_file(tmp_path):
    target = tmp_path / "mentees.csv"
    target.write_bytes(b"the old export\r\n")

    def rows():
        yield ["1", "first"]
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError) as refused:
        write_table(target, ["id", "name"], rows())

    assert str(refused.value) == (f"{target} could not be written: the disk is full; free some space, or choose "
                                  "another disk, and try again. Nothing was written.")
    assert target.read_bytes() == b"the old export\r\n"
    assert os.listdir(tmp_path) == ["mentees.csv"]


def test_export_refuses_unknown_kind(db, tmp_path):
    with pytest.raises(InputError, match="\u201cpeople\u201d cannot be exported; choose mentees or sessions."):
        export_csv(db, "people", tmp_path / "people.csv")
    assert not (tmp_path / "people.csv").exists()
