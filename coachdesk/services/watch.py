"""A watched folder (a synced cloud folder or a network share) that carries bundles between this
device and the hub without anyone copying files: central exports come in, this device's export goes out.

The folder's layout, shared with the hub (see docs/sync.md):

- ``FOLDER/<device>-<site id>.cdsync``: each device's export, replaced by the next one; the hub
  ingests the folder itself (``coachdesk hub ingest --hub-dir HUB FOLDER``).
- ``FOLDER/central/*.cdsync``: the hub's central exports
  (``coachdesk hub export --hub-dir HUB -o FOLDER/central/central.cdsync``). They sit one level
  down so that the hub's ingest of the folder never takes them for device bundles.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from coachdesk.errors import CoachDeskError, InputError, os_reason
from coachdesk.i18n import _, isolated
from coachdesk.services import team as team_service
from coachdesk.store.database import Database

CENTRAL_FOLDER = "central"
SUFFIX = ".cdsync"

#: What identifies a file already looked at, without opening it: name, size, modification time.
Fingerprint = tuple[str, int, int]


@dataclass
class WatchResult:
    folder: Path
    #: Central exports applied now.
    imported: int = 0
    fields_applied: int = 0
    conflicts: int = 0
    #: Central exports already imported, or not meant for this device.
    skipped: int = 0
    #: Whether this device's export was written; False when there was nothing new for the hub.
    exported: bool = False
    rows_exported: int = 0
    export_file: Path | None = None
    #: (file name, reason) for each file that was refused; the others were still imported.
    problems: list[tuple[str, str]] = field(default_factory=list)


def unreachable(folder: Path) -> InputError:
    return InputError(_("The watched folder {folder} is not reachable; your work stays on this device until "
                        "it is.").format(folder=isolated(folder)))


def check_reachable(folder: Path) -> None:
    """Raise the "not reachable" sentence unless ``folder`` is a folder this device can write in."""
    try:
        reachable = folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
    except OSError:  # a share that went away mid-check
        reachable = False
    if not reachable:
        raise unreachable(folder)


def device_file_name(site_id: bytes, device_name: str) -> str:
    """A name that stays the same from one export to the next, readable in a file manager and unique
    in the team thanks to the site id (two laptops may well share a name)."""
    name = re.sub(r"[^\w-]+", "-", device_name).strip("-_")[:40] or "device"
    return f"{name}-{site_id.hex()[:8]}{SUFFIX}"


def _central_files(folder: Path) -> list[Path]:
    central = folder / CENTRAL_FOLDER
    # Made here so the hub can write its first central export without preparing the folder.
    central.mkdir(exist_ok=True)
    return sorted(p for p in central.glob("*" + SUFFIX) if p.is_file())


def _fingerprint(path: Path) -> Fingerprint | None:
    try:
        stat = path.stat()
    except OSError:  # removed or replaced while the folder was read
        return None
    return path.name, stat.st_size, stat.st_mtime_ns


def sync_with_folder(db: Database, folder: Path, device_name: str, *,
                     checked: set[Fingerprint] | None = None) -> WatchResult:
    """Import the central exports in ``folder`` this device has not seen, then export this device's
    changes into ``folder`` if there is anything new for the hub.

    ``checked`` may carry fingerprints of central files an earlier call already imported or passed
    over; they are not opened again (a central export holds everything the team shares, so opening
    it only to find it already imported is not free). Fingerprints of this call's files are added.
    An unreachable folder raises :class:`InputError` before anything changes.
    """
    from coachdesk.sync.bundle import WrongRecipient

    folder = Path(folder)
    check_reachable(folder)
    with db.read() as session:
        if team_service.team_status(session) is None:
            raise InputError(_("This device is not in a team yet: join one with the hub's invitation first."))
    result = WatchResult(folder)
    try:
        central_files = _central_files(folder)
    except OSError:
        raise unreachable(folder) from None
    for path in central_files:
        fingerprint = _fingerprint(path)
        if fingerprint is None:
            continue
        if checked is not None and fingerprint in checked:
            result.skipped += 1
            continue
        try:
            imported = team_service.import_central(db, path)
        except (WrongRecipient, team_service.NotFromOurHub):
            # Someone else's file (another team, or a central export made before the hub knew this
            # device): nothing to report.
            result.skipped += 1
        except CoachDeskError as error:
            result.problems.append((path.name, str(error)))
            continue
        else:
            if imported.skipped:
                result.skipped += 1
            else:
                result.imported += 1
                result.fields_applied += imported.fields_applied
                result.conflicts += imported.conflicts
        if checked is not None:
            checked.add(fingerprint)

    site_id = team_service.device_keys(db).public().site_id
    target = folder / device_file_name(site_id, device_name)
    try:
        exported = team_service.export_for_hub(db, target, device_name, only_if_new=True)
    except OSError as error:
        result.problems.append((target.name, os_reason(error)))
        return result
    result.export_file = target
    if exported.written:
        result.exported, result.rows_exported = True, exported.rows
        # A renamed device leaves its old file behind; the new one holds everything the old one did.
        for old in folder.glob(f"*-{site_id.hex()[:8]}{SUFFIX}"):
            if old != target:
                with contextlib.suppress(OSError):
                    old.unlink()
    return result
