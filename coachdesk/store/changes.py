"""The one place every write to a synced table passes through: it stamps clocks per row and field.

Two doors lead here. ORM sessions made by :class:`coachdesk.store.database.Database` call
:func:`capture_flush` before every flush; bulk loaders call :func:`insert_rows`. Both give
each write transaction one database version and one hybrid-logical-clock value, and record
which rows were created and which fields were written since.

Synced rows are never removed with ``DELETE``: set ``deleted`` (a tombstone) so the
deletion can travel to other devices.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, inspect, select, update
from sqlalchemy.orm import Session

from coachdesk.model import FieldClock, RowClock, Synced, SyncState, uuid7
from coachdesk.store import clock

STATE_ID = 1
#: SQLite allows 32 766 bound parameters per statement; stay well below.
_CHUNK_ROWS = 5000


class HardDeleteRefused(RuntimeError):
    """A synced row was deleted with DELETE; it must be tombstoned instead."""


@dataclass
class WriteStamp:
    """The version and clock that one write transaction gives everything it writes."""

    version: int
    hlc: int
    site_idx: int


@dataclass
class ChangeSummary:
    """What one write transaction changed, by table: for views deciding whether to refresh."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, table: str, count: int = 1) -> None:
        bucket = getattr(self, kind)
        bucket[table] = bucket.get(table, 0) + count

    @property
    def tables(self) -> set[str]:
        return set(self.created) | set(self.updated) | set(self.deleted)

    def __bool__(self) -> bool:
        return bool(self.tables)


def next_stamp(connection: Connection) -> WriteStamp:
    """Take the next database version and clock value, inside the caller's transaction."""
    state = SyncState.__table__
    row = connection.execute(
        update(state)
        .where(state.c.id == STATE_ID)
        .values(db_version=state.c.db_version + 1)
        .returning(state.c.db_version, state.c.last_hlc, state.c.local_site_idx)
    ).one()
    hlc = clock.tick(row.last_hlc)
    connection.execute(update(state).where(state.c.id == STATE_ID).values(last_hlc=hlc))
    return WriteStamp(version=row.db_version, hlc=hlc, site_idx=row.local_site_idx)


def _upsert(connection: Connection, table: Any, rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> None:
    if not rows:
        return
    if connection.dialect.name == "sqlite":
        from sqlalchemy.dialects import sqlite as module
    else:  # the hub's PostgreSQL; imported only there
        from sqlalchemy.dialects import postgresql as module  # type: ignore[no-redef]
    for start in range(0, len(rows), _CHUNK_ROWS):
        chunk = rows[start : start + _CHUNK_ROWS]
        statement = module.insert(table)
        updates = {c: statement.excluded[c] for c in chunk[0] if c not in keys}
        connection.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=updates), list(chunk))


def record_created(connection: Connection, stamp: WriteStamp, table: str, row_ids: Iterable[uuid.UUID],
                   *, known_new: bool = False) -> None:
    rows = [
        {"row_id": rid, "table_name": table, "hlc": stamp.hlc, "site_idx": stamp.site_idx,
         "causal_length": 1, "version": stamp.version}
        for rid in row_ids
    ]
    if known_new:  # the rows were just inserted, so no clock can exist yet
        for start in range(0, len(rows), _CHUNK_ROWS):
            connection.execute(insert(RowClock.__table__), rows[start : start + _CHUNK_ROWS])
    else:
        _upsert(connection, RowClock.__table__, rows, ["row_id"])


def effective_clocks(connection: Connection, fields: Iterable[tuple[uuid.UUID, str]]) -> dict[
        tuple[uuid.UUID, str], tuple[int, int] | None]:
    """The current clock (hlc, site index) of each field: its own, else its row's; None if neither."""
    wanted = list(dict.fromkeys(fields))
    if not wanted:
        return {}
    row_ids = list({rid for rid, _column in wanted})
    rows: dict[uuid.UUID, tuple[int, int]] = {}
    own: dict[tuple[uuid.UUID, str], tuple[int, int]] = {}
    row_table, field_table = RowClock.__table__, FieldClock.__table__
    for start in range(0, len(row_ids), 500):
        chunk = row_ids[start : start + 500]
        for rid, hlc, site in connection.execute(
            select(row_table.c.row_id, row_table.c.hlc, row_table.c.site_idx).where(row_table.c.row_id.in_(chunk))
        ):
            rows[rid] = (hlc, site)
        for rid, column, hlc, site in connection.execute(
            select(field_table.c.row_id, field_table.c.column_name, field_table.c.hlc, field_table.c.site_idx)
            .where(field_table.c.row_id.in_(chunk))
        ):
            own[(rid, column)] = (hlc, site)
    return {key: own.get(key) or rows.get(key[0]) for key in wanted}


def _earlier_prev(connection: Connection, keys: list[tuple[uuid.UUID, str]]) -> dict[
        tuple[uuid.UUID, str], tuple[int, int] | None]:
    table = FieldClock.__table__
    found: dict[tuple[uuid.UUID, str], tuple[int, int] | None] = {}
    for rid, column in keys:
        row = connection.execute(select(table.c.prev_hlc, table.c.prev_site_idx).where(
            table.c.row_id == rid, table.c.column_name == column)).first()
        found[(rid, column)] = (row[0], row[1]) if row is not None and row[0] is not None else None
    return found


