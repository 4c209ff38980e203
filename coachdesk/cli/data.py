"""Commands that move data in and out: demo data, counts, spreadsheets, handouts, reports, a person's data."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from coachdesk.cli.common import (
    EXIT_OK, clear_progress, day, emit, open_db, open_db_or_hub, print_language, progress_printer,
)
from coachdesk.errors import InputError
from coachdesk.i18n import _, ngettext


def add_data_commands(commands) -> None:  # type: ignore[no-untyped-def]
    """demo, stats, csv, handout, report and person."""
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

    handout = commands.add_parser("handout", help=_("print a handout as PDF"),
                                  description=_("Print a handout as a PDF file, in any language CoachDesk speaks: an "
                                                "assessment summary or capacity plan (of a mentee), a session report "
                                                "or attendance sheet (of a session), or a toolbox handout (of a "
                                                "capacity or method key)."))
    handout.add_argument("kind", choices=("assessment", "plan", "session", "attendance", "toolbox", "peer-exchange"),
                         metavar=_("KIND"), help="assessment, plan, session, attendance, toolbox, peer-exchange")
    handout.add_argument("ref", metavar=_("ID_OR_KEY"),
                         help=_("the mentee's id (assessment, plan, peer-exchange), the session's id (session, "
                                "attendance) or a capacity or method key (toolbox)"))
    handout.add_argument("--lang", default="", metavar=_("CODE"), help=_("the handout's language (default: yours)"))
    handout.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"), help=_("the PDF file"))
    handout.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    handout.set_defaults(handler=_handout)

    report = commands.add_parser("report", help=_("write an evaluation report"),
                                 description=_("Write the evaluation report over this database: sessions and hours "
                                               "by capacity, method, community and month, assessment progress and "
                                               "plan completion, as PDF, or the same figures as CSV."))
    report.add_argument("which", choices=("evaluation",), metavar=_("REPORT"), help="evaluation")
    report.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"),
                        help=_("a .pdf file, or a .csv file for the figures"))
    report.add_argument("--from", dest="start", type=day, metavar=_("DATE"), help=_("first day (YYYY-MM-DD)"))
    report.add_argument("--to", dest="end", type=day, metavar=_("DATE"), help=_("last day (YYYY-MM-DD)"))
    report.add_argument("--lang", default="", metavar=_("CODE"), help=_("the report's language (default: yours)"))
    report.add_argument("--hub-dir", type=Path, metavar=_("DIR"),
                        help=_("report over a hub's database (every device's work) instead of this device's"))
    report.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    report.set_defaults(handler=_report)

    person = commands.add_parser("person", help=_("a person's data: export it or erase it"),
                                 description=_("Answer an access request with a readable file of everything kept "
                                               "about a mentee, or erase their personal fields on every device."))
    person_commands = person.add_subparsers(dest="person_command", metavar=_("ACTION"), required=True)
    export = person_commands.add_parser("export", help=_("write everything kept about a mentee to a file"))
    export.add_argument("mentee", metavar=_("MENTEE_ID"), help=_("the mentee's id"))
    export.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"), help=_("the JSON file"))
    export.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    export.set_defaults(handler=_person_export)
    erase = person_commands.add_parser("erase", help=_("erase a mentee's personal fields everywhere"))
    erase.add_argument("mentee", metavar=_("MENTEE_ID"), help=_("the mentee's id"))
    erase.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    erase.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    erase.set_defaults(handler=_person_erase)


def _demo(args: argparse.Namespace) -> int:
    from coachdesk.services.demo import generate_demo

    if args.mentees < 1:  # refuse before a database is created or opened
        raise InputError(_("The number of demo mentees must be at least 1."))
    db = open_db(args)
    started = time.perf_counter()
    try:
        added = generate_demo(db, mentees=args.mentees, seed=args.seed, progress=progress_printer())
    finally:
        db.close()
    clear_progress()
    print(_("Added demo data in {seconds:.1f} s: {mentees} mentees, {sessions} sessions, {assessments} assessments, "
            "{plans} plans.").format(seconds=time.perf_counter() - started, mentees=added["mentee"],
                                     sessions=added["coaching_session"], assessments=added["assessment"],
                                     plans=added["plan"]))
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    from coachdesk.services.stats import counts

    with open_db(args) as db:
        numbers = counts(db)
    if args.json:
        print(json.dumps(numbers, indent=2))
    else:
        width = max(len(k) for k in numbers)
        for key, value in numbers.items():
            print(f"{key.replace('_', ' '):<{width}}  {value:>9}")
    return EXIT_OK


def _csv_export(args: argparse.Namespace) -> int:
    from coachdesk.services.spreadsheets import export_csv

    with open_db(args) as db:
        written = export_csv(db, args.kind, args.output)
    print(_("Wrote {count} rows to {file}.").format(count=written, file=args.output))
    return EXIT_OK


def _csv_import(args: argparse.Namespace) -> int:
    from coachdesk.services.spreadsheets import import_csv

    with open_db(args) as db:
        result = import_csv(db, args.kind, args.file)
    print(_("Imported {file}: {added} added, {updated} updated, {unchanged} unchanged.").format(
        file=args.file, added=result.added, updated=result.updated, unchanged=result.unchanged))
    return EXIT_OK


def _handout(args: argparse.Namespace) -> int:
    from coachdesk.services.printing import write_handout

    language = print_language(args)
    with open_db(args) as db:
        printed = write_handout(db, args.kind, args.ref, language, args.output)
    emit(args, {"file": str(printed.path), "pages": printed.pages},
          ngettext("Wrote {file} ({pages} page).", "Wrote {file} ({pages} pages).", printed.pages).format(
              file=printed.path, pages=printed.pages))
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from coachdesk.services.printing import write_evaluation

    language = print_language(args)
    db, source = open_db_or_hub(args)
    try:
        printed = write_evaluation(db, args.output, args.start, args.end, language, source)
    finally:
        db.close()
    emit(args, {"file": str(printed.path), "pages": printed.pages},
          _("Wrote {file}.").format(file=printed.path))
    return EXIT_OK


def _person_export(args: argparse.Namespace) -> int:
    from coachdesk.services.privacy import write_person_export

    with open_db(args) as db:
        out = write_person_export(db, args.mentee, args.output)
    emit(args, {"file": str(out)}, _("Wrote {file}.").format(file=out))
    return EXIT_OK


def _person_erase(args: argparse.Namespace) -> int:
    from coachdesk.services.privacy import erase_person

    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError(_("Erasing cannot be undone; add --yes to confirm it without a prompt."))
        answer = input(_("Erase this person's name, contact details and notes on every device? This cannot be "
                         "undone. Type yes to erase: "))
        if answer.strip().lower() not in ("yes", _("yes").lower()):
            print(_("Nothing was erased."))
            return EXIT_OK
    with open_db(args) as db:
        with db.write() as session:
            erase_person(session, args.mentee)
    emit(args, {"erased": args.mentee}, _("Erased the personal fields of {id}; the erasure reaches every device "
                                            "at the next sync.").format(id=args.mentee))
    return EXIT_OK
