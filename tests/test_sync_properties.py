"""Properties of merging, over random histories on three devices.

Each example gives three devices (separate database files, provisioned from one image, so
they share the shipped reference data but each has its own site) a random history: mentees
and communities made, random fields edited with random values, rows tombstoned and revived,
wall clocks jumping back and forth. Exports (``changed_rows_since``, of a device's own
writes or of everything it holds, so that records are relayed) are delivered in random
orders, shuffled, duplicated, late, and to the device that made them. In the end everyone
receives everything, and then:

- every device holds the same ``canonical_dump``;
- merging a batch twice changes nothing the second time (checked as the history runs);
- nothing was silently lost: every value ever written is the final value of its field, or
  was causally overwritten (a later write of the field replaced a write of that value: its
  ``prev`` is that write's clock, or it was made later by the same device, which always sees
  its own writes; tombstoning and reviving count as writes of the fields they re-clock), or
  is in the conflict log;
- the local clock never goes backwards, and every local write is stamped after everything
  the device has seen, whatever the wall clock does.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from conftest import table_dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from coachdesk.model import Community, FieldClock, JourneyStage, Mentee, RowClock, SyncConflict, SyncSite, SyncState
from coachdesk.services.workspace import open_workspace
from coachdesk.store import clock
from coachdesk.store.changes import STATE_ID
from coachdesk.store.database import Database
from coachdesk.store.engine import make_engine
from coachdesk.sync.changes import canonical_json, changed_rows_since, encode_value, table_infos
from coachdesk.sync.merge import merge_records

DEVICES = 3
TEXT = ["", "a", "b", "Sahel", "Kano ünïcode"]
VALUES: dict[str, list[Any]] = {
    "name": TEXT,
    "region": TEXT,
    "notes": TEXT,
    "journey_stage": list(JourneyStage),
    "languages": [[], ["ha"], ["en", "ha"], ["yo"]],
    "archived": [False, True],
    "consent_given_on": [None, date(2024, 1, 1), date(2024, 6, 30)],
}
FIELDS = {
    "mentee": ["name", "region", "journey_stage", "languages", "archived", "consent_given_on", "community_id"],
    "community": ["name", "region", "languages", "notes"],
}
CLASSES = {"mentee": Mentee, "community": Community}


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the reference data, closed: each device starts as a copy."""
    path = tmp_path_factory.mktemp("image") / "image.sqlite"
    open_workspace(path).close()
    return path


def _device(image: Path, folder: Path, n: int) -> Database:
    path = folder / f"device{n}.sqlite"
    shutil.copyfile(image, path)
    db = Database(make_engine(path), path)
    with db.engine.begin() as connection:  # a device of its own: a new local site
        sites = SyncSite.__table__
        connection.execute(update(sites).values(is_local=False))
        idx = connection.execute(insert(sites).values(site_id=os.urandom(16), name=f"device {n}", is_local=True)
                                 .returning(sites.c.idx)).scalar_one()
        connection.execute(update(SyncState.__table__).values(local_site_idx=idx))
    return db


@dataclass
class Write:
    table: str
    row: uuid.UUID
    column: str
    value: str  # canonical JSON
    clock: tuple[int, bytes]
    prev: tuple[int, bytes] | None


@dataclass
class World:
    dbs: list[Database]
    wall: list[int]
    offsets: list[int]
    current: list[int] = field(default_factory=lambda: [0])
    rows: list[tuple[str, uuid.UUID]] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    batches: list[list[dict]] = field(default_factory=list)
    last_hlc: list[int] = field(default_factory=list)
    exported: list[int] = field(default_factory=list)
    #: Each device's version when it was provisioned: "everything" is everything since.
    base: list[int] = field(default_factory=list)


def _fields(db: Database, table: str, rid: uuid.UUID) -> dict[str, tuple[str, tuple[int, bytes], Any]] | None:
    """A row's fields as (canonical value, effective clock, prev), or None if the device lacks it."""
    info = table_infos()[table]
    with db.read() as session:
        sites = {idx: site for idx, site in session.execute(select(SyncSite.idx, SyncSite.site_id))}
        values = session.execute(select(*(info.table.c[n] for n in info.columns)).where(info.table.c.id == rid)).first()
        row_clock = session.get(RowClock, rid)
        if values is None or row_clock is None or row_clock.causal_length == 0:
            return None
        own = {f.column_name: f for f in session.scalars(select(FieldClock).where(FieldClock.row_id == rid))}
    result = {}
    for (name, column), value in zip(info.columns.items(), values, strict=True):
        pin = own.get(name)
        if pin is None:
            state = ((row_clock.hlc, sites[row_clock.site_idx]), None)
        else:
            prev = None if pin.prev_hlc is None else (pin.prev_hlc, sites[pin.prev_site_idx])
            state = ((pin.hlc, sites[pin.site_idx]), prev)
        result[name] = (canonical_json(encode_value(column.column, value)), *state)
    return result


