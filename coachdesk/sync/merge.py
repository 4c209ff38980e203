"""Merge change records into a database, field by field, without losing anything.

The state merged is, per row, a causal length (odd: alive, even: deleted) and a row clock,
and per field its value, its clock (hlc, site id) and the clock of the value it replaced.
Merging is a join, so imports commute, associate and are idempotent:

- Per row, the higher causal length wins: its liveness, its row clock and the field values
  of that life replace those of an older life. Equal causal lengths keep the later row clock.
  A row's clock comes from its ``__row__`` record (records without one take the smallest
  field clock of the row); the ``deleted`` column follows the causal length.
- Per field, within one life, the higher (hlc, site id) wins; an equal clock is the same
  write; if an equal clock ever came with another value, the larger canonical JSON wins.

Nothing is silently lost: whenever a value loses to one whose writer had not seen it, the
loser goes to the conflict log (``sync_conflict``), a grow-only set of ordinary synced rows
that travels like any other. A loser is taken as seen, and so not logged, when

- the winner has the same value (nothing is lost), or
- the winner was written later by the same site (a site always sees its own writes), or
- the winner's ``prev`` is exactly the loser's clock (its writer replaced that value), or
- the loser is the row-level value of an older life (``prev`` None: the value the row was
  made or revived with), which whoever deleted that life held.

Otherwise the two writes are taken as concurrent. With one ``prev`` per field this errs on
the side of logging: when a device edits a field twice between two syncs, its second edit
names the first as ``prev``, so a receiver still holding the value from before both edits
logs that value although the device had seen it.

A conflict row's id is named from the field and the losing clock, so replicas that log the
same loss hold the same row; its row clock is (the winner's hlc, the site that logged it),
so a device sends the conflicts it logged with its own writes, and where two replicas logged
the same loss against different winners the later winner's row wins whole.

A row may name a parent (a foreign key) whose records have not arrived yet. The merge then
makes a placeholder: a tombstone with causal length 0, columns at their defaults, never
sent and left out of :func:`coachdesk.sync.changes.canonical_dump`; the parent's records,
whenever they come, replace it whole (any causal length beats 0).

An erasure stays one (:mod:`coachdesk.sync.erasure`): a merge that touches an erased mentee,
or a conflict about one, ends by erasing again whatever of the person's data the records brought
back or the conflict log kept, as ordinary local edits. Only then does a merge write through
the ORM's change capture, and only where an erasure was undone.

The merge writes with Core statements on the session's connection, never through the ORM's
change capture: a merged field keeps the clock it was written with elsewhere. One merge that
changes anything takes one new local database version, so the hub can pass the changes on;
one that changes nothing leaves the database as it was. The local clock moves to the
latest hlc seen (without a tick, so that a repeated merge stays a no-op); the next local
write ticks past it.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, UniqueConstraint, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coachdesk.model import FieldClock, RowClock, SyncConflict, SyncSite, SyncState, named_id
from coachdesk.store.changes import STATE_ID, ChangeSummary
from coachdesk.sync.bulk import _bulk_insert, _bulk_update, _insert_dicts
from coachdesk.sync.changes import TableInfo, chunks, site_ids, table_infos
from coachdesk.sync.erasure import MENTEE_TABLE, keep_erased
from coachdesk.sync.incoming import (
    Clock,
    MergeRefused,
    _Bucket,
    _Field,
    _Row,
    _same_value,
    _validate,
)

__all__ = ["MergeRefused", "MergeResult", "merge_records"]

CONFLICT_TABLE = SyncConflict.__tablename__


@dataclass
class MergeResult:
    rows_created: int = 0
    #: Fields whose value or clock the merge wrote.
    fields_applied: int = 0
    #: Field records that did not become their field's state (older, the same, or private).
    fields_ignored: int = 0
    conflicts_logged: int = 0
    deleted: int = 0
    revived: int = 0
    #: Rows made to stand in for a parent whose records have not arrived yet.
    placeholders: int = 0
    #: The local database version the merge took; None if it changed nothing.
    version: int | None = None
    #: Rows written again to keep erased mentees erased (:mod:`coachdesk.sync.erasure`).
    erasures_kept: int = 0
    changes: ChangeSummary = field(default_factory=ChangeSummary)

    @property
    def tables(self) -> set[str]:
        return self.changes.tables


# --- the local state ---------------------------------------------------------------------


def _load(connection: Connection, info: TableInfo, ids: list[uuid.UUID], site_of: dict[int, bytes],
          local_site: bytes) -> dict[uuid.UUID, _Row]:
    table = info.table
    row_clock, field_clock = RowClock.__table__, FieldClock.__table__
    names = list(info.columns)
    codecs = list(info.columns.values())
    found: dict[uuid.UUID, _Row] = {}
    for batch in chunks(ids):
        clocks = {r[0]: r[1:] for r in connection.execute(
            select(row_clock.c.row_id, row_clock.c.hlc, row_clock.c.site_idx, row_clock.c.causal_length,
                   row_clock.c.version).where(row_clock.c.row_id.in_(batch)))}
        pins: dict[uuid.UUID, dict[str, tuple[int, bytes, Clock | None, int]]] = {}
        for rid, column, hlc, site_idx, prev_hlc, prev_site_idx, version in connection.execute(
                select(field_clock.c.row_id, field_clock.c.column_name, field_clock.c.hlc, field_clock.c.site_idx,
                       field_clock.c.prev_hlc, field_clock.c.prev_site_idx, field_clock.c.version)
                .where(field_clock.c.row_id.in_(batch))):
            prev = None if prev_hlc is None else (prev_hlc, site_of.get(prev_site_idx, b""))
            pins.setdefault(rid, {})[column] = (hlc, site_of[site_idx], prev, version)
        for row_values in connection.execute(
                select(table.c.id, table.c.deleted, *(table.c[n] for n in names)).where(table.c.id.in_(batch))):
            rid = row_values[0]
            row = _Row(info, rid)
            row.exists = True
            row.deleted = bool(row_values[1])
            clock = clocks.get(rid)
            if clock is None:  # a row older than its clocks
                row.cl, row.hlc, row.site, row.clock_version = (2 if row.deleted else 1), 0, local_site, 0
            else:
                row.has_clock = True
                row.hlc, row.site, row.cl, row.clock_version = clock[0], site_of[clock[1]], clock[2], clock[3]
            row.old_cl, row.old_hlc, row.old_site = row.cl, row.hlc, row.site
            row.pins = pins.get(rid, {})
            for name, codec, value in zip(names, codecs, row_values[2:], strict=True):
                pin = row.pins.get(name)
                if pin is None:
                    current = _Field(row.hlc, row.site, None, value, codec.encode)
                else:
                    current = _Field(pin[0], pin[1], pin[2], value, codec.encode)
                row.fields[name] = current
            row.loaded = dict(row.fields)
            found[rid] = row
    return found


# --- merging -----------------------------------------------------------------------------


class _Merger:
    def __init__(self, local_site: bytes) -> None:
        self.local_site = local_site
        #: conflict id → the conflict row's values (the latest winner seen in this merge).
        self.conflicts: dict[uuid.UUID, dict[str, Any]] = {}

    def log_if_lost(self, row: _Row, column: str, loser: _Field, winner: _Field, *, older_life: bool) -> None:
        """Keep ``loser`` in the conflict log unless its loss to ``winner`` was seen (module doc)."""
        if row.info.name == CONFLICT_TABLE:
            return
        if winner.site == loser.site and winner.hlc > loser.hlc:
            return
        if winner.prev is not None and winner.prev == (loser.hlc, loser.site):
            return
        if older_life and loser.prev is None:
            return
        if _same_value(loser, winner):
            return
        site_hex = loser.site.hex()
        conflict_id = named_id("conflict", row.info.name, row.rid, column, loser.hlc, site_hex)
        known = self.conflicts.get(conflict_id)
        if known is not None and (known["winner_hlc"], bytes.fromhex(known["winner_site"])) >= winner.clock:
            return
        self.conflicts[conflict_id] = {
            "id": conflict_id, "deleted": False, "table_name": row.info.name, "row_id": row.rid,
            "column_name": column, "value": loser.canonical, "value_hlc": loser.hlc, "value_site": site_hex,
            "winner_hlc": winner.hlc, "winner_site": winner.site.hex(), "resolved": False,
        }

    def join(self, row: _Row, column: str, current: _Field | None, incoming: _Field) -> _Field:
        """The field within one life: the later clock wins."""
        if current is None:
            return incoming
        if incoming.hlc == current.hlc and incoming.site == current.site:
            if not _same_value(incoming, current) and incoming.canonical > current.canonical:
                return incoming  # cannot happen (one write, one value), but must not depend on order
            return current
        if (incoming.hlc, incoming.site) > (current.hlc, current.site):
            self.log_if_lost(row, column, current, incoming, older_life=False)
            return incoming
        self.log_if_lost(row, column, incoming, current, older_life=False)
        return current

    def fold(self, row: _Row, column: str, incoming: list[_Field]) -> _Field:
        if len(incoming) > 1:
            incoming.sort(key=lambda f: (f.hlc, f.site))
        result = incoming[0]
        for candidate in incoming[1:]:
            result = self.join(row, column, result, candidate)
        return result

    def merge_row(self, row: _Row, buckets: dict[int, _Bucket]) -> None:
        for cl in sorted(buckets):
            bucket = buckets[cl]
            if cl > row.cl:  # a newer life (or the first one we see): its fields replace ours
                placeholder = row.cl == 0
                for column, incoming in bucket.fields.items():
                    new = self.fold(row, column, incoming)
                    old = row.fields.get(column)
                    if old is not None and not placeholder:
                        self.log_if_lost(row, column, old, new, older_life=True)
                    row.fields[column] = new
                row.cl = cl
                clock = bucket.row_clock or min(((f.hlc, f.site) for fs in bucket.fields.values() for f in fs),
                                                default=(0, self.local_site))
                row.hlc, row.site = clock
            elif cl == row.cl:
                if bucket.row_clock is not None and bucket.row_clock > (row.hlc, row.site):
                    row.hlc, row.site = bucket.row_clock
                for column, incoming in bucket.fields.items():
                    current = row.fields.get(column)
                    for candidate in sorted(incoming, key=lambda f: (f.hlc, f.site)):
                        current = self.join(row, column, current, candidate)
                    if current is not None:
                        row.fields[column] = current
            else:  # values of an older life: they lose, but an edit nobody here saw is kept
                for column, incoming in bucket.fields.items():
                    current = row.fields.get(column)
                    if current is None:
                        continue
                    for candidate in incoming:
                        if candidate.hlc != current.hlc or candidate.site != current.site:
                            self.log_if_lost(row, column, candidate, current, older_life=True)


# --- placeholders ------------------------------------------------------------------------


def _zero(info: TableInfo, name: str, rid: uuid.UUID) -> Any:
    """A value for a placeholder's column: its default, else an empty value of its type."""
    column = info.table.c[name]
    if column.nullable:
        return None
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        return default.arg
    if default is not None and getattr(default, "is_callable", False):
        return default.arg(None)
    python_type: Any
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = str
    enum_class = getattr(column.type, "enum_class", None)
    if enum_class is not None:
        return next(iter(enum_class))
    if python_type is uuid.UUID:
        return rid
    if python_type is bool:
        return False
    if python_type is int:
        return 0
    if python_type is datetime:
        return datetime(1970, 1, 1)
    if python_type is date:
        return date(1970, 1, 1)
    if python_type is str:
        unique = column.unique or any(
            isinstance(c, UniqueConstraint) and list(c.columns) == [column] for c in info.table.constraints)
        return rid.hex if unique else ""
    return python_type()


