"""The command line: start the app, fill demo data, count, and move spreadsheets in and out.

Every command answers a refused input with one clear sentence and exit status 2, and
changes nothing in that case.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from coachdesk import __version__
from coachdesk.errors import CoachDeskError, InputError, PassphraseError, PassphraseNeeded, is_disk_full, os_reason
from coachdesk.i18n import _, ngettext
from coachdesk.paths import default_database

EXIT_OK = 0
EXIT_REFUSED = 2
#: Where scripts put the passphrase of a protected database (and, to change it, the new one).
PASSPHRASE_ENV = "COACHDESK_PASSPHRASE"
NEW_PASSPHRASE_ENV = "COACHDESK_NEW_PASSPHRASE"


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
    _sync_commands(commands)
    _capx_commands(commands)
    return parser


def _capx_commands(commands) -> None:  # type: ignore[no-untyped-def]
    """Capacity profiles to and from the Wikimedia Capacity Exchange."""
    capx = commands.add_parser("capx", help=_("move capacity profiles to and from the Capacity Exchange"),
                               description=_("Export and import capacity profiles (known, available and wanted "
                                             "capacities, by Wikidata id) as JSON for the Wikimedia Capacity "
                                             "Exchange."))
    capx_commands = capx.add_subparsers(dest="capx_command", metavar=_("ACTION"), required=True)
    export = capx_commands.add_parser("export", help=_("write capacity profiles to a JSON file"),
                                      description=_("Write the capacity profiles of the mentees who agreed to be "
                                                    "suggested as peers, or of the mentees named, from their latest "
                                                    "assessments. Contact details and private notes never leave."))
    export.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"), help=_("the file to write"))
    export.add_argument("--mentee", action="append", default=None, metavar=_("ID"),
                        help=_("export this mentee (may be given several times)"))
    export.add_argument("--lang", default="", metavar=_("CODE"), help=_("the language of the capacity labels"))
    export.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    export.set_defaults(handler=_capx_export)
    load = capx_commands.add_parser("import", help=_("record capacity profiles from a JSON file"),
                                    description=_("Record each profile as a self-reported assessment of the "
                                                  "matching mentee. The whole file is checked first: if anything "
                                                  "is wrong, nothing is changed."))
    load.add_argument("file", type=Path, metavar=_("FILE"), help=_("the JSON file to read"))
    load.add_argument("--create", action="store_true", help=_("add profiles that match no mentee as new mentees"))
    load.add_argument("--dry-run", action="store_true", help=_("only say what would be recorded"))
    load.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    load.set_defaults(handler=_capx_import)


def _sync_commands(commands) -> None:  # type: ignore[no-untyped-def]
    """Team sync on a device, and the hub that merges every device's work."""
    team = commands.add_parser("team", help=_("join a team"), description=_("Join the team of a hub."))
    team_commands = team.add_subparsers(dest="team_command", metavar=_("ACTION"), required=True)
    join = team_commands.add_parser("join", help=_("join with the hub's invitation file"),
                                    description=_("Join a team with the invitation file its hub made."))
    join.add_argument("invitation", type=Path, metavar=_("INVITATION"), help=_("the .cdteam file"))
    join.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    join.set_defaults(handler=_team_join)

    export = commands.add_parser("export", help=_("write this device's changes for the hub"),
                                 description=_("Write the changes the hub has not acknowledged yet into an "
                                               "encrypted bundle file for the hub."))
    export.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"), help=_("the .cdsync file"))
    export.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    export.set_defaults(handler=_team_export)

    load = commands.add_parser("import", help=_("apply the hub's central export"),
                               description=_("Apply central exports from the hub. Each file is checked whole "
                                             "first; a refused one changes nothing."))
    load.add_argument("files", type=Path, nargs="+", metavar=_("FILE"), help=_("the .cdsync files"))
    load.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    load.set_defaults(handler=_team_import)

    conflicts = commands.add_parser("conflicts", help=_("list open conflicts"),
                                    description=_("List the values that lost to a concurrent edit, for review."))
    conflicts.add_argument("--json", action="store_true", help=_("print a JSON list for scripts"))
    conflicts.set_defaults(handler=_conflicts)

    hub = commands.add_parser("hub", help=_("run the team's hub"), description=_("The hub merges every device's "
                                                                                  "bundles and writes the central "
                                                                                  "export."))
    hub_commands = hub.add_subparsers(dest="hub_command", metavar=_("ACTION"), required=True)

    def hub_command(name: str, text: str, handler) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        command = hub_commands.add_parser(name, help=text, description=text)
        command.add_argument("--hub-dir", type=Path, required=True, metavar=_("DIR"), help=_("the hub's folder"))
        command.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
        command.set_defaults(handler=handler)
        return command

    init = hub_command("init", _("make a hub: keys, database and an invitation for devices"), _hub_init)
    init.add_argument("--name", default="CoachDesk team", metavar=_("TEAM"), help=_("the team's name"))
    init.add_argument("--db-url", default="", metavar=_("URL"),
                      help=_("the hub's database (default: SQLite in the hub folder; e.g. postgresql+psycopg://…)"))
    ingest = hub_command("ingest", _("merge device bundles (files or drop folders)"), _hub_ingest)
    ingest.add_argument("paths", type=Path, nargs="+", metavar=_("PATH"), help=_("bundle files or folders"))
    central = hub_command("export", _("write the central export for every approved device"), _hub_export)
    central.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"), help=_("the .cdsync file"))
    hub_command("devices", _("list the devices that joined"), _hub_devices)
    revoke = hub_command("revoke", _("refuse every later bundle of a device"), _hub_revoke)
    revoke.add_argument("device", metavar=_("DEVICE"), help=_("the device's id (or its first characters) or name"))


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
    report.add_argument("--from", dest="start", type=_day, metavar=_("DATE"), help=_("first day (YYYY-MM-DD)"))
    report.add_argument("--to", dest="end", type=_day, metavar=_("DATE"), help=_("last day (YYYY-MM-DD)"))
    report.add_argument("--lang", default="", metavar=_("CODE"), help=_("the report's language (default: yours)"))
    report.add_argument("--hub-dir", type=Path, metavar=_("DIR"),
                        help=_("report over a hub's database (every device's work) instead of this device's"))
    report.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    report.set_defaults(handler=_report)

    match = commands.add_parser("match", help=_("suggest peers for a mentee's priority gaps"),
                                description=_("For each priority gap of a mentee's latest assessment, suggest other "
                                              "mentees whose latest assessment shows it as an asset, and what the "
                                              "mentee can offer them in return. Only mentees who agreed to be "
                                              "suggested are shown."))
    match.add_argument("mentee", metavar=_("MENTEE_ID"), help=_("the mentee's id"))
    match.add_argument("--limit", type=int, default=5, metavar="N", help=_("peers per gap (default: 5)"))
    match.add_argument("--lang", default="", metavar=_("CODE"),
                       help=_("the language of the capacities' names (default: yours)"))
    match.add_argument("--hub-dir", type=Path, metavar=_("DIR"),
                       help=_("match across a hub's database (every device's mentees) instead of this device's"))
    match.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    match.set_defaults(handler=_match)

    _add_safety_commands(commands)


