"""Bulk writes for the merge: many rows per statement, cheap on SQLite, portable elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, update

from coachdesk.sync.changes import chunks

# On SQLite the rows go straight to the driver's executemany, each value passed through its
# column type's bind processor: SQLAlchemy's per-row parameter handling would cost more than
# the writes themselves. Other databases (the hub's PostgreSQL) take Core executemany.

_BATCH = 5000


def _processors(connection: Connection, columns: Sequence[Any]) -> list[tuple[int, Any]]:
    dialect = connection.dialect
    found = []
    for i, column in enumerate(columns):
        processor = column.type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            found.append((i, processor))
    return found


def _processed(rows: Sequence[tuple[Any, ...]], processors: list[tuple[int, Any]]) -> list[tuple[Any, ...]]:
    if not processors:
        return list(rows)
    out = []
    for row in rows:
        values = list(row)
        for i, processor in processors:
            values[i] = processor(values[i])
        out.append(tuple(values))
    return out


def _bulk_insert(connection: Connection, table: Any, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        for batch in chunks(rows, _BATCH):
            connection.execute(insert(table), [dict(zip(names, values, strict=True)) for values in batch])
        return
    quote = connection.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    processors = _processors(connection, [table.c[n] for n in names])
    for batch in chunks(rows, _BATCH):
        connection.exec_driver_sql(sql, _processed(batch, processors))


def _bulk_update(connection: Connection, table: Any, names: Sequence[str], keys: Sequence[str],
                 rows: list[tuple[Any, ...]]) -> None:
    """UPDATE ``names`` WHERE ``keys``: each row holds the new values, then the key values."""
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        statement = update(table).where(*(table.c[k] == bindparam(f"k_{k}") for k in keys))
        labels = [*names, *(f"k_{k}" for k in keys)]
        for batch in chunks(rows, _BATCH):
            connection.execute(statement, [dict(zip(labels, values, strict=True)) for values in batch])
        return
    quote = connection.dialect.identifier_preparer.quote
    sql = (f"UPDATE {quote(table.name)} SET {', '.join(f'{quote(n)} = ?' for n in names)} "
           f"WHERE {' AND '.join(f'{quote(k)} = ?' for k in keys)}")
    processors = _processors(connection, [table.c[n] for n in (*names, *keys)])
    for batch in chunks(rows, _BATCH):
        connection.exec_driver_sql(sql, _processed(batch, processors))


def _insert_dicts(connection: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows given as dicts; columns a row lacks take their defaults."""
    names = [column.name for column in table.columns]
    defaults = {}
    for column in table.columns:
        default = column.default
        if default is not None and getattr(default, "is_scalar", False):
            defaults[column.name] = (False, default.arg)
        elif default is not None and getattr(default, "is_callable", False):
            defaults[column.name] = (True, default.arg)
    tuples = []
    for values in rows:
        row = []
        for name in names:
            if name in values:
                row.append(values[name])
            else:
                made, default = defaults.get(name, (False, None))
                row.append(default(None) if made else default)
        tuples.append(tuple(row))
    _bulk_insert(connection, table, names, tuples)