# --- writing -----------------------------------------------------------------------------


class _Writes:
    """Everything one merge writes, as rows of plain values, for a few executemany calls."""

    #: Column order of the clock rows below.
    ROW_CLOCK = ("row_id", "table_name", "hlc", "site_idx", "causal_length", "version")
    FIELD_CLOCK = ("row_id", "column_name", "hlc", "site_idx", "version", "prev_hlc", "prev_site_idx")

    def __init__(self, index_of: dict[bytes, int]) -> None:
        self.index_of = index_of
        self.inserts: dict[str, list[dict[str, Any]]] = {}
        #: table → changed columns → rows of (values of those columns..., id)
        self.updates: dict[str, dict[tuple[str, ...], list[tuple[Any, ...]]]] = {}
        self.row_clock_inserts: list[tuple[Any, ...]] = []
        self.row_clock_updates: list[tuple[Any, ...]] = []
        self.field_clock_inserts: list[tuple[Any, ...]] = []
        self.field_clock_updates: list[tuple[Any, ...]] = []

    def __bool__(self) -> bool:
        return bool(self.inserts or self.updates or self.row_clock_inserts or self.row_clock_updates
                    or self.field_clock_inserts or self.field_clock_updates)

    def row_clock(self, row: _Row, version: int, *, new: bool) -> None:
        values = (row.rid, row.info.name, row.hlc, self.index_of[row.site], row.cl, version)
        (self.row_clock_inserts if new else self.row_clock_updates).append(values)

    def field_clock(self, rid: uuid.UUID, column: str, current: _Field, version: int, *, new: bool) -> None:
        prev = current.prev
        values = (rid, column, current.hlc, self.index_of[current.site], version,
                  None if prev is None else prev[0], None if prev is None else self.index_of[prev[1]])
        (self.field_clock_inserts if new else self.field_clock_updates).append(values)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector: a merge makes an object per field and no cycles, and
    collections triggered by those allocations would rescan every record, again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def merge_records(session: Session, records: Sequence[Mapping[str, Any]]) -> MergeResult:
    """Merge change records into the database, inside the caller's transaction.

    Every record is checked first: an unknown table or column, or a value that does not fit
    its column, raises :class:`coachdesk.errors.InputError` before anything is written
    (a merge that fails later, on a unique value already taken, raises :class:`MergeRefused`,
    also an InputError, and the caller must roll back).
    """
    with _no_cyclic_gc():
        return _merge(session, records)


