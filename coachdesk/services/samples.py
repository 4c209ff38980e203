"""Sample data to look around with: a database file of its own, apart from the person's real one.

The sample lives in ``sample.sqlite`` in the data folder. It is made from the demo data, opened
instead of the person's database while they explore, never joins a team (so it is never synced),
and is removed whole — the file, its write-ahead log, its keys and its backups — when they are done.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk.paths import data_dir

if TYPE_CHECKING:  # the app looks for the sample before its first paint, without the database layers
    from coachdesk.store.database import Database

SAMPLE_NAME = "sample.sqlite"
#: Enough mentees to fill every page, few enough to be made in a blink.
SAMPLE_MENTEES = 60


def sample_database() -> Path:
    """Where the sample database lives: beside the person's own, never in its place."""
    return data_dir() / SAMPLE_NAME


def is_sample(path: Path | None) -> bool:
    return path is not None and path.resolve() == sample_database().resolve()


def create_sample(path: Path | None = None, mentees: int = SAMPLE_MENTEES) -> Database:
    """Make a fresh sample database (replacing any left-over one) and return it open."""
    from coachdesk.services.demo import generate_demo
    from coachdesk.services.workspace import open_workspace

    path = path or sample_database()
    remove_sample(path)
    db = open_workspace(path, daily_backup=False)
    try:
        generate_demo(db, mentees=mentees, seed=1)
    except BaseException:
        db.close()
        remove_sample(path)
        raise
    return db


def sample_files(path: Path | None = None) -> list[Path]:
    """Every file the sample database left on disk: itself, its journal and log, its keys, the
    half-written copies of an interrupted write, and its backups."""
    from coachdesk.store.backup import backups

    path = path or sample_database()
    folder = path.parent
    found = [p for p in folder.glob(f"{path.name}*") if p.is_file()]  # -wal, -shm, -journal, .keys, .damaged
    found += [p for p in folder.glob(f".{path.name}*") if p.is_file()]  # .part and .next copies
    if (folder / "backups").is_dir():
        found += backups(path)
    return sorted(set(found))


def remove_sample(path: Path | None = None) -> list[Path]:
    """Delete the sample database and everything that belongs to it; return what was deleted.

    Only a file named like the sample is ever touched: the person's own database is not."""
    path = path or sample_database()
    if path.name != SAMPLE_NAME:
        raise ValueError(f"{path} is not a sample database")
    removed = []
    for file in sample_files(path):
        file.unlink(missing_ok=True)
        removed.append(file)
    return removed