def _alive(db: Database, table: str, rid: uuid.UUID) -> bool | None:
    with db.read() as session:
        row = session.get(CLASSES[table], rid)
        row_clock = session.get(RowClock, rid)
        if row is None or row_clock is None or row_clock.causal_length == 0:
            return None
        return not row.deleted


def _last_hlc(db: Database) -> int:
    with db.read() as session:
        return session.get(SyncState, STATE_ID).last_hlc


def _version(db: Database) -> int:
    with db.read() as session:
        return session.get(SyncState, STATE_ID).db_version


def _local_write(world: World, d: int, table: str, rid: uuid.UUID, work) -> None:
    """Run ``work`` in one write transaction on device ``d`` and record the fields it re-clocked."""
    db = world.dbs[d]
    before = _fields(db, table, rid) or {}
    seen = _last_hlc(db)
    with db.write() as session:
        work(session)
    after = _fields(db, table, rid)
    assert after is not None
    for column, (value, stamp, _prev) in after.items():
        old = before.get(column)
        if old is not None and old[1] == stamp:
            continue
        # Stamped after everything this device had seen, whatever its wall clock says.
        assert stamp[0] > seen
        world.writes.append(Write(table, rid, column, value, stamp, None if old is None else old[1]))


def _pick_alive(world: World, d: int, table: str, pick: int) -> uuid.UUID | None:
    candidates = [rid for t, rid in world.rows if t == table and _alive(world.dbs[d], t, rid)]
    return candidates[pick % len(candidates)] if candidates else None


def _run(world: World, op: tuple) -> None:
    kind, d = op[0], op[1]
    world.current[0] = d
    world.wall[0] += op[-1]  # every op lets a few milliseconds pass (or none)
    db = world.dbs[d]
    if kind == "community":
        rid = uuid.uuid4()
        _local_write(world, d, "community", rid,
                     lambda s: s.add(Community(id=rid, name=TEXT[op[2] % len(TEXT)], languages=["ha"])))
        world.rows.append(("community", rid))
    elif kind == "mentee":
        rid = uuid.uuid4()
        community = _pick_alive(world, d, "community", op[3]) if op[3] % 3 else None
        _local_write(world, d, "mentee", rid, lambda s: s.add(Mentee(
            id=rid, name=TEXT[op[2] % len(TEXT)], community_id=community, email="private@example.org")))
        world.rows.append(("mentee", rid))
    elif kind == "edit":
        _, _, row_pick, field_pick, value_pick, _ = op
        alive = [(t, rid) for t, rid in world.rows if _alive(db, t, rid)]
        if not alive:
            return
        table, rid = alive[row_pick % len(alive)]
        column = FIELDS[table][field_pick % len(FIELDS[table])]
        if column == "community_id":
            value = _pick_alive(world, d, "community", value_pick) if value_pick % 4 else None
        else:
            value = VALUES[column][value_pick % len(VALUES[column])]
        _local_write(world, d, table, rid, lambda s: setattr(s.get(CLASSES[table], rid), column, value))
    elif kind in ("delete", "revive"):
        _, _, table_pick, row_pick, _ = op
        table = ("mentee", "community")[table_pick % 2]
        wanted_alive = kind == "delete"
        candidates = [rid for t, rid in world.rows if t == table and _alive(db, t, rid) is wanted_alive]
        if not candidates:
            return
        rid = candidates[row_pick % len(candidates)]
        _local_write(world, d, table, rid, lambda s: setattr(s.get(CLASSES[table], rid), "deleted", wanted_alive))
    elif kind == "send":  # export, and deliver at once (the batch stays around to arrive again later)
        _, _, to, own, from_zero, seed, duplicate, twice, _ = op
        since = world.base[d] if from_zero else world.exported[d]
        version = _version(db)
        with db.read() as session:
            local = session.get(SyncState, STATE_ID).local_site_idx
            records = changed_rows_since(session, since, only_site_idx=local if own else None)
        world.exported[d] = version
        if records:
            world.batches.append(records)
            _deliver(world, to, records, seed, duplicate, twice)
    elif kind == "deliver":  # an old batch, late, to anyone
        _, _, batch_pick, seed, duplicate, twice, _ = op
        if world.batches:
            _deliver(world, d, world.batches[batch_pick % len(world.batches)], seed, duplicate, twice)
    elif kind == "clock":  # this device's wall clock jumps, mostly backwards
        world.offsets[d] += op[2]
    for n, other in enumerate(world.dbs):
        now = _last_hlc(other)
        assert now >= world.last_hlc[n], "the local clock went backwards"
        world.last_hlc[n] = now