def _merge(session: Session, records: Sequence[Mapping[str, Any]]) -> MergeResult:
    infos = table_infos()
    rows_in, field_records, max_hlc, sites_named = _validate(records, infos)
    session.flush()
    connection = session.connection()
    state_table = SyncState.__table__
    db_version, last_hlc, local_idx = connection.execute(
        select(state_table.c.db_version, state_table.c.last_hlc, state_table.c.local_site_idx)
        .where(state_table.c.id == STATE_ID)).one()
    version = db_version + 1
    site_of = site_ids(connection)
    local_site = site_of[local_idx]
    result = MergeResult()

    # What this database holds of the rows the records name: one query per table and chunk.
    wanted: dict[str, list[uuid.UUID]] = {}
    for table_name, rid in rows_in:
        wanted.setdefault(table_name, []).append(rid)
    rows: dict[tuple[str, uuid.UUID], _Row] = {}
    for table_name, ids in wanted.items():
        info = infos[table_name]
        for rid, row in _load(connection, info, ids, site_of, local_site).items():
            rows[(table_name, rid)] = row

    merger = _Merger(local_site)
    order = sorted(rows_in, key=lambda key: (infos[key[0]].position, key[1]))
    for key in order:
        row = rows.get(key)
        if row is None:
            row = rows[key] = _Row(infos[key[0]], key[1])
        merger.merge_row(row, rows_in[key])

    # Placeholders for parents that are named but not here yet.
    present: dict[str, set[uuid.UUID]] = {}
    for table_name, rid in rows:
        present.setdefault(table_name, set()).add(rid)
    placeholders: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    _add_placeholders(connection, infos, [rows[key] for key in order], present, placeholders)

    # The conflict log: rows already here (or arriving in these records) stay as they are.
    if merger.conflicts:
        conflict_table = SyncConflict.__table__
        known = {rid for (t, rid) in rows if t == CONFLICT_TABLE}
        fresh = [cid for cid in merger.conflicts if cid not in known]
        for batch in chunks(fresh):
            known.update(connection.execute(select(conflict_table.c.id).where(conflict_table.c.id.in_(batch))).scalars())
        for cid in list(merger.conflicts):
            if cid in known:
                del merger.conflicts[cid]

    # Sites first seen here get a local index (the only write before the merge proper).
    site_rows = [{"site_id": s, "name": "", "is_local": False} for s in sorted(sites_named - set(site_of.values()))]
    if site_rows:
        connection.execute(insert(SyncSite.__table__), site_rows)
        site_of = site_ids(connection)
    writes = _Writes({site: idx for idx, site in site_of.items()})
    for key in order:
        _plan_row(rows[key], writes, version, result)

    changed = bool(writes or placeholders or merger.conflicts)
    if changed:
        try:
            _write(connection, infos, writes, placeholders, merger.conflicts, local_idx, version)
        except IntegrityError as error:
            raise MergeRefused(
                "The records clash with rows this database holds (a unique value such as a key is taken by "
                f"another row); nothing should be kept of this merge. ({error.orig})") from None
        result.version = version
        result.placeholders = len(placeholders)
        result.conflicts_logged = len(merger.conflicts)
        if merger.conflicts:
            result.changes.add("created", CONFLICT_TABLE, len(merger.conflicts))
    new_hlc = max(last_hlc, max_hlc)
    values: dict[str, Any] = {}
    if changed:
        values["db_version"] = version
    if new_hlc != last_hlc:
        values["last_hlc"] = new_hlc
    if values:
        connection.execute(update(state_table).where(state_table.c.id == STATE_ID).values(**values))
    result.fields_ignored = max(field_records - result.fields_applied, 0)
    summary: ChangeSummary = session.info.setdefault("changes", ChangeSummary())
    for kind in ("created", "updated", "deleted"):
        for table_name, count in getattr(result.changes, kind).items():
            summary.add(kind, table_name, count)
    # Later ORM writes in this transaction take a new version and a clock after what arrived.
    session.info.pop("write_stamp", None)
    session.expire_all()
    result.erasures_kept = keep_erased(session, _erased_or_in_conflict(rows))
    return result