def _add_safety_commands(commands) -> None:  # type: ignore[no-untyped-def]
    backup = commands.add_parser("backup", help=_("copy the database to a backup file"),
                                 description=_("Copy the database, consistently even while CoachDesk runs."))
    backup.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"), help=_("the backup file"))
    backup.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    backup.set_defaults(handler=_backup)
    restore = commands.add_parser("restore", help=_("replace the database with a backup"),
                                  description=_("Check a backup, keep the current database as a backup, then "
                                                "put the backup in its place. Close the app first."))
    restore.add_argument("file", type=Path, metavar=_("FILE"), help=_("the backup file"))
    restore.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    restore.set_defaults(handler=_restore)
    doctor = commands.add_parser("doctor", help=_("check the database and say what to do"),
                                 description=_("Check the database file and its sync records; exit status 0 when "
                                               "healthy, 1 when something is damaged."))
    doctor.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
    doctor.set_defaults(handler=_doctor)
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
    passphrase = commands.add_parser(
        "passphrase", help=_("protect the database with a passphrase, change it or remove it"),
        description=_("A passphrase encrypts the database, this device's keys and every backup, so a lost or "
                      "seized laptop does not give away the people in it. Commands read it from a prompt, or "
                      "from {env} in scripts; a new one from a prompt (typed twice) or {new_env}.").format(
                          env=PASSPHRASE_ENV, new_env=NEW_PASSPHRASE_ENV))
    passphrase_commands = passphrase.add_subparsers(dest="passphrase_command", metavar=_("ACTION"), required=True)
    for name, text in (("set", _("encrypt the database with a new passphrase")),
                       ("change", _("change the passphrase")),
                       ("remove", _("decrypt the database: anyone with this laptop can then read it"))):
        command = passphrase_commands.add_parser(name, help=text, description=text)
        command.add_argument("--json", action="store_true", help=_("print a JSON object for scripts"))
        command.set_defaults(handler=_passphrase)


