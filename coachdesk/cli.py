"""The command line: start the app, fill demo data, count, and move spreadsheets in and out.

Every command answers a refused input with one clear sentence and exit status 2, and
changes nothing in that case.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from coachdesk import __version__
from coachdesk.errors import CoachDeskError, InputError
from coachdesk.i18n import _
from coachdesk.paths import default_database

EXIT_OK = 0
EXIT_REFUSED = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coachdesk",
        description=_("CoachDesk: coaching, assessments, plans and sessions for capacity building. "
                      "With no command, the desktop app starts."),
    )
    parser.add_argument("--version", action="version", version=f"CoachDesk {__version__}")
    parser.add_argument("--db", metavar=_("PATH"), type=Path,
                        help=_("database file to use (default: {path})").format(path=default_database()))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    demo = commands.add_parser("demo", help=_("fill the database with realistic demo data"),
                               description=_("Add deterministic demo data: mentees of every kind across several "
                                             "communities and languages, with sessions, assessments, plans and "
                                             "requests."))
    demo.add_argument("--mentees", type=int, default=200, metavar="N", help=_("how many mentees (default: 200)"))
    demo.add_argument("--seed", type=int, default=1, metavar="S", help=_("seed; the same seed gives the same data"))
    demo.set_defaults(handler=_demo)

    stats = commands.add_parser("stats", help=_("count what the database holds"),
                                description=_("Count the mentees, sessions, assessments, plans and reference data "
                                              "the database holds."))
    stats.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    stats.set_defaults(handler=_stats)

    csv = commands.add_parser("csv", help=_("export or import spreadsheets (CSV)"),
                              description=_("Move mentees and sessions to and from spreadsheets."))
    csv_commands = csv.add_subparsers(dest="csv_command", metavar=_("ACTION"), required=True)
    export = csv_commands.add_parser("export", help=_("write a CSV file"),
                                     description=_("Write mentees or sessions to a CSV file (UTF-8) that "
                                                   "spreadsheets open."))
    export.add_argument("kind", choices=("mentees", "sessions"), help=_("what to export"))
    export.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"), help=_("the file to write"))
    export.set_defaults(handler=_csv_export)
    load = csv_commands.add_parser("import", help=_("read a CSV file"),
                                   description=_("Read mentees or sessions from a CSV file. Rows with an id update "
                                                 "that record; rows without one are added. The whole file is "
                                                 "checked first: if any row is wrong, nothing is changed."))
    load.add_argument("kind", choices=("mentees", "sessions"), help=_("what to import"))
    load.add_argument("file", type=Path, metavar=_("FILE"), help=_("the CSV file to read"))
    load.set_defaults(handler=_csv_import)
    return parser


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from coachdesk.services.workspace import open_workspace

    return open_workspace(args.db)


def _demo(args: argparse.Namespace) -> int:
    from coachdesk.services.demo import generate_demo

    if args.mentees < 1:  # refuse before a database is created or opened
        raise InputError(_("The number of demo mentees must be at least 1."))
    db = _open(args)
    started = time.perf_counter()
    try:
        added = generate_demo(db, mentees=args.mentees, seed=args.seed, progress=_progress_printer())
    finally:
        db.close()
    _clear_progress()
    print(_("Added demo data in {seconds:.1f} s: {mentees} mentees, {sessions} sessions, {assessments} assessments, "
            "{plans} plans.").format(seconds=time.perf_counter() - started, mentees=added["mentee"],
                                     sessions=added["coaching_session"], assessments=added["assessment"],
                                     plans=added["plan"]))
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    from coachdesk.services.stats import counts

    db = _open(args)
    try:
        numbers = counts(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps(numbers, indent=2))
    else:
        width = max(len(k) for k in numbers)
        for key, value in numbers.items():
            print(f"{key.replace('_', ' '):<{width}}  {value:>9}")
    return EXIT_OK


def _csv_export(args: argparse.Namespace) -> int:
    from coachdesk.services.spreadsheets import export_csv

    db = _open(args)
    try:
        written = export_csv(db, args.kind, args.output)
    finally:
        db.close()
    print(_("Wrote {count} rows to {file}.").format(count=written, file=args.output))
    return EXIT_OK


def _csv_import(args: argparse.Namespace) -> int:
    from coachdesk.services.spreadsheets import import_csv

    db = _open(args)
    try:
        result = import_csv(db, args.kind, args.file)
    finally:
        db.close()
    print(_("Imported {file}: {added} added, {updated} updated, {unchanged} unchanged.").format(
        file=args.file, added=result.added, updated=result.updated, unchanged=result.unchanged))
    return EXIT_OK


_progress_shown = False


def _progress_printer():  # type: ignore[no-untyped-def]
    def show(done: int, total: int, what: str) -> None:
        global _progress_shown
        if sys.stderr.isatty():
            _progress_shown = True
            sys.stderr.write(f"\r{what}… {done * 100 // max(total, 1)}%")
            sys.stderr.flush()

    return show


def _clear_progress() -> None:
    if _progress_shown:
        sys.stderr.write("\r\033[K")


def _launch(args: argparse.Namespace) -> int:
    from coachdesk.ui.app import run_app

    return run_app(args.db)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = getattr(args, "handler", _launch)
    try:
        return handler(args)
    except CoachDeskError as error:
        _clear_progress()
        print(f"coachdesk: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        _clear_progress()
        print(_("coachdesk: stopped; nothing was changed."), file=sys.stderr)
        return 130