def _erased_or_in_conflict(rows: Mapping[tuple[str, uuid.UUID], _Row]) -> set[uuid.UUID]:
    """The mentees among ``rows`` that are erased, and the mentees that conflict rows among them are about."""
    found = set()
    for (table_name, rid), row in rows.items():
        if table_name == MENTEE_TABLE:
            erased = row.fields.get("erased")
            if erased is not None and erased.value:
                found.add(rid)
        elif table_name == CONFLICT_TABLE:
            about, row_id = row.fields.get("table_name"), row.fields.get("row_id")
            if about is not None and about.value == MENTEE_TABLE and row_id is not None:
                found.add(row_id.value)
    return found


def _add_placeholders(connection: Connection, infos: dict[str, TableInfo], rows: list[_Row],
                      present: dict[str, set[uuid.UUID]],
                      placeholders: dict[tuple[str, uuid.UUID], dict[str, Any]]) -> None:
    """Rows (causal length 0, deleted) standing in for parents named before their records came."""
    named: dict[str, set[uuid.UUID]] = {}
    for row in rows:
        if row.cl == 0:
            continue
        for name, column in row.info.columns.items():
            if column.parent is None:
                continue
            value_field = row.fields.get(name)
            if value_field is None or value_field.value is None:
                continue
            if row.exists and row.loaded.get(name) is value_field:
                continue  # unchanged: its parent was there before
            parent_id = value_field.value
            if parent_id not in present.get(column.parent, ()):
                named.setdefault(column.parent, set()).add(parent_id)
    while named:
        next_named: dict[str, set[uuid.UUID]] = {}
        for parent, ids in named.items():
            info = infos.get(parent)
            if info is None:
                continue
            missing = set(ids) - {key[1] for key in placeholders if key[0] == parent}
            wanted = sorted(missing)
            for batch in chunks(wanted):
                missing -= set(connection.execute(select(info.table.c.id).where(info.table.c.id.in_(batch))).scalars())
            for rid in sorted(missing):
                values: dict[str, Any] = {"id": rid, "deleted": True}
                for name in info.table.c.keys():
                    if name in ("id", "deleted"):
                        continue
                    column = info.columns.get(name)
                    if column is not None and column.parent is not None and not column.nullable:
                        grand_id = named_id("placeholder", column.parent, rid)
                        values[name] = grand_id
                        if grand_id not in present.get(column.parent, ()):
                            next_named.setdefault(column.parent, set()).add(grand_id)
                    else:
                        values[name] = _zero(info, name, rid)
                placeholders[(parent, rid)] = values
                present.setdefault(parent, set()).add(rid)
        named = next_named


