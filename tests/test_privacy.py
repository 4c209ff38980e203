"""Personal data on request: erasing a person everywhere (and on every device, once synced) while
the evaluation counts stay right, and exporting everything kept about a person for an access request."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from unittest import mock

import pytest
from conftest import table_dump
from sqlalchemy import select

from coachdesk.errors import InputError
from coachdesk.model import (
    ActionStatus,
    Assessment,
    Capacity,
    CapacityRating,
    CoachingSession,
    Community,
    CommunityRequest,
    JourneyStage,
    Mentee,
    MenteeKind,
    Plan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    SessionKind,
    SessionParticipant,
    SyncConflict,
    erased_name,
    named_id,
    uuid7,
)
from coachdesk.services import hub as hub_service
from coachdesk.services.duplicates import merge_mentees
from coachdesk.services.mentees import MenteeForm, load_form, save_mentee
from coachdesk.services.printing import evaluation_csv, evaluation_doc
from coachdesk.services.privacy import erase_person, export_person, write_person_export
from coachdesk.services.stats import counts
from coachdesk.services.team import export_for_hub, import_central, join_team
from coachdesk.services.workspace import open_workspace
from coachdesk.store import clock
from coachdesk.store.search import search
from coachdesk.sync.changes import canonical_json

REFUSED_EDIT = "This person's data has been erased; their record can no longer be edited."


def _capacity(session, key: str) -> Capacity:
    return session.scalars(select(Capacity).where(Capacity.key == key)).one()


def _amina(session) -> Mentee:
    """A person with every kind of data CoachDesk keeps about someone, and work done with others."""
    community = Community(id=uuid7(), name="Hausa Wikimedians", region="West Africa", languages=["ha"])
    session.add(community)
    session.flush()
    amina = Mentee(id=uuid7(), kind=MenteeKind.PERSON, name="Amina Bello", community_id=community.id,
                   languages=["ha", "en"], region="Kano", journey_stage=JourneyStage.PLANNING,
                   consent_given_on=date(2026, 3, 1), consent_given_by="Amina Bello", email="amina@example.org",
                   phone="+234 800 000 0000", private_notes="Prefers calls after 6 pm.", archived=False)
    other = Mentee(id=uuid7(), kind=MenteeKind.PERSON, name="Bruno Costa", community_id=community.id,
                   languages=["pt"], region="Recife", archived=False)
    session.add_all([amina, other])
    session.flush()
    workshop = CoachingSession(id=uuid7(), kind=SessionKind.TRAINING, title="Fundraising workshop",
                               started_at=datetime(2026, 4, 2, 10, 0), duration_minutes=90, location="Kano",
                               notes="Amina led the budget exercise.")
    session.add(workshop)
    session.flush()
    for person in (amina, other):
        session.add(SessionParticipant(id=named_id(workshop.id, person.id), session_id=workshop.id,
                                       mentee_id=person.id))
    fundraising = _capacity(session, "fundraising")
    for day, level in ((date(2026, 3, 10), 2), (date(2026, 5, 10), 4)):
        assessment = Assessment(id=uuid7(), mentee_id=amina.id, assessed_on=day, discover="Strong volunteers")
        session.add(assessment)
        session.flush()
        session.add(CapacityRating(id=uuid7(), assessment_id=assessment.id, capacity_id=fundraising.id, level=level,
                                   priority=3, assets="A donor list", gaps="No budget", evidence="Two grants"))
    plan = Plan(id=uuid7(), mentee_id=amina.id, title="Fundraising plan", status=PlanStatus.ACTIVE,
                created_on=date(2026, 3, 12))
    goal = PlanGoal(id=uuid7(), plan_id=plan.id, capacity_id=fundraising.id, description="Write a grant",
                    target_level=4, position=0)
    session.add_all([plan, goal])
    session.flush()
    session.add_all([
        PlanAction(id=uuid7(), goal_id=goal.id, description="Draft the budget", owner="amina  BELLO",
                   status=ActionStatus.DONE, completed_on=date(2026, 4, 1), position=0),
        PlanAction(id=uuid7(), goal_id=goal.id, description="Review the draft", owner="Coach Musa",
                   due_on=date(2026, 6, 1), position=1),
        CommunityRequest(id=uuid7(), community_id=community.id, mentee_id=amina.id, capacity_id=fundraising.id,
                         requested_on=date(2026, 2, 20), requested_by="Amina Bello", title="Help with grants",
                         description="We want our first grant."),
    ])
    session.flush()
    return amina


def _evaluation(database) -> str:
    with database.read() as session:
        return evaluation_csv(evaluation_doc(session, "test"))


# -- erasing ----------------------------------------------------------------------------------------


def test_erasing_a_person_removes_their_personal_fields_and_keeps_the_counts(db):
    with db.write() as session:
        amina = _amina(session)
        amina_id = amina.id
        # A value an earlier concurrent edit lost, kept in the conflict log: the old name again.
        session.add(SyncConflict(id=uuid7(), table_name="mentee", row_id=amina_id, column_name="name",
                                 value=canonical_json("Amina B."), value_hlc=1, value_site="00" * 16,
                                 winner_hlc=2, winner_site="11" * 16, resolved=False))
    figures, evaluation = counts(db), _evaluation(db)

    with db.write() as session:
        result = erase_person(session, amina_id)

    placeholder = f"Erased person {amina_id.hex[-4:].upper()}"
    assert result.name == placeholder == erased_name(amina_id)
    assert set(result.fields_erased) == {"name", "region", "consent_given_by", "email", "phone", "private_notes"}
    assert (result.action_owners_removed, result.request_names_removed, result.conflict_values_removed) == (1, 1, 1)
    assert (result.sessions_kept, result.assessments_kept, result.plans_kept) == (1, 2, 1)
    with db.read() as session:
        m = session.get(Mentee, amina_id)
        assert (m.name, m.region, m.email, m.phone, m.private_notes, m.consent_given_by, m.erased) == (
            placeholder, "", "", "", "", "", True)
        # Kept: nothing here names the person, and the counts by community and stage need it.
        assert (m.kind, m.languages, m.journey_stage, m.consent_given_on, m.archived, m.deleted) == (
            MenteeKind.PERSON, ["ha", "en"], JourneyStage.PLANNING, date(2026, 3, 1), False, False)
        assert session.get(Community, m.community_id).name == "Hausa Wikimedians"
        owners = sorted(session.scalars(select(PlanAction.owner)))
        assert owners == ["", "Coach Musa"]
        assert session.scalar(select(CommunityRequest.requested_by)) == ""
        conflict = session.scalars(select(SyncConflict)).one()
        assert (conflict.value, conflict.resolved) == (canonical_json(placeholder), True)
        # Work done with others stays as it was: the limit docs/sync.md states.
        assert session.scalar(select(CoachingSession.notes)) == "Amina led the budget exercise."
        assert sorted(session.scalars(select(CapacityRating.level))) == [2, 4]
    with db.engine.connect() as connection:
        # Only the session's notes still say "Amina": the limit docs/sync.md states.
        assert [h.kind for h in search(connection, "Amina")] == ["session"]
        assert [h.id for h in search(connection, "Erased")] == [amina_id]
    assert counts(db) == figures
    assert _evaluation(db) == evaluation


@pytest.mark.parametrize("case", ["unknown", "not an id", "already erased"])
def test_erasing_an_unknown_or_already_erased_person_is_refused_and_changes_nothing(db, case):
    with db.write() as session:
        amina_id = _amina(session).id
    if case == "already erased":
        with db.write() as session:
            erase_person(session, amina_id)
    target = {"unknown": uuid7(), "not an id": "amina", "already erased": amina_id}[case]
    expected = {"unknown": f"No mentee has the id {target}.", "not an id": "“amina” is not an id of a mentee.",
                "already erased": "This person's data has already been erased."}[case]
    before = table_dump(db)
    with pytest.raises(InputError) as refused:
        with db.write() as session:
            erase_person(session, target)
    assert str(refused.value) == expected
    assert table_dump(db) == before


def test_an_erased_person_cannot_be_edited_merged_or_filled_in_again(db):
    with db.write() as session:
        amina_id = _amina(session).id
        twin_id = save_mentee(session, MenteeForm("Amina Belo", phone="+234 1"))
    with db.write() as session:
        erase_person(session, amina_id)
    before = table_dump(db)
    with db.read() as session:
        form = load_form(session, amina_id)
    form.name = "Amina Bello"
    with pytest.raises(InputError) as refused:
        with db.write() as session:
            save_mentee(session, form)
    assert str(refused.value) == REFUSED_EDIT
    for keep, duplicate in ((amina_id, twin_id), (twin_id, amina_id)):
        with pytest.raises(InputError, match="has been erased"):
            with db.write() as session:
                merge_mentees(session, keep, duplicate)
    # Any other write of the record (a CSV import, a value taken back from the conflict log) too.
    with pytest.raises(InputError, match="has been erased"):
        with db.write() as session:
            session.get(Mentee, amina_id).email = "amina@example.org"
    assert table_dump(db) == before
    with db.write() as session:  # what does not name the person can still change
        session.get(Mentee, amina_id).journey_stage = JourneyStage.EVALUATION


def test_a_spreadsheet_cannot_bring_an_erased_name_back(db, tmp_path):
    from coachdesk.services.spreadsheets import export_csv, import_csv

    with db.write() as session:
        amina_id = _amina(session).id
    sheet = tmp_path / "mentees.csv"
    export_csv(db, "mentees", sheet)  # taken before the erasure, still naming her
    with db.write() as session:
        erase_person(session, amina_id)
    before = table_dump(db)
    with pytest.raises(InputError, match="has been erased"):
        import_csv(db, "mentees", sheet)
    assert table_dump(db) == before


# -- exporting ---------------------------------------------------------------------------------------


def test_the_export_holds_everything_kept_about_the_person_as_readable_json(db, tmp_path):
    with db.write() as session:
        amina_id = _amina(session).id
    out = tmp_path / "amina.json"
    assert write_person_export(db, amina_id, out) == out
    raw = out.read_bytes()
    assert "Prefers calls after 6 pm." in raw.decode("utf-8")  # UTF-8, and readable as it is
    assert b"\n  \"mentee\": {\n" in raw  # indented
    data = json.loads(raw)
    assert (data["kind"], data["format"]) == ("coachdesk-person-data", 1)
    assert data["mentee"] | {"id": None} == {
        "id": None, "kind": "person", "name": "Amina Bello", "community": "Hausa Wikimedians",
        "languages": ["ha", "en"], "region": "Kano", "journey_stage": "planning", "coach": None,
        "email": "amina@example.org", "phone": "+234 800 000 0000", "private_notes": "Prefers calls after 6 pm.",
        "archived": False, "erased": False, "removed": False}
    assert data["mentee"]["id"] == str(amina_id)
    assert data["consent"] == {"given_on": "2026-03-01", "given_by": "Amina Bello"}
    [workshop] = data["sessions"]
    assert {k: workshop[k] for k in ("date", "title", "kind", "duration_minutes", "location", "notes")} == {
        "date": "2026-04-02T10:00:00", "title": "Fundraising workshop", "kind": "training", "duration_minutes": 90,
        "location": "Kano", "notes": "Amina led the budget exercise."}
    assert [a["date"] for a in data["assessments"]] == ["2026-03-10", "2026-05-10"]
    assert data["assessments"][1]["ratings"] == [{
        "capacity": "fundraising", "capacity_label": "Fundraising", "level": 4, "priority": 3,
        "assets": "A donor list", "gaps": "No budget", "evidence": "Two grants"}]
    [plan] = data["plans"]
    assert (plan["title"], plan["status"]) == ("Fundraising plan", "active")
    assert [(a["description"], a["owner"], a["status"]) for a in plan["goals"][0]["actions"]] == [
        ("Draft the budget", "amina  BELLO", "done"), ("Review the draft", "Coach Musa", "todo")]
    assert [(r["title"], r["requested_by"]) for r in data["requests"]] == [("Help with grants", "Amina Bello")]


def test_an_export_after_erasure_holds_nothing_that_names_the_person(db):
    with db.write() as session:
        amina_id = _amina(session).id
    with db.write() as session:
        erase_person(session, amina_id)
    with db.read() as session:
        text = export_person(session, amina_id)
    assert "Amina Bello" not in text and "amina@example.org" not in text and "+234" not in text
    assert json.loads(text)["mentee"]["erased"] is True


def test_an_export_that_cannot_be_written_says_so_and_leaves_no_file(db, tmp_path):
    with db.write() as session:
        amina_id = _amina(session).id
    out = tmp_path / "missing folder" / "amina.json"
    with pytest.raises(InputError, match="could not be written"):
        write_person_export(db, amina_id, out)
    assert not out.parent.exists()
    with pytest.raises(InputError, match="No mentee has the id"):
        write_person_export(db, uuid7(), tmp_path / "nobody.json")
    assert not (tmp_path / "nobody.json").exists()


# -- across devices ----------------------------------------------------------------------------------


class Team:
    """Device A, device B and their hub, syncing the way the command line does."""

    def __init__(self, tmp_path: Path) -> None:
        self.folder = tmp_path
        invitation = hub_service.init_hub(tmp_path / "hub", "Kano")
        self.devices = {}
        for name in ("a", "b"):
            self.devices[name] = open_workspace(tmp_path / f"{name}.sqlite")
            join_team(self.devices[name], invitation)

    def sync(self, *names: str) -> None:
        names = names or tuple(self.devices)
        for n in names:
            export_for_hub(self.devices[n], self.folder / f"{n}.cdsync")
            hub_service.ingest(self.folder / "hub", [self.folder / f"{n}.cdsync"])
        hub_service.export_central(self.folder / "hub", self.folder / "central.cdsync")
        for n in names:
            import_central(self.devices[n], self.folder / "central.cdsync")

    def hub_db(self):
        return hub_service.load_hub(self.folder / "hub").open()

    def close(self) -> None:
        for db in self.devices.values():
            db.close()


@pytest.fixture
def team(tmp_path):
    made = Team(tmp_path)
    yield made
    made.close()


def _personal(database, mentee_id) -> tuple:
    with database.read() as session:
        m = session.get(Mentee, mentee_id)
        lost = sorted(session.scalars(select(SyncConflict.value).where(SyncConflict.row_id == mentee_id,
                                                                      SyncConflict.column_name == "name")))
        return (m.name, m.region, m.consent_given_by, m.email, m.phone, m.private_notes, m.erased), lost


def test_an_erasure_on_one_device_reaches_the_hub_and_the_other_device(team):
    a, b = team.devices["a"], team.devices["b"]
    with a.write() as session:
        amina_id = _amina(session).id
    team.sync()
    team.sync()  # the second round brings B what A sent in the first
    with b.write() as session:  # contact details B keeps of its own: they never leave B
        session.get(Mentee, amina_id).phone = "+234 700 000 0000"
    evaluation = _evaluation(b)
    assert "Hausa Wikimedians" in evaluation

    with a.write() as session:
        erase_person(session, amina_id)
    team.sync("a")
    placeholder = erased_name(amina_id)
    hub = team.hub_db()
    try:
        with hub.read() as session:
            m = session.get(Mentee, amina_id)
            assert (m.name, m.region, m.consent_given_by, m.erased) == (placeholder, "", "", True)
    finally:
        hub.close()
    team.sync("b")
    assert _personal(b, amina_id) == ((placeholder, "", "", "", "", "", True), [])
    with b.read() as session:
        assert session.scalar(select(PlanAction.owner).where(PlanAction.description == "Draft the budget")) == ""
    assert _evaluation(b) == evaluation == _evaluation(a)
    with pytest.raises(InputError, match="has been erased"):
        with b.write() as session:
            save_mentee(session, load_form(session, amina_id))


@pytest.mark.parametrize("edit", ["after the erasure", "before the erasure"])
def test_a_concurrent_edit_of_the_name_never_brings_it_back(team, edit):
    """B renames the person while A erases them, neither having seen the other's write. Whichever
    clock is later, every replica ends with the placeholder and no copy of either name."""
    a, b = team.devices["a"], team.devices["b"]
    with a.write() as session:
        amina_id = _amina(session).id
    team.sync()
    team.sync()
    later = clock.wall_ms() + 60_000

    def erase() -> None:
        with a.write() as session:
            erase_person(session, amina_id)

    def rename() -> None:
        with b.write() as session:
            form = load_form(session, amina_id)
            form.name = "Amina B. Bello"
            save_mentee(session, form)

    if edit == "after the erasure":
        erase()
        with mock.patch.object(clock, "wall_ms", lambda: later):
            rename()
    else:
        rename()
        with mock.patch.object(clock, "wall_ms", lambda: later):
            erase()
    team.sync("a", "b")
    team.sync("a", "b")  # what each device wrote on receiving the other's reaches the other
    expected = (erased_name(amina_id), "", "", "", "", "", True)
    for device in (a, b):
        state, lost = _personal(device, amina_id)
        assert state == expected
        assert all("Amina" not in value for value in lost)
    hub = team.hub_db()
    try:
        state, lost = _personal(hub, amina_id)
        assert state[0] == erased_name(amina_id) and state[-1] is True
        assert all("Amina" not in value for value in lost)
    finally:
        hub.close()


# -- on the mentee page ------------------------------------------------------------------------------


def test_the_mentee_page_exports_then_erases_a_person_after_saying_what_goes(qtbot, ui_context, monkeypatch,
                                                                               tmp_path):
    from coachdesk.ui.views import mentee_page
    from coachdesk.ui.views.mentees import MenteesPage

    with ui_context.db.write() as session:
        amina_id = _amina(session).id
    figures = counts(ui_context.db)
    asked: list[str] = []
    replies: list[bool] = []
    monkeypatch.setattr(mentee_page, "confirm", lambda _p, _t, question, _y: asked.append(question) or replies.pop(0))
    chosen = tmp_path / "amina.json"
    monkeypatch.setattr(mentee_page, "choose_person_export_path", lambda _parent, _suggested: chosen)
    page = MenteesPage(ui_context)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    page.show_mentee(amina_id)
    view = page.mentee_page
    assert view.title.text() == "Amina Bello" and not view.erased_badge.isVisible()

    view.export_action.trigger()
    qtbot.waitUntil(lambda: view.notice.isVisible())
    assert view.notice.text() == f"Saved {chosen}. It holds their private details too: give it to them only."
    assert json.loads(chosen.read_bytes())["mentee"]["phone"] == "+234 800 000 0000"

    replies.append(False)
    view.erase_action.trigger()
    ui_context.tasks.wait_idle()
    placeholder = erased_name(amina_id)
    assert len(asked) == 1
    for words in ("Amina Bello", placeholder, "email, phone, private notes", "sessions, assessments and plans",
                  "every other device at the next sync", "cannot be undone"):
        assert words in asked[0]
    with ui_context.db.read() as session:
        assert session.get(Mentee, amina_id).name == "Amina Bello"

    replies.append(True)
    view.erase_action.trigger()
    qtbot.waitUntil(lambda: view.erased_badge.isVisible())
    assert view.title.text() == placeholder and view.erased_badge.text() == "Erased"
    assert view.notice.text() == f"Erased. They are listed as “{placeholder}” from now on."
    assert "erased at their request" in view.consent.text()
    assert not view.edit_button.isEnabled() and not view.erase_action.isEnabled()
    assert view.export_action.isEnabled()
    with ui_context.db.read() as session:
        m = session.get(Mentee, amina_id)
        assert (m.name, m.email, m.phone, m.erased) == (placeholder, "", "", True)
    assert counts(ui_context.db) == figures
    view.back_requested.emit()
    model = page.table.model()
    shown = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert placeholder in shown and "Amina Bello" not in shown


def test_the_command_line_exports_and_erases_a_person(tmp_path, capsys):
    import json as _json

    from coachdesk.cli import main
    from coachdesk.services.demo import generate_demo
    from coachdesk.services.workspace import open_workspace as _open

    path = tmp_path / "cli.sqlite"
    db = _open(path)
    generate_demo(db, mentees=3, seed=2)
    with db.read() as s:
        from sqlalchemy import select as _select

        from coachdesk.model import Mentee as _Mentee

        mentee = s.scalars(_select(_Mentee).where(_Mentee.email != "").limit(1)).one()
        mid, email = str(mentee.id), mentee.email
    db.close()
    out = tmp_path / "access-request.json"
    assert main(["--db", str(path), "person", "export", mid, "-o", str(out)]) == 0
    assert email in out.read_text(encoding="utf-8") and _json.loads(out.read_text(encoding="utf-8"))
    capsys.readouterr()
    assert main(["--db", str(path), "person", "erase", mid]) == 2  # no terminal to ask: refuses without --yes
    assert "--yes" in capsys.readouterr().err
    assert main(["--db", str(path), "person", "erase", mid, "--yes"]) == 0
    assert main(["--db", str(path), "person", "erase", mid, "--yes"]) == 2
    assert "already been erased" in capsys.readouterr().err
