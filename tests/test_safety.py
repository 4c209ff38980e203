"""Backups, restore and the doctor, as a coach would use them when something went wrong; and
processes killed with SIGKILL in the middle of demo data, a CSV import and a backup."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import table_dump

from coachdesk.cli import main
from coachdesk.services.demo import generate_demo
from coachdesk.services.safety import diagnose, validate_backup
from coachdesk.services.workspace import open_workspace
from coachdesk.store.backup import KEEP, backup_before, backup_daily, backups, rotate

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def filled(tmp_path):
    path = tmp_path / "work.sqlite"
    db = open_workspace(path)
    generate_demo(db, mentees=8, seed=3)
    db.close()
    return path


def dump(path: Path) -> dict:
    db = open_workspace(path)
    try:
        return table_dump(db)
    finally:
        db.close()


def test_a_backup_restores_exactly_and_the_replaced_database_is_kept(filled, tmp_path, capsys):
    saved = tmp_path / "stick" / "before-trip.sqlite"
    saved.parent.mkdir()
    before = dump(filled)
    assert run(capsys, "--db", str(filled), "backup", "-o", str(saved))[0] == 0
    db = open_workspace(filled)
    generate_demo(db, mentees=3, seed=99)  # work done after the backup
    db.close()
    after = dump(filled)
    code, out, err = run(capsys, "--db", str(filled), "restore", str(saved), "--json")
    assert code == 0, err
    kept = Path(json.loads(out)["previous"])
    assert dump(filled) == before
    assert dump(kept) == after  # nothing is lost: the replaced database is a backup now


@pytest.mark.parametrize("content, message", [
    (b"name,kind\nAisha,person\n", "is not a CoachDesk backup"),
    (b"", "is not a CoachDesk backup"),
])
def test_restoring_something_that_is_not_a_backup_is_refused_and_changes_nothing(filled, tmp_path, capsys,
                                                                                 content, message):
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(content)
    before = dump(filled)
    code, _out, err = run(capsys, "--db", str(filled), "restore", str(bogus))
    assert code == 2 and message in err and err.count("\n") == 1
    assert dump(filled) == before


def test_a_database_of_another_program_or_a_newer_coachdesk_is_refused(filled, tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(Exception, match="not a CoachDesk one"):
        validate_backup(other)
    newer = tmp_path / "newer.sqlite"
    newer.write_bytes(filled.read_bytes())
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(Exception, match="newer CoachDesk"):
        validate_backup(newer)


def _damage(path: Path) -> None:
    """Overwrite part of a table's pages, as a failing disk or a pulled stick would."""
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 3, min(len(data), page * 12), page):
        data[start + 100:start + 900] = os.urandom(800)
    path.write_bytes(bytes(data))


def test_the_doctor_finds_damage_and_names_the_latest_good_backup(filled, capsys):
    for suffix in ("-wal", "-shm"):
        Path(f"{filled}{suffix}").unlink(missing_ok=True)
    good = backup_before(filled, "manual")
    code, out, _err = run(capsys, "--db", str(filled), "doctor")
    assert code == 0 and "healthy" in out
    _damage(filled)
    code, out, _err = run(capsys, "--db", str(filled), "doctor", "--json")
    report = json.loads(out)
    assert code == 1 and not report["healthy"] and report["findings"]
    assert report["good_backup"] == str(good)
    assert f"coachdesk restore “{good}”" in report["findings"][0]["advice"]


def test_the_doctor_checks_the_sync_records(filled, capsys):
    with sqlite3.connect(filled) as connection:
        connection.execute("UPDATE sync_state SET db_version = 0")
    code, out, _err = run(capsys, "--db", str(filled), "doctor")
    assert code == 1 and "newer than the database itself" in out


def test_backups_rotate_and_one_is_made_each_day(filled):
    for day in range(10):
        assert backup_daily(filled, datetime(2026, 11, 1) + timedelta(days=day)) is not None
        time.sleep(0.01)
    assert backup_daily(filled, datetime(2026, 11, 10)) is None  # already one that day
    daily = [p for p in backups(filled) if p.stem.endswith("daily")]
    assert len(daily) == KEEP["daily"]
    for _ in range(KEEP["import"] + 3):
        backup_before(filled, "import")
    rotate(filled)
    assert len([p for p in backups(filled) if p.stem.endswith("import")]) == KEEP["import"]