def _plan_row(row: _Row, writes: _Writes, version: int, result: MergeResult) -> None:
    """What to write for one merged row: its values, its row clock and the field clocks that
    differ from what the row clock stands for."""
    info = row.info
    table_name = info.name
    deleted = row.cl % 2 == 0
    row_hlc, row_site = row.hlc, row.site
    if not row.exists:
        fields = row.fields
        if len(fields) < len(info.columns):
            missing = [name for name, column in info.columns.items()
                       if name not in fields and not column.nullable and info.table.c[name].default is None]
            if missing:
                raise MergeRefused(f"The records for new {table_name} row {row.rid.hex} lack {', '.join(missing)}, "
                                   "which a new row needs.")
        values: dict[str, Any] = {"id": row.rid, "deleted": deleted}
        for name, current in fields.items():
            values[name] = current.value
            if current.prev is not None or current.hlc != row_hlc or current.site != row_site:
                writes.field_clock(row.rid, name, current, version, new=True)
        writes.inserts.setdefault(table_name, []).append(values)
        writes.row_clock(row, version, new=True)
        result.rows_created += 1
        result.fields_applied += len(fields)
        if not deleted:
            result.changes.add("created", table_name)
        return

    was_deleted = row.deleted
    changed_values: dict[str, Any] = {}
    for name, current in row.fields.items():
        old = row.loaded.get(name)
        if current is old:
            continue
        if old is None or not _same_value(current, old):
            changed_values[name] = current.value
    value_changed = bool(changed_values)
    if deleted != was_deleted:
        changed_values["deleted"] = deleted
    if changed_values:
        key = tuple(changed_values)
        writes.updates.setdefault(table_name, {}).setdefault(key, []).append((*changed_values.values(), row.rid))

    clock_changed = not row.has_clock or row.cl != row.old_cl or (row_hlc, row_site) != (row.old_hlc, row.old_site)
    if clock_changed:
        writes.row_clock(row, version, new=not row.has_clock)

    for name, current in row.fields.items():
        old = row.loaded.get(name)
        field_changed = old is None or (current is not old and (
            (current.hlc, current.site, current.prev) != (old.hlc, old.site, old.prev)
            or not _same_value(current, old)))
        pin = row.pins.get(name)
        effective = (pin[0], pin[1], pin[2]) if pin is not None else (row_hlc, row_site, None)
        if field_changed:
            result.fields_applied += 1
        if (current.hlc, current.site, current.prev) == effective and not (field_changed and not clock_changed):
            continue
        if field_changed:
            field_version = version
        else:  # only pinned, because the row clock moved: the field itself did not change
            field_version = pin[3] if pin is not None else row.clock_version
        writes.field_clock(row.rid, name, current, field_version, new=pin is None)

    if row.old_cl == 0:  # a placeholder now filled by its real records
        if row.cl > 0:
            result.rows_created += 1
            if not deleted:
                result.changes.add("created", table_name)
        return
    if was_deleted and not deleted:
        result.revived += 1
        result.changes.add("created", table_name)
    elif deleted and not was_deleted:
        result.deleted += 1
        result.changes.add("deleted", table_name)
    if value_changed:
        result.changes.add("updated", table_name)


