"""An open CoachDesk database: its engine, its sessions with change capture, and its identity."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from coachdesk.errors import InputError
from coachdesk.model import Synced, SyncSite, SyncState
from coachdesk.store import changes
from coachdesk.store.cipher import FileKey, Secret, is_encrypted, key_for_file
from coachdesk.store.engine import make_engine
from coachdesk.store.migrate import MigrationResult, upgrade_to_head


T = TypeVar("T")


class DatabaseError(InputError):
    """The database cannot be opened; the message says why in plain words."""


def _refuse_bulk_dml(state: ORMExecuteState) -> None:
    # ORM-enabled UPDATE/DELETE statements bypass change capture.
    if not (state.is_update or state.is_delete):
        return
    for mapper in state.all_mappers:
        if issubclass(mapper.class_, Synced):
            raise changes.HardDeleteRefused(
                f"Bulk {'UPDATE' if state.is_update else 'DELETE'} on {mapper.class_.__name__} would skip "
                "change capture; change the objects instead."
            )


class Database:
    """Owns the engine; hands out sessions whose writes are captured for sync.

    One unit of work, one session: ``with db.write() as s: ...`` commits on success and
    rolls back on error; ``with db.read() as s: ...`` never writes.
    """

    def __init__(self, engine: Engine, path: Path | None, secret: Secret | None = None,
                 key: FileKey | None = None) -> None:
        self.engine = engine
        self.path = path
        #: The passphrase of a protected database (None: not protected) and the key of its file.
        self.secret = secret if key is not None else None
        self.key = key
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self.sessions, "before_flush", changes.capture_flush)
        event.listen(self.sessions, "after_transaction_end", changes.end_of_transaction)
        event.listen(self.sessions, "do_orm_execute", _refuse_bulk_dml)

    @property
    def name(self) -> str:
        return self.path.name if self.path else self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

    def run_write(self, work: Callable[[Session], T]) -> tuple[T, changes.ChangeSummary]:
        """Run ``work`` in one write transaction; return its result and what it changed."""
        with self.sessions() as session:
            with session.begin():
                result = work(session)
            return result, changes.take_summary(session)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def rebind(self, secret: Secret | None, key: FileKey | None) -> None:
        """Open the same file again under another key, after its passphrase was set, changed or removed.

        Sessions made afterwards use the new engine; the old one's connections are closed."""
        if self.path is None:
            raise DatabaseError("Only a database file can be given a passphrase.")
        self.engine.dispose()
        self.engine = make_engine(self.path, key)
        self.sessions.configure(bind=self.engine)
        self.secret = secret if key is not None else None
        self.key = key


def _ensure_identity(db: Database) -> None:
    with db.write() as session:
        if session.get(SyncState, changes.STATE_ID) is not None:
            return
        # A random site id for now; a device key pair may later take its place.
        site = SyncSite(site_id=os.urandom(16), name="this device", is_local=True)
        session.add(site)
        session.flush()
        session.add(SyncState(id=changes.STATE_ID, local_site_idx=site.idx, db_version=0, last_hlc=0))


def open_database(target: Path | str, *, migrate: bool = True,
                  secret: Secret | None = None) -> tuple[Database, MigrationResult | None]:
    """Open (creating if needed) the database at a file path or URL and bring it up to date.

    A protected database opens only with its passphrase (``secret``): PassphraseNeeded without one,
    PassphraseError with a wrong one, and the file is not touched. A new file given a passphrase is
    created encrypted."""
    text = str(target)
    path = None if "://" in text else Path(target)
    key = None
    if path is not None:
        if path.exists() and path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file.")
        if is_encrypted(path):
            key = key_for_file(path, secret)
        elif path.exists() and path.stat().st_size and not _looks_like_sqlite(path):
            raise DatabaseError(f"{path} is not a CoachDesk database (it is not an SQLite file).")
        elif secret is not None and not (path.exists() and path.stat().st_size):
            key = secret.new_key()
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(target, key)
    try:
        result = upgrade_to_head(engine, path, key) if migrate else None
        db = Database(engine, path, secret, key)
        _ensure_identity(db)
    except BaseException:
        engine.dispose()  # a refused file must not stay open (and locked) behind the error
        raise
    return db, result


def count_live(session: Session, cls: type[Synced]) -> int:
    return session.scalar(select(func.count()).select_from(cls).where(cls.deleted.is_(False))) or 0


def _looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"
