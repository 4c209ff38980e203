"""A full disk: every write says so in one sentence, and leaves neither a half file nor a half change."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import table_dump
from sqlalchemy import Engine, event

from coachdesk.cli import main
from coachdesk.services.demo import generate_demo
from coachdesk.services.workspace import open_workspace

FULL = "the disk is full; free some space, or choose another disk, and try again"


@pytest.fixture
def filled(tmp_path) -> Path:
    path = tmp_path / "work.sqlite"
    with open_workspace(path) as db:
        generate_demo(db, mentees=6, seed=2)
    return path


@pytest.fixture
def full_disk(monkeypatch):
    """Every file CoachDesk writes runs out of space when it is synced (after its bytes were buffered)."""
    import coachdesk.atomic
    import coachdesk.store.backup

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(coachdesk.atomic.os, "fsync", no_space)
    monkeypatch.setattr(coachdesk.store.backup.os, "fsync", no_space)


def _left_behind(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".") or p.suffix == ".part"]


@pytest.mark.parametrize("command, output", [
    (["csv", "export", "mentees", "-o", "{out}/mentees.csv"], "mentees.csv"),
    (["backup", "-o", "{out}/copy.sqlite"], "copy.sqlite"),
    (["handout", "toolbox", "public_speaking", "-o", "{out}/handout.pdf"], "handout.pdf"),
    (["report", "evaluation", "-o", "{out}/report.csv"], "report.csv"),
])
def test_a_file_written_to_a_full_disk_is_refused_plainly_and_never_half_there(filled, tmp_path, capsys,
                                                                                full_disk, command, output):
    out = tmp_path / "stick"
    out.mkdir()
    code = main(["--db", str(filled), *[part.format(out=out) for part in command]])
    err = capsys.readouterr().err
    assert code != 0
    assert FULL in err and err.count("\n") == 1, err
    assert not (out / output).exists() and not _left_behind(out)


def test_a_database_that_fills_the_disk_rolls_back_whole(filled, capsys):
    """SQLite's own "disk is full" (SQLITE_FULL) in the middle of a large write."""
    with open_workspace(filled) as db:
        before = table_dump(db)
        pages = db.engine.connect().exec_driver_sql("PRAGMA page_count").scalar()

    def small_disk(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 8}")

    event.listen(Engine, "connect", small_disk)
    try:
        code = main(["--db", str(filled), "demo", "--mentees", "300", "--seed", "9"])
    finally:
        event.remove(Engine, "connect", small_disk)
    err = capsys.readouterr().err
    assert code == 1
    assert err == "coachdesk: The disk is full, so nothing was saved; free some space and try again.\n"
    with open_workspace(filled, daily_backup=False) as db:
        assert table_dump(db) == before


def test_the_app_says_the_disk_is_full_in_one_sentence():
    from coachdesk.ui.views.page_parts import error_text

    assert error_text("The plan", OSError(errno.ENOSPC, "No space left on device")) == (
        "The plan could not be saved: the disk is full. Nothing was half saved; free some space and try again.")
    import sqlite3

    assert "the disk is full" in error_text("The session", sqlite3.OperationalError("database or disk is full"))
