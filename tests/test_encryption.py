"""Encryption at rest: a protected database, its key file and its backups open only with the passphrase;
setting, changing and removing the passphrase keeps every row."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from conftest import table_dump
from sqlalchemy import text

from coachdesk.errors import InputError, PassphraseError, PassphraseNeeded
from coachdesk.services import protection, safety
from coachdesk.services.demo import generate_demo
from coachdesk.services.team import device_keys, keys_path
from coachdesk.services.workspace import open_workspace
from coachdesk.store.backup import backups
from coachdesk.store.cipher import HEADER, Secret, check_new_passphrase, is_encrypted
from coachdesk.sync.keys import load_keys

OLD = "river stone lantern"
NEW = "seven quiet harbours"


def _dump(path: Path, secret: Secret | None = None) -> dict:
    with open_workspace(path, daily_backup=False, secret=secret) as db:
        return table_dump(db)


@pytest.fixture
def plain(tmp_path) -> Path:
    """A plain database with demo data, a device key file and two backups."""
    path = tmp_path / "coachdesk.sqlite"
    with open_workspace(path) as db:  # the day's backup
        generate_demo(db, mentees=12, seed=3, today=date(2026, 11, 1))
        device_keys(db)
    safety.make_backup(path, path.parent / "backups" / "coachdesk-20261101-100000-000000-manual.sqlite")
    return path


@pytest.fixture
def protected(plain) -> Path:
    protection.set_passphrase(plain, Secret(OLD))
    return plain


def _readable_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            data += extra.read_bytes()
    return data


def test_a_new_database_given_a_passphrase_is_created_encrypted(tmp_path):
    path = tmp_path / "new.sqlite"
    with open_workspace(path, secret=Secret(OLD)) as db:
        generate_demo(db, mentees=3, seed=1)
        with db.read() as session:
            names = [r[0] for r in session.execute(text("SELECT name FROM mentee"))]
    assert names and is_encrypted(path)
    data = _readable_bytes(path)
    assert HEADER not in data[:16]
    assert not any(name.encode() in data for name in names)  # no name in the clear, in the file or its log
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_setting_a_passphrase_keeps_every_row_and_hides_every_name(plain):
    before = _dump(plain)
    result = protection.set_passphrase(plain, Secret(OLD))
    assert result.protected and result.backups == 2 and not result.skipped
    assert is_encrypted(plain)
    after = _dump(plain, Secret(OLD))
    assert after == before
    with open_workspace(plain, daily_backup=False, secret=Secret(OLD)) as db, db.read() as session:
        names = [r[0] for r in session.execute(text("SELECT name FROM mentee"))]
    for copy in [plain, *backups(plain)]:
        data = copy.read_bytes()
        assert data[:16] != HEADER, copy
        assert not any(name.encode() in data for name in names), copy
    assert not list(plain.parent.glob(".*.next")) and not list((plain.parent / "backups").glob(".*"))


def test_a_protected_database_needs_its_passphrase_and_a_wrong_one_touches_nothing(protected):
    files = {p: p.read_bytes() for p in protected.parent.rglob("*") if p.is_file()}
    with pytest.raises(PassphraseNeeded, match="protected by a passphrase"):
        open_workspace(protected)
    with pytest.raises(PassphraseError, match="passphrase is wrong"):
        open_workspace(protected, secret=Secret("not the passphrase"))
    with pytest.raises(PassphraseError):
        protection.change_passphrase(protected, Secret("not the passphrase"), Secret(NEW))
    with pytest.raises(PassphraseError):
        protection.remove_passphrase(protected, Secret("not the passphrase"))
    assert {p: p.read_bytes() for p in protected.parent.rglob("*") if p.is_file()} == files


def test_changing_and_removing_the_passphrase_keep_every_row(protected):
    before = _dump(protected, Secret(OLD))
    protection.change_passphrase(protected, Secret(OLD), Secret(NEW))
    with pytest.raises(PassphraseError):
        open_workspace(protected, secret=Secret(OLD))
    assert _dump(protected, Secret(NEW)) == before
    for copy in backups(protected):
        assert not safety.check_file(copy, Secret(NEW).key_for(copy)), copy
    protection.remove_passphrase(protected, Secret(NEW))
    assert not is_encrypted(protected)
    assert _dump(protected) == before
    assert all(copy.read_bytes()[:16] == HEADER for copy in backups(protected))


def test_full_text_search_and_the_write_ahead_log_work_encrypted(protected):
    with open_workspace(protected, daily_backup=False, secret=Secret(OLD)) as db:
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA cipher_version").scalar()
        with db.read() as session:
            name = session.execute(text("SELECT name FROM mentee LIMIT 1")).scalar()
            found = session.execute(text("SELECT count(*) FROM search_mentee WHERE search_mentee MATCH :q"),
                                    {"q": f'"{name.split()[0]}"'}).scalar()
    assert found >= 1


def test_the_device_keys_are_sealed_with_the_passphrase(protected):
    data = json.loads(keys_path_for(protected).read_text())
    assert data["kind"] == "coachdesk-device-keys-sealed"
    assert "sign_private" not in json.dumps(data)
    with pytest.raises(PassphraseNeeded):
        load_keys(keys_path_for(protected))
    with pytest.raises(PassphraseError):
        load_keys(keys_path_for(protected), Secret("not the passphrase"))
    keys = load_keys(keys_path_for(protected), Secret(OLD))
    with open_workspace(protected, daily_backup=False, secret=Secret(OLD)) as db:
        assert device_keys(db).public() == keys.public()
        assert keys_path(db) == keys_path_for(protected)


def keys_path_for(database: Path) -> Path:
    return database.with_name(database.name + ".keys")


def test_backups_of_a_protected_database_are_encrypted_and_restore(protected):
    secret = Secret(OLD)
    before = _dump(protected, secret)
    key = secret.key_for(protected)
    out = protected.parent / "usb" / "copy.sqlite"
    out.parent.mkdir()
    safety.make_backup(protected, out, key)
    assert is_encrypted(out) and out.read_bytes()[:16] == protected.read_bytes()[:16]
    with pytest.raises(InputError, match="protected by a passphrase"):
        safety.validate_backup(out)
    with open_workspace(protected, daily_backup=False, secret=secret) as db:
        generate_demo(db, mentees=2, seed=9)
    safety.restore(protected, out, key, key)
    assert _dump(protected, secret) == before
    assert safety.diagnose(protected, key).healthy


def test_a_plain_backup_restored_over_a_protected_database_is_encrypted(protected, tmp_path):
    secret = Secret(OLD)
    plain_copy = tmp_path / "plain.sqlite"
    with open_workspace(tmp_path / "other.sqlite") as other:
        generate_demo(other, mentees=2, seed=5)
        wanted = table_dump(other)
    safety.make_backup(tmp_path / "other.sqlite", plain_copy)
    safety.restore(protected, plain_copy, None, secret.key_for(protected))
    assert is_encrypted(protected)
    got = _dump(protected, secret)
    assert got == wanted


def test_doctor_reads_a_protected_database_with_its_key(protected):
    key = Secret(OLD).key_for(protected)
    assert safety.diagnose(protected, key).healthy
    assert safety.quick_check(protected, key)
    assert not safety.quick_check(protected, None)
    assert safety.latest_good_backup(protected, key) is not None


@pytest.mark.parametrize("crash_after", ["database copy", "key file copy", "backup copies", "database renamed"])
def test_a_change_interrupted_anywhere_leaves_one_passphrase_opening_everything(protected, crash_after):
    """A change is decided by the database's rename; what a crash left around it is completed or dropped."""
    import os
    import shutil

    secret, new = Secret(OLD), Secret(NEW)
    before = _dump(protected, secret)
    keys = keys_path_for(protected)
    old_key = secret.key_for(protected)
    new_key = new.new_key()
    from coachdesk.store.cipher import export
    from coachdesk.sync.keys import save_keys

    protection._checkpoint(protected, old_key)
    export(protected, old_key, protection.pending(protected), new_key)
    if crash_after != "database copy":
        save_keys(protection.pending(keys), load_keys(keys, secret), new)
    if crash_after in ("backup copies", "database renamed"):
        for copy in backups(protected):
            export(copy, old_key, protection.pending(copy), new_key)
    if crash_after == "database renamed":
        os.replace(protection.pending(protected), protected)
        shutil.copy(keys, keys.with_suffix(".old"))
    winner = new if crash_after == "database renamed" else secret
    loser = secret if winner is new else new
    assert _dump(protected, winner) == before
    with pytest.raises(PassphraseError):
        open_workspace(protected, secret=loser)
    assert not list(protected.parent.rglob(".*.next"))
    with open_workspace(protected, daily_backup=False, secret=winner) as db:
        assert device_keys(db).public() == load_keys(keys, winner).public()
    winner_key = winner.key_for(protected)
    assert all(not safety.check_file(copy, winner_key) for copy in backups(protected))


