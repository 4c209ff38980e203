"""Keeping the data safe: backups on demand, restore with checks, and the doctor that says in
plain words what is wrong with a database and what to do about it."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from coachdesk.atomic import fsync_directory
from coachdesk.errors import InputError, os_reason
from coachdesk.i18n import _
from coachdesk.store.backup import backup_before, backups, check_file, copy_database, keep_bytes, rotate
from coachdesk.store.cipher import FileKey, connect, database_errors, export, is_encrypted
from coachdesk.store.migrate import head_revision, known_revisions


def _database_file(db_path: Path | None) -> Path:
    if db_path is None:
        raise InputError(_("This database lives in memory; there is no file to back up or check."))
    return db_path


def make_backup(database: Path, out: Path, key: FileKey | None = None) -> Path:
    """A consistent copy of ``database`` (even while the app writes to it) at ``out``; encrypted with
    the database's own key when it is protected."""
    if not database.exists():
        raise InputError(_("{file} does not exist.").format(file=database))
    if out.resolve() == database.resolve():
        raise InputError(_("A backup cannot replace the database it copies; choose another file."))
    try:
        return copy_database(database, out, key)
    except OSError as error:
        raise InputError(_("{file} could not be written: {reason}.").format(
            file=out, reason=os_reason(error))) from None


def backup_before_import(db_path: Path | None, key: FileKey | None = None) -> Path | None:
    """A backup before an import changes the database (kept: the last few imports)."""
    if db_path is None or not db_path.exists():
        return None
    made = backup_before(db_path, "import", key=key)
    rotate(db_path)
    return made


def _schema(path: Path, key: FileKey | None = None) -> str | None:
    try:
        connection = connect(path, key, readonly=True)
    except database_errors():
        return None
    try:
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"alembic_version", "sync_state", "mentee"} <= names:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    except database_errors():
        return None
    finally:
        connection.close()


def validate_backup(path: Path, key: FileKey | None = None) -> str:
    """The schema revision of a CoachDesk backup at ``path`` (encrypted: read with ``key``), or one
    sentence saying why it is not one."""
    if not path.is_file():
        raise InputError(_("{file} does not exist.").format(file=path))
    problems = check_file(path, key)
    if problems == ["not a database"] and key is None and is_encrypted(path):
        raise InputError(_("{file} is protected by a passphrase; give its passphrase to restore it.").format(
            file=path.name))
    if problems == ["not a database"] and key is not None:
        raise InputError(_("{file} is not a CoachDesk backup, or its passphrase is another one.").format(
            file=path.name))
    if problems == ["not a database"]:
        raise InputError(_("{file} is not a CoachDesk backup.").format(file=path.name))
    if problems:
        problem = " ".join(problems[0].split()).replace("*** in database main *** ", "")
        raise InputError(_("{file} is damaged ({problem}); choose another backup.").format(
            file=path.name, problem=problem))
    if key is None and not _versions_readable(path):
        raise InputError(_("{file} is damaged (its header asks for a file format CoachDesk cannot write); "
                           "choose another backup.").format(file=path.name))
    revision = _schema(path, key)
    if revision is None:
        raise InputError(_("{file} is a database, but not a CoachDesk one.").format(file=path.name))
    if revision not in known_revisions():
        if revision > head_revision():
            raise InputError(_("{file} comes from a newer CoachDesk; update CoachDesk to restore it.").format(
                file=path.name))
        raise InputError(_("{file} is a database, but not a CoachDesk one.").format(file=path.name))
    return revision


def _versions_readable(path: Path) -> bool:
    """SQLite's file format write and read versions (header bytes 18 and 19): 1 (rollback) or 2 (WAL)."""
    with path.open("rb") as handle:
        handle.seek(18)
        versions = handle.read(2)
    return len(versions) == 2 and versions[0] in (1, 2) and versions[1] in (1, 2)