def _person_export(args: argparse.Namespace) -> int:
    from coachdesk.services.privacy import write_person_export

    with _open(args) as db:
        out = write_person_export(db, args.mentee, args.output)
    _emit(args, {"file": str(out)}, _("Wrote {file}.").format(file=out))
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
    with _open(args) as db:
        with db.write() as session:
            erase_person(session, args.mentee)
    _emit(args, {"erased": args.mentee}, _("Erased the personal fields of {id}; the erasure reaches every device "
                                            "at the next sync.").format(id=args.mentee))
    return EXIT_OK


def _database_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_database()


def _ask(prompt: str, env: str):  # type: ignore[no-untyped-def]
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


def _secret_for(*paths: Path):  # type: ignore[no-untyped-def]
    """The passphrase, asked once, when any of ``paths`` is a protected database; else None."""
    from coachdesk.store.cipher import is_encrypted

    protected = [path for path in paths if is_encrypted(path)]
    if not protected:
        return None
    return _ask(_("Passphrase for {file}: ").format(file=protected[0].name), PASSPHRASE_ENV)


def _key_for(path: Path):  # type: ignore[no-untyped-def]
    from coachdesk.store.cipher import key_for_file

    return key_for_file(path, _secret_for(path))


def _new_passphrase(*envs: str):  # type: ignore[no-untyped-def]
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


def _passphrase(args: argparse.Namespace) -> int:
    from coachdesk.services import protection

    path = _database_path(args)
    action = args.passphrase_command
    protection.refuse_unless_ready(action, path)  # before anyone types a passphrase
    show = _progress_printer()
    if action == "set":
        done = protection.set_passphrase(path, _new_passphrase(NEW_PASSPHRASE_ENV, PASSPHRASE_ENV), show)
        text = _("{file} is now encrypted with your passphrase. Keep it safe: without it the data cannot be "
                 "read, only recovered from your hub's central export.").format(file=path.name)
    elif action == "change":
        old = _ask(_("Current passphrase: "), PASSPHRASE_ENV)
        from coachdesk.store.cipher import key_for_file

        key_for_file(path, old)  # a wrong one is refused before a new one is asked for
        done = protection.change_passphrase(path, old, _new_passphrase(NEW_PASSPHRASE_ENV), show)
        text = _("The passphrase of {file} is changed.").format(file=path.name)
    else:
        done = protection.remove_passphrase(path, _ask(_("Current passphrase: "), PASSPHRASE_ENV), show)
        text = _("{file} is no longer encrypted: anyone with this laptop can read it.").format(file=path.name)
    _clear_progress()
    text = " ".join(part for part in (text, done.skipped_text()) if part)
    _emit(args, {"database": str(path), "protected": done.protected, "backups": done.backups,
                 "skipped": [str(p) for p in done.skipped]}, text)
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    from coachdesk.services.safety import make_backup

    path = _database_path(args)
    out = make_backup(path, args.output, _key_for(path) if path.exists() else None)
    _emit(args, {"file": str(out)}, _("Backed up to {file}.").format(file=out))
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from coachdesk.services.safety import restore
    from coachdesk.store.cipher import is_encrypted, key_for_file

    database = _database_path(args)
    secret = _secret_for(args.file, database)
    backup_key = key_for_file(args.file, secret) if args.file.is_file() else None
    # A plain backup put in place of a protected database is encrypted with its passphrase.
    database_key = secret.key_for(database) if secret is not None and is_encrypted(database) else None
    done = restore(database, args.file, backup_key, database_key)
    kept = str(done.previous) if done.previous else ""
    text = _("Restored {file}.").format(file=args.file)
    if done.previous:
        text += " " + _("The database it replaced is kept as {kept}.").format(kept=kept)
    _emit(args, {"restored": str(args.file), "previous": kept}, text)
    return EXIT_OK


