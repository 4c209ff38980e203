"""Peer matching, both ways: who is suggested for a mentee's priority gaps, in which order, what each
side can give, on the command line (text and JSON), and at the hub across two devices' data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from coachdesk.cli import main
from coachdesk.errors import InputError
from coachdesk.model import Assessment, Capacity, CapacityRating, Community, Mentee, MenteeKind, Priority, named_id
from coachdesk.model import uuid7
from coachdesk.services.matching import ASSET_LEVEL, find_peers

HIGH, MEDIUM, NONE = Priority.HIGH, Priority.MEDIUM, Priority.NONE


def capacity_ids(session) -> dict[str, object]:
    return {key: cid for cid, key in session.execute(select(Capacity.id, Capacity.key))}


def add_person(session, name, languages=("en",), region="", open_to_peers=True, kind=MenteeKind.PERSON,
               community=None, **flags) -> object:
    mentee = Mentee(id=uuid7(), name=name, kind=kind, languages=list(languages), region=region,
                    open_to_peers=open_to_peers, community_id=community, **flags)
    session.add(mentee)
    session.flush()
    return mentee.id


def assess(session, mentee_id, day: date, ratings: dict[str, tuple[int, Priority]]) -> object:
    caps = capacity_ids(session)
    aid = uuid7()
    session.add(Assessment(id=aid, mentee_id=mentee_id, assessed_on=day))
    session.flush()
    for key, (level, priority) in ratings.items():
        session.add(CapacityRating(id=named_id(aid, caps[key]), assessment_id=aid, capacity_id=caps[key],
                                   level=level, priority=int(priority)))
    session.flush()
    return aid


@dataclass
class Scenario:
    amina: object  # the mentee the coach asks for; she has not opted in herself
    ids: dict[str, object]


EARLY, LATE = date(2026, 1, 10), date(2026, 6, 10)


def build_scenario(session) -> Scenario:
    """Amina (Hausa and English, Kano) lacks fundraising and legal; she is strong in event management
    and public speaking. Around her: peers that rank for different reasons, and people who must never
    be suggested (not opted in, archived, erased, deleted, grown weaker since)."""
    community = uuid7()
    session.add(Community(id=community, name="Hausa Wikimedians", region="West Africa", languages=["ha"], notes=""))
    amina = add_person(session, "Amina Yusuf", ("ha", "en"), "Kano", open_to_peers=False, community=community)
    assess(session, amina, EARLY, {"it_safety": (1, HIGH)})  # older: superseded
    assess(session, amina, LATE, {"fundraising": (1, HIGH), "legal": (2, MEDIUM), "event_management": (5, NONE),
                                  "public_speaking": (4, NONE)})
    ids = {}
    ids["zara"] = add_person(session, "Zara Diop", ("fr",), "Dakar")
    assess(session, ids["zara"], LATE, {"fundraising": (5, NONE)})
    ids["bello"] = add_person(session, "Bello Sani", ("ha",), "Lagos", community=community)
    assess(session, ids["bello"], LATE, {"fundraising": (4, NONE), "legal": (4, NONE)})
    ids["chinedu"] = add_person(session, "Chinedu Obi", ("yo",), "  KANO ")
    assess(session, ids["chinedu"], LATE, {"fundraising": (4, NONE)})
    ids["dayo"] = add_person(session, "Dayo Ade", ("yo",), "Abuja", kind=MenteeKind.ORGANIZATION)
    assess(session, ids["dayo"], LATE, {"fundraising": (4, NONE), "event_management": (2, HIGH),
                                        "public_speaking": (3, MEDIUM)})
    ids["grown"] = add_person(session, "Grace Grown", ("sw",), "Mombasa")
    assess(session, ids["grown"], EARLY, {"legal": (2, HIGH)})
    assess(session, ids["grown"], LATE, {"legal": (ASSET_LEVEL, NONE)})
    # Never suggested:
    ids["perfect"] = add_person(session, "Perfect Match", ("ha",), "Kano", open_to_peers=False)
    assess(session, ids["perfect"], LATE, {"fundraising": (5, NONE), "legal": (5, NONE)})
    ids["archived"] = add_person(session, "Archived Peer", ("ha",), "Kano", archived=True)
    assess(session, ids["archived"], LATE, {"fundraising": (5, NONE)})
    ids["erased"] = add_person(session, "Erased person 0001", ("ha",), "Kano", erased=True)
    assess(session, ids["erased"], LATE, {"fundraising": (5, NONE)})
    ids["deleted"] = add_person(session, "Deleted Peer", ("ha",), "Kano", deleted=True)
    assess(session, ids["deleted"], LATE, {"fundraising": (5, NONE)})
    ids["faded"] = add_person(session, "Faded Former", ("ha",), "Kano")
    assess(session, ids["faded"], EARLY, {"fundraising": (5, NONE)})
    assess(session, ids["faded"], LATE, {"fundraising": (2, HIGH)})
    ids["gone"] = add_person(session, "Gone Assessment", ("ha",), "Kano")
    gone = assess(session, ids["gone"], LATE, {"fundraising": (5, NONE)})
    session.get(Assessment, gone).deleted = True
    return Scenario(amina, ids)


NEVER = ("Perfect Match", "Archived Peer", "Erased person 0001", "Deleted Peer", "Faded Former", "Gone Assessment")


@pytest.fixture
def scenario(db) -> Scenario:
    with db.write() as session:
        return build_scenario(session)


def names(gap) -> list[str]:
    return [s.name for s in gap.suggestions]


def test_gaps_come_from_the_latest_assessment_most_urgent_first(db, scenario):
    with db.read() as session:
        found = find_peers(session, scenario.amina)
    assert [(g.label, g.level, g.priority) for g in found.gaps] == [("Fundraising", 1, HIGH), ("Legal", 2, MEDIUM)]
    assert found.assessed_on == LATE
    assert found.opted_in == 7  # zara, bello, chinedu, dayo, grown, faded, gone: live, unarchived, not erased


def test_a_shared_language_beats_the_region_which_beats_a_two_way_pair_which_beats_the_level(db, scenario):
    with db.read() as session:
        fundraising = find_peers(session, scenario.amina).gaps[0]
    assert names(fundraising) == ["Bello Sani", "Chinedu Obi", "Dayo Ade", "Zara Diop"]
    bello, chinedu, dayo, zara = fundraising.suggestions
    assert bello.shared_languages == ("ha",) and not bello.same_region
    assert chinedu.same_region and chinedu.shared_languages == ()
    # Dayo lacks event management and public speaking, Amina's strengths: a two-way pair.
    assert [(o.label, o.level) for o in dayo.you_offer] == [("Event management", 5), ("Public speaking and self-presentation", 4)]
    assert (dayo.they_offer.label, dayo.they_offer.level) == ("Fundraising", 4)
    assert zara.level == 5 and not zara.two_way
    assert fundraising.found == 4


def test_only_opted_in_live_peers_are_suggested_by_their_latest_assessment(db, scenario):
    with db.read() as session:
        found = find_peers(session, scenario.amina)
    suggested = {s.name for g in found.gaps for s in g.suggestions}
    assert not suggested & set(NEVER)
    assert names(found.gaps[1]) == ["Bello Sani", "Grace Grown"]  # Grace grew to an asset in her latest


def test_the_mentee_is_suggested_to_others_only_once_she_opted_in(db, scenario):
    with db.write() as session:
        asker = add_person(session, "Kemi Asker", ("en",), "Kano")
        assess(session, asker, LATE, {"event_management": (1, HIGH)})
    with db.read() as session:
        assert find_peers(session, asker).gaps[0].suggestions == ()
    with db.write() as session:
        session.get(Mentee, scenario.amina).open_to_peers = True
    with db.read() as session:
        suggestion, = find_peers(session, asker).gaps[0].suggestions
    assert (suggestion.name, suggestion.level, suggestion.shared_languages) == ("Amina Yusuf", 5, ("en",))
    assert suggestion.community == "Hausa Wikimedians"


def test_the_limit_and_the_reasons_for_an_empty_answer(db, scenario):
    with db.write() as session:
        fresh = add_person(session, "New Person")
        calm = add_person(session, "Calm Person")
        assess(session, calm, LATE, {"legal": (3, NONE)})
    with db.read() as session:
        assert names(find_peers(session, scenario.amina, limit=2).gaps[0]) == ["Bello Sani", "Chinedu Obi"]
        none_yet = find_peers(session, fresh)
        no_gaps = find_peers(session, calm)
    assert none_yet.assessed_on is None and none_yet.gaps == ()
    assert no_gaps.assessed_on == LATE and no_gaps.gaps == ()
    assert no_gaps.opted_in == 8  # the seven and New Person; not Calm Person herself


def test_labels_follow_the_asked_language(db, scenario):
    with db.read() as session:
        found = find_peers(session, scenario.amina, language="ar")
    assert found.gaps[0].label != "Fundraising" and found.gaps[0].suggestions[0].they_offer.label == found.gaps[0].label


@pytest.mark.parametrize("ref, sentence", [("not-an-id", "“not-an-id” is not an id of a mentee."),
                                           (str(uuid7()), "No mentee has the id")])
def test_an_unknown_or_malformed_id_is_one_sentence(db, ref, sentence):
    with db.read() as session, pytest.raises(InputError, match=sentence):
        find_peers(session, ref)


# -- the command line ---------------------------------------------------------------------------


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_match_prints_readable_columns(db, db_path, scenario, capsys):
    db.close()
    code, out, err = run(capsys, "--db", str(db_path), "match", str(scenario.amina))
    assert code == 0, err
    lines = out.splitlines()
    assert "Amina Yusuf" in lines[0]
    header = next(line for line in lines if line.startswith("Capacity"))
    for column in ("Peer", "Level", "You can offer", "Shared languages"):
        assert column in header
    bello = next(line for line in lines if "Bello Sani" in line)
    assert "Fundraising" in bello and "ha" in bello
    dayo = next(line for line in lines if "Dayo Ade" in line)
    assert "Event management 5, Public speaking and self-presentation 4" in dayo
    for name in NEVER:
        assert name not in out


def test_match_json_is_a_stable_document(db, db_path, scenario, capsys):
    db.close()
    code, out, err = run(capsys, "--db", str(db_path), "match", str(scenario.amina), "--json", "--limit", "1")
    assert code == 0, err
    document = json.loads(out)
    assert set(document) == {"mentee", "assessed_on", "opted_in_peers", "gaps"}
    assert document["mentee"]["name"] == "Amina Yusuf" and document["assessed_on"] == "2026-06-10"
    first = document["gaps"][0]
    assert (first["capacity"], first["level"], first["priority"], first["found"]) == ("Fundraising", 1, "high", 4)
    peer, = first["peers"]
    assert set(peer) == {"id", "name", "kind", "community", "level", "shared_languages", "same_region",
                         "they_offer", "you_offer"}
    assert (peer["name"], peer["level"], peer["shared_languages"]) == ("Bello Sani", 4, ["ha"])
    for name in NEVER:
        assert name not in out


@pytest.mark.parametrize("ref, sentence", [("12345", "“12345” is not an id of a mentee."),
                                           ("0199aaaa-0000-7000-8000-000000000000", "No mentee has the id")])
def test_match_with_a_bad_id_says_so_and_exits_2(db, db_path, capsys, ref, sentence):
    db.close()
    code, out, err = run(capsys, "--db", str(db_path), "match", ref)
    assert code == 2 and out == ""
    assert sentence in err and len(err.strip().splitlines()) == 1


def test_match_at_the_hub_pairs_mentees_of_two_devices(tmp_path, capsys, hub_db_url):
    from coachdesk.services import hub as hub_service
    from coachdesk.services.team import export_for_hub, join_team
    from coachdesk.services.workspace import open_workspace

    hub = tmp_path / "hub"
    hub_service.init_hub(hub, "Kano circuit", hub_db_url)
    bundles, mentees = [], {}
    for device, (name, opted_in, ratings) in {
            "a": ("Amina Yusuf", False, {"fundraising": (1, HIGH), "event_management": (5, NONE)}),
            "b": ("Bello Sani", True, {"fundraising": (5, NONE), "event_management": (1, HIGH)})}.items():
        db = open_workspace(tmp_path / f"{device}.sqlite")
        join_team(db, hub / "invitation.cdteam")
        with db.write() as session:
            mentees[device] = add_person(session, name, ("ha",), "Kano", open_to_peers=opted_in)
            assess(session, mentees[device], LATE, ratings)
        out = tmp_path / f"{device}.cdsync"
        export_for_hub(db, out, f"device {device}")
        db.close()
        bundles.append(out)
    report = hub_service.ingest(hub, bundles)
    assert [o.status for o in report.outcomes] == ["merged", "merged"]
    code, out, err = run(capsys, "match", "--hub-dir", str(hub), str(mentees["a"]), "--json")
    assert code == 0, err
    peer, = json.loads(out)["gaps"][0]["peers"]
    assert (peer["name"], peer["level"]) == ("Bello Sani", 5)
    assert [o["capacity"] for o in peer["you_offer"]] == ["Event management"]
    # Bello did not see Amina: she never agreed to be suggested.
    code, out, err = run(capsys, "match", "--hub-dir", str(hub), str(mentees["b"]), "--json")
    assert code == 0, err
    assert json.loads(out)["gaps"][0]["peers"] == []
    if not hub_db_url:  # the hub's SQLite file, named with --db like any database
        code, out, err = run(capsys, "--db", str(hub / "hub.sqlite"), "match", str(mentees["a"]))
        assert code == 0, err
        assert "Bello Sani" in out


# -- the peer-exchange handout ------------------------------------------------------------------


def pdf_words(path: Path) -> tuple[int, str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document), "\n".join(document[n].get_textpage().get_text_range() for n in range(len(document)))
    finally:
        document.close()


def test_the_peer_exchange_handout_lists_the_pairs_in_english(db, scenario, tmp_path):
    from coachdesk.services import printing

    out = tmp_path / "peers.pdf"
    printed = printing.write_handout(db, "peer-exchange", str(scenario.amina), "en", out)
    pages, text = pdf_words(out)
    assert printed.pages == pages == 1
    for words in ("Peer exchange", "Amina Yusuf", "Fundraising (your level: 1)", "Bello Sani", "Dayo Ade",
                  "Event management 5", "Legal (your level: 2)", "Grace Grown", "Hausa",
                  "Ask your coach to introduce you"):
        assert words in text
    for name in NEVER:
        assert name not in text
    assert "@" not in text  # no contact details


def test_the_peer_exchange_handout_in_arabic_and_a_bad_id(db, scenario, tmp_path):
    from coachdesk.services import printing

    out = tmp_path / "peers-ar.pdf"
    printing.write_handout(db, "peer-exchange", scenario.amina, "ar", out)
    _pages, text = pdf_words(out)
    words = set(text.split())
    # Arabic runs right to left, so words are compared, not phrases.
    # (optional vowel marks such as the shadda are not printed).
    assert {"تبادل", "الخبرات", "الأقران", "الزميل", "مدربك", "الهوسا"} <= words
    assert "Bello" in words and "Sani" in words and "Perfect" not in words
    with pytest.raises(InputError, match="is not an id of a mentee"):
        printing.write_handout(db, "peer-exchange", "nope", "en", tmp_path / "no.pdf")
    assert not (tmp_path / "no.pdf").exists()


def test_handout_peer_exchange_on_the_command_line(db, db_path, scenario, tmp_path, capsys):
    db.close()
    out = tmp_path / "cli-peers.pdf"
    code, stdout, err = run(capsys, "--db", str(db_path), "handout", "peer-exchange", str(scenario.amina),
                            "--lang", "hi", "-o", str(out))
    assert code == 0, err
    _pages, text = pdf_words(out)
    assert "Bello Sani" in text and "Perfect Match" not in text


def test_a_reader_that_goes_away_is_not_an_error(tmp_path):
    """``coachdesk match … | head``: when the reader closes the pipe, nothing is printed about it."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before anything is written
    try:
        result = subprocess.run([sys.executable, "-m", "coachdesk", "--db", str(tmp_path / "pipe.sqlite"), "stats"],
                                stdout=write_end, stderr=subprocess.PIPE, timeout=120,
                                env={**os.environ, "COACHDESK_DATA_DIR": str(tmp_path / "data")})
    finally:
        os.close(write_end)
    assert result.stderr.decode() == ""
    assert result.returncode == 0
