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