def _doctor(args: argparse.Namespace) -> int:
    from coachdesk.services.safety import diagnose

    path = _database_path(args)
    diagnosis = diagnose(path, _key_for(path) if path.is_file() else None)
    if args.json:
        print(json.dumps({"healthy": diagnosis.healthy, "good_backup": str(diagnosis.good_backup or ""),
                          "findings": [{"what": f.what, "advice": f.advice} for f in diagnosis.findings]},
                         indent=2, ensure_ascii=False))
    elif diagnosis.healthy:
        print(_("{file} is healthy.").format(file=diagnosis.database))
    else:
        for finding in diagnosis.findings:
            print(f"- {finding.what}\n  {finding.advice}")
    return EXIT_OK if diagnosis.healthy else 1


def _day(text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("“{text}” is not a date like 2026-03-31").format(text=text)) from None


def _print_language(args: argparse.Namespace) -> str:
    from coachdesk.i18n import current_language

    return args.lang or current_language()


def _handout(args: argparse.Namespace) -> int:
    from coachdesk.services.printing import write_handout

    language = _print_language(args)
    with _open(args) as db:
        printed = write_handout(db, args.kind, args.ref, language, args.output)
    _emit(args, {"file": str(printed.path), "pages": printed.pages},
          ngettext("Wrote {file} ({pages} page).", "Wrote {file} ({pages} pages).", printed.pages).format(
              file=printed.path, pages=printed.pages))
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from coachdesk.services.printing import write_evaluation

    language = _print_language(args)
    if args.hub_dir:
        from coachdesk.services.hub import load_hub

        hub = load_hub(args.hub_dir)
        db, source = hub.open(), hub.name
    else:
        db, source = _open(args), ""
    try:
        printed = write_evaluation(db, args.output, args.start, args.end, language, source)
    finally:
        db.close()
    _emit(args, {"file": str(printed.path), "pages": printed.pages},
          _("Wrote {file}.").format(file=printed.path))
    return EXIT_OK


def _capx_export(args: argparse.Namespace) -> int:
    import uuid

    from coachdesk.services.capx import export_profiles
    from coachdesk.services.printing import check_language

    language = check_language(_print_language(args))  # before anything is read or written
    ids = None
    if args.mentee is not None:
        ids = []
        for text in args.mentee:
            try:
                ids.append(uuid.UUID(text))
            except ValueError:
                raise InputError(_("“{text}” is not a mentee id.").format(text=text)) from None
    with _open(args) as db:
        written = export_profiles(db, args.output, ids, language)
    _emit(args, {"file": str(args.output), "profiles": written},
          ngettext("Wrote {count} profile to {file}.", "Wrote {count} profiles to {file}.", written).format(
              count=written, file=args.output))
    return EXIT_OK


