"""The Sync page: join a team, export for the hub and import its central export from the app, keep
a watched folder in step, and review conflicts."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from sqlalchemy import select

from coachdesk.model import Mentee, SyncConflict, SyncTeam, named_id
from coachdesk.services.hub import export_central, ingest, init_hub
from coachdesk.services.settings import load_settings
from coachdesk.services.team import join_team
from coachdesk.ui.views import sync as sync_view
from coachdesk.ui.views.sync import SyncPage


def _page(qtbot, context) -> SyncPage:
    page = SyncPage(context)
    qtbot.addWidget(page)
    page.show()
    return page


def test_export_and_import_from_the_sync_page(qtbot, demo_context, tmp_path, monkeypatch):
    hub = tmp_path / "hub"
    init_hub(hub, "Kano circuit")
    join_team(demo_context.db, hub / "invitation.cdteam")
    page = _page(qtbot, demo_context)
    assert "Kano circuit" in page.status.text() and page.export_button.isEnabled()

    bundle = tmp_path / "laptop.cdsync"
    monkeypatch.setattr(sync_view, "choose_export_path", lambda parent, suggested: bundle)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result.text().startswith("Wrote "), timeout=15000)
    assert bundle.exists() and page.last_export.text() != "Never"

    assert not ingest(hub, [bundle]).refused
    central = tmp_path / "central.cdsync"
    export_central(hub, central)
    monkeypatch.setattr(sync_view, "choose_import_path", lambda parent: central)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result.text().startswith(("Imported", "central.cdsync was already")),
                    timeout=15000)
    assert page.last_import.text() != "Never"


def test_a_refused_import_says_why_on_the_page(qtbot, demo_context, tmp_path, monkeypatch):
    hub = tmp_path / "hub"
    init_hub(hub)
    join_team(demo_context.db, hub / "invitation.cdteam")
    page = _page(qtbot, demo_context)
    junk = tmp_path / "junk.cdsync"
    junk.write_bytes(b"not a bundle")
    monkeypatch.setattr(sync_view, "choose_import_path", lambda parent: junk)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not a CoachDesk sync bundle" in page.result.text(), timeout=15000)


def test_a_conflict_is_shown_side_by_side_and_the_lost_value_can_come_back(qtbot, demo_context, tmp_path):
    hub = tmp_path / "hub"
    init_hub(hub)
    join_team(demo_context.db, hub / "invitation.cdteam")
    with demo_context.db.write() as session:
        mentee = session.scalars(select(Mentee).order_by(Mentee.name)).first()
        mentee_id, kept = mentee.id, mentee.name
        session.add(SyncConflict(id=named_id("conflict", "mentee", mentee_id, "name", 1, "ab" * 16),
                                 table_name="mentee", row_id=mentee_id, column_name="name",
                                 value=json.dumps("Name from the other laptop"), value_hlc=1, value_site="ab" * 16,
                                 winner_hlc=2, winner_site="cd" * 16, resolved=False))
    page = _page(qtbot, demo_context)
    assert page.conflicts_heading.text() == "Conflicts to review: 1"
    assert [page.conflicts.item(0, c).text() for c in (1, 2, 3)] == ["name", kept, "Name from the other laptop"]
    page.conflicts.selectRow(0)
    qtbot.mouseClick(page.take_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.conflicts_heading.text() == "No conflicts to review.", timeout=15000)
    with demo_context.db.read() as session:
        assert session.get(Mentee, mentee_id).name == "Name from the other laptop"
        assert session.scalars(select(SyncConflict.resolved)).one() is True


def test_a_device_joins_a_team_from_the_sync_page(qtbot, ui_context, tmp_path, monkeypatch):
    hub = tmp_path / "hub"
    init_hub(hub, "Kano circuit")
    page = _page(qtbot, ui_context)
    assert page.join_button.isVisible() and not page.export_button.isEnabled()
    assert "Join a team…" in page.status.text() and "coachdesk team join" not in page.status.text()
    monkeypatch.setattr(sync_view, "choose_invitation_path", lambda parent: hub / "invitation.cdteam")
    qtbot.mouseClick(page.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result.text() == "Joined the team “Kano circuit”.", timeout=15000)
    assert "Kano circuit" in page.status.text()
    assert page.export_button.isEnabled() and page.import_button.isEnabled() and not page.join_button.isVisible()
    with ui_context.db.read() as session:
        assert session.get(SyncTeam, 1).name == "Kano circuit"


def test_a_bad_invitation_says_why_and_the_device_stays_outside(qtbot, ui_context, tmp_path, monkeypatch):
    junk = tmp_path / "team.cdteam"
    junk.write_text('{"kind": "something else"}', encoding="utf-8")
    page = _page(qtbot, ui_context)
    monkeypatch.setattr(sync_view, "choose_invitation_path", lambda parent: junk)
    qtbot.mouseClick(page.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result.text() == "team.cdteam is not a CoachDesk team invitation.", timeout=15000)
    assert page.join_button.isVisible() and not page.export_button.isEnabled()
    with ui_context.db.read() as session:
        assert session.get(SyncTeam, 1) is None


def test_the_watched_folder_is_kept_in_the_settings_and_syncs_when_asked(qtbot, ui_context, tmp_path, monkeypatch):
    hub, shared = tmp_path / "hub", tmp_path / "Dropbox" / "Kano team"
    shared.mkdir(parents=True)
    init_hub(hub, "Kano circuit")
    join_team(ui_context.db, hub / "invitation.cdteam")
    page = _page(qtbot, ui_context)
    assert page.watched_folder.text() == "None" and not page.sync_now_button.isVisible()

    monkeypatch.setattr(sync_view, "choose_watched_folder", lambda parent, current: shared)
    qtbot.mouseClick(page.choose_folder_button, Qt.MouseButton.LeftButton)
    assert load_settings().watched_folder == str(shared)
    assert page.watched_folder.text().endswith("Kano team") and page.watched_folder.toolTip() == str(shared)
    assert page.stop_watching_button.isVisible()
    # Choosing a folder syncs at once: this device's first export lands in it.
    qtbot.waitUntil(lambda: page.result.text().startswith(f"Synced with {shared}. Exported "), timeout=15000)
    assert len(list(shared.glob("test-laptop-*.cdsync"))) == 1

    # The hub takes it and answers with a central export; Sync now brings that back.
    assert not ingest(hub, [shared]).refused
    export_central(hub, shared / "central" / "central.cdsync")
    qtbot.waitUntil(lambda: page.sync_now_button.isEnabled(), timeout=15000)
    qtbot.mouseClick(page.sync_now_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result.text() == f"Synced with {shared}. Imported 1 central export.",
                    timeout=15000)
    assert page.last_import.text() != "Never"
    qtbot.waitUntil(lambda: page.sync_now_button.isEnabled(), timeout=15000)
    qtbot.mouseClick(page.sync_now_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result.text() == f"Synced with {shared}: nothing new to import or export.",
                    timeout=15000)

    qtbot.mouseClick(page.stop_watching_button, Qt.MouseButton.LeftButton)
    assert load_settings().watched_folder == ""
    assert page.watched_folder.text() == "None" and not page.sync_now_button.isVisible()
    assert not ui_context.folder_sync.run()


def test_an_unreachable_watched_folder_is_said_quietly_on_the_page(qtbot, ui_context, tmp_path):
    hub = tmp_path / "hub"
    init_hub(hub)
    join_team(ui_context.db, hub / "invitation.cdteam")
    gone = tmp_path / "unplugged share"
    ui_context.settings.watched_folder = str(gone)
    page = _page(qtbot, ui_context)
    qtbot.mouseClick(page.sync_now_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result.text() == (f"The watched folder {gone} is not reachable; your work stays "
                                                   "on this device until it is."), timeout=15000)
    assert not gone.exists() and page.sync_now_button.isEnabled()


def test_one_folder_sync_at_a_time(qtbot, ui_context, tmp_path):
    hub, shared = tmp_path / "hub", tmp_path / "shared"
    shared.mkdir()
    init_hub(hub)
    join_team(ui_context.db, hub / "invitation.cdteam")
    ui_context.settings.watched_folder = str(shared)
    folder_sync = ui_context.folder_sync
    with qtbot.waitSignal(folder_sync.finished, timeout=15000):
        assert folder_sync.run()
        assert not folder_sync.run()  # still busy with the first
    assert not folder_sync.busy and len(list(shared.glob("*.cdsync"))) == 1


def test_the_app_syncs_with_the_folder_at_start_and_every_ten_minutes(qtbot, ui_context, tmp_path):
    hub, shared = tmp_path / "hub", tmp_path / "shared"
    shared.mkdir()
    init_hub(hub)
    join_team(ui_context.db, hub / "invitation.cdteam")
    ui_context.settings.watched_folder = str(shared)
    with qtbot.waitSignal(ui_context.folder_sync.finished, timeout=15000) as finished:
        ui_context.folder_sync.start()
    assert finished.args[0].startswith(f"Synced with {shared}. Exported ")
    assert ui_context.folder_sync.timer.isActive() and ui_context.folder_sync.timer.interval() == 10 * 60 * 1000
    # A page built later shows what the run at start did.
    assert _page(qtbot, ui_context).result.text() == finished.args[0]
    ui_context.folder_sync.timer.stop()
