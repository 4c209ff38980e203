"""The same person entered on two devices: found as a likely duplicate, merged by a person's choice,
and the merge syncs to every device like any edit."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from coachdesk.errors import InputError
from coachdesk.model import Assessment, CoachingSession, Mentee, MenteeKind, SessionParticipant, named_id, uuid7
from coachdesk.services import hub as hub_service
from coachdesk.services.duplicates import candidates, merge_mentees, similarity
from coachdesk.services.team import export_for_hub, import_central, join_team
from coachdesk.services.workspace import open_workspace


def _person(session, name: str, **details) -> Mentee:
    mentee = Mentee(id=uuid7(), kind=MenteeKind.PERSON, name=name, **details)
    session.add(mentee)
    session.flush()
    return mentee


def _attended(session, mentee: Mentee, title: str) -> CoachingSession:
    row = CoachingSession(id=uuid7(), title=title, started_at=datetime(2026, 10, 3, 10, 0))
    session.add(row)
    session.flush()
    session.add(SessionParticipant(id=named_id(row.id, mentee.id), session_id=row.id, mentee_id=mentee.id))
    return row


def test_names_that_differ_in_case_accents_spacing_or_order_are_alike():
    assert similarity("Aïsha  Bello", "aisha bello") == 1.0
    assert similarity("Bello Aisha", "Aisha Bello") == 1.0
    assert similarity("Aisha Bello", "Aisha Belo") >= 0.8
    assert similarity("Aisha Bello", "Karim Haddad") < 0.5


def test_likely_duplicates_are_offered_most_alike_first_and_only_of_the_same_kind(db):
    with db.write() as session:
        aisha = _person(session, "Aisha Bello")
        _person(session, "Aisha Belo")
        _person(session, "AÏSHA BELLO")
        _person(session, "Karim Haddad")
        session.add(Mentee(id=uuid7(), kind=MenteeKind.GROUP, name="Aisha Bello"))
        aisha_id = aisha.id
    with db.read() as session:
        offered = [c.name for c in candidates(session, aisha_id)]
    assert offered == ["AÏSHA BELLO", "Aisha Belo"]


def test_merging_moves_sessions_assessments_and_details_and_removes_the_duplicate(db):
    with db.write() as session:
        keep = _person(session, "Aisha Bello", languages=["ha"])
        twin = _person(session, "Aïsha Bello", region="Kano", languages=["en", "ha"], phone="+234 800 000")
        shared = _attended(session, keep, "Both were there")  # entered twice for the same session
        session.add(SessionParticipant(id=named_id(shared.id, twin.id), session_id=shared.id, mentee_id=twin.id))
        _attended(session, twin, "Only the twin")
        session.add(Assessment(id=uuid7(), mentee_id=twin.id, assessed_on=date(2026, 9, 1)))
        keep_id, twin_id = keep.id, twin.id
    with db.write() as session:
        result = merge_mentees(session, keep_id, twin_id)
    assert (result.sessions, result.assessments) == (2, 1)
    with db.read() as session:
        kept = session.get(Mentee, keep_id)
        assert (kept.name, kept.region, kept.languages, kept.phone) == ("Aisha Bello", "Kano", ["ha", "en"],
                                                                         "+234 800 000")
        assert session.get(Mentee, twin_id).deleted
        titles = sorted(session.scalars(select(CoachingSession.title).join(
            SessionParticipant, SessionParticipant.session_id == CoachingSession.id).where(
            SessionParticipant.mentee_id == keep_id, SessionParticipant.deleted.is_(False))))
        assert titles == ["Both were there", "Only the twin"]
        assert session.scalar(select(Assessment.mentee_id)) == keep_id


@pytest.mark.parametrize("case", ["itself", "unknown", "other kind"])
def test_a_merge_that_makes_no_sense_is_refused_and_changes_nothing(db, case):
    from conftest import table_dump

    with db.write() as session:
        keep = _person(session, "Aisha Bello")
        other = Mentee(id=uuid7(), kind=MenteeKind.ORGANIZATION, name="Aisha Bello")
        session.add(other)
        keep_id, other_id = keep.id, other.id
    target = {"itself": keep_id, "unknown": uuid7(), "other kind": other_id}[case]
    before = table_dump(db)
    with pytest.raises(InputError, match="itself|No mentee has the id|not the same kind"):
        with db.write() as session:
            merge_mentees(session, keep_id, target)
    assert table_dump(db) == before


def test_a_merge_on_one_device_reaches_the_other(tmp_path):
    invitation = hub_service.init_hub(tmp_path / "hub", "Kano")
    devices = {}
    for name, person in (("a", "Aisha Bello"), ("b", "Aisha  bello")):
        devices[name] = open_workspace(tmp_path / f"{name}.sqlite")
        join_team(devices[name], invitation)
        with devices[name].write() as session:
            _attended(session, _person(session, person), f"Session on {name}")

    def sync(*names: str) -> None:
        for n in names:
            export_for_hub(devices[n], tmp_path / f"{n}.cdsync")
            hub_service.ingest(tmp_path / "hub", [tmp_path / f"{n}.cdsync"])
        hub_service.export_central(tmp_path / "hub", tmp_path / "central.cdsync")
        for n in names:
            import_central(devices[n], tmp_path / "central.cdsync")

    sync("a", "b")
    sync("a", "b")  # the second round brings each device the other's first export
    with devices["a"].read() as session:
        mine = session.scalar(select(Mentee.id).where(Mentee.name == "Aisha Bello"))
        offered = candidates(session, mine)
    assert [c.name for c in offered] == ["Aisha  bello"] and offered[0].sessions == 1
    with devices["a"].write() as session:
        merge_mentees(session, mine, offered[0].id)
    sync("a", "b")
    sync("a", "b")
    with devices["b"].read() as session:
        live = session.scalars(select(Mentee).where(Mentee.deleted.is_(False))).all()
        assert [m.name for m in live] == ["Aisha Bello"]
        sessions = session.scalar(select(SessionParticipant.id).where(SessionParticipant.mentee_id == live[0].id,
                                                                     SessionParticipant.deleted.is_(False)).limit(1))
        count = len(session.scalars(select(SessionParticipant).where(
            SessionParticipant.mentee_id == live[0].id, SessionParticipant.deleted.is_(False))).all())
    assert sessions is not None and count == 2
    for db in devices.values():
        db.close()
