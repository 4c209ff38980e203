"""Bring a database to the current schema at start: compare, back up, migrate, or roll back and explain."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from coachdesk.errors import CoachDeskError, InputError
from coachdesk.paths import migrations_dir
from coachdesk.store.backup import backup_before
from coachdesk.store.cipher import FileKey

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic loads only when a database must change: opening an up-to-date database, the
# common case at every start, reads the version table and the file names of db/versions.


#: Objects the models do not describe, made by migrations for SQLite only: full-text search
#: tables, the list indexes that use SQLite's partial, collated index syntax, and the peer-matching
#: partial indexes (db/versions/0009).
UNMODELLED_PREFIXES = ("search_", "list_", "match_")


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Alembic's filter: leave SQLite-only objects made by migrations out of model comparisons."""
    return not (type_ in ("table", "index") and name and name.startswith(UNMODELLED_PREFIXES))


class MigrationError(CoachDeskError):
    """A migration failed; the database was left as it was and a backup exists."""


class NewerDatabaseError(InputError):
    """The database was made by a newer CoachDesk than this one."""


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def known_revisions() -> set[str]:
    """Every schema revision this CoachDesk has a migration for."""
    return {p.name.split("_", 1)[0] for p in (migrations_dir() / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")}


def head_revision() -> str:
    """The newest schema revision, by the house rule that a revision id is its file's
    ``NNNN`` prefix and each revision follows the one before (a test checks it against
    Alembic's own answer)."""
    names = [p.name.split("_", 1)[0] for p in (migrations_dir() / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")]
    if not names:
        raise MigrationError("CoachDesk's database migrations are missing from this installation.")
    return max(names)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError):
            return None  # no version table: a new, empty database


def _is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def upgrade_to_head(engine: Engine, database_file: Path | None = None, key: FileKey | None = None, *,
                    target: str = "head") -> MigrationResult:
    """Migrate ``engine``'s database to ``target`` (normally the newest schema).

    When a file with data is about to change, it is copied to the backups folder first.
    All migrations run in one transaction: on failure nothing changes.
    """
    before = current_revision(engine)
    wanted = head_revision() if target == "head" else target
    if before == wanted:
        return MigrationResult(before, wanted, None)
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config()
    scripts = ScriptDirectory.from_config(config)
    known = {rev.revision for rev in scripts.walk_revisions()}
    if before is not None and before not in known:
        raise NewerDatabaseError(
            f"This database was made by a newer CoachDesk (schema {before}); update CoachDesk to open it."
        )
    backup = None
    if database_file is not None and database_file.exists() and not _is_empty(engine):
        backup = backup_before(database_file, f"before-{wanted}", key=key)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, target)
    except Exception as error:
        where = f" A copy of the database from before is in {backup}." if backup else ""
        raise MigrationError(
            f"Updating the database to schema {wanted} failed, so it was left unchanged: {error}.{where}"
        ) from error
    return MigrationResult(before, wanted, backup)
