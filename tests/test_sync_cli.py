"""Team sync end to end through the command line: two devices and a hub, and every refusal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import table_dump

from coachdesk.cli import main
from coachdesk.services.demo import generate_demo
from coachdesk.services.workspace import open_workspace


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def dump(path: Path) -> dict:
    db = open_workspace(path)
    try:
        return table_dump(db)
    finally:
        db.close()


@pytest.fixture
def team(tmp_path, capsys, hub_db_url):
    """A hub (on SQLite, then on PostgreSQL) and two devices that joined it; device A holds 12 demo mentees."""
    hub = tmp_path / "hub"
    url = ["--db-url", hub_db_url] if hub_db_url else []
    code, _out, err = run(capsys, "hub", "init", "--hub-dir", str(hub), "--name", "Kano circuit", *url)
    assert code == 0, err
    devices = {}
    for name in ("a", "b"):
        path = tmp_path / f"{name}.sqlite"
        code, out, err = run(capsys, "--db", str(path), "team", "join", str(hub / "invitation.cdteam"), "--json")
        assert code == 0, err
        assert json.loads(out) == {"team": "Kano circuit"}
        devices[name] = path
        # A device becomes known to the hub with its first bundle, even an empty one.
        hello = tmp_path / f"{name}-hello.cdsync"
        assert run(capsys, "--db", str(path), "export", "-o", str(hello))[0] == 0
        assert run(capsys, "hub", "ingest", "--hub-dir", str(hub), str(hello))[0] == 0
    db = open_workspace(devices["a"])
    generate_demo(db, mentees=12, seed=9)
    db.close()
    return hub, devices


def stats(capsys, path: Path) -> dict:
    code, out, _err = run(capsys, "--db", str(path), "stats", "--json")
    assert code == 0
    return json.loads(out)


def test_work_on_one_device_reaches_the_other_through_the_hub(team, tmp_path, capsys):
    hub, devices = team
    bundle = tmp_path / "drop" / "a.cdsync"
    bundle.parent.mkdir()
    code, out, err = run(capsys, "--db", str(devices["a"]), "export", "-o", str(bundle), "--json")
    assert code == 0, err
    assert json.loads(out)["rows"] > 12
    code, out, err = run(capsys, "hub", "ingest", "--hub-dir", str(hub), str(bundle.parent), "--json")
    assert code == 0, err
    assert [o["status"] for o in json.loads(out)] == ["merged"]
    central = tmp_path / "central.cdsync"
    assert run(capsys, "hub", "export", "--hub-dir", str(hub), "-o", str(central))[0] == 0
    code, out, err = run(capsys, "--db", str(devices["b"]), "import", str(central))
    assert code == 0, err
    assert stats(capsys, devices["b"])["mentees"] == 12
    assert stats(capsys, devices["b"])["sessions"] == stats(capsys, devices["a"])["sessions"]
    # The same bundle dropped again is skipped, not merged twice.
    code, out, _err = run(capsys, "hub", "ingest", "--hub-dir", str(hub), str(bundle), "--json")
    assert code == 0 and json.loads(out)[0]["status"] == "skipped"
    code, out, _err = run(capsys, "hub", "devices", "--hub-dir", str(hub), "--json")
    assert len(json.loads(out)) == 2


def test_exporting_the_same_state_twice_gives_the_same_bytes(team, tmp_path, capsys):
    _hub, devices = team
    first, second = tmp_path / "1.cdsync", tmp_path / "2.cdsync"
    assert run(capsys, "--db", str(devices["a"]), "export", "-o", str(first))[0] == 0
    assert run(capsys, "--db", str(devices["a"]), "export", "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()


def _central(capsys, hub: Path, devices: dict, tmp_path: Path) -> Path:
    bundle = tmp_path / "a.cdsync"
    assert run(capsys, "--db", str(devices["a"]), "export", "-o", str(bundle))[0] == 0
    assert run(capsys, "hub", "ingest", "--hub-dir", str(hub), str(bundle))[0] == 0
    central = tmp_path / "central.cdsync"
    assert run(capsys, "hub", "export", "--hub-dir", str(hub), "-o", str(central))[0] == 0
    return central


@pytest.mark.parametrize("damage, message", [
    (lambda data: data[: len(data) // 2], "damaged"),
    (lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:], "changed after it was made"),
    (lambda data: b"name,kind\nAisha,person\n", "not a CoachDesk sync bundle"),
])
def test_a_damaged_central_export_is_refused_and_changes_nothing(team, tmp_path, capsys, damage, message):
    hub, devices = team
    central = _central(capsys, hub, devices, tmp_path)
    central.write_bytes(damage(central.read_bytes()))
    before = dump(devices["b"])
    code, _out, err = run(capsys, "--db", str(devices["b"]), "import", str(central))
    assert code == 2
    assert err.startswith("coachdesk: ") and message in err
    assert dump(devices["b"]) == before


def test_a_central_export_of_another_team_is_refused(team, tmp_path, capsys):
    hub, devices = team
    central = _central(capsys, hub, devices, tmp_path)
    stranger = tmp_path / "stranger.sqlite"
    other_hub = tmp_path / "other-hub"
    assert run(capsys, "hub", "init", "--hub-dir", str(other_hub))[0] == 0
    assert run(capsys, "--db", str(stranger), "team", "join", str(other_hub / "invitation.cdteam"))[0] == 0
    before = dump(stranger)
    code, _out, err = run(capsys, "--db", str(stranger), "import", str(central))
    assert code == 2 and "not made for this device" in err
    assert dump(stranger) == before


def test_the_hub_refuses_a_device_that_never_joined_and_quarantines_its_bundle(team, tmp_path, capsys):
    hub, _devices = team
    intruder = tmp_path / "intruder.sqlite"
    other_hub = tmp_path / "other-hub"
    assert run(capsys, "hub", "init", "--hub-dir", str(other_hub))[0] == 0
    # The intruder has the hub's public keys but another team's secret.
    invitation = json.loads((hub / "invitation.cdteam").read_text())
    invitation["secret"] = json.loads((other_hub / "invitation.cdteam").read_text())["secret"]
    forged = tmp_path / "forged.cdteam"
    forged.write_text(json.dumps(invitation))
    assert run(capsys, "--db", str(intruder), "team", "join", str(forged))[0] == 0
    db = open_workspace(intruder)
    generate_demo(db, mentees=3, seed=2)
    db.close()
    bundle = tmp_path / "intruder.cdsync"
    assert run(capsys, "--db", str(intruder), "export", "-o", str(bundle))[0] == 0
    code, out, _err = run(capsys, "hub", "ingest", "--hub-dir", str(hub), str(bundle))
    assert code == 2
    assert "has not joined this team" in out
    assert (hub / "quarantine" / "intruder.cdsync").exists() and not bundle.exists()


def test_a_revoked_device_is_refused(team, tmp_path, capsys):
    hub, devices = team
    bundle = tmp_path / "a.cdsync"
    assert run(capsys, "--db", str(devices["a"]), "export", "-o", str(bundle))[0] == 0
    assert run(capsys, "hub", "ingest", "--hub-dir", str(hub), str(bundle))[0] == 0
    from coachdesk.services.team import device_keys

    db = open_workspace(devices["a"])
    site = device_keys(db).public().site_id.hex()
    db.close()
    assert run(capsys, "hub", "revoke", "--hub-dir", str(hub), site[:10])[0] == 0
    db = open_workspace(devices["a"])
    generate_demo(db, mentees=2, seed=77)
    db.close()
    later = tmp_path / "later.cdsync"
    assert run(capsys, "--db", str(devices["a"]), "export", "-o", str(later))[0] == 0
    code, out, _err = run(capsys, "hub", "ingest", "--hub-dir", str(hub), str(later))
    assert code == 2 and "revoked" in out


def test_joining_with_something_that_is_not_an_invitation_is_refused(tmp_path, capsys):
    bogus = tmp_path / "team.cdteam"
    bogus.write_text("hello")
    code, _out, err = run(capsys, "--db", str(tmp_path / "d.sqlite"), "team", "join", str(bogus))
    assert code == 2 and "is not a CoachDesk team invitation" in err


def test_export_before_joining_says_what_to_do(tmp_path, capsys):
    code, _out, err = run(capsys, "--db", str(tmp_path / "d.sqlite"), "export", "-o", str(tmp_path / "x.cdsync"))
    assert code == 2 and "not in a team yet" in err
    assert not (tmp_path / "x.cdsync").exists()


def test_a_conflict_shows_on_both_devices(team, tmp_path, capsys):
    hub, devices = team
    _central(capsys, hub, devices, tmp_path)
    central = tmp_path / "central.cdsync"
    assert run(capsys, "--db", str(devices["b"]), "import", str(central))[0] == 0
    from sqlalchemy import select

    from coachdesk.model import Mentee

    targets = {}
    for name, new in (("a", "Name from A"), ("b", "Name from B")):
        db = open_workspace(devices[name])
        with db.write() as session:
            mentee = session.scalars(select(Mentee).order_by(Mentee.id)).first()
            mentee.name = new
            targets[name] = mentee.id
        db.close()
    for name in ("a", "b"):
        out = tmp_path / f"{name}-2.cdsync"
        assert run(capsys, "--db", str(devices[name]), "export", "-o", str(out))[0] == 0
        assert run(capsys, "hub", "ingest", "--hub-dir", str(hub), str(out))[0] == 0
    final = tmp_path / "central-2.cdsync"
    assert run(capsys, "hub", "export", "--hub-dir", str(hub), "-o", str(final))[0] == 0
    listed = {}
    for name in ("a", "b"):
        assert run(capsys, "--db", str(devices[name]), "import", str(final))[0] == 0
        code, out, _err = run(capsys, "--db", str(devices[name]), "conflicts", "--json")
        listed[name] = json.loads(out)
    assert listed["a"] == listed["b"] and len(listed["a"]) == 1
    assert listed["a"][0]["column"] == "name"
    assert listed["a"][0]["losing_value"] in ("Name from A", "Name from B")
    shutil.rmtree(hub / "quarantine", ignore_errors=True)


@pytest.mark.parametrize("url, message", [
    ("postgresql+psycopg://coach:secret@127.0.0.1:1/team", "could not be opened"),
    ("mysql://db.example.org/team", "SQLite or PostgreSQL"),
    ("not a url", "is not a database URL"),
])
def test_a_hub_on_a_database_that_does_not_work_is_refused_and_leaves_nothing(tmp_path, capsys, url, message):
    hub = tmp_path / "hub"
    code, _out, err = run(capsys, "hub", "init", "--hub-dir", str(hub), "--db-url", url)
    assert code == 2 and message in err
    assert "secret" not in err  # a password in the URL is never printed
    assert not hub.exists()
