"""The command line: start the app, and every command, each group in its own module.

Every command answers a refused input with one clear sentence and exit status 2, and
changes nothing in that case.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from coachdesk import __version__
from coachdesk.cli.common import EXIT_OK, EXIT_REFUSED, NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, clear_progress
from coachdesk.cli.data import add_data_commands
from coachdesk.cli.exchange import add_exchange_commands
from coachdesk.cli.safety import add_safety_commands
from coachdesk.cli.sync import add_sync_commands
from coachdesk.errors import CoachDeskError, InputError, is_disk_full, os_reason
from coachdesk.i18n import _
from coachdesk.paths import default_database


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coachdesk",
        description=_("CoachDesk: coaching, assessments, plans and sessions for capacity building. "
                      "With no command, the desktop app starts."),
    )
    parser.add_argument("--version", action="version", version=f"CoachDesk {__version__}")
    parser.add_argument("--lang", dest="ui_lang", default="", metavar=_("CODE"),
                        help=_("the language of the app and of these messages, for this run (e.g. ar, hi, pt_BR)"))
    parser.add_argument("--db", metavar=_("PATH"), type=Path,
                        help=_("database file to use (default: {path})").format(path=default_database()))
    # For build scripts: start the app on a throwaway database, check it comes up, quit (coachdesk/ui/smoke.py).
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    add_data_commands(commands)
    add_sync_commands(commands)
    add_exchange_commands(commands)
    add_safety_commands(commands)
    return parser


def _launch(args: argparse.Namespace) -> int:
    if args.smoke_test:
        from coachdesk.ui.smoke import run_smoke_test

        return run_smoke_test(language=args.ui_lang)
    from coachdesk.ui.app import run_app

    return run_app(args.db, language=args.ui_lang)


def _language_asked(argv: Sequence[str]) -> str:
    """The ``--lang`` given before the command, if any (read before the help texts are made)."""
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if not arg.startswith("-") and (n == 0 or argv[n - 1] not in ("--db",)):
            break  # the command: a --lang after it belongs to the command
    return ""


def _speak(argv: Sequence[str]) -> str:
    """Speak the asked language, else the person's, else the system's, else English; returns an asked one."""
    import locale

    from coachdesk.i18n import is_language_code, set_language, shipped_languages
    from coachdesk.services.settings import load_settings

    asked = _language_asked(argv)
    if asked:
        shipped = shipped_languages()
        code = asked.replace("-", "_")
        if code not in shipped and code.split("_")[0] not in shipped:
            raise InputError(_("CoachDesk does not speak “{code}” yet; it speaks: {languages}.").format(
                code=asked, languages=", ".join(shipped)))
        set_language(code)
        return code
    system = (locale.getlocale()[0] or "en")
    set_language(load_settings().language or (system if is_language_code(system) else "en"))
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        _speak(argv)
    except CoachDeskError as error:
        print(f"coachdesk: {error}", file=sys.stderr)
        return error.exit_status
    args = _parser().parse_args(argv)
    handler = getattr(args, "handler", _launch)
    try:
        return handler(args)
    except CoachDeskError as error:
        clear_progress()
        print(f"coachdesk: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        clear_progress()
        print(_("coachdesk: stopped; nothing was changed."), file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (``coachdesk match … | head``): nothing to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:  # a file that could not be written: a full or pulled disk, a folder not allowed
        clear_progress()
        print(_("coachdesk: {file} could not be written: {reason}. Nothing was half written.").format(
            file=error.filename or _("a file"), reason=os_reason(error)), file=sys.stderr)
        return 1
    except Exception as error:
        if not is_disk_full(error):
            raise
        clear_progress()  # SQLite rolled the transaction back: the database is as it was
        print(_("coachdesk: The disk is full, so nothing was saved; free some space and try again."),
              file=sys.stderr)
        return 1


__all__ = ["EXIT_OK", "EXIT_REFUSED", "NEW_PASSPHRASE_ENV", "PASSPHRASE_ENV", "main"]
