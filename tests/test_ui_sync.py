"""The Sync page: export for the hub and import its central export from the app, and review conflicts."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from sqlalchemy import select

from coachdesk.model import Mentee, SyncConflict, named_id
from coachdesk.services.hub import export_central, ingest, init_hub
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
