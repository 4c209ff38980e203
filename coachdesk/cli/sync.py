"""Commands for team sync on a device, and for the hub that merges every device's work."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from coachdesk.cli.common import EXIT_OK, EXIT_REFUSED, emit, open_db
from coachdesk.i18n import _


def add_sync_commands(commands) -> None:  # type: ignore[no-untyped-def]
    """team, export, import, conflicts and hub."""
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


def _team_join(args: argparse.Namespace) -> int:
    from coachdesk.services.team import join_team

    with open_db(args) as db:
        team = join_team(db, args.invitation)
    emit(args, {"team": team}, _("Joined the team “{team}”.").format(team=team))
    return EXIT_OK


def _team_export(args: argparse.Namespace) -> int:
    from coachdesk.services.settings import load_settings
    from coachdesk.services.team import export_for_hub

    with open_db(args) as db:
        result = export_for_hub(db, args.output, load_settings().effective_device_name())
    emit(args, {"file": str(result.path), "changes": result.records, "rows": result.rows,
                 "to_version": result.to_version},
          _("Wrote {rows} changed rows ({changes} field values) to {file}.").format(
              rows=result.rows, changes=result.records, file=result.path))
    return EXIT_OK


def _team_import(args: argparse.Namespace) -> int:
    from coachdesk.services.team import import_central

    db = open_db(args)
    results = []
    try:
        for path in args.files:
            results.append(import_central(db, path))
    finally:
        db.close()
    lines = [(_("{file}: already imported.") if r.skipped else
              _("{file}: {fields} values applied, {rows} new rows, {conflicts} conflicts to review.")).format(
        file=r.path, fields=r.fields_applied, rows=r.rows_created, conflicts=r.conflicts) for r in results]
    emit(args, [r.__dict__ for r in results], "\n".join(lines))
    return EXIT_OK


def _conflicts(args: argparse.Namespace) -> int:
    from coachdesk.services.team import open_conflicts

    with open_db(args) as db:
        with db.read() as session:
            found = [{"id": str(c.id), "table": c.table_name, "row": str(c.row_id), "column": c.column_name,
                      "losing_value": json.loads(c.value), "losing_site": c.value_site} for c in open_conflicts(session)]
    text = "\n".join(f"{c['table']} {c['row']} {c['column']}: {c['losing_value']!r}" for c in found) or _(
        "No conflicts to review.")
    emit(args, found, text)
    return EXIT_OK


def _hub_init(args: argparse.Namespace) -> int:
    from coachdesk.services.hub import init_hub

    invitation = init_hub(args.hub_dir, args.name, args.db_url)
    emit(args, {"invitation": str(invitation)},
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
    emit(args, [{"file": str(o.path), "status": o.status, "message": o.message, "device": o.device,
                  "fields": o.fields_applied, "conflicts": o.conflicts} for o in report.outcomes],
          "\n".join(lines) or _("No bundles found."))
    return EXIT_REFUSED if report.refused else EXIT_OK


def _hub_export(args: argparse.Namespace) -> int:
    from coachdesk.services.hub import export_central

    records, devices = export_central(args.hub_dir, args.output)
    emit(args, {"file": str(args.output), "records": records, "devices": devices},
          _("Wrote the central export ({records} values) for {devices} devices to {file}.").format(
              records=records, devices=devices, file=args.output))
    return EXIT_OK


def _hub_devices(args: argparse.Namespace) -> int:
    from coachdesk.services.hub import devices

    found = devices(args.hub_dir)
    text = "\n".join(f"{d.site_id}  {d.name or '-'}  {'revoked' if d.revoked else 'approved'}  {d.last_seen}"
                     for d in found) or _("No device has joined yet.")
    emit(args, [d.__dict__ for d in found], text)
    return EXIT_OK


def _hub_revoke(args: argparse.Namespace) -> int:
    from coachdesk.services.hub import revoke

    device = revoke(args.hub_dir, args.device)
    emit(args, device.__dict__, _("Revoked {device}; its bundles will be refused.").format(
        device=device.name or device.site_id))
    return EXIT_OK
