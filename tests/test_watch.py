"""The watched folder: two devices and a hub trade work through one shared folder, nobody copying files."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import table_dump
from sqlalchemy import select

from coachdesk.errors import InputError
from coachdesk.model import Mentee
from coachdesk.services.hub import export_central, ingest, init_hub
from coachdesk.services.mentees import MenteeForm, save_mentee
from coachdesk.services.team import join_team
from coachdesk.services.watch import CENTRAL_FOLDER, device_file_name, sync_with_folder
from coachdesk.services.workspace import open_workspace


@pytest.fixture
def team(tmp_path):
    """A hub, a shared folder and two devices in the team; device A has one mentee of its own."""
    hub, folder = tmp_path / "hub", tmp_path / "shared"
    folder.mkdir()
    init_hub(hub, "Kano circuit")
    devices = {}
    for name in ("a", "b"):
        db = open_workspace(tmp_path / f"{name}.sqlite")
        join_team(db, hub / "invitation.cdteam")
        devices[name] = db
    with devices["a"].write() as session:
        save_mentee(session, MenteeForm(name="Amina Yusuf", region="Kano"))
    yield hub, folder, devices
    for db in devices.values():
        db.close()


def _names(db) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Mentee.name).where(Mentee.deleted.is_(False))))


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*.cdsync"))}


def _hub_round(hub: Path, folder: Path) -> None:
    """What the hub's operator (or a scheduled job) does: ingest the folder, write the central export into it."""
    assert not ingest(hub, [folder]).refused
    export_central(hub, folder / CENTRAL_FOLDER / "central.cdsync")


def test_work_travels_through_the_watched_folder_and_a_second_run_changes_nothing(team):
    hub, folder, devices = team
    first_a = sync_with_folder(devices["a"], folder, "Grace's laptop")
    assert first_a.exported and first_a.rows_exported >= 1 and first_a.imported == 0
    assert first_a.export_file is not None and first_a.export_file.parent == folder
    assert first_a.export_file.name.startswith("Grace-s-laptop-")
    # B has nothing of its own yet, but its first (empty) export makes it known to the hub.
    first_b = sync_with_folder(devices["b"], folder, "field-laptop")
    assert first_b.exported and first_b.rows_exported < first_a.rows_exported
    assert (folder / CENTRAL_FOLDER).is_dir()  # ready for the hub's first central export

    _hub_round(hub, folder)
    b = sync_with_folder(devices["b"], folder, "field-laptop")
    assert (b.imported, b.problems, b.exported) == (1, [], False)
    assert _names(devices["b"]) == ["Amina Yusuf"]
    a = sync_with_folder(devices["a"], folder, "Grace's laptop")
    assert (a.imported, a.exported) == (1, False)  # the hub acknowledged A's work, so nothing new to send

    before = _snapshot(folder)
    database_before = table_dump(devices["b"])
    for name, device in (("field-laptop", devices["b"]), ("Grace's laptop", devices["a"])):
        again = sync_with_folder(device, folder, name)
        assert (again.imported, again.exported, again.skipped, again.problems) == (0, False, 1, [])
    assert _snapshot(folder) == before
    assert table_dump(devices["b"]) == database_before


def test_new_work_is_exported_over_the_same_file(team):
    hub, folder, devices = team
    first = sync_with_folder(devices["a"], folder, "Grace's laptop")
    # The hub has not taken it yet; with nothing new, the same file is not written again.
    before = _snapshot(folder)
    assert not sync_with_folder(devices["a"], folder, "Grace's laptop").exported
    assert _snapshot(folder) == before
    with devices["a"].write() as session:
        save_mentee(session, MenteeForm(name="Bello Musa"))
    second = sync_with_folder(devices["a"], folder, "Grace's laptop")
    assert second.exported and second.export_file == first.export_file
    assert second.rows_exported > first.rows_exported
    assert [p.name for p in folder.glob("*.cdsync")] == [first.export_file.name]
    # A renamed device leaves one file, under its new name.
    with devices["a"].write() as session:
        save_mentee(session, MenteeForm(name="Chidi Obi"))
    renamed = sync_with_folder(devices["a"], folder, "Grace")
    assert [p.name for p in folder.glob("*.cdsync")] == [renamed.export_file.name]
    assert renamed.export_file.name.startswith("Grace-") and renamed.export_file != first.export_file


def test_an_unreachable_folder_says_so_and_changes_nothing(team, tmp_path):
    _hub, _folder, devices = team
    before = table_dump(devices["a"])
    missing = tmp_path / "unplugged-share"
    with pytest.raises(InputError) as refused:
        sync_with_folder(devices["a"], missing, "Grace's laptop")
    assert str(refused.value) == (f"The watched folder {missing} is not reachable; your work stays on this device "
                                  "until it is.")
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    with pytest.raises(InputError, match="is not reachable"):
        sync_with_folder(devices["a"], a_file, "Grace's laptop")
    assert not missing.exists() and a_file.read_text() == "x"
    assert table_dump(devices["a"]) == before


def test_a_tampered_central_export_is_reported_and_the_others_still_import(team):
    hub, folder, devices = team
    sync_with_folder(devices["a"], folder, "Grace's laptop")
    sync_with_folder(devices["b"], folder, "field-laptop")
    _hub_round(hub, folder)
    central = folder / CENTRAL_FOLDER
    data = bytearray((central / "central.cdsync").read_bytes())
    data[-1] ^= 0x01  # the body's authentication tag
    (central / "a-tampered.cdsync").write_bytes(bytes(data))
    # Not for this device: a device's own export dropped into the wrong place, and another team's hub.
    (central / "stray.cdsync").write_bytes((folder / device_file_name(_site(devices["a"]), "Grace's laptop"))
                                           .read_bytes())
    result = sync_with_folder(devices["b"], folder, "field-laptop")
    assert result.imported == 1 and _names(devices["b"]) == ["Amina Yusuf"]
    assert result.problems == [("a-tampered.cdsync", "This bundle was changed after it was made, so it was refused.")]
    assert result.skipped == 1  # the stray file, passed over without a word


def test_files_already_looked_at_are_not_opened_again(team, monkeypatch):
    from coachdesk.services import team as team_service

    hub, folder, devices = team
    sync_with_folder(devices["b"], folder, "field-laptop")
    _hub_round(hub, folder)
    checked: set = set()
    assert sync_with_folder(devices["b"], folder, "field-laptop", checked=checked).imported == 1
    opened = []
    monkeypatch.setattr(team_service, "import_central", lambda db, path: opened.append(path))
    assert sync_with_folder(devices["b"], folder, "field-laptop", checked=checked).skipped == 1
    assert opened == []


def test_a_device_outside_any_team_is_told_to_join_first(db, tmp_path):
    with pytest.raises(InputError, match="not in a team yet"):
        sync_with_folder(db, tmp_path, "laptop")
    assert list(tmp_path.glob("*.cdsync")) == []


def _site(db) -> bytes:
    from coachdesk.services.team import device_keys

    return device_keys(db).public().site_id


def test_in_arabic_the_folder_keeps_its_own_direction_in_the_sentence(team, tmp_path):
    from coachdesk import i18n

    _hub, _folder, devices = team
    missing = tmp_path / "unplugged-share"
    i18n.set_language("ar")
    with pytest.raises(InputError) as refused:
        sync_with_folder(devices["a"], missing, "laptop")
    # Without the isolate the leading slash of the path is drawn at the far end of the path.
    assert f"\u2068{missing}\u2069" in str(refused.value) and "المجلد" in str(refused.value)
