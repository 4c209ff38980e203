"""The program's hub: a folder with its own keys and database that merges every device's bundles
and writes the central export they pull back."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from coachdesk.atomic import atomic_write
from coachdesk.errors import CoachDeskError, InputError
from coachdesk.i18n import _
from coachdesk.model import SeenBundle, SyncPeer, SyncSite, SyncState
from coachdesk.services.provenance import clean_name, site_names
from coachdesk.services.team import Invitation, _check_schema, _proof, site_index
from coachdesk.store.changes import STATE_ID
from coachdesk.store.database import Database, open_database
from coachdesk.store.migrate import head_revision

CONFIG = "hub.json"
KEYS = "hub.keys"
INVITATION = "invitation.cdteam"
QUARANTINE = "quarantine"


@dataclass
class Hub:
    folder: Path
    name: str
    db_url: str
    secret: bytes

    def open(self) -> Database:
        return open_hub_database(self.db_url)


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for the message
        return url


def open_hub_database(url: str) -> Database:
    """The hub's database, or one sentence saying why it cannot be opened (never a traceback)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise InputError(_("“{url}” is not a database URL; give e.g. postgresql+psycopg://user@host/team.").format(
            url=url)) from None
    if backend not in ("sqlite", "postgresql"):
        raise InputError(_("A hub keeps its data in SQLite or PostgreSQL, and “{url}” is neither.").format(
            url=_shown_url(url)))
    try:
        db, _result = open_database(url)
    except (ImportError, NoSuchModuleError):
        raise InputError(_("PostgreSQL support is not installed; install it with: pip install 'coachdesk[hub]'."))\
            from None
    except OperationalError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        raise InputError(_("The hub's database {url} could not be opened: {reason}").format(
            url=_shown_url(url), reason=reason)) from None
    return db


def _config_path(folder: Path) -> Path:
    return folder / CONFIG


def init_hub(folder: Path, name: str = "CoachDesk team", db_url: str = "") -> Path:
    """Make a hub in ``folder``: keys, database, and the invitation devices join with."""
    from coachdesk.sync.keys import DeviceKeys, save_keys

    if _config_path(folder).exists():
        raise InputError(_("{folder} already holds a hub.").format(folder=folder))
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{(folder / 'hub.sqlite').resolve()}"
    # The database first: a URL that does not work leaves no half-made hub behind.
    try:
        db = open_hub_database(url)
    except InputError:
        if made:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    keys = DeviceKeys.generate()
    save_keys(folder / KEYS, keys)
    secret = os.urandom(32)
    with atomic_write(_config_path(folder), "w", encoding="utf-8") as handle:
        json.dump({"format": 1, "name": name, "db_url": url, "secret": secret.hex()}, handle, indent=2)
    os.chmod(_config_path(folder), 0o600)
    try:
        with db.write() as session:
            state = session.get(SyncState, STATE_ID)
            session.get(SyncSite, state.local_site_idx).site_id = keys.public().site_id
            session.get(SyncSite, state.local_site_idx).name = _("hub")
    finally:
        db.close()
    public = keys.public()
    invitation = Invitation(name, public.site_id, public.sign, public.box, secret)
    with atomic_write(folder / INVITATION, "w", encoding="utf-8") as handle:
        handle.write(invitation.to_json())
    return folder / INVITATION


def load_hub(folder: Path) -> Hub:
    try:
        raw = json.loads(_config_path(folder).read_text(encoding="utf-8"))
        return Hub(folder, raw["name"], raw["db_url"], bytes.fromhex(raw["secret"]))
    except FileNotFoundError:
        raise InputError(_("{folder} is not a hub folder (it has no {config}).").format(
            folder=folder, config=CONFIG)) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(_("{folder}/{config} is damaged.").format(folder=folder, config=CONFIG)) from None


