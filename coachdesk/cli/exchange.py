"""Commands for capacity building both ways: peers for a mentee, and Capacity Exchange profiles."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from coachdesk.cli.common import EXIT_OK, emit, open_db, open_db_or_hub, print_language
from coachdesk.errors import InputError
from coachdesk.i18n import _, ngettext


def add_exchange_commands(commands) -> None:  # type: ignore[no-untyped-def]
    """match and capx."""
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


def _match(args: argparse.Namespace) -> int:
    from coachdesk.i18n import use_language
    from coachdesk.services.matching import as_json, find_peers, match_table
    from coachdesk.services.printing import check_language

    language = check_language(print_language(args))
    db, _team = open_db_or_hub(args)
    try:
        with use_language(language), db.read() as session:
            found = find_peers(session, args.mentee, language, args.limit)
            text = "" if args.json else match_table(found)
    finally:
        db.close()
    print(json.dumps(as_json(found), indent=2, ensure_ascii=False) if args.json else text)
    return EXIT_OK


def _capx_export(args: argparse.Namespace) -> int:
    import uuid

    from coachdesk.services.capx import export_profiles
    from coachdesk.services.printing import check_language

    language = check_language(print_language(args))  # before anything is read or written
    ids = None
    if args.mentee is not None:
        ids = []
        for text in args.mentee:
            try:
                ids.append(uuid.UUID(text))
            except ValueError:
                raise InputError(_("“{text}” is not a mentee id.").format(text=text)) from None
    with open_db(args) as db:
        written = export_profiles(db, args.output, ids, language)
    emit(args, {"file": str(args.output), "profiles": written},
          ngettext("Wrote {count} profile to {file}.", "Wrote {count} profiles to {file}.", written).format(
              count=written, file=args.output))
    return EXIT_OK


def _capx_import(args: argparse.Namespace) -> int:
    from coachdesk.services.capx import import_profiles, read_document

    profiles = read_document(args.file)  # a bad file is refused before the database is opened
    with open_db(args) as db:
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