def test_an_import_is_preceded_by_a_backup(filled, tmp_path):
    from coachdesk.services.spreadsheets import export_csv, import_csv

    sheet = tmp_path / "mentees.csv"
    db = open_workspace(filled)
    try:
        export_csv(db, "mentees", sheet)
        count = len([p for p in backups(filled) if p.stem.endswith("import")])
        import_csv(db, "mentees", sheet)
    finally:
        db.close()
    assert len([p for p in backups(filled) if p.stem.endswith("import")]) == count + 1


# -- killed in the middle -------------------------------------------------------------------------

CLI = "import sys; from coachdesk.cli import main; sys.exit(main(sys.argv[1:]))"


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CLI, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _time_it(*args: str) -> float:
    began = time.monotonic()
    assert _start(*args).wait(timeout=120) == 0
    return time.monotonic() - began


def _killed_at(fraction: float, seconds: float, *args: str) -> None:
    child = _start(*args)
    time.sleep(seconds * fraction)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)


def _healthy(path: Path) -> None:
    diagnosis = diagnose(path)
    assert diagnosis.healthy, [f.what for f in diagnosis.findings]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_demo_data_killed_at_random_moments_is_all_or_nothing(tmp_path):
    path = tmp_path / "demo.sqlite"
    scratch = tmp_path / "scratch.sqlite"
    whole = _time_it("--db", str(scratch), "demo", "--mentees", "400", "--seed", "5")
    for fraction in (0.5, 0.7, 0.85, 0.95):
        _killed_at(fraction, whole, "--db", str(path), "demo", "--mentees", "400", "--seed", "5")
        if path.exists():
            open_workspace(path).close()  # restart: a kill during the first migration left an empty file
            _healthy(path)
            db = open_workspace(path)
            with db.read() as session:
                from sqlalchemy import func, select

                from coachdesk.model import Mentee

                mentees = session.scalar(select(func.count()).select_from(Mentee))
            db.close()
            assert mentees % 400 == 0  # 0, 400, 800…: never part of a run


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_csv_import_and_a_backup_killed_at_random_moments_leave_whole_files(filled, tmp_path):
    big = tmp_path / "big.sqlite"
    db = open_workspace(big)
    generate_demo(db, mentees=600, seed=8)
    from coachdesk.services.spreadsheets import export_csv

    exported = tmp_path / "exported.csv"
    export_csv(db, "mentees", exported)
    db.close()
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    sheet = tmp_path / "mentees.csv"  # 600 people new to the other database: the ids left empty
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**row, "id": ""} for row in rows)
    before = dump(filled)
    scratch = tmp_path / "scratch.sqlite"
    scratch.write_bytes(filled.read_bytes())
    whole = _time_it("--db", str(scratch), "csv", "import", "mentees", str(sheet))
    base = len(before["mentee"])
    for fraction in (0.4, 0.6, 0.8, 0.95):
        _killed_at(fraction, whole, "--db", str(filled), "csv", "import", "mentees", str(sheet))
        _healthy(filled)
        added = len(dump(filled)["mentee"]) - base
        assert added % len(rows) == 0, added  # each import whole or not at all
    out = tmp_path / "copies" / "backup.sqlite"
    out.parent.mkdir()
    took = _time_it("--db", str(big), "backup", "-o", str(out))
    out.unlink()
    for fraction in (0.3, 0.6, 0.9):
        _killed_at(fraction, took, "--db", str(big), "backup", "-o", str(out))
        _healthy(big)
        # Written under a temporary name and renamed: the backup is whole or absent.
        assert not out.exists() or validate_backup(out)


def test_the_app_offers_the_latest_good_backup_when_the_database_is_damaged(qtbot, filled, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from coachdesk.ui import app

    for suffix in ("-wal", "-shm"):
        Path(f"{filled}{suffix}").unlink(missing_ok=True)
    good = backup_before(filled, "manual")
    healthy = dump(filled)
    _damage(filled)
    asked = []
    monkeypatch.setattr(app, "ask_restore", lambda _parent, path, backup: asked.append(backup) or True)
    parent = QWidget()
    qtbot.addWidget(parent)
    from coachdesk.services.safety import check_in_background, damage_marker

    app.check_at_start(parent, filled)  # the cheap check before opening cannot see damage deep in the file…
    assert asked == [] and not check_in_background(filled)  # …the full one after start does, and leaves word
    assert damage_marker(filled).exists()
    app.check_at_start(parent, filled)  # so the next start offers the backup
    assert asked == [good]
    assert dump(filled) == healthy
    app.check_at_start(parent, filled)  # healthy now: nothing is asked
    assert asked == [good]
    assert check_in_background(filled) and not damage_marker(filled).exists()
