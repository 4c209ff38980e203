"""Capacity Exchange profiles: the export's shape, a round trip, matching on import, every refused file,
and the Wikidata ids of capacities (shipped, edited, synced)."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from conftest import table_dump
from sqlalchemy import select

from coachdesk.cli import main
from coachdesk.errors import InputError
from coachdesk.model import Assessment, Capacity, CapacityRating, Mentee, MenteeKind, Priority
from coachdesk.services import capx
from coachdesk.services.assessments import AssessmentForm, RatingAnswer, previous_assessment, record_assessment
from coachdesk.services.mentees import MenteeForm, save_mentee
from coachdesk.services.privacy import erase_person
from coachdesk.services.reference_data import apply_reference_data, read_reference_data
from coachdesk.services.reference_edit import save_capacity_wikidata
from coachdesk.services.workspace import open_workspace
from coachdesk.sync.changes import changed_rows_since
from coachdesk.sync.merge import merge_records


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def caps(db) -> dict[str, uuid.UUID]:
    with db.read() as session:
        return {c.key: c.id for c in session.scalars(select(Capacity))}


def add(db, name: str, ratings: dict[str, tuple[int, Priority]], *, peers: bool = False,
        kind: MenteeKind = MenteeKind.PERSON) -> uuid.UUID:
    ids = caps(db)
    with db.write() as session:
        mentee_id = save_mentee(session, MenteeForm(name=name, kind=kind, email="private@example.org",
                                                    private_notes="never leaves", region="Kumasi"))
        session.get(Mentee, mentee_id).open_to_peers = peers
        if ratings:
            record_assessment(session, AssessmentForm(mentee_id=mentee_id, assessed_on=date(2026, 3, 1), answers=[
                RatingAnswer(ids[key], level, priority) for key, (level, priority) in ratings.items()]), False)
    return mentee_id


AMINA = {"communication": (4, Priority.NONE), "legal": (3, Priority.LOW), "fundraising": (2, Priority.HIGH),
         "it_safety": (5, Priority.MEDIUM), "public_speaking": (1, Priority.NONE)}


def keys(entries: list[dict]) -> list[str]:
    return [e["key"] for e in entries]


def test_the_export_has_the_three_lists_with_wikidata_ids_and_only_mentees_who_agreed(db, tmp_path, capsys):
    amina = add(db, "Amina Diallo", AMINA, peers=True)
    add(db, "Kwame Mensah", {"legal": (5, Priority.NONE)}, peers=False)
    code, out, _err = run(capsys, "--db", db.path, "capx", "export", "-o", tmp_path / "p.json")
    assert code == 0 and "Wrote 1 profile" in out
    text = (tmp_path / "p.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert (document["format"], document["version"]) == ("coachdesk-capx", 1)
    [profile] = document["profiles"]
    assert profile["display_name"] == "Amina Diallo" and profile["coachdesk_id"] == str(amina)
    assert keys(profile["skills_known"]) == ["legal", "communication", "it_safety"]
    assert keys(profile["skills_available"]) == ["communication", "it_safety"]
    assert keys(profile["skills_wanted"]) == ["fundraising", "legal", "it_safety"]
    communication = profile["skills_known"][1]
    assert communication == {"wikidata": "Q11024", "key": "communication",
                             "label": "Communication (PR, media, community relations)"}
    assert profile["skills_known"][0]["wikidata"] is None  # no verified id: travels by key
    for private in ("private@example.org", "never leaves", "Kumasi", "Kwame"):
        assert private not in text


def test_a_named_mentee_who_did_not_agree_is_exported_but_offers_nothing_as_available(db):
    kwame = add(db, "Kwame Mensah", {"legal": (5, Priority.NONE)}, peers=False)
    with db.read() as session:
        [profile] = capx.export_document(session, [kwame])["profiles"]
    assert keys(profile["skills_known"]) == ["legal"] and profile["skills_available"] == []


def test_an_erased_mentee_is_never_exported(db):
    erased = add(db, "Ama Owusu", {"legal": (5, Priority.NONE)}, peers=True)
    with db.write() as session:
        erase_person(session, erased)
    with db.read() as session:
        assert capx.export_document(session)["profiles"] == []
        with pytest.raises(InputError, match="erased"):
            capx.export_document(session, [erased])


def lists(path: Path) -> list[tuple]:
    return [(p["display_name"], keys(p["skills_known"]), keys(p["skills_available"]), keys(p["skills_wanted"]))
            for p in json.loads(path.read_text(encoding="utf-8"))["profiles"]]


def test_export_import_into_a_fresh_database_and_export_again_gives_the_same_lists(db, tmp_path, capsys):
    add(db, "Amina Diallo", AMINA, peers=True)
    add(db, "Collectif Wiki Dakar", {"event_management": (3, Priority.HIGH)}, peers=True,
        kind=MenteeKind.ORGANIZATION)
    run(capsys, "--db", db.path, "capx", "export", "-o", tmp_path / "first.json")
    fresh = tmp_path / "fresh.sqlite"
    code, out, err = run(capsys, "--db", fresh, "capx", "import", tmp_path / "first.json", "--create")
    assert code == 0, err
    assert "Amina Diallo (new): 3 known, 2 available, 3 wanted." in out
    assert "Recorded 2 profiles as assessments." in out
    run(capsys, "--db", fresh, "capx", "export", "-o", tmp_path / "second.json")
    assert lists(tmp_path / "second.json") == lists(tmp_path / "first.json")
    copy = open_workspace(fresh)
    with copy.read() as session:
        organization = session.scalars(select(Mentee).where(Mentee.name == "Collectif Wiki Dakar")).one()
        assert organization.kind == MenteeKind.ORGANIZATION
        rating = session.scalars(select(CapacityRating)).first()
        assert "Capacity Exchange profile" in rating.evidence
    copy.close()


def test_import_matches_by_coachdesk_id_then_by_name(db, capsys, tmp_path):
    amina = add(db, "Amina Diallo", {}, peers=False)
    renamed = add(db, "Kwame Mensah", {})
    document = {"format": "coachdesk-capx", "version": 1, "profiles": [
        {"display_name": "  amina   DIALLO ", "skills_known": ["Q11024"], "skills_wanted": [{"key": "legal"}]},
        {"display_name": "Kwame M.", "coachdesk_id": str(renamed), "skills_available": [{"key": "it_safety"}],
         "skills_known": [{"wikidata": "Q99999999", "label": "Underwater basket weaving"}, 36]},
    ]}
    (tmp_path / "p.json").write_text(json.dumps(document), encoding="utf-8")
    code, out, _err = run(capsys, "--db", db.path, "capx", "import", tmp_path / "p.json")
    assert code == 0
    assert "Amina Diallo: 1 known, 0 available, 1 wanted." in out
    assert "Underwater basket weaving (Q99999999)" in out and "Capacity Exchange capacity 36" in out
    ids = caps(db)
    with db.read() as session:
        def levels(mentee_id):
            assessment_id, _day = previous_assessment(session, mentee_id)
            return {r.capacity_id: (r.level, r.priority) for r in session.scalars(
                select(CapacityRating).where(CapacityRating.assessment_id == assessment_id))}
        assert levels(amina) == {ids["communication"]: (3, 0), ids["legal"]: (2, int(Priority.HIGH))}
        assert levels(renamed) == {ids["it_safety"]: (4, 0)}
        assert session.scalar(select(Mentee.name).where(Mentee.id == renamed)) == "Kwame Mensah"
        assert len(session.scalars(select(Mentee)).all()) == 2


def test_a_bare_capx_profile_is_read_and_a_new_mentee_needs_create(db, capsys, tmp_path):
    bare = {"user": {"username": "Wiki Lover"}, "display_name": "", "wikidata_qid": "",
            "skills_known": [{"id": 36, "skill_wikidata_item": "Q11024"}], "skills_available": [],
            "skills_wanted": []}
    (tmp_path / "bare.json").write_text(json.dumps(bare), encoding="utf-8")
    before = table_dump(db)
    code, _out, err = run(capsys, "--db", db.path, "capx", "import", tmp_path / "bare.json")
    assert code == 2 and "The profile" not in err and "matches no mentee" in err and "--create" in err
    assert table_dump(db) == before
    code, out, _err = run(capsys, "--db", db.path, "capx", "import", tmp_path / "bare.json", "--dry-run", "--create")
    assert code == 0 and "Wiki Lover (new): 1 known" in out and table_dump(db) == before
    code, out, _err = run(capsys, "--db", db.path, "capx", "import", tmp_path / "bare.json", "--create", "--json")
    assert code == 0 and json.loads(out)["profiles"][0]["new"] is True
    with db.read() as session:
        mentee = session.scalars(select(Mentee).where(Mentee.name == "Wiki Lover")).one()
        assert mentee.kind == MenteeKind.PERSON and not mentee.open_to_peers
        assert session.scalars(select(Assessment).where(Assessment.mentee_id == mentee.id)).one()


PROFILE = {"display_name": "Amina Diallo", "skills_known": ["Q11024"]}
BAD_FILES = [
    (b"{not json", "is not a JSON file"),
    (b"[1, 2]", "is not a Capacity Exchange profile file"),
    (json.dumps({"name": "x"}).encode(), "has no skills_known"),
    (json.dumps({"format": "something-else", "version": 1, "profiles": []}).encode(), "its format is"),
    (json.dumps({"format": "coachdesk-capx", "version": 2, "profiles": []}).encode(), "newer CoachDesk"),
    (json.dumps({"format": "coachdesk-capx", "version": "one", "profiles": []}).encode(), "no valid version"),
    (json.dumps({"format": "coachdesk-capx", "version": 1, "profiles": {}}).encode(), "profiles is not a list"),
    (json.dumps({"format": "coachdesk-capx", "version": 1, "profiles": [PROFILE, {"skills_known": []}]}).encode(),
     "Profile 2 has no name"),
    (json.dumps({"format": "coachdesk-capx", "version": 1, "profiles": [
        {"display_name": "A", "skills_wanted": [{"key": "legal"}, {"wikidata": "Q12x"}]}]}).encode(),
     "Profile 1, skills_wanted, item 2: “Q12x” is not a Wikidata id"),
    (json.dumps({"format": "coachdesk-capx", "version": 1, "profiles": [
        {"display_name": "A", "skills_known": "Q11024"}]}).encode(), "Profile 1: skills_known is not a list"),
    (json.dumps({"format": "coachdesk-capx", "version": 1, "profiles": [
        {"display_name": "A", "skills_known": [{"label": "what?"}]}]}).encode(), "names no capacity"),
    (json.dumps({"format": "coachdesk-capx", "version": 1, "profiles": [
        {"display_name": "A", "kind": "robot", "skills_known": []}]}).encode(), "is not person, organization"),
    (json.dumps({"format": "coachdesk-capx", "version": 1, "profiles": [
        {"display_name": "A", "coachdesk_id": "42", "skills_known": []}]}).encode(), "is not a CoachDesk id"),
    (json.dumps({"format": "coachdesk-capx", "version": 1, "profiles": [PROFILE, PROFILE]}).encode(),
     "Profiles 1 and 2 are the same mentee"),
]


@pytest.mark.parametrize(("content", "sentence"), BAD_FILES)
def test_a_bad_file_exits_with_status_2_one_sentence_and_an_unchanged_database(db, tmp_path, capsys, content,
                                                                                 sentence):
    add(db, "Amina Diallo", AMINA, peers=True)
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = table_dump(db)
    code, out, err = run(capsys, "--db", db.path, "capx", "import", path, "--create")
    assert code == 2 and out == ""
    assert sentence in err and err.count("\n") == 1
    assert table_dump(db) == before


def test_a_missing_file_and_an_ambiguous_name_are_refused(db, tmp_path, capsys):
    add(db, "Amina Diallo", {})
    add(db, "amina diallo", {})
    before = table_dump(db)
    code, _out, err = run(capsys, "--db", db.path, "capx", "import", tmp_path / "nowhere.json")
    assert code == 2 and "does not exist" in err
    (tmp_path / "p.json").write_text(json.dumps(PROFILE), encoding="utf-8")
    code, _out, err = run(capsys, "--db", db.path, "capx", "import", tmp_path / "p.json", "--create")
    assert code == 2 and "matches 2 mentees of that name" in err
    assert table_dump(db) == before


def test_a_wikidata_id_is_checked_kept_on_upgrade_and_travels_by_sync(tmp_path):
    laptop, other = open_workspace(tmp_path / "laptop.sqlite"), open_workspace(tmp_path / "other.sqlite")
    legal = caps(laptop)["legal"]
    communication = caps(laptop)["communication"]
    with laptop.write() as session:
        with pytest.raises(InputError, match="is not a Wikidata item id: it is a Q followed by digits"):
            save_capacity_wikidata(session, legal, "Q0123")
        assert save_capacity_wikidata(session, legal, " q7748 ") == "Q7748"
        save_capacity_wikidata(session, communication, "")  # a person says: no id
    with laptop.write() as session:  # an upgrade of the shipped taxonomy fills only empty ids
        data = read_reference_data()
        data.wikidata = {"legal": "Q1", "communication": "Q11024", "fundraising": "Q1361864"}
        apply_reference_data(session, data)
    with laptop.read() as session:
        assert session.get(Capacity, legal).wikidata_id == "Q7748"
        assert session.get(Capacity, communication).wikidata_id == ""
        assert session.get(Capacity, caps(laptop)["fundraising"]).wikidata_id == "Q1361864"
        records = changed_rows_since(session, 0)
    with other.write() as session:
        merge_records(session, records)
    with other.read() as session:
        assert session.get(Capacity, legal).wikidata_id == "Q7748"
    laptop.close()
    other.close()


def test_export_refuses_a_language_coachdesk_does_not_print_in_and_writes_nothing(db, tmp_path, capsys):
    add(db, "Amina Diallo", AMINA, peers=True)
    code, out, err = run(capsys, "--db", db.path, "capx", "export", "-o", tmp_path / "p.json", "--lang", "xx")
    assert code == 2 and out == ""
    assert err.startswith("coachdesk: “xx”") and "CoachDesk prints in:" in err
    assert not (tmp_path / "p.json").exists()
    code, _out, _err = run(capsys, "--db", db.path, "capx", "export", "-o", tmp_path / "p.json", "--lang", "fr")
    assert code == 0
    [profile] = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))["profiles"]
    assert profile["skills_known"][1]["label"] != "Communication (PR, media, community relations)"  # in French
