"""Errors that carry a message for people, not a traceback."""


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


def os_reason(error: OSError) -> str:
    """Why a file could not be written or read, in plain words: a full disk says so and what to do."""
    import errno

    from coachdesk.i18n import _

    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return _("the disk is full; free some space, or choose another disk, and try again")
    if error.errno == errno.EROFS:
        return _("the disk is read-only")
    if error.errno in (errno.EACCES, errno.EPERM):
        return _("you are not allowed to write there")
    return str(error.strerror or error)


def is_disk_full(error: BaseException) -> bool:
    """A full disk seen by SQLite (SQLITE_FULL) or by the operating system (ENOSPC, a quota)."""
    import errno

    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
    return "database or disk is full" in str(error)


class DiskFull(CoachDeskError):
    """The disk filled up while writing; the write was rolled back, so nothing was half saved."""