def _try_open(path: Path, key: FileKey | None) -> None:
    """Open a copy as CoachDesk would (migrations, identity) and read every row of every table: the
    check a backup passes before it takes the database's place, after ``validate_backup`` ran SQLite's
    integrity check on it. Raises what opening raises."""
    from coachdesk.store.database import Database, _ensure_identity
    from coachdesk.store.engine import make_engine
    from coachdesk.store.migrate import upgrade_to_head

    engine = make_engine(path, key)
    try:
        upgrade_to_head(engine, None, key)
        _ensure_identity(Database(engine, path))
        with engine.connect() as connection:
            tables = [r[0] for r in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
            for table in tables:
                rows = connection.exec_driver_sql(f'SELECT * FROM "{table}"')
                while rows.fetchmany(2000):  # every value decoded: text that is not UTF-8 shows here
                    pass
    finally:
        engine.dispose()


@dataclass
class Restored:
    restored: Path
    previous: Path | None  # where the database it replaced was kept


def restore(database: Path, backup: Path, key: FileKey | None = None,
            database_key: FileKey | None = None) -> Restored:
    """Replace ``database`` with the checked ``backup`` (read with ``key``), keeping the current database
    as a backup first (copied with ``database_key``).

    A plain backup restored over a protected database is encrypted with the database's key on the
    way, so restoring never leaves the data unprotected. Run it with the database closed (the command
    line does; the app restores before it opens one).
    """
    validate_backup(backup, key)
    import tempfile

    from sqlalchemy.exc import SQLAlchemyError

    from coachdesk.errors import CoachDeskError

    database.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{database.name}.restore-", dir=database.parent))
    try:
        # A copy page by page (a backup left in WAL mode brings its log along), encrypted on the way
        # when a plain backup replaces a protected database, then opened and read whole before the swap.
        trial = work / database.name
        trial_key = key
        try:
            copy_database(backup, trial, key)
            if key is None and database_key is not None:
                encrypted = work / f"encrypted-{database.name}"
                export(trial, None, encrypted, database_key)
                os.replace(encrypted, trial)
                trial_key = database_key
            _try_open(trial, trial_key)
        except OSError:
            raise
        except (CoachDeskError, SQLAlchemyError, *database_errors()):
            raise InputError(_("{file} is damaged or is not a CoachDesk backup, so nothing was restored; choose "
                               "another backup.").format(file=backup.name)) from None
        with trial.open("rb") as handle:
            os.fsync(handle.fileno())
        previous = None
        if database.exists():
            try:
                previous = backup_before(database, "before-restore", key=database_key)
            except database_errors():  # too damaged to copy page by page: keep its bytes as they are
                previous = keep_bytes(database, "before-restore")
        for suffix in ("-wal", "-shm"):  # the old database's journal must not replay over the restored one
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(trial, database)
        fsync_directory(database.parent)
        damage_marker(database).unlink(missing_ok=True)
    except OSError as error:
        raise InputError(_("{file} could not be restored: {reason}.").format(
            file=backup.name, reason=os_reason(error))) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Restored(database, previous)


# -- the doctor --------------------------------------------------------------------------------


@dataclass
class Finding:
    what: str  # what is wrong, in plain words
    advice: str  # what to do


@dataclass
class Diagnosis:
    database: Path
    findings: list[Finding] = field(default_factory=list)
    good_backup: Path | None = None

    @property
    def healthy(self) -> bool:
        return not self.findings


def latest_good_backup(database: Path, key: FileKey | None = None) -> Path | None:
    """The newest backup of ``database`` that is whole and opens with ``key`` (the database's)."""
    for candidate in backups(database):
        if not check_file(candidate, key) and _schema(candidate, key) is not None:
            return candidate
    return None


def _sync_state_findings(path: Path, key: FileKey | None = None) -> list[str]:
    """Sync bookkeeping that must hold in any healthy database (plain sentences)."""
    found: list[str] = []
    try:
        connection = connect(path, key, readonly=True)
    except database_errors() as error:
        return [_("The sync records cannot be read: {reason}.").format(reason=error)]
    try:
        state = connection.execute("SELECT local_site_idx, db_version FROM sync_state").fetchall()
        if len(state) != 1:
            return [_("The sync state is missing, so this device cannot tell what it has shared.")]
        local_site, version = state[0]
        if not connection.execute("SELECT 1 FROM sync_site WHERE idx = ?", (local_site,)).fetchone():
            found.append(_("This device's sync identity is missing."))
        newest = max(connection.execute("SELECT coalesce(max(version), 0) FROM sync_row_clock").fetchone()[0],
                     connection.execute("SELECT coalesce(max(version), 0) FROM sync_field_clock").fetchone()[0])
        if newest > version:
            found.append(_("Changes are recorded as newer than the database itself ({newest} > {version})."
                           ).format(newest=newest, version=version))
        orphans = connection.execute(
            "SELECT count(*) FROM sync_field_clock f LEFT JOIN sync_row_clock r ON r.row_id = f.row_id "
            "WHERE r.row_id IS NULL").fetchone()[0]
        if orphans:
            found.append(_("{count} field changes belong to no recorded row.").format(count=orphans))
        unknown = connection.execute(
            "SELECT count(*) FROM sync_row_clock r LEFT JOIN sync_site s ON s.idx = r.site_idx "
            "WHERE s.idx IS NULL").fetchone()[0]
        if unknown:
            found.append(_("{count} rows were changed by a device the database does not know.").format(count=unknown))
    except database_errors() as error:
        found.append(_("The sync records cannot be read: {reason}.").format(reason=error))
    finally:
        connection.close()
    return found


def diagnose(database: Path, key: FileKey | None = None) -> Diagnosis:
    """Check ``database`` (protected: read with ``key``): SQLite's integrity and foreign keys, then the
    sync bookkeeping."""
    diagnosis = Diagnosis(database)
    if not database.exists():
        raise InputError(_("{file} does not exist.").format(file=database))
    good = latest_good_backup(database, key)
    diagnosis.good_backup = good
    restore_advice = (_("Restore the latest good backup: coachdesk restore “{file}”.").format(file=good)
                      if good else _("No good backup was found; copy the file somewhere safe and ask for help."))
    problems = check_file(database, key)
    if problems == ["not a database"]:
        diagnosis.findings.append(Finding(_("{file} is not a database.").format(file=database.name),
                                          restore_advice))
        return diagnosis
    for problem in problems:
        diagnosis.findings.append(Finding(_("The file is damaged: {problem}.").format(problem=problem),
                                          restore_advice))
    if problems:
        return diagnosis
    if _schema(database, key) is None:
        diagnosis.findings.append(Finding(_("{file} is not a CoachDesk database.").format(file=database.name),
                                          _("Open the right file with coachdesk --db FILE.")))
        return diagnosis
    for sentence in _sync_state_findings(database, key):
        diagnosis.findings.append(Finding(sentence, _("Your data is readable. Export it for the hub, then "
                                                      "import the central export into a fresh database, or "
                                                      "restore the latest good backup.")))
    return diagnosis


def damage_marker(database: Path) -> Path:
    """Left beside the database by a background check that found damage; the next start acts on it."""
    return database.with_name(database.name + ".damaged")


def looks_whole(database: Path, key: FileKey | None = None) -> bool:
    """The check made before every start: cheap (the header and the schema read), and the verdict of
    the last full check (``damage_marker``), which runs in the background once the app is open."""
    if damage_marker(database).exists():
        if quick_check(database, key):
            damage_marker(database).unlink(missing_ok=True)
            return True
        return False
    return _schema(database, key) is not None  # not a database, or a damaged first page: None


def check_in_background(database: Path, key: FileKey | None = None) -> bool:
    """The full quick check, for a worker thread after start: leaves the damage marker when it fails,
    and takes the day's backup when the database is whole (so a backup is never a copy of damage)."""
    from coachdesk.store.backup import backup_daily

    if quick_check(database, key):
        damage_marker(database).unlink(missing_ok=True)
        backup_daily(database, key=key)
        return True
    damage_marker(database).write_text("quick_check failed\n", encoding="utf-8")
    return False


def quick_check(database: Path, key: FileKey | None = None) -> bool:
    """A fast look at start: does SQLite find the file whole?"""
    try:
        connection = connect(database, key, readonly=True)
        try:
            return connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            connection.close()
    except database_errors():
        return False


__all__ = ["Diagnosis", "Finding", "Restored", "diagnose", "latest_good_backup", "make_backup", "quick_check",
           "restore", "rotate", "validate_backup"]
