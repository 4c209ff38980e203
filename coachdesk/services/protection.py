"""The passphrase that protects a device's data: set it, change it, remove it, without losing a byte.

What a passphrase protects, together: the database (SQLCipher), the device's private keys (sealed key
file beside it) and every backup in its backups folder. Changing it writes a new copy of each under the
new key beside the old one (``.NAME.next``), checks the copy of the database holds every row, then
renames the database's copy into place: that rename is the moment the change happens. The other copies
follow. A crash at any point leaves either the old passphrase opening everything or the new one: the
next open (``finish_pending``) completes or drops the copies it finds, by which passphrase opens them.

Run these with the database closed: the command line does, and the app closes and reopens it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coachdesk.atomic import fsync_directory
from coachdesk.errors import InputError, PassphraseError, os_reason
from coachdesk.i18n import _, ngettext
from coachdesk.store.backup import backups
from coachdesk.store.cipher import (
    FileKey,
    Secret,
    connect,
    database_errors,
    export,
    is_encrypted,
    key_for_file,
    opens_with,
    same_content,
)

Progress = Callable[[int, int, str], None]


def keys_file(database: Path) -> Path:
    """The device's key file beside its database (see services.team.keys_path)."""
    return database.with_name(database.name + ".keys")


def pending(target: Path) -> Path:
    """Where the next version of ``target`` is written before it takes ``target``'s place."""
    return target.with_name(f".{target.name}.next")


def is_protected(database: Path) -> bool:
    return is_encrypted(database)


@dataclass
class Rekeyed:
    database: Path
    protected: bool
    backups: int = 0  # backups written under the new passphrase
    skipped: list[Path] = field(default_factory=list)  # backups the old passphrase did not open, left as they were

    def skipped_text(self) -> str:
        """A sentence about the backups left as they were, or nothing."""
        if not self.skipped:
            return ""
        return ngettext("{count} backup did not open with the old passphrase and was left as it was.",
                        "{count} backups did not open with the old passphrase and were left as they were.",
                        len(self.skipped)).format(count=len(self.skipped))


def refuse_unless_ready(action: str, database: Path) -> None:
    """One sentence when ``database`` is not in the state ``action`` ("set", "change", "remove") needs:
    checked before anyone is asked for a passphrase, and again by the action itself."""
    if not database.is_file():
        raise InputError(_("{file} does not exist.").format(file=database))
    protected = is_encrypted(database)
    if action == "set" and protected:
        raise InputError(_("{file} is already protected by a passphrase; change it instead.").format(
            file=database.name))
    if action == "change" and not protected:
        raise InputError(_("{file} has no passphrase yet; set one instead.").format(file=database.name))
    if action == "remove" and not protected:
        raise InputError(_("{file} has no passphrase to remove.").format(file=database.name))


def set_passphrase(database: Path, new: Secret, progress: Progress | None = None) -> Rekeyed:
    """Encrypt a plain database, its key file and its backups with ``new``."""
    refuse_unless_ready("set", database)
    return _rekey(database, None, new, progress)


def change_passphrase(database: Path, old: Secret, new: Secret, progress: Progress | None = None) -> Rekeyed:
    """Re-encrypt a protected database, its key file and its backups from ``old`` to ``new``."""
    refuse_unless_ready("change", database)
    return _rekey(database, old, new, progress)


def remove_passphrase(database: Path, old: Secret, progress: Progress | None = None) -> Rekeyed:
    """Decrypt a protected database, its key file and its backups: anyone with the laptop can read them."""
    refuse_unless_ready("remove", database)
    return _rekey(database, old, None, progress)


def _rekey(database: Path, old: Secret | None, new: Secret | None, progress: Progress | None) -> Rekeyed:
    old_key = key_for_file(database, old)  # PassphraseError before anything is written
    new_key = new.new_key() if new is not None else None
    report = progress or (lambda done, total, what: None)
    old_backups = backups(database)
    total = 2 + len(old_backups)
    _checkpoint(database, old_key)
    written: list[Path] = []
    try:
        report(0, total, _("Copying the database"))
        next_db = pending(database)
        _write_copy(database, old_key, next_db, new_key)
        written.append(next_db)
        if not same_content(database, old_key, next_db, new_key):
            raise InputError(_("The new copy of {file} did not match it, so nothing was changed.").format(
                file=database.name))
        keys = keys_file(database)
        if keys.exists():
            from coachdesk.sync.keys import load_keys, save_keys

            device = load_keys(keys, old)
            save_keys(pending(keys), device, new)
            written.append(pending(keys))
        report(1, total, _("Copying the backups"))
        result = Rekeyed(database, new is not None)
        for n, copy in enumerate(old_backups, start=2):
            if not opens_with(copy, old_key):
                result.skipped.append(copy)
                continue
            _write_copy(copy, old_key, pending(copy), new_key)
            written.append(pending(copy))
            result.backups += 1
            report(n, total, _("Copying the backups"))
        for suffix in ("-wal", "-shm"):  # emptied by the checkpoint; must not replay over the new file
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(next_db, database)  # the change happens here
        fsync_directory(database.parent)
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                _drop(path)
        raise
    finish_pending(database, new)
    report(total, total, _("Done"))
    return result


