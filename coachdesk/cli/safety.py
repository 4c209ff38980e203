"""Commands that keep the data safe: backups, restore, the doctor and the passphrase."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from coachdesk.cli.common import (
    EXIT_OK, NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, ask_passphrase, clear_progress, database_path, emit, key_for,
    new_passphrase, progress_printer, secret_for,
)
from coachdesk.i18n import _


def add_safety_commands(commands) -> None:  # type: ignore[no-untyped-def]
    """backup, restore, doctor and passphrase."""
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


def _passphrase(args: argparse.Namespace) -> int:
    from coachdesk.services import protection

    path = database_path(args)
    action = args.passphrase_command
    protection.refuse_unless_ready(action, path)  # before anyone types a passphrase
    show = progress_printer()
    if action == "set":
        done = protection.set_passphrase(path, new_passphrase(NEW_PASSPHRASE_ENV, PASSPHRASE_ENV), show)
        text = _("{file} is now encrypted with your passphrase. Keep it safe: without it the data cannot be "
                 "read, only recovered from your hub's central export.").format(file=path.name)
    elif action == "change":
        old = ask_passphrase(_("Current passphrase: "), PASSPHRASE_ENV)
        from coachdesk.store.cipher import key_for_file

        key_for_file(path, old)  # a wrong one is refused before a new one is asked for
        done = protection.change_passphrase(path, old, new_passphrase(NEW_PASSPHRASE_ENV), show)
        text = _("The passphrase of {file} is changed.").format(file=path.name)
    else:
        done = protection.remove_passphrase(path, ask_passphrase(_("Current passphrase: "), PASSPHRASE_ENV), show)
        text = _("{file} is no longer encrypted: anyone with this laptop can read it.").format(file=path.name)
    clear_progress()
    text = " ".join(part for part in (text, done.skipped_text()) if part)
    emit(args, {"database": str(path), "protected": done.protected, "backups": done.backups,
                 "skipped": [str(p) for p in done.skipped]}, text)
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    from coachdesk.services.safety import make_backup

    path = database_path(args)
    out = make_backup(path, args.output, key_for(path) if path.exists() else None)
    emit(args, {"file": str(out)}, _("Backed up to {file}.").format(file=out))
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from coachdesk.services.safety import restore
    from coachdesk.store.cipher import is_encrypted, key_for_file

    database = database_path(args)
    secret = secret_for(args.file, database)
    backup_key = key_for_file(args.file, secret) if args.file.is_file() else None
    # A plain backup put in place of a protected database is encrypted with its passphrase.
    database_key = secret.key_for(database) if secret is not None and is_encrypted(database) else None
    done = restore(database, args.file, backup_key, database_key)
    kept = str(done.previous) if done.previous else ""
    text = _("Restored {file}.").format(file=args.file)
    if done.previous:
        text += " " + _("The database it replaced is kept as {kept}.").format(kept=kept)
    emit(args, {"restored": str(args.file), "previous": kept}, text)
    return EXIT_OK


def _doctor(args: argparse.Namespace) -> int:
    from coachdesk.services.safety import diagnose

    path = database_path(args)
    diagnosis = diagnose(path, key_for(path) if path.is_file() else None)
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
