"""What every command shares: exit statuses, the database it works on, passphrases, output and progress."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from coachdesk.errors import PassphraseError, PassphraseNeeded
from coachdesk.i18n import _
from coachdesk.paths import default_database

EXIT_OK = 0
EXIT_REFUSED = 2
#: Where scripts put the passphrase of a protected database (and, to change it, the new one).
PASSPHRASE_ENV = "COACHDESK_PASSPHRASE"
NEW_PASSPHRASE_ENV = "COACHDESK_NEW_PASSPHRASE"


def database_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_database()


def open_db(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from coachdesk.services.workspace import open_workspace

    path = database_path(args)
    return open_workspace(path, secret=secret_for(path))


def open_db_or_hub(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The hub's database when ``--hub-dir`` is given (every device's work, and the team's name), else this
    device's (and an empty name)."""
    if getattr(args, "hub_dir", None):
        from coachdesk.services.hub import load_hub

        hub = load_hub(args.hub_dir)
        return hub.open(), hub.name
    return open_db(args), ""


def ask_passphrase(prompt: str, env: str):  # type: ignore[no-untyped-def]
    """A passphrase from the environment (scripts) or typed without echo (people)."""
    import getpass

    from coachdesk.store.cipher import Secret

    value = os.environ.get(env, "")
    if not value:
        if not sys.stdin.isatty():
            raise PassphraseNeeded(_("A passphrase is needed: type it in a terminal, or set {env} for a script."
                                     ).format(env=env))
        value = getpass.getpass(prompt)
    if not value:
        raise PassphraseNeeded(_("No passphrase was given; nothing was changed."))
    return Secret(value)


def secret_for(*paths: Path):  # type: ignore[no-untyped-def]
    """The passphrase, asked once, when any of ``paths`` is a protected database; else None."""
    from coachdesk.store.cipher import is_encrypted

    protected = [path for path in paths if is_encrypted(path)]
    if not protected:
        return None
    return ask_passphrase(_("Passphrase for {file}: ").format(file=protected[0].name), PASSPHRASE_ENV)


def key_for(path: Path):  # type: ignore[no-untyped-def]
    from coachdesk.store.cipher import key_for_file

    return key_for_file(path, secret_for(path))


def new_passphrase(*envs: str):  # type: ignore[no-untyped-def]
    """A new passphrase: from the first of ``envs`` that is set, else typed twice."""
    import getpass

    from coachdesk.store.cipher import check_new_passphrase

    for env in envs:
        if os.environ.get(env):
            return check_new_passphrase(os.environ[env])
    if not sys.stdin.isatty():
        raise PassphraseNeeded(_("A new passphrase is needed: type it in a terminal, or set {env} for a script."
                                 ).format(env=envs[0]))
    first = getpass.getpass(_("New passphrase: "))
    secret = check_new_passphrase(first)
    if getpass.getpass(_("The new passphrase again: ")) != first:
        raise PassphraseError(_("The two passphrases differ; nothing was changed."))
    return secret


def day(text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("“{text}” is not a date like 2026-03-31").format(text=text)) from None


def print_language(args: argparse.Namespace) -> str:
    from coachdesk.i18n import current_language

    return args.lang or current_language()


def emit(args: argparse.Namespace, data: object, text: str) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str) if args.json else text)


_progress_shown = False


def progress_printer():  # type: ignore[no-untyped-def]
    def show(done: int, total: int, what: str) -> None:
        global _progress_shown
        if sys.stderr.isatty():
            _progress_shown = True
            sys.stderr.write(f"\r{what}… {done * 100 // max(total, 1)}%")
            sys.stderr.flush()

    return show


def clear_progress() -> None:
    if _progress_shown:
        sys.stderr.write("\r\033[K")