def _checkpoint(database: Path, key: FileKey | None) -> None:
    """Move the write-ahead log into the file, so that the file alone is the database."""
    try:
        connection = connect(database, key)
        try:
            busy, _log, _moved = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            connection.close()
    except database_errors() as error:
        raise InputError(_("{file} could not be read: {reason}.").format(file=database.name, reason=error)) from None
    if busy:
        raise InputError(_("{file} is in use by another CoachDesk; close it and try again.").format(
            file=database.name))


def _write_copy(source: Path, source_key: FileKey | None, destination: Path, key: FileKey | None) -> None:
    destination.unlink(missing_ok=True)
    try:
        export(source, source_key, destination, key)
        with destination.open("rb") as handle:
            os.fsync(handle.fileno())
    except OSError as error:
        destination.unlink(missing_ok=True)
        raise InputError(_("{file} could not be written: {reason}.").format(
            file=destination.name, reason=os_reason(error))) from None
    except database_errors() as error:
        destination.unlink(missing_ok=True)
        raise InputError(_("{file} could not be copied: {reason}.").format(file=source.name, reason=error)) from None


def finish_pending(database: Path, secret: Secret | None) -> None:
    """Complete or drop a passphrase change a crash interrupted, before the database is opened.

    The database itself is already whole (its rename is atomic). Each ``.NAME.next`` copy beside the
    key file and the backups belongs to the passphrase the database now has if that passphrase opens
    it: then it takes its place; otherwise it is from a change that never happened and is removed."""
    keys = keys_file(database)
    folder = database.parent / "backups"
    copies = sorted(folder.glob(f".{database.stem}-*.sqlite.next")) if folder.is_dir() else []
    left_over = [Path(f"{pending(database)}{suffix}") for suffix in ("", "-journal", "-wal", "-shm")]
    if not copies and not pending(keys).exists() and not any(path.exists() for path in left_over):
        return  # nothing was interrupted: every start but one after a crash ends here
    _drop(pending(database))  # never renamed: the change did not happen
    try:
        key = key_for_file(database, secret) if database.exists() else None
    except InputError:
        return  # the caller's open will say why; nothing is decided without the right passphrase
    if pending(keys).exists():
        from coachdesk.sync.keys import KeyFileError, load_keys

        try:
            load_keys(pending(keys), secret)
            belongs = True
        except (KeyFileError, InputError):
            belongs = False
        if belongs:
            os.replace(pending(keys), keys)
        else:
            pending(keys).unlink(missing_ok=True)
    if copies:
        for copy in copies:
            target = copy.with_name(copy.name[1:-len(".next")])
            if not _whole(copy):
                _drop(copy)  # killed while it was written: from before the change, which did not happen
            elif _belongs(copy, key):
                os.replace(copy, target)
            else:
                _drop(copy)
        fsync_directory(folder)
    fsync_directory(database.parent)


def _whole(copy: Path) -> bool:
    return not any(Path(f"{copy}{suffix}").exists() for suffix in ("-journal", "-wal"))


def _drop(copy: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)


def _belongs(copy: Path, key: FileKey | None) -> bool:
    if key is None:
        return not is_encrypted(copy) and opens_with(copy, None)
    return is_encrypted(copy) and opens_with(copy, key)


def check_passphrase(database: Path, secret: Secret) -> FileKey:
    """The key ``secret`` gives for ``database``, or PassphraseError: the check made to unlock the app."""
    key = key_for_file(database, secret)
    if key is None:
        raise PassphraseError(_("{file} has no passphrase.").format(file=database.name))
    return key


__all__ = ["Rekeyed", "change_passphrase", "refuse_unless_ready", "check_passphrase", "finish_pending", "is_protected",
           "remove_passphrase", "set_passphrase"]