def record_fields(connection: Connection, stamp: WriteStamp, changes: Iterable[tuple[uuid.UUID, str]]) -> None:
    changes = list(changes)
    previous = effective_clocks(connection, changes)
    earlier = _earlier_prev(connection, [key for key, clock in previous.items()
                                         if clock == (stamp.hlc, stamp.site_idx)])
    rows = []
    for rid, column in changes:
        prev = previous.get((rid, column))
        if prev == (stamp.hlc, stamp.site_idx):  # written twice in one transaction: keep what it replaced
            prev = earlier.get((rid, column))
        rows.append({"row_id": rid, "column_name": column, "hlc": stamp.hlc, "site_idx": stamp.site_idx,
                     "version": stamp.version, "prev_hlc": prev[0] if prev else None,
                     "prev_site_idx": prev[1] if prev else None})
    _upsert(connection, FieldClock.__table__, rows, ["row_id", "column_name"])


def record_liveness(connection: Connection, stamp: WriteStamp, row_id: uuid.UUID, alive: bool) -> None:
    """Move a row's causal length to the next odd (alive) or even (deleted) number."""
    clocks = RowClock.__table__
    current = connection.execute(select(clocks.c.causal_length).where(clocks.c.row_id == row_id)).scalar()
    wanted_parity = 1 if alive else 0
    if current is None:  # a row that predates its clock: give it one now
        connection.execute(
            insert(clocks).values(row_id=row_id, table_name="", hlc=stamp.hlc, site_idx=stamp.site_idx,
                                  causal_length=1 if alive else 2, version=stamp.version)
        )
        return
    if current % 2 == wanted_parity:
        return
    connection.execute(
        update(clocks)
        .where(clocks.c.row_id == row_id)
        .values(causal_length=current + 1, hlc=stamp.hlc, site_idx=stamp.site_idx, version=stamp.version)
    )


def insert_rows(session: Session, cls: type[Synced], rows: list[dict[str, Any]]) -> list[uuid.UUID]:
    """Insert many new rows of ``cls`` at once (demo data, imports), with their clocks.

    Rows without an ``id`` get a fresh UUIDv7. Returns the ids in the order given.
    """
    if not rows:
        return []
    for row in rows:
        if row.get("id") is None:
            row["id"] = uuid7()
        row.setdefault("deleted", False)
    connection = session.connection()
    stamp = session.info.get("write_stamp") or next_stamp(connection)
    session.info["write_stamp"] = stamp
    table = cls.__table__
    for start in range(0, len(rows), _CHUNK_ROWS):
        connection.execute(insert(table), rows[start : start + _CHUNK_ROWS])
    ids = [row["id"] for row in rows]
    record_created(connection, stamp, table.name, ids, known_new=True)
    summary: ChangeSummary = session.info.setdefault("changes", ChangeSummary())
    summary.add("created", table.name, len(rows))
    return ids


def capture_flush(session: Session, _flush_context: object, _instances: object) -> None:
    """``before_flush`` hook: stamp what this flush creates, changes and tombstones."""
    created: dict[str, list[uuid.UUID]] = {}
    fields: list[tuple[uuid.UUID, str]] = []
    liveness: list[tuple[uuid.UUID, bool]] = []
    summary: ChangeSummary = session.info.setdefault("changes", ChangeSummary())

    for obj in session.deleted:
        if isinstance(obj, Synced):
            raise HardDeleteRefused(
                f"{type(obj).__name__} rows are never deleted outright; set deleted=True so the deletion can sync."
            )
    for obj in session.new:
        if isinstance(obj, Synced):
            if obj.id is None:
                obj.id = uuid7()
            if obj.deleted is None:
                obj.deleted = False
            created.setdefault(obj.__tablename__, []).append(obj.id)
    for obj in session.dirty:
        if not isinstance(obj, Synced) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        changed = [
            attr.key
            for attr in state.mapper.column_attrs
            if attr.key != "id" and state.attrs[attr.key].history.has_changes()
        ]
        if not changed:
            continue
        table = obj.__tablename__
        if "deleted" in changed:
            liveness.append((obj.id, not obj.deleted))
            summary.add("deleted" if obj.deleted else "created", table)
            changed.remove("deleted")
        if changed:
            # Attribute keys equal column names throughout the model.
            fields.extend((obj.id, column) for column in changed)
            summary.add("updated", table)

    if not (created or fields or liveness):
        return
    connection = session.connection()
    stamp = session.info.get("write_stamp") or next_stamp(connection)
    session.info["write_stamp"] = stamp
    for table, ids in created.items():
        record_created(connection, stamp, table, ids)
        summary.add("created", table, len(ids))
    record_fields(connection, stamp, fields)
    for row_id, alive in liveness:
        record_liveness(connection, stamp, row_id, alive)


def end_of_transaction(session: Session, transaction: Any) -> None:
    """Forget the stamp when a transaction ends, so the next one takes a new version."""
    if transaction.parent is None:
        session.info.pop("write_stamp", None)


def take_summary(session: Session) -> ChangeSummary:
    """What the session has written since the last call (or since it began)."""
    return session.info.pop("changes", None) or ChangeSummary()