def _deliver(world: World, d: int, batch: list[dict], seed: int, duplicate: bool, twice: bool) -> None:
    db = world.dbs[d]
    records = list(batch)
    if duplicate:
        records += records[: len(records) // 2 + 1]
    random.Random(seed).shuffle(records)
    with db.write() as session:
        merge_records(session, records)
    assert _last_hlc(db) >= max(r["h"] for r in records)
    if twice:
        before = table_dump(db)
        with db.write() as session:
            result = merge_records(session, records)
        assert result.version is None
        assert table_dump(db) == before


device = st.integers(0, DEVICES - 1)
pick = st.integers(0, 50)
elapse = st.integers(0, 3)
STEPS = {
    "community": st.tuples(st.just("community"), device, pick, elapse),
    "mentee": st.tuples(st.just("mentee"), device, pick, pick, elapse),
    "edit": st.tuples(st.just("edit"), device, pick, st.one_of(st.integers(0, 1), pick), pick, elapse),
    "delete": st.tuples(st.just("delete"), device, pick, pick, elapse),
    "revive": st.tuples(st.just("revive"), device, pick, pick, elapse),
    "send": st.tuples(st.just("send"), device, device, st.booleans(), st.booleans(), st.integers(0, 2**16),
                      st.booleans(), st.booleans(), elapse),
    "deliver": st.tuples(st.just("deliver"), device, pick, st.integers(0, 2**16), st.booleans(), st.booleans(),
                         elapse),
    "clock": st.tuples(st.just("clock"), device, st.integers(-20_000, 2_000), elapse),
}
#: Every history starts from a few rows every device holds, so that edits meet.
PREAMBLE = [
    ("community", 0, 3, 1), ("mentee", 0, 1, 0, 1), ("mentee", 1, 2, 1, 1), ("mentee", 2, 3, 2, 1),
    *(("send", src, dst, False, True, 0, False, False, 1) for src in range(DEVICES) for dst in range(DEVICES)
      if src != dst),
    *(("send", src, dst, False, True, 0, False, False, 1) for src in range(DEVICES) for dst in range(DEVICES)
      if src != dst),
]
#: How often each step comes, relatively: edits and exchanges most.
WEIGHTS = {"edit": 6, "send": 4, "mentee": 2, "community": 1, "delete": 1, "revive": 1, "deliver": 1, "clock": 1}
operations = st.sampled_from([kind for kind, weight in WEIGHTS.items() for _ in range(weight)]).flatmap(STEPS.get)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=st.lists(operations, min_size=12, max_size=40))
def test_any_history_delivered_in_any_order_converges_without_loss(image, history):
    with tempfile.TemporaryDirectory() as folder:
        dbs = [_device(image, Path(folder), n) for n in range(DEVICES)]
        try:
            start = clock.wall_ms()
            world = World(dbs, wall=[start], offsets=[0] * DEVICES)
            world.last_hlc = [_last_hlc(db) for db in dbs]
            world.exported = [_version(db) for db in dbs]
            world.base = list(world.exported)
            fake_wall = lambda: world.wall[0] + world.offsets[world.current[0]]  # noqa: E731
            with mock.patch.object(clock, "wall_ms", fake_wall):
                for op in PREAMBLE:
                    _run(world, op)
                for op in history:
                    _run(world, op)
                _converge(world)
            _check(world)
        finally:
            for db in dbs:
                db.close()


def _converge(world: World) -> None:
    """Everyone receives everything: two rounds, so the conflicts logged in the first travel too."""
    for _round in range(2):
        snapshots = []
        for n, db in enumerate(world.dbs):
            with db.read() as session:
                snapshots.append(changed_rows_since(session, world.base[n]))
        for db in world.dbs:
            for records in snapshots:
                with db.write() as session:
                    merge_records(session, records)
    for n, db in enumerate(world.dbs):
        assert _last_hlc(db) >= world.last_hlc[n]


def _check(world: World) -> None:
    from coachdesk.sync.changes import canonical_dump

    dumps = []
    for db in world.dbs:
        with db.read() as session:
            dumps.append(canonical_dump(session))
    assert dumps[0] == dumps[1] == dumps[2]

    db = world.dbs[0]
    final = {}
    for table, rid in world.rows:
        fields = _fields(db, table, rid)
        assert fields is not None, "every row made somewhere is everywhere"
        for column, (value, _clock, _prev) in fields.items():
            final[(table, rid, column)] = value
    with db.read() as session:
        logged = {(c.table_name, c.row_id, c.column_name, c.value) for c in session.scalars(select(SyncConflict))}
    by_field: dict[tuple[str, uuid.UUID, str], list[Write]] = {}
    for write in world.writes:
        by_field.setdefault((write.table, write.row, write.column), []).append(write)
    for key, writes in by_field.items():
        replaced = {w.prev for w in writes if w.prev is not None}
        overwritten = {w.value for w in writes if w.clock in replaced
                       or any(o.clock[1] == w.clock[1] and o.clock[0] > w.clock[0] for o in writes)}
        for write in writes:
            assert (write.value == final[key] or write.value in overwritten
                    or (*key, write.value) in logged), f"{write} was lost"