def _capx_import(args: argparse.Namespace) -> int:
    from coachdesk.services.capx import import_profiles, read_document

    profiles = read_document(args.file)  # a bad file is refused before the database is opened
    with _open(args) as db:
        plan = import_profiles(db, create=args.create, dry_run=args.dry_run, profiles=profiles)
    if args.json:
        print(json.dumps({"dry_run": args.dry_run, "profiles": [p.as_dict() for p in plan.profiles]},
                         indent=2, ensure_ascii=False))
        return EXIT_OK
    for profile in plan.profiles:
        who = _("{name} (new)").format(name=profile.name) if profile.new else profile.name
        if not profile.ratings:
            print(_("{who}: nothing to record.").format(who=who))
        else:
            print(_("{who}: {known} known, {available} available, {wanted} wanted.").format(
                who=who, known=len(profile.known), available=len(profile.available), wanted=len(profile.wanted)))
        if profile.skipped:
            print("  " + _("Skipped, not in this taxonomy: {capacities}").format(capacities="; ".join(profile.skipped)))
    count = len(plan.recorded)
    if args.dry_run:
        print(ngettext("Nothing was changed; {count} profile would be recorded.",
                       "Nothing was changed; {count} profiles would be recorded.", count).format(count=count))
    else:
        print(ngettext("Recorded {count} profile as an assessment.", "Recorded {count} profiles as assessments.",
                       count).format(count=count))
    return EXIT_OK


def _match(args: argparse.Namespace) -> int:
    from coachdesk.i18n import use_language
    from coachdesk.services.matching import as_json, find_peers, match_table
    from coachdesk.services.printing import check_language

    language = check_language(_print_language(args))
    if args.hub_dir:
        from coachdesk.services.hub import load_hub

        db = load_hub(args.hub_dir).open()
    else:
        db = _open(args)
    try:
        with use_language(language), db.read() as session:
            found = find_peers(session, args.mentee, language, args.limit)
            text = "" if args.json else match_table(found)
    finally:
        db.close()
    print(json.dumps(as_json(found), indent=2, ensure_ascii=False) if args.json else text)
    return EXIT_OK


def _emit(args: argparse.Namespace, data: object, text: str) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str) if args.json else text)


def _team_join(args: argparse.Namespace) -> int:
    from coachdesk.services.team import join_team

    with _open(args) as db:
        team = join_team(db, args.invitation)
    _emit(args, {"team": team}, _("Joined the team “{team}”.").format(team=team))
    return EXIT_OK


def _team_export(args: argparse.Namespace) -> int:
    from coachdesk.services.settings import load_settings
    from coachdesk.services.team import export_for_hub

    with _open(args) as db:
        result = export_for_hub(db, args.output, load_settings().effective_device_name())
    _emit(args, {"file": str(result.path), "changes": result.records, "rows": result.rows,
                 "to_version": result.to_version},
          _("Wrote {rows} changed rows ({changes} field values) to {file}.").format(
              rows=result.rows, changes=result.records, file=result.path))
    return EXIT_OK


def _team_import(args: argparse.Namespace) -> int:
    from coachdesk.services.team import import_central

    db = _open(args)
    results = []
    try:
        for path in args.files:
            results.append(import_central(db, path))
    finally:
        db.close()
    lines = [(_("{file}: already imported.") if r.skipped else
              _("{file}: {fields} values applied, {rows} new rows, {conflicts} conflicts to review.")).format(
        file=r.path, fields=r.fields_applied, rows=r.rows_created, conflicts=r.conflicts) for r in results]
    _emit(args, [r.__dict__ for r in results], "\n".join(lines))
    return EXIT_OK


def _conflicts(args: argparse.Namespace) -> int:
    from coachdesk.services.team import open_conflicts

    with _open(args) as db:
        with db.read() as session:
            found = [{"id": str(c.id), "table": c.table_name, "row": str(c.row_id), "column": c.column_name,
                      "losing_value": json.loads(c.value), "losing_site": c.value_site} for c in open_conflicts(session)]
    text = "\n".join(f"{c['table']} {c['row']} {c['column']}: {c['losing_value']!r}" for c in found) or _(
        "No conflicts to review.")
    _emit(args, found, text)
    return EXIT_OK


