"""Change records: what a database sends so that another can merge it, field by field.

One record per (row, column), a plain JSON-able dict::

    {"t": table, "id": row uuid (32 hex), "c": column, "v": value (JSON),
     "h": hlc, "s": site id (32 hex), "p": [prev_hlc, prev_site_hex] or None, "cl": causal length}

Every row that changed is sent whole: all its non-private columns, each with its own
effective clock (the field's clock if it was written since the row was made, else the
row's), so a receiver can always make a row it has never seen, in whatever order bundles
arrive. Besides the columns, each row carries one record with ``"c": "__row__"``
(``"v"`` is None): the row's own clock, the clock of its creation or of its last delete or
revive, with ``"cl"`` saying whether it is alive (odd) or deleted (even). The ``deleted``
column is never sent: it follows the causal length. Private columns
(:func:`coachdesk.model.private_columns`) never leave the device.

Placeholder rows (causal length 0, made by a merge for a parent whose records have not
arrived yet) are never sent.
"""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Enum,
    Integer,
    SmallInteger,
    String,
    Table,
    select,
)
from sqlalchemy.orm import Session

from coachdesk.model import FieldClock, RowClock, RowId, Synced, SyncSite, SyncState, private_columns, synced_classes
from coachdesk.store.changes import STATE_ID

#: The pseudo-column of the record that carries a row's own clock and causal length.
ROW = "__row__"
#: Rows are read and looked up this many ids at a time (SQLite's bound-parameter limit).
CHUNK = 500

class ValueRefused(ValueError):
    """A record's value does not fit its column."""


