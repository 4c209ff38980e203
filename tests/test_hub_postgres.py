"""A hub on PostgreSQL merges exactly as a hub on SQLite: the same bundles, in any order, give the
same shared data, the same conflict log and the same central export."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import select

from coachdesk.model import Mentee
from coachdesk.services import hub as hub_service
from coachdesk.services.demo import generate_demo
from coachdesk.services.team import device_keys, export_for_hub, import_central, join_team
from coachdesk.services.workspace import open_workspace
from coachdesk.sync.bundle import read_bundle
from coachdesk.sync.changes import canonical_dump


def _devices(tmp_path: Path, invitation: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = tmp_path / f"device-{n}.sqlite"
        db = open_workspace(path)
        join_team(db, invitation)
        generate_demo(db, mentees=4 + n, seed=40 + n)
        db.close()
        paths.append(path)
    return paths


def _dump(url: str) -> dict:
    from coachdesk.store.database import open_database

    db, _result = open_database(url)
    try:
        with db.read() as session:
            return canonical_dump(session)
    finally:
        db.close()


def _take_site(url: str, twin: Path) -> None:
    """Give the hub database at ``url`` the site id of the hub in ``twin``, as if it were that hub."""
    from coachdesk.model import SyncSite, SyncState
    from coachdesk.store.changes import STATE_ID
    from coachdesk.store.database import open_database
    from coachdesk.sync.keys import load_keys

    db, _result = open_database(url)
    try:
        with db.write() as session:
            state = session.get(SyncState, STATE_ID)
            session.get(SyncSite, state.local_site_idx).site_id = load_keys(twin / "hub.keys").public().site_id
    finally:
        db.close()


def test_postgres_and_sqlite_hubs_agree_on_every_row_and_conflict(tmp_path, postgres_url):
    hubs = {"sqlite": tmp_path / "hub-sqlite", "postgresql": tmp_path / "hub-pg"}
    hub_service.init_hub(hubs["sqlite"], "Lagos")
    hub_service.init_hub(hubs["postgresql"], "Lagos", postgres_url)
    # Devices join the SQLite hub; the PostgreSQL hub shares its keys and secret, so both accept them.
    for name in ("hub.keys", "hub.json"):
        raw = (hubs["sqlite"] / name).read_bytes()
        if name == "hub.json":
            import json

            config = json.loads(raw)
            config["db_url"] = postgres_url
            raw = json.dumps(config).encode()
        (hubs["postgresql"] / name).write_bytes(raw)
    _take_site(postgres_url, hubs["sqlite"])
    devices = _devices(tmp_path, hubs["sqlite"] / "invitation.cdteam", 3)
    bundles = []
    for round_ in range(2):
        for n, path in enumerate(devices):
            db = open_workspace(path)
            if round_:
                # Everyone renames the first mentee they hold: concurrent edits, logged as conflicts.
                with db.write() as session:
                    first = session.scalars(select(Mentee).order_by(Mentee.id)).first()
                    first.name = f"Renamed on device {n}"
            out = tmp_path / f"r{round_}-d{n}.cdsync"
            export_for_hub(db, out, f"device {n}")
            bundles.append(out)
            db.close()
        if not round_:
            # Everyone imports everyone's first round, so the second round edits shared rows.
            central = tmp_path / "central-0.cdsync"
            hub_service.ingest(hubs["sqlite"], bundles)
            hub_service.export_central(hubs["sqlite"], central)
            for path in devices:
                db = open_workspace(path)
                import_central(db, central)
                db.close()
    shuffled = bundles[:]
    random.Random(5).shuffle(shuffled)
    copies = []
    for n, bundle in enumerate(shuffled):  # ingest moves refused files, so each hub reads its own copies
        copy = tmp_path / "pg-drop" / f"{n:02d}-{bundle.name}"
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(bundle.read_bytes())
        copies.append(copy)
    report = hub_service.ingest(hubs["postgresql"], copies + copies[:2])  # two duplicates: skipped
    assert [o.status for o in report.outcomes].count("merged") == len(bundles)
    assert [o.status for o in report.outcomes].count("skipped") == 2
    # The same order at both hubs: a conflict row names the value it first lost to, which
    # depends on the order bundles arrive in (docs/sync.md); everything else does not.
    hub_service.ingest(hubs["sqlite"], shuffled)
    sqlite_dump = _dump(hub_service.load_hub(hubs["sqlite"]).db_url)
    pg_dump = _dump(postgres_url)
    assert pg_dump == sqlite_dump
    assert len(sqlite_dump["sync_conflict"]) >= 2  # three concurrent renames: two losers
    assert sum(len(rows) for rows in pg_dump.values()) > 100
    # The central exports carry the same records; the first device reads both.
    db = open_workspace(devices[0])
    keys = device_keys(db)
    db.close()
    records = {}
    for kind, folder in hubs.items():
        out = tmp_path / f"central-{kind}.cdsync"
        hub_service.export_central(folder, out)
        _manifest, records[kind] = read_bundle(out.read_bytes(), keys)
    assert records["postgresql"] == records["sqlite"]