def _hub_init(args: argparse.Namespace) -> int:
    from coachdesk.services.hub import init_hub

    invitation = init_hub(args.hub_dir, args.name, args.db_url)
    _emit(args, {"invitation": str(invitation)},
          _("Made the hub in {folder}. Give devices {invitation} to join.").format(folder=args.hub_dir,
                                                                                  invitation=invitation))
    return EXIT_OK


def _hub_ingest(args: argparse.Namespace) -> int:
    from coachdesk.services.hub import ingest

    report = ingest(args.hub_dir, list(args.paths))
    lines = []
    for o in report.outcomes:
        if o.status == "merged":
            lines.append(_("{file}: merged ({fields} values, {conflicts} conflicts).").format(
                file=o.path.name, fields=o.fields_applied, conflicts=o.conflicts))
        elif o.status == "skipped":
            lines.append(_("{file}: already merged, skipped.").format(file=o.path.name))
        else:
            lines.append(_("{file}: refused and moved to quarantine: {reason}").format(file=o.path.name,
                                                                                        reason=o.message))
    _emit(args, [{"file": str(o.path), "status": o.status, "message": o.message, "device": o.device,
                  "fields": o.fields_applied, "conflicts": o.conflicts} for o in report.outcomes],
          "\n".join(lines) or _("No bundles found."))
    return EXIT_REFUSED if report.refused else EXIT_OK


def _hub_export(args: argparse.Namespace) -> int:
    from coachdesk.services.hub import export_central

    records, devices = export_central(args.hub_dir, args.output)
    _emit(args, {"file": str(args.output), "records": records, "devices": devices},
          _("Wrote the central export ({records} values) for {devices} devices to {file}.").format(
              records=records, devices=devices, file=args.output))
    return EXIT_OK


def _hub_devices(args: argparse.Namespace) -> int:
    from coachdesk.services.hub import devices

    found = devices(args.hub_dir)
    text = "\n".join(f"{d.site_id}  {d.name or '-'}  {'revoked' if d.revoked else 'approved'}  {d.last_seen}"
                     for d in found) or _("No device has joined yet.")
    _emit(args, [d.__dict__ for d in found], text)
    return EXIT_OK


def _hub_revoke(args: argparse.Namespace) -> int:
    from coachdesk.services.hub import revoke

    device = revoke(args.hub_dir, args.device)
    _emit(args, device.__dict__, _("Revoked {device}; its bundles will be refused.").format(
        device=device.name or device.site_id))
    return EXIT_OK


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from coachdesk.services.workspace import open_workspace

    path = _database_path(args)
    return open_workspace(path, secret=_secret_for(path))


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

    with _open(args) as db:
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

    with _open(args) as db:
        written = export_csv(db, args.kind, args.output)
    print(_("Wrote {count} rows to {file}.").format(count=written, file=args.output))
    return EXIT_OK


def _csv_import(args: argparse.Namespace) -> int:
    from coachdesk.services.spreadsheets import import_csv

    with _open(args) as db:
        result = import_csv(db, args.kind, args.file)
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
        _clear_progress()
        print(f"coachdesk: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        _clear_progress()
        print(_("coachdesk: stopped; nothing was changed."), file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (``coachdesk match … | head``): nothing to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:  # a file that could not be written: a full or pulled disk, a folder not allowed
        _clear_progress()
        print(_("coachdesk: {file} could not be written: {reason}. Nothing was half written.").format(
            file=error.filename or _("a file"), reason=os_reason(error)), file=sys.stderr)
        return 1
    except Exception as error:
        if not is_disk_full(error):
            raise
        _clear_progress()  # SQLite rolled the transaction back: the database is as it was
        print(_("coachdesk: The disk is full, so nothing was saved; free some space and try again."),
              file=sys.stderr)
        return 1