def canonical_json(value: Any) -> str:
    """The one JSON text of a record value: compared to break ties, kept in the conflict log."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# --- values ------------------------------------------------------------------------------


def _identity(value: Any) -> Any:
    return value


def _encode_uuid(value: Any) -> Any:
    return None if value is None else (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).hex


def _encode_iso(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _encode_enum(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _decode_uuid(value: Any) -> uuid.UUID:
    if not isinstance(value, str):
        raise ValueRefused("is not a row id")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValueRefused("is not a row id") from None


def _decode_date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueRefused("is not a date")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueRefused("is not a date") from None


def _decode_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueRefused("is not a date and time")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueRefused("is not a date and time") from None


def _decode_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueRefused("is not true or false")
    return value


def _int_decoder(column_type: Integer) -> Callable[[Any], int]:
    """Whole numbers that fit the column as PostgreSQL sizes it (SQLite would overflow past 64 bits)."""
    bits = 16 if isinstance(column_type, SmallInteger) else 64 if isinstance(column_type, BigInteger) else 32
    lowest, highest = -(1 << (bits - 1)), (1 << (bits - 1)) - 1

    def decode(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueRefused("is not a whole number")
        if not lowest <= value <= highest:
            raise ValueRefused("is a whole number too large for its column")
        return value

    return decode


def _decode_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueRefused("is not text")
    return value


def _decode_json(value: Any) -> Any:
    return value


def _enum_decoder(column_type: Enum) -> Callable[[Any], Any]:
    enum_class = column_type.enum_class
    allowed = set(column_type.enums)

    def decode(value: Any) -> Any:
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ValueRefused("is not one of the allowed values")
        if enum_class is not None:
            try:
                return enum_class(value)
            except ValueError:
                raise ValueRefused("is not one of the allowed values") from None
        if value not in allowed:
            raise ValueRefused("is not one of the allowed values")
        return value

    return decode


def _codec(column_type: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """(encode, decode) for a column type; decode raises :class:`ValueRefused`."""
    if isinstance(column_type, RowId):
        return _encode_uuid, _decode_uuid
    if isinstance(column_type, Enum):  # before String: Enum is a String
        return _encode_enum, _enum_decoder(column_type)
    if isinstance(column_type, JSON):
        return _identity, _decode_json
    if isinstance(column_type, Boolean):
        return _identity, _decode_bool
    if isinstance(column_type, DateTime):
        return _encode_iso, _decode_datetime
    if isinstance(column_type, Date):
        return _encode_iso, _decode_date
    if isinstance(column_type, Integer):  # SmallInteger and BigInteger too
        return _identity, _int_decoder(column_type)
    if isinstance(column_type, String):  # Text too
        return _identity, _decode_str
    raise TypeError(f"no record encoding for column type {column_type!r}")


def encode_value(column: Column[Any], value: Any) -> Any:
    """A column's Python value as it travels in a record (JSON: uuid → 32 hex, dates → ISO text,
    enum → its value, list → list; bool, int, str and None as they are)."""
    if value is None:
        return None
    return _codec(column.type)[0](value)


def decode_value(column: Column[Any], value: Any) -> Any:
    """A record's value as the column's Python value; :class:`ValueRefused` if it does not fit."""
    if value is None:
        if not column.nullable:
            raise ValueRefused("is empty, which the column does not allow")
        return None
    return _codec(column.type)[1](value)


# --- tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    column: Column[Any]
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    nullable: bool
    #: The table this column points to (a foreign key), if any.
    parent: str | None


@dataclass(frozen=True)
class TableInfo:
    name: str
    cls: type[Synced]
    table: Table
    #: The columns that travel, in table order: neither ``id``, ``deleted`` nor private ones.
    columns: dict[str, ColumnInfo]
    private: frozenset[str]
    position: int

    def encode_row(self, values: Sequence[Any]) -> list[Any]:
        return [None if v is None else info.encode(v) for info, v in zip(self.columns.values(), values, strict=True)]


@cache
def table_infos() -> dict[str, TableInfo]:
    """Every synced table, in dependency order (parents first)."""
    infos = {}
    for position, cls in enumerate(synced_classes()):
        table = cls.__table__
        private = private_columns(cls)
        columns = {}
        for column in table.columns:
            if column.name in ("id", "deleted") or column.name in private:
                continue
            encode, decode = _codec(column.type)
            parents = {fk.column.table.name for fk in column.foreign_keys}
            columns[column.name] = ColumnInfo(
                column.name, column, encode, decode, bool(column.nullable), next(iter(parents), None))
        infos[table.name] = TableInfo(table.name, cls, table, columns, private, position)
    return infos


def site_ids(connection: Connection) -> dict[int, bytes]:
    """Every known site: local index → global site id."""
    site = SyncSite.__table__
    return {idx: bytes(site_id) for idx, site_id in connection.execute(select(site.c.idx, site.c.site_id))}


def local_site_idx(connection: Connection) -> int:
    state = SyncState.__table__
    return int(connection.execute(select(state.c.local_site_idx).where(state.c.id == STATE_ID)).scalar_one())


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- export ------------------------------------------------------------------------------


def _records_for(connection: Connection, info: TableInfo, ids: Sequence[uuid.UUID] | None,
                 sites: dict[int, bytes], local_idx: int) -> list[dict[str, Any]]:
    """The whole-row records of the rows ``ids`` of one table (None: every row)."""
    table = info.table
    row_clock, field_clock = RowClock.__table__, FieldClock.__table__
    names = list(info.columns)
    hexes = {idx: site.hex() for idx, site in sites.items()}
    out: list[dict[str, Any]] = []
    batches: Iterable[Sequence[uuid.UUID] | None] = [None] if ids is None else chunks(sorted(ids))
    for batch in batches:
        rows_query = select(table.c.id, table.c.deleted, *(table.c[n] for n in names))
        clocks_query = select(row_clock.c.row_id, row_clock.c.hlc, row_clock.c.site_idx, row_clock.c.causal_length)
        fields_query = select(field_clock.c.row_id, field_clock.c.column_name, field_clock.c.hlc,
                              field_clock.c.site_idx, field_clock.c.prev_hlc, field_clock.c.prev_site_idx)
        if batch is None:
            clocks_query = clocks_query.join(table, table.c.id == row_clock.c.row_id)
            fields_query = fields_query.join(table, table.c.id == field_clock.c.row_id)
        else:
            rows_query = rows_query.where(table.c.id.in_(batch))
            clocks_query = clocks_query.where(row_clock.c.row_id.in_(batch))
            fields_query = fields_query.where(field_clock.c.row_id.in_(batch))
        clocks = {r[0]: (r[1], r[2], r[3]) for r in connection.execute(clocks_query)}
        own: dict[tuple[uuid.UUID, str], tuple[int, int, int | None, int | None]] = {
            (r[0], r[1]): (r[2], r[3], r[4], r[5]) for r in connection.execute(fields_query)}
        for row in connection.execute(rows_query.order_by(table.c.id)):
            rid, deleted, values = row[0], row[1], row[2:]
            hlc, site_idx, cl = clocks.get(rid) or (0, local_idx, 2 if deleted else 1)
            if cl == 0:  # a placeholder for a parent not received yet: not ours to send
                continue
            rid_hex = rid.hex
            site_hex = hexes[site_idx]
            out.append({"t": info.name, "id": rid_hex, "c": ROW, "v": None, "h": hlc, "s": site_hex, "p": None,
                        "cl": cl})
            for name, column, value in zip(names, info.columns.values(), values, strict=True):
                clock = own.get((rid, name))
                if clock is None:
                    h, s, p = hlc, site_hex, None
                else:
                    h, s = clock[0], hexes[clock[1]]
                    p = None if clock[2] is None else [clock[2], hexes.get(clock[3], "")]
                out.append({"t": info.name, "id": rid_hex, "c": name,
                            "v": None if value is None else column.encode(value),
                            "h": h, "s": s, "p": p, "cl": cl})
    return out


def changed_rows_since(session: Session, since_version: int, *, only_site_idx: int | None = None) -> list[dict]:
    """Records of every synced row written after local version ``since_version``, whole.

    With ``only_site_idx``, only rows with such a write (a row clock or a field clock newer
    than ``since_version``) by that site: a device sends its own writes and leaves relaying
    to the hub. Conflicts a merge logged here count as this site's writes.
    """
    connection = session.connection()
    row_clock, field_clock = RowClock.__table__, FieldClock.__table__
    rows_query = select(row_clock.c.row_id, row_clock.c.table_name).where(row_clock.c.version > since_version)
    fields_query = (
        select(field_clock.c.row_id, row_clock.c.table_name)
        .select_from(field_clock.outerjoin(row_clock, row_clock.c.row_id == field_clock.c.row_id))
        .where(field_clock.c.version > since_version)
    )
    if only_site_idx is not None:
        rows_query = rows_query.where(row_clock.c.site_idx == only_site_idx)
        fields_query = fields_query.where(field_clock.c.site_idx == only_site_idx)
    infos = table_infos()
    by_table: dict[str, set[uuid.UUID]] = {}
    unplaced: set[uuid.UUID] = set()
    for query in (rows_query, fields_query):
        for rid, table_name in connection.execute(query):
            if table_name in infos:
                by_table.setdefault(table_name, set()).add(rid)
            else:  # a clock made before it knew its table
                unplaced.add(rid)
    if unplaced:
        wanted = sorted(unplaced)
        for info in infos.values():
            for batch in chunks(wanted):
                for (rid,) in connection.execute(select(info.table.c.id).where(info.table.c.id.in_(batch))):
                    by_table.setdefault(info.name, set()).add(rid)
    sites, local_idx = site_ids(connection), local_site_idx(connection)
    records: list[dict[str, Any]] = []
    for info in infos.values():
        if info.name in by_table:
            records.extend(_records_for(connection, info, list(by_table[info.name]), sites, local_idx))
    return records


def all_records(session: Session) -> list[dict]:
    """Records of every synced row this database holds (the hub's central export)."""
    connection = session.connection()
    sites, local_idx = site_ids(connection), local_site_idx(connection)
    records: list[dict[str, Any]] = []
    for info in table_infos().values():
        records.extend(_records_for(connection, info, None, sites, local_idx))
    return records


def canonical_dump(session: Session) -> dict[str, list[tuple]]:
    """Every synced table's rows, live and tombstoned, with their non-private columns as they
    travel, sorted; placeholders left out. Converged replicas have equal dumps (the conflict
    log, ``sync_conflict``, is one of the tables)."""
    connection = session.connection()
    row_clock = RowClock.__table__
    dump: dict[str, list[tuple]] = {}
    for info in table_infos().values():
        table = info.table
        names = list(info.columns)
        placeholders = select(row_clock.c.row_id).where(row_clock.c.causal_length == 0)
        query = select(table.c.id, table.c.deleted, *(table.c[n] for n in names)).where(
            table.c.id.not_in(placeholders))
        rows = []
        for row in connection.execute(query):
            encoded = info.encode_row(row[2:])
            rows.append((row[0].hex, bool(row[1]), *(canonical_json(v) if isinstance(v, list | dict) else v
                                                      for v in encoded)))
        dump[info.name] = sorted(rows, key=repr)
    return dump