def _write(connection: Connection, infos: dict[str, TableInfo], writes: _Writes,
           placeholders: dict[tuple[str, uuid.UUID], dict[str, Any]], conflicts: dict[uuid.UUID, dict[str, Any]],
           local_idx: int, version: int) -> None:
    row_clock, field_clock = RowClock.__table__, FieldClock.__table__
    by_table: dict[str, list[dict[str, Any]]] = {}
    for (table_name, _rid), values in placeholders.items():
        by_table.setdefault(table_name, []).append(values)
    conflict_rows = list(conflicts.values())
    if conflict_rows:
        by_table.setdefault(CONFLICT_TABLE, []).extend(conflict_rows)
    for info in infos.values():  # parents before children, so foreign keys hold at every statement
        for rows in (by_table.get(info.name), writes.inserts.get(info.name)):
            if rows:
                _insert_dicts(connection, info.table, rows)
        for names, rows in writes.updates.get(info.name, {}).items():
            _bulk_update(connection, info.table, names, ("id",), rows)

    clock_inserts = writes.row_clock_inserts
    clock_inserts += [(rid, table_name, 0, local_idx, 0, version) for (table_name, rid) in placeholders]
    clock_inserts += [(cid, CONFLICT_TABLE, c["winner_hlc"], local_idx, 1, version) for cid, c in conflicts.items()]
    _bulk_insert(connection, row_clock, _Writes.ROW_CLOCK, clock_inserts)
    _bulk_update(connection, row_clock, _Writes.ROW_CLOCK[1:], ("row_id",),
                 [(*values[1:], values[0]) for values in writes.row_clock_updates])
    _bulk_insert(connection, field_clock, _Writes.FIELD_CLOCK, writes.field_clock_inserts)
    _bulk_update(connection, field_clock, _Writes.FIELD_CLOCK[2:], ("row_id", "column_name"),
                 [(*values[2:], values[0], values[1]) for values in writes.field_clock_updates])