@dataclass
class IngestOutcome:
    path: Path
    status: str  # "merged", "skipped", "refused"
    message: str = ""
    device: str = ""
    fields_applied: int = 0
    conflicts: int = 0


@dataclass
class IngestReport:
    outcomes: list[IngestOutcome] = field(default_factory=list)

    @property
    def refused(self) -> list[IngestOutcome]:
        return [o for o in self.outcomes if o.status == "refused"]


def _bundles(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.cdsync") if p.is_file()))
        else:
            found.append(path)
    return found


def _quarantine(hub: Hub, path: Path) -> None:
    folder = hub.folder / QUARANTINE
    folder.mkdir(exist_ok=True)
    if path.exists():
        target = folder / path.name
        if target.exists():
            target = folder / f"{path.stem}-{datetime.now():%Y%m%d%H%M%S%f}{path.suffix}"
        shutil.move(str(path), target)


def ingest(folder: Path, paths: list[Path]) -> IngestReport:
    """Merge device bundles (files or drop folders). Each bundle is merged whole or refused whole;
    a refused one changes nothing and moves to the quarantine folder."""
    from coachdesk.sync.bundle import read_bundle
    from coachdesk.sync.keys import load_keys
    from coachdesk.sync.merge import merge_records

    hub = load_hub(folder)
    keys = load_keys(folder / KEYS)
    report = IngestReport()
    db = hub.open()
    try:
        for path in _bundles(paths):
            try:
                try:
                    data = path.read_bytes()
                except OSError as error:
                    raise InputError(_("{file} could not be read: {reason}.").format(
                        file=path.name, reason=error.strerror)) from None
                manifest, records = read_bundle(data, keys)
                with db.write() as session:
                    outcome = _merge_one(hub, session, path, manifest, records, merge_records)
                report.outcomes.append(outcome)
            except CoachDeskError as error:
                _quarantine(hub, path)
                report.outcomes.append(IngestOutcome(path, "refused", str(error)))
    finally:
        db.close()
    return report


def _merge_one(hub, session, path, manifest, records, merge_records) -> IngestOutcome:  # type: ignore[no-untyped-def]
    if manifest.kind != "device":
        raise InputError(_("{file} is not a device's export.").format(file=path.name))
    signer = manifest.sender
    site_id = signer.site_id
    idx = session.scalar(select(SyncSite.idx).where(SyncSite.site_id == site_id))
    peer = session.get(SyncPeer, idx) if idx is not None else None
    device_name = str(manifest.extra.get("device_name", ""))
    if peer is not None and peer.revoked:
        raise InputError(_("{file} comes from a revoked device ({device}), so it was refused.").format(
            file=path.name, device=device_name or site_id.hex()[:8]))
    if peer is None:
        if manifest.extra.get("invitation_proof") != _proof(hub.secret, bytes(signer.sign)):
            raise InputError(_("{file} comes from a device that has not joined this team, so it was refused.")
                             .format(file=path.name))
        idx = site_index(session, site_id, device_name)
        peer = SyncPeer(site_idx=idx, role="device", sign_public=bytes(signer.sign), box_public=bytes(signer.box),
                        approved=True, revoked=False, acked_version=0)
        session.add(peer)
    elif bytes(peer.sign_public) != bytes(signer.sign):
        raise InputError(_("{file} claims a device it was not signed by, so it was refused.").format(file=path.name))
    _check_schema(manifest)
    if session.get(SeenBundle, manifest.bundle_id) is not None:
        return IngestOutcome(path, "skipped", _("already merged"), device_name)
    result = merge_records(session, records)
    # A device's names come with each bundle; one merged late (older than the last) must not
    # bring back names the device has since changed.
    newest = int(manifest.to_version) >= peer.acked_version
    peer.acked_version = max(peer.acked_version, int(manifest.to_version))
    peer.last_seen = datetime.now().isoformat(timespec="seconds")
    if newest:
        site = session.get(SyncSite, idx)
        if device_name:
            site.name = clean_name(device_name)
        if "user_name" in manifest.extra:  # absent from older CoachDesks' bundles
            site.user_name = clean_name(manifest.extra["user_name"])
    session.add(SeenBundle(bundle_id=manifest.bundle_id, site_idx=idx, to_version=int(manifest.to_version),
                           merged_at=datetime.now().isoformat(timespec="seconds")))
    return IngestOutcome(path, "merged", "", device_name, result.fields_applied, result.conflicts_logged)


def export_central(folder: Path, out: Path) -> tuple[int, int]:
    """Write the central export: everything the team shares, for every approved device.
    Returns (records, devices)."""
    from coachdesk.sync.bundle import write_bundle, write_bundle_file
    from coachdesk.sync.changes import all_records
    from coachdesk.sync.keys import PublicKeys, load_keys

    hub = load_hub(folder)
    keys = load_keys(folder / KEYS)
    db = hub.open()
    try:
        with db.read() as session:
            records = all_records(session)
            devices = list(session.execute(
                select(SyncSite.site_id, SyncPeer.box_public, SyncPeer.sign_public, SyncPeer.acked_version)
                .join(SyncPeer, SyncPeer.site_idx == SyncSite.idx)
                .where(SyncPeer.role == "device", SyncPeer.approved.is_(True), SyncPeer.revoked.is_(False))
                .order_by(SyncSite.site_id)))
            version = session.get(SyncState, STATE_ID).db_version
            names = site_names(session)
    finally:
        db.close()
    if not devices:
        raise InputError(_("No device has joined this hub yet, so there is no one to export for."))
    recipients = [PublicKeys(sign=bytes(sign), box=bytes(box)) for _site, box, sign, _acked in devices]
    acks = {bytes(site).hex(): int(acked) for site, _box, _sign, acked in devices}
    data = write_bundle(records, signer=keys, recipients=recipients, kind="central", schema_version=head_revision(),
                        from_version=0, to_version=version, extra={"acks": acks, "site_names": names})
    write_bundle_file(out, data)
    return len(records), len(devices)


@dataclass(frozen=True)
class DeviceInfo:
    site_id: str
    name: str
    revoked: bool
    acked_version: int
    last_seen: str


def devices(folder: Path) -> list[DeviceInfo]:
    db = load_hub(folder).open()
    try:
        with db.read() as session:
            rows = session.execute(
                select(SyncSite.site_id, SyncSite.name, SyncPeer.revoked, SyncPeer.acked_version, SyncPeer.last_seen)
                .join(SyncPeer, SyncPeer.site_idx == SyncSite.idx).where(SyncPeer.role == "device")
                .order_by(SyncSite.name, SyncSite.site_id))
            return [DeviceInfo(bytes(s).hex(), n, bool(r), int(a), ls) for s, n, r, a, ls in rows]
    finally:
        db.close()


def revoke(folder: Path, device: str) -> DeviceInfo:
    """Refuse every later bundle of ``device`` (a site id, its first characters, or a device name)."""
    db = load_hub(folder).open()
    try:
        with db.write() as session:
            rows = session.execute(select(SyncSite, SyncPeer).join(SyncPeer, SyncPeer.site_idx == SyncSite.idx)
                                   .where(SyncPeer.role == "device")).all()
            wanted = device.strip().lower()
            matches = [(s, p) for s, p in rows if bytes(s.site_id).hex().startswith(wanted) or s.name.lower() == wanted]
            if not matches:
                raise InputError(_("No device of this hub is called or starts with “{device}”.").format(device=device))
            if len(matches) > 1:
                raise InputError(_("“{device}” names {count} devices; give more of the device id.").format(
                    device=device, count=len(matches)))
            site, peer = matches[0]
            peer.revoked = True
            return DeviceInfo(bytes(site.site_id).hex(), site.name, True, peer.acked_version, peer.last_seen)
    finally:
        db.close()
