"""Engines for the local SQLite file (WAL, foreign keys, busy timeout) and for a hub's PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import QueuePool

from coachdesk.store.cipher import FileKey, sqlcipher_module

BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path)}"


def make_engine(target: Path | str, key: FileKey | None = None) -> Engine:
    """An engine for a database file path or an SQLAlchemy URL; with ``key``, an SQLCipher file."""
    text = str(target)
    if key is not None:
        sqlcipher_module()  # quiet SQLCipher's own logging before the first connection
        # SQLAlchemy's SQLCipher dialect sends the URL's password as `PRAGMA key`; the raw key and salt
        # (x'…') skip the key derivation on every new connection. One pool for all threads, as for SQLite.
        url = URL.create("sqlite+pysqlcipher", password=key.pragma_value(), database=text)
        engine = create_engine(url, poolclass=QueuePool, connect_args={"check_same_thread": False})
        _configure_sqlite(engine, in_memory=False)
        return engine
    url = make_url(text) if "://" in text else make_url(sqlite_url(text))
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url)
    _configure_sqlite(engine, in_memory=url.database in (None, "", ":memory:"))
    return engine


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that
        # DDL is transactional (migrations roll back whole) and SAVEPOINT works.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL keeps the database consistent after a power cut; it may
            # lose the last transactions, never corrupt.
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN")
