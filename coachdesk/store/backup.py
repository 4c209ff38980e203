"""Consistent copies of a live SQLite database through SQLite's online backup API."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from coachdesk.atomic import fsync_directory
from coachdesk.paths import backup_dir


def copy_database(source: Path, destination: Path) -> Path:
    """Copy ``source`` to ``destination`` while other connections may be writing to it.

    The copy is written under a temporary name, synced, then renamed.
    """
    temp = destination.with_name(f".{destination.name}.part")
    temp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(temp)
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
    fsync_directory(destination.parent)
    return destination


def backup_before(database: Path, reason: str) -> Path:
    """Back ``database`` up into its backups folder, named for the moment and the reason."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    destination = backup_dir(database) / f"{database.stem}-{stamp}-{reason}.sqlite"
    return copy_database(database, destination)
