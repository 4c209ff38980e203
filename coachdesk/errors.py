"""Errors that carry a message for people, not a traceback."""

import errno


class CoachDeskError(Exception):
    """Something went wrong; ``str(error)`` says what, in one or two plain sentences."""

    exit_status = 1


class InputError(CoachDeskError):
    """An input was refused (a file, an id, a value); nothing was changed."""

    exit_status = 2


class Cancelled(CoachDeskError):
    """The person stopped a long operation; nothing was changed."""

    exit_status = 1


class PassphraseNeeded(InputError):
    """The database is protected and no passphrase was given; nothing was opened."""


class PassphraseError(InputError):
    """The passphrase given does not open the database (or is not acceptable as a new one); nothing was changed."""


#: The operating system's ways of saying the disk is full: no space left, or the person's quota used up.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


def os_reason(error: OSError) -> str:
    """Why a file could not be written or read, in plain words: a full disk says so and what to do."""
    from coachdesk.i18n import _

    if error.errno in DISK_FULL_ERRNOS:
        return _("the disk is full; free some space, or choose another disk, and try again")
    if error.errno == errno.EROFS:
        return _("the disk is read-only")
    if error.errno in (errno.EACCES, errno.EPERM):
        return _("you are not allowed to write there")
    return str(error.strerror or error)


def is_disk_full(error: BaseException) -> bool:
    """A full disk seen by SQLite (SQLITE_FULL) or by the operating system (ENOSPC, a quota)."""
    if isinstance(error, OSError):
        return error.errno in DISK_FULL_ERRNOS
    return "database or disk is full" in str(error)
