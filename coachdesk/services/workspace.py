"""Open the database the app or a command works on: migrate it, give it an identity, load reference data."""

from __future__ import annotations

from pathlib import Path

from coachdesk.paths import default_database
from coachdesk.services.reference_data import ensure_reference_data
from coachdesk.store.cipher import Secret
from coachdesk.store.database import Database, open_database


def open_workspace(target: Path | str | None = None, daily_backup: bool = True,
                   secret: Secret | None = None) -> Database:
    """Open ``target`` (a file path or database URL; default: the user's database), ready to use.

    A protected database needs its passphrase (``secret``). The first open of the day keeps a backup;
    the app asks for none here and takes it off the GUI thread after its full check of the file
    (``safety.check_in_background``)."""
    target = target or default_database()
    if "://" not in str(target):
        from coachdesk.services.protection import finish_pending

        finish_pending(Path(target), secret)  # a passphrase change a crash interrupted
    db, _ = open_database(target, secret=secret)
    try:
        ensure_reference_data(db)
        if daily_backup and db.path is not None:
            from coachdesk.store.backup import backup_daily

            backup_daily(db.path, key=db.key)  # the first open of the day keeps a copy; a week of them is kept
    except Exception:
        db.close()
        raise
    return db
