"""Incoming change records, checked whole and grouped by row and life, before anything is merged."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from coachdesk.errors import InputError
from coachdesk.sync.changes import ROW, TableInfo, ValueRefused, canonical_json

Clock = tuple[int, bytes]
_SITE_BYTES = 16
#: Clocks are stored as 64-bit integers and causal lengths as 32-bit ones (PostgreSQL's sizes).
_MAX_HLC = (1 << 63) - 1
_MAX_CAUSAL_LENGTH = (1 << 31) - 1


class MergeRefused(InputError):
    """The records cannot be merged here; the caller's transaction must be rolled back."""


class _Field:
    """One field's state: value, clock and the clock of the value it replaced."""

    __slots__ = ("hlc", "site", "prev", "value", "encode", "_canonical")

    def __init__(self, hlc: int, site: bytes, prev: Clock | None, value: Any, encode: Any) -> None:
        self.hlc = hlc
        self.site = site
        self.prev = prev
        self.value = value
        self.encode = encode
        self._canonical: str | None = None

    @property
    def clock(self) -> Clock:
        return (self.hlc, self.site)

    @property
    def canonical(self) -> str:
        if self._canonical is None:
            self._canonical = canonical_json(None if self.value is None else self.encode(self.value))
        return self._canonical


def _same_value(a: _Field, b: _Field) -> bool:
    """Whether two fields hold the same value, as it travels (canonical JSON), cheaply."""
    x, y = a.value, b.value
    if type(x) is type(y) and not isinstance(x, list | dict | float):
        return bool(x == y)
    return a.canonical == b.canonical


class _Row:
    __slots__ = ("info", "rid", "exists", "has_clock", "cl", "hlc", "site", "clock_version", "fields",
                 "loaded", "pins", "deleted", "old_cl", "old_hlc", "old_site")

    def __init__(self, info: TableInfo, rid: uuid.UUID) -> None:
        self.info = info
        self.rid = rid
        self.exists = False
        self.has_clock = False
        self.cl = 0
        self.hlc = 0
        self.site = b""
        self.clock_version = 0
        self.fields: dict[str, _Field] = {}
        #: The fields as the database held them before the merge.
        self.loaded: dict[str, _Field] = {}
        #: column → (hlc, site, prev, version) of the field clocks stored.
        self.pins: dict[str, tuple[int, bytes, Clock | None, int]] = {}
        self.deleted = False
        #: The causal length and row clock the database held before the merge.
        self.old_cl = 0
        self.old_hlc = 0
        self.old_site = b""


class _Bucket:
    """The incoming records of one row at one causal length."""

    __slots__ = ("row_clock", "fields")

    def __init__(self) -> None:
        self.row_clock: Clock | None = None
        self.fields: dict[str, list[_Field]] = {}


# --- validation --------------------------------------------------------------------------


def _refuse(message: str) -> MergeRefused:
    return MergeRefused(message)


def _validate(records: Sequence[Mapping[str, Any]], infos: dict[str, TableInfo]) -> tuple[
        dict[tuple[str, uuid.UUID], dict[int, _Bucket]], int, int, set[bytes]]:
    """Check every record and group them by row and causal length; nothing is written here.

    Returns the groups, the number of field records, the highest hlc and every site id named.
    """
    rows: dict[tuple[str, uuid.UUID], dict[int, _Bucket]] = {}
    #: (table, id as sent) → (the table's columns, its private columns, the row id, its groups)
    slots: dict[tuple[Any, Any], tuple[dict[str, Any], frozenset[str], uuid.UUID, dict[int, _Bucket]]] = {}
    table_of: dict[uuid.UUID, str] = {}
    sites: dict[Any, bytes] = {}
    max_hlc = 0
    field_records = 0

    def site_of(text: Any) -> bytes:
        try:
            site = bytes.fromhex(text)
        except (TypeError, ValueError):
            site = b""
        if len(site) != _SITE_BYTES:
            raise _refuse(f"A change record names a site that is not 32 hexadecimal digits: {text!r}.")
        sites[text] = site
        return site

    def slot_of(table: Any, rid_text: Any) -> tuple[dict[str, Any], frozenset[str], uuid.UUID, dict[int, _Bucket]]:
        info = infos.get(table) if isinstance(table, str) else None
        if info is None:
            raise _refuse(f"The records name a table this CoachDesk does not know: {table!r}.")
        try:
            rid = uuid.UUID(rid_text)
        except (TypeError, ValueError, AttributeError):
            raise _refuse(f"A change record for {table} has a row id that is not a UUID: {rid_text!r}.") from None
        if table_of.setdefault(rid, table) != table:
            raise _refuse(f"Row {rid.hex} appears in two tables, {table_of[rid]} and {table}.")
        buckets = rows.setdefault((table, rid), {})
        slot = slots[(table, rid_text)] = (info.columns, info.private, rid, buckets)
        return slot

    for record in records:
        try:
            table, column, rid_text = record["t"], record["c"], record["id"]
            hlc, site_text, cl = record["h"], record["s"], record["cl"]
            slot = slots.get((table, rid_text))
            site = sites.get(site_text)
        except (KeyError, TypeError, AttributeError):
            raise _refuse("A change record lacks one of t, id, c, v, h, s, p and cl, or has one of the wrong kind.") \
                from None
        columns, private, rid, buckets = slot or slot_of(table, rid_text)
        if type(hlc) is not int or type(cl) is not int or not 0 <= hlc <= _MAX_HLC \
                or not 1 <= cl <= _MAX_CAUSAL_LENGTH:
            raise _refuse(f"A change record for {table} {rid.hex} has a clock or causal length that is not "
                          "a positive whole number a database can hold.")
        if site is None:
            site = site_of(site_text)
        if hlc > max_hlc:
            max_hlc = hlc
        bucket = buckets.get(cl)
        if bucket is None:
            bucket = buckets[cl] = _Bucket()
        if column == ROW:
            if bucket.row_clock is None or (hlc, site) > bucket.row_clock:
                bucket.row_clock = (hlc, site)
            continue
        field_records += 1
        info_column = columns.get(column) if type(column) is str else None
        if info_column is None:
            if type(column) is str and column in private:  # never ours to take: what this device holds stays
                continue
            raise _refuse(f"The records name a column {table} does not have: {column!r}.")
        prev = record.get("p")
        if prev is not None:
            if type(prev) not in (list, tuple) or len(prev) != 2 or type(prev[0]) is not int \
                    or not 0 <= prev[0] <= _MAX_HLC:
                raise _refuse(f"A change record for {table}.{column} has a previous clock that is not [hlc, site].")
            try:
                prev_site = sites.get(prev[1])
            except TypeError:
                prev_site = None
            prev = (prev[0], prev_site if prev_site is not None else site_of(prev[1]))
        value = record.get("v")
        if value is None:
            if not info_column.nullable:
                raise _refuse(f"A change record leaves {table}.{column} of row {rid.hex} empty, "
                              "which the column does not allow.")
        else:
            try:
                value = info_column.decode(value)
            except ValueRefused as error:
                raise _refuse(f"The value of {table}.{column} for row {rid.hex} {error}: {value!r}.") from None
        found = _Field(hlc, site, prev, value, info_column.encode)
        fields = bucket.fields
        same_column = fields.get(column)
        if same_column is None:
            fields[column] = [found]
        else:
            same_column.append(found)
    return rows, field_records, max_hlc, set(sites.values())


