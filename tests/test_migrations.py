"""Schema migrations: a new file reaches the current schema, older files are upgraded safely, and
files CoachDesk cannot or must not change are refused untouched."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from coachdesk.cli import main
from coachdesk.model import Base, uuid7
from coachdesk.paths import backup_dir
from coachdesk.store import migrate
from coachdesk.store.database import DatabaseError, open_database
from coachdesk.store.engine import make_engine
from coachdesk.store.migrate import MigrationError, NewerDatabaseError, head_revision, include_object, upgrade_to_head
from coachdesk.store.search import search

OLD_NOTES = "Uma oficina sobre angariação de fundos com a comunidade de Maputo."


def _not_a_search_index(obj, name, type_, reflected, compare_to) -> bool:
    # The filter db/env.py uses: FTS tables and list indexes are made by migrations, not by the models.
    return include_object(obj, name, type_, reflected, compare_to)


def _revision(path: Path) -> str | None:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        connection.close()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _database_at_0001(path: Path) -> tuple[uuid.UUID, uuid.UUID]:
    """A file as CoachDesk made it before full-text search existed, with a mentee and a session."""
    engine = make_engine(path)
    try:
        result = upgrade_to_head(engine, path, target="0001")
        assert (result.from_revision, result.to_revision) == (None, "0001")
        mentee_id, session_id = uuid7(), uuid7()
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO mentee (id, kind, name, languages, region, journey_stage, consent_given_by, email, "
                "phone, private_notes, archived, deleted) VALUES (?, 'person', 'Célia Sitoe', '[\"pt\"]', "
                "'Southern Africa', 'assessment', '', 'celia@example.org', '', '', 0, 0)",
                (mentee_id.bytes,),
            )
            connection.exec_driver_sql(
                "INSERT INTO coaching_session (id, kind, title, started_at, duration_minutes, location, language, "
                "notes, next_steps, private_notes, deleted) VALUES (?, 'training', 'Oficina', "
                "'2026-02-03 10:00:00.000000', 120, 'Maputo', 'pt', ?, '', '', 0)",
                (session_id.bytes, OLD_NOTES),
            )
            connection.exec_driver_sql(
                "INSERT INTO session_participant (id, session_id, mentee_id, deleted) VALUES (?, ?, ?, 0)",
                (uuid.uuid4().bytes, session_id.bytes, mentee_id.bytes),
            )
    finally:
        engine.dispose()
    assert _revision(path) == "0001"
    return mentee_id, session_id


def test_a_new_file_migrates_to_the_head_revision(db_path):
    db, result = open_database(db_path)
    try:
        assert (result.from_revision, result.to_revision) == (None, head_revision())
        assert result.backup is None  # nothing to protect in a new file
        assert migrate.current_revision(db.engine) == head_revision()
    finally:
        db.close()
    assert not any(backup_dir(db_path).iterdir())


def test_the_migrated_schema_is_exactly_what_the_models_describe(db_path):
    db, _ = open_database(db_path)
    try:
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": _not_a_search_index}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.close()


def test_opening_an_up_to_date_database_changes_nothing_and_makes_no_backup(db_path):
    db, _ = open_database(db_path)
    db.close()
    db, result = open_database(db_path)
    db.close()
    assert (result.from_revision, result.to_revision, result.backup) == (head_revision(), head_revision(), None)
    assert not any(backup_dir(db_path).iterdir())


def test_a_database_of_the_previous_schema_is_backed_up_and_upgraded(db_path):
    mentee_id, session_id = _database_at_0001(db_path)

    db, result = open_database(db_path)
    try:
        assert (result.from_revision, result.to_revision) == ("0001", head_revision())
        assert migrate.current_revision(db.engine) == head_revision()
        # 0002 indexed the notes that were already there.
        with db.engine.connect() as connection:
            hits = search(connection, "angariação")
            assert [(h.kind, h.id) for h in hits] == [("session", session_id)]
            assert [(h.kind, h.id) for h in search(connection, "Célia")] == [("mentee", mentee_id)]
    finally:
        db.close()

    backups = list(backup_dir(db_path).iterdir())
    assert backups == [result.backup]
    assert result.backup.parent == db_path.parent / "backups"
    assert _revision(result.backup) == "0001"
    copy = sqlite3.connect(result.backup)
    try:
        assert copy.execute("SELECT id, name FROM mentee").fetchall() == [(mentee_id.bytes, "Célia Sitoe")]
        assert copy.execute("SELECT notes FROM coaching_session").fetchall() == [(OLD_NOTES,)]
        # A backup is one self-contained file, not a WAL database needing its sidecar files.
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        copy.close()


def test_a_database_from_a_newer_coachdesk_is_refused_untouched(db_path):
    _database_at_0001(db_path)
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    before = _files(db_path.parent)

    with pytest.raises(NewerDatabaseError, match="update CoachDesk") as refused:
        open_database(db_path)

    assert "9999_from_the_future" in str(refused.value)
    assert _files(db_path.parent) == before


def test_a_failing_migration_rolls_back_and_names_the_backup(db_path):
    mentee_id, _ = _database_at_0001(db_path)
    # A table in the way of the second index 0002 makes: the first index and its triggers are
    # already made when the migration fails, so rolling back has real work to undo.
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("CREATE TABLE search_mentee (something TEXT)")
    connection.close()

    with pytest.raises(MigrationError) as failed:
        open_database(db_path)

    [backup] = backup_dir(db_path).iterdir()
    assert str(backup) in str(failed.value)
    # Nothing stays open behind the error (an open connection would keep WAL files beside it).
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["backups", db_path.name]
    assert "left unchanged" in str(failed.value)
    assert _revision(db_path) == "0001"
    connection = sqlite3.connect(db_path)
    try:
        assert connection.execute("SELECT id FROM mentee").fetchall() == [(mentee_id.bytes,)]
        made_by_0002 = connection.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'search_session%'"
        ).fetchall()
        assert made_by_0002 == []
    finally:
        connection.close()
    assert _revision(backup) == "0001"


def test_a_migration_that_raises_leaves_the_database_at_its_revision(db_path, monkeypatch):
    _database_at_0001(db_path)

    def broken_upgrade(config, target):  # as if a migration script raised half way
        connection = config.attributes["connection"]
        connection.exec_driver_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("disk on fire")

    from alembic import command

    monkeypatch.setattr(command, "upgrade", broken_upgrade)
    with pytest.raises(MigrationError, match="disk on fire"):
        open_database(db_path)

    assert _revision(db_path) == "0001"
    connection = sqlite3.connect(db_path)
    try:
        assert connection.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall() == []
        assert connection.execute("SELECT count(*) FROM mentee").fetchone() == (1,)
    finally:
        connection.close()


def test_a_text_file_is_not_taken_for_a_database(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes("Meeting notes, not a database.\n".encode())
    before = _files(tmp_path)

    with pytest.raises(DatabaseError, match="not a CoachDesk database"):
        open_database(path)

    assert _files(tmp_path) == before


def test_the_command_line_refuses_a_text_file_as_database(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"Meeting notes, not a database.\n")
    before = _files(tmp_path)

    assert main(["--db", str(path), "stats"]) == 2

    error = capsys.readouterr().err
    assert "not a CoachDesk database" in error
    assert str(path) in error
    assert "Traceback" not in error
    assert _files(tmp_path) == before


def test_a_folder_is_not_taken_for_a_database(tmp_path):
    with pytest.raises(DatabaseError, match="is a folder"):
        open_database(tmp_path)


def test_the_quick_head_revision_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    from coachdesk.store.migrate import alembic_config

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
