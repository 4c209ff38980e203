"""Consistent copies of a live SQLite database through SQLite's online backup API."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from coachdesk.atomic import atomic_write, fsync_directory
from coachdesk.paths import backup_dir
from coachdesk.store.cipher import HEADER, FileKey, connect, database_errors, opens_with


def copy_database(source: Path, destination: Path, key: FileKey | None = None) -> Path:
    """Copy ``source`` to ``destination`` while other connections may be writing to it.

    The copy is written under a temporary name, synced, then renamed. A protected database (``key``)
    is copied encrypted with the same key and salt, so its passphrase opens the copy too.
    """
    temp = destination.with_name(f".{destination.name}.part")
    temp.unlink(missing_ok=True)
    try:
        src = connect(source, key, readonly=True)
        try:
            dst = connect(temp, key)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, destination)
    except BaseException:
        temp.unlink(missing_ok=True)  # a full disk or a damaged source leaves no half copy behind
        raise
    fsync_directory(destination.parent)
    return destination


def backup_path(database: Path, reason: str, when: datetime | None = None) -> Path:
    """Where a backup of ``database`` goes: its backups folder, named for the moment and the reason."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    return backup_dir(database) / f"{database.stem}-{stamp}-{reason}.sqlite"


def backup_before(database: Path, reason: str, when: datetime | None = None, key: FileKey | None = None) -> Path:
    """Back ``database`` up into its backups folder, named for the moment and the reason."""
    return copy_database(database, backup_path(database, reason, when), key)


def keep_bytes(database: Path, reason: str) -> Path:
    """The file's bytes as they are, in its backups folder: for a database too damaged to copy page by page."""
    destination = backup_path(database, reason)
    with database.open("rb") as source, atomic_write(destination, "wb") as copy:
        shutil.copyfileobj(source, copy)
    return destination


#: How many backups of each kind are kept (the newest); older ones are removed.
KEEP = {"daily": 7, "import": 5, "manual": 10}
KEEP_OTHER = 10


def _kind(path: Path) -> str:
    reason = path.stem.rsplit("-", 1)[-1]
    return reason if reason in KEEP else "other"


def backups(database: Path) -> list[Path]:
    """The database's backups, newest first."""
    folder = database.parent / "backups"
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{database.stem}-*.sqlite") if p.is_file()]
    # Names carry the moment (…-YYYYmmdd-HHMMSS-ffffff-reason): newest first by name, not by file time.
    return sorted(found, key=lambda p: p.stem[len(database.stem) + 1:len(database.stem) + 23], reverse=True)


def rotate(database: Path) -> list[Path]:
    """Remove the oldest backups beyond what is kept of each kind; return the removed ones."""
    seen: dict[str, int] = {}
    removed = []
    for path in backups(database):
        kind = _kind(path)
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] > KEEP.get(kind, KEEP_OTHER):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def backup_daily(database: Path, today: datetime | None = None, key: FileKey | None = None) -> Path | None:
    """Once a day (the first start, import or write of the day), a backup; then rotate."""
    today = today or datetime.now()
    stamp = today.strftime("%Y%m%d")
    if any(p.name.startswith(f"{database.stem}-{stamp}") and _kind(p) == "daily" for p in backups(database)):
        return None
    made = backup_before(database, "daily", today, key)
    rotate(database)
    return made


def check_file(path: Path, key: FileKey | None = None) -> list[str]:
    """What is wrong with the SQLite file at ``path`` (empty when it is whole): integrity and foreign keys.

    With ``key``, the file is read as an encrypted database; one that ``key`` does not open is
    "not a database" (a wrong key and a damaged first page look the same)."""
    problems: list[str] = []
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as error:
        return [f"unreadable: {error.strerror}"]
    if key is None and header != HEADER:
        return ["not a database"]
    if key is not None and (header == HEADER or not opens_with(path, key)):
        return ["not a database"]
    try:
        connection = connect(path, key, readonly=True)
    except database_errors() as error:
        return [f"damaged: {error}"]
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            problems += [f"integrity: {r[0]}" for r in rows[:20]]
        for table, rowid, parent, _fk in connection.execute("PRAGMA foreign_key_check").fetchall()[:20]:
            problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
    except UnicodeDecodeError:
        problems.append("damaged: its schema holds text that is not UTF-8")
    except database_errors() as error:
        problems.append(f"damaged: {error}")
    finally:
        connection.close()
    return problems