def test_a_short_passphrase_is_refused_with_a_reason():
    with pytest.raises(PassphraseError, match="at least 8 characters"):
        check_new_passphrase("short")
    assert check_new_passphrase("long enough").passphrase == "long enough"


# -- the command line ----------------------------------------------------------------------------

def run(capsys, monkeypatch, *args: str, env: dict[str, str] | None = None, typed: list[str] | None = None):
    """Run the command line as a script (environment) or as a person at a terminal (``typed``)."""
    from coachdesk.cli import main

    monkeypatch.delenv("COACHDESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("COACHDESK_NEW_PASSPHRASE", raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    answers = list(typed or [])
    monkeypatch.setattr("sys.stdin.isatty", lambda: typed is not None)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": answers.pop(0))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_every_command_reads_the_passphrase_from_the_environment_or_a_prompt(protected, capsys, monkeypatch):
    db = str(protected)
    code, out, _ = run(capsys, monkeypatch, "--db", db, "stats", "--json", env={"COACHDESK_PASSPHRASE": OLD})
    assert code == 0 and json.loads(out)["mentees"] == 12
    code, out, _ = run(capsys, monkeypatch, "--db", db, "stats", "--json", typed=[OLD])
    assert code == 0 and json.loads(out)["mentees"] == 12
    code, out, err = run(capsys, monkeypatch, "--db", db, "stats")
    assert code == 2 and err.strip() == ("coachdesk: A passphrase is needed: type it in a terminal, or set "
                                         "COACHDESK_PASSPHRASE for a script.")
    assert run(capsys, monkeypatch, "--db", db, "doctor", env={"COACHDESK_PASSPHRASE": OLD})[0] == 0


@pytest.mark.parametrize("command", [["stats"], ["doctor"], ["backup", "-o", "{tmp}/copy.sqlite"],
                                     ["passphrase", "change"], ["passphrase", "remove"],
                                     ["csv", "export", "mentees", "-o", "{tmp}/m.csv"]])
def test_a_wrong_passphrase_exits_2_with_one_sentence_and_touches_nothing(protected, capsys, monkeypatch,
                                                                           tmp_path, command):
    files = {p: p.read_bytes() for p in protected.parent.rglob("*") if p.is_file()}
    args = [part.format(tmp=tmp_path) for part in command]
    code, out, err = run(capsys, monkeypatch, "--db", str(protected), *args,
                         env={"COACHDESK_PASSPHRASE": "not the passphrase", "COACHDESK_NEW_PASSPHRASE": NEW})
    assert code == 2
    assert err == "coachdesk: The passphrase is wrong for coachdesk.sqlite; nothing was changed.\n"
    assert {p: p.read_bytes() for p in protected.parent.rglob("*") if p.is_file()} == files


def test_set_change_and_remove_from_the_command_line(plain, capsys, monkeypatch):
    db = str(plain)
    before = _dump(plain)
    code, _, err = run(capsys, monkeypatch, "--db", db, "passphrase", "set", typed=[OLD, "something else"])
    assert code == 2 and "differ" in err and not is_encrypted(plain)
    code, _, err = run(capsys, monkeypatch, "--db", db, "passphrase", "set", typed=["short", "short"])
    assert code == 2 and "at least 8 characters" in err and not is_encrypted(plain)
    code, out, _ = run(capsys, monkeypatch, "--db", db, "passphrase", "set", typed=[OLD, OLD])
    assert code == 0 and "now encrypted" in out and is_encrypted(plain)
    code, out, _ = run(capsys, monkeypatch, "--db", db, "passphrase", "change", "--json",
                       env={"COACHDESK_PASSPHRASE": OLD, "COACHDESK_NEW_PASSPHRASE": NEW})
    assert code == 0 and json.loads(out)["protected"] is True and json.loads(out)["backups"] == 2
    assert _dump(plain, Secret(NEW)) == before
    code, _, err = run(capsys, monkeypatch, "--db", db, "passphrase", "set", env={"COACHDESK_PASSPHRASE": NEW})
    assert code == 2 and "already protected" in err
    code, out, _ = run(capsys, monkeypatch, "--db", db, "passphrase", "remove", typed=[NEW])
    assert code == 0 and "no longer encrypted" in out and not is_encrypted(plain)
    assert _dump(plain) == before


def test_restore_from_the_command_line_asks_for_the_backups_passphrase(protected, capsys, monkeypatch, tmp_path):
    env = {"COACHDESK_PASSPHRASE": OLD}
    before = _dump(protected, Secret(OLD))
    copy = tmp_path / "stick.sqlite"
    assert run(capsys, monkeypatch, "--db", str(protected), "backup", "-o", str(copy), env=env)[0] == 0
    assert is_encrypted(copy)
    with open_workspace(protected, daily_backup=False, secret=Secret(OLD)) as db:
        generate_demo(db, mentees=2, seed=7)
    code, _, err = run(capsys, monkeypatch, "--db", str(protected), "restore", str(copy),
                       env={"COACHDESK_PASSPHRASE": "not the passphrase"})
    assert code == 2 and err == "coachdesk: The passphrase is wrong for stick.sqlite; nothing was changed.\n"
    assert run(capsys, monkeypatch, "--db", str(protected), "restore", str(copy), env=env)[0] == 0
    assert _dump(protected, Secret(OLD)) == before
    assert not list(protected.parent.rglob("*.part"))


@pytest.mark.slow
@pytest.mark.skipif(__import__("sys").platform == "win32", reason="SIGKILL is POSIX")
def test_a_passphrase_change_killed_at_random_moments_leaves_one_passphrase_for_everything(tmp_path):
    """A real process changing the passphrase, killed with SIGKILL; after each restart exactly one of the
    two passphrases opens the database, its keys and its backups, and every row is there."""
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    root = Path(__file__).resolve().parents[1]
    path = tmp_path / "big.sqlite"
    with open_workspace(path) as db:
        generate_demo(db, mentees=300, seed=4)
        device_keys(db)
    for n in range(3):
        safety.make_backup(path, path.parent / "backups" / f"big-2026110{n}-100000-000000-manual.sqlite")
    protection.set_passphrase(path, Secret(OLD))
    before = _dump(path, Secret(OLD))
    pristine = tmp_path / "pristine"
    shutil.copytree(tmp_path, pristine, ignore=shutil.ignore_patterns("pristine"))
    code = "import sys; from coachdesk.cli import main; sys.exit(main(sys.argv[1:]))"

    def start() -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": str(root), "COACHDESK_PASSPHRASE": OLD, "COACHDESK_NEW_PASSPHRASE": NEW}
        return subprocess.Popen([sys.executable, "-c", code, "--db", str(path), "passphrase", "change"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                env=env)

    began = time.monotonic()
    assert start().wait(timeout=120) == 0
    whole = time.monotonic() - began
    outcomes = set()
    for fraction in (0.3, 0.5, 0.65, 0.8, 0.9, 0.97):
        for item in tmp_path.iterdir():  # back to the database under the old passphrase
            if item.name != "pristine":
                shutil.rmtree(item) if item.is_dir() else item.unlink()
        for item in pristine.iterdir():
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, tmp_path / item.name)
        child = start()
        time.sleep(whole * fraction)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        opens = [s for s in (Secret(OLD), Secret(NEW)) if _opens(path, s)]
        assert len(opens) == 1, fraction
        winner = opens[0]
        outcomes.add(winner.passphrase)
        assert _dump(path, winner) == before
        with open_workspace(path, daily_backup=False, secret=winner) as db:
            device_keys(db)  # the key file opens with the same passphrase
        key = winner.key_for(path)
        assert safety.diagnose(path, key).healthy
        assert all(not safety.check_file(copy, key) for copy in backups(path))
        assert not list(tmp_path.glob(".*")) and not list((tmp_path / "backups").glob(".*"))
    assert outcomes  # which passphrase won depends on the moment; both are fine, a mix never is


def _opens(path: Path, secret: Secret) -> bool:
    try:
        open_workspace(path, daily_backup=False, secret=secret).close()
        return True
    except PassphraseError:
        return False


def test_a_protected_database_is_migrated_with_an_encrypted_backup_first(tmp_path):
    """The backup taken before a migration of a protected database is encrypted with its key."""
    from coachdesk.store.engine import make_engine
    from coachdesk.store.migrate import head_revision, upgrade_to_head

    path = tmp_path / "older.sqlite"
    secret = Secret(OLD)
    key = secret.new_key()
    engine = make_engine(path, key)
    try:
        upgrade_to_head(engine, path, key, target="0006")
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO mentee (id, kind, name, languages, region, journey_stage, consent_given_by, email, "
                "phone, private_notes, archived, deleted) VALUES (x'00112233445566778899aabbccddeeff', 'person', "
                "'Nadia Rahman', '[]', '', 'assessment', '', '', '', '', 0, 0)")
    finally:
        engine.dispose()
    with open_workspace(path, daily_backup=False, secret=secret) as db, db.read() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert session.execute(text("SELECT name FROM mentee")).scalar() == "Nadia Rahman"
    [before] = [p for p in backups(path) if "before-" in p.name]
    assert is_encrypted(before) and b"Nadia Rahman" not in before.read_bytes()
    assert safety.validate_backup(before, secret.key_for(before)) == "0006"
