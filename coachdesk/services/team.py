"""A device in a team: its keys, joining with the hub's invitation, exporting for the hub, importing
the central export, and the conflicts to review."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _
from coachdesk.model import SeenBundle, SyncConflict, SyncPeer, SyncSite, SyncState, SyncTeam
from coachdesk.services.provenance import learn_site_names
from coachdesk.store.changes import STATE_ID
from coachdesk.store.database import Database
from coachdesk.store.migrate import head_revision

INVITATION_FORMAT = 1


class NotFromOurHub(InputError):
    """A bundle this device could open that is not a central export of its team's hub."""


def keys_path(db: Database) -> Path:
    """A device's keys live beside its database; their public half names the device's site."""
    if db.path is None:
        raise InputError(_("Team sync needs a database file on this device."))
    return db.path.with_name(db.path.name + ".keys")


def device_keys(db: Database):  # type: ignore[no-untyped-def]
    """This database's key pair, made on first use; the local site id follows its public key."""
    from coachdesk.sync.keys import DeviceKeys, is_sealed, load_keys, read_key_file, save_keys

    path = keys_path(db)
    if path.exists():
        keys = load_keys(path, db.secret)
        if db.secret is not None and not is_sealed(read_key_file(path)):
            save_keys(path, keys, db.secret)  # a protected database keeps its device's keys sealed too
    else:
        keys = DeviceKeys.generate()
        save_keys(path, keys, db.secret)
    site_id = keys.public().site_id
    with db.write() as session:
        state = session.get(SyncState, STATE_ID)
        local = session.get(SyncSite, state.local_site_idx)
        if local.site_id != site_id:
            # Rows point at the local site by index, so renaming it rewrites nothing.
            local.site_id = site_id
    return keys


def _proof(secret: bytes, sign_public: bytes) -> str:
    return hmac.new(secret, sign_public, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Invitation:
    team: str
    hub_site_id: bytes
    hub_sign: bytes
    hub_box: bytes
    secret: bytes

    def to_json(self) -> str:
        def b64(raw: bytes) -> str:
            return base64.b64encode(raw).decode("ascii")

        return json.dumps({"format": INVITATION_FORMAT, "kind": "coachdesk-team-invitation", "team": self.team,
                           "hub_site_id": self.hub_site_id.hex(), "hub_sign": b64(self.hub_sign),
                           "hub_box": b64(self.hub_box), "secret": b64(self.secret)}, indent=2, sort_keys=True)


def read_invitation(path: Path) -> Invitation:
    refused = _("{file} is not a CoachDesk team invitation.").format(file=path.name)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(_("{file} does not exist.").format(file=path)) from None
    except (OSError, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise InputError(refused) from None
    if not isinstance(raw, dict) or raw.get("kind") != "coachdesk-team-invitation":
        raise InputError(refused)
    version = raw.get("format", 0)
    if type(version) is not int:
        raise InputError(refused)
    if version > INVITATION_FORMAT:
        raise InputError(_("{file} was made by a newer CoachDesk; update CoachDesk to join this team.")
                         .format(file=path.name))
    try:
        team = raw["team"]
        if not isinstance(team, str):
            raise TypeError("the team's name is not text")
        team.encode("utf-8")  # a lone surrogate ("\\ud800" in JSON) is no name a database can keep
        invitation = Invitation(team, bytes.fromhex(raw["hub_site_id"]),
                                base64.b64decode(raw["hub_sign"], validate=True),
                                base64.b64decode(raw["hub_box"], validate=True),
                                base64.b64decode(raw["secret"], validate=True))
    except (KeyError, TypeError, ValueError):  # UnicodeEncodeError is a ValueError
        raise InputError(refused) from None
    if len(invitation.hub_sign) != 32 or len(invitation.hub_box) != 32 or len(invitation.secret) != 32 \
            or len(invitation.hub_site_id) != 16:
        raise InputError(refused)
    return invitation


def site_index(session: Session, site_id: bytes, name: str = "") -> int:
    idx = session.scalar(select(SyncSite.idx).where(SyncSite.site_id == site_id))
    if idx is None:
        site = SyncSite(site_id=site_id, name=name, is_local=False)
        session.add(site)
        session.flush()
        idx = site.idx
    return idx


def join_team(db: Database, invitation_path: Path) -> str:
    """Join the team of ``invitation_path``; return the team's name."""
    invitation = read_invitation(invitation_path)
    device_keys(db)
    with db.write() as session:
        if session.get(SyncTeam, 1) is not None:
            raise InputError(_("This device is already in the team “{team}”.").format(
                team=session.get(SyncTeam, 1).name))
        hub = site_index(session, invitation.hub_site_id, _("hub"))
        session.add(SyncPeer(site_idx=hub, role="hub", sign_public=invitation.hub_sign,
                             box_public=invitation.hub_box, approved=True, revoked=False, acked_version=0))
        session.add(SyncTeam(id=1, name=invitation.team, hub_site_idx=hub, invitation_secret=invitation.secret))
    return invitation.team


def _team(session: Session) -> tuple[SyncTeam, SyncPeer]:
    team = session.get(SyncTeam, 1)
    if team is None:
        raise InputError(_("This device is not in a team yet: join one with the hub's invitation first."))
    return team, session.get(SyncPeer, team.hub_site_idx)


@dataclass
class ExportResult:
    path: Path
    records: int
    rows: int
    to_version: int
    #: False when ``only_if_new`` found nothing new to write and left ``path`` as it was.
    written: bool = True


def export_for_hub(db: Database, out: Path, device_name: str = "", *, only_if_new: bool = False) -> ExportResult:
    """Write what this device changed since the hub last acknowledged, encrypted for the hub.

    With ``only_if_new``, an existing ``out`` is left alone when there is nothing the hub has not
    acknowledged, or when the bundle would come out byte for byte the same (bundles are
    deterministic): a shared folder then sees no new file to copy.
    """
    from coachdesk.sync.bundle import write_bundle, write_bundle_file
    from coachdesk.sync.changes import changed_rows_since
    from coachdesk.sync.keys import PublicKeys

    keys = device_keys(db)
    with db.read() as session:
        team, hub = _team(session)
        state = session.get(SyncState, STATE_ID)
        records = changed_rows_since(session, hub.acked_version, only_site_idx=state.local_site_idx)
        to_version = state.db_version
        hub_keys = PublicKeys(sign=hub.sign_public, box=hub.box_public)
        proof = _proof(team.invitation_secret, keys.public().sign)
        from_version = hub.acked_version
        user_name = session.get(SyncSite, state.local_site_idx).user_name
    rows = len({(r["t"], r["id"]) for r in records})
    if only_if_new and not records and out.is_file():
        return ExportResult(out, 0, 0, to_version, written=False)
    data = write_bundle(records, signer=keys, recipients=[hub_keys], kind="device", schema_version=head_revision(),
                        from_version=from_version, to_version=to_version,
                        extra={"invitation_proof": proof, "device_name": device_name, "user_name": user_name})
    if only_if_new and _same_bytes(out, data):
        return ExportResult(out, len(records), rows, to_version, written=False)
    write_bundle_file(out, data)
    with db.write() as session:
        session.get(SyncTeam, 1).last_export = datetime.now().isoformat(timespec="seconds")
    return ExportResult(out, len(records), rows, to_version)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


@dataclass
class ImportResult:
    path: Path
    skipped: bool
    fields_applied: int = 0
    rows_created: int = 0
    conflicts: int = 0


def _check_schema(manifest: Any) -> None:
    theirs, ours = str(manifest.schema_version), head_revision()
    if theirs > ours:
        raise InputError(_("This bundle comes from a newer CoachDesk (schema {theirs}); update CoachDesk to "
                           "import it.").format(theirs=theirs))
    if theirs < ours:
        raise InputError(_("This bundle comes from an older CoachDesk (schema {theirs}); export it again "
                           "with the current version.").format(theirs=theirs))


def import_central(db: Database, path: Path) -> ImportResult:
    """Apply the hub's central export, or refuse it whole with one sentence and change nothing."""
    from coachdesk.sync.bundle import read_bundle
    from coachdesk.sync.merge import merge_records

    keys = device_keys(db)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(_("{file} does not exist.").format(file=path)) from None
    except OSError as error:
        raise InputError(_("{file} could not be read: {reason}.").format(file=path, reason=error.strerror)) from None
    manifest, records = read_bundle(data, keys)
    from coachdesk.services.safety import backup_before_import

    backup_before_import(db.path, db.key)
    with db.write() as session:
        team, hub = _team(session)
        if bytes(manifest.sender.sign) != bytes(hub.sign_public) or manifest.kind != "central":
            raise NotFromOurHub(_("{file} is not a central export from your team's hub.").format(file=path.name))
        _check_schema(manifest)
        if session.get(SeenBundle, manifest.bundle_id) is not None:
            return ImportResult(path, skipped=True)
        local = session.get(SyncState, STATE_ID)
        local_site = session.get(SyncSite, local.local_site_idx)
        acked = _acknowledged(manifest, local_site.site_id, path)
        newest = session.scalar(select(func.max(SeenBundle.to_version))
                                .where(SeenBundle.site_idx == team.hub_site_idx)) or 0
        result = merge_records(session, records)
        if manifest.to_version >= newest:  # an older central export must not bring back older names
            learn_site_names(session, manifest.extra.get("site_names"))
        hub.acked_version = max(hub.acked_version, acked)
        session.add(SeenBundle(bundle_id=manifest.bundle_id, site_idx=team.hub_site_idx,
                               to_version=manifest.to_version, merged_at=datetime.now().isoformat(timespec="seconds")))
        team.last_import = datetime.now().isoformat(timespec="seconds")
    return ImportResult(path, False, result.fields_applied, result.rows_created, result.conflicts_logged)


def _acknowledged(manifest: Any, site_id: bytes, path: Path) -> int:
    """The version of this device's changes that the hub says it has merged (0: none yet)."""
    from coachdesk.sync.bundle import MAX_COUNT

    acks = manifest.extra.get("acks", {})
    acked = acks.get(site_id.hex(), 0) if isinstance(acks, dict) else None
    if type(acked) is not int or not 0 <= acked <= MAX_COUNT:
        raise InputError(_("{file} is damaged: what the hub says it received is not readable, so nothing "
                           "was imported.").format(file=path.name))
    return acked


def open_conflicts(session: Session) -> list[SyncConflict]:
    return list(session.scalars(select(SyncConflict).where(SyncConflict.deleted.is_(False),
                                                           SyncConflict.resolved.is_(False))
                                .order_by(SyncConflict.table_name, SyncConflict.row_id)))


@dataclass(frozen=True)
class TeamStatus:
    team: str
    last_export: str
    last_import: str
    open_conflicts: int


def team_status(session: Session) -> TeamStatus | None:
    team = session.get(SyncTeam, 1)
    if team is None:
        return None
    return TeamStatus(team.name, team.last_export, team.last_import, len(open_conflicts(session)))


@dataclass(frozen=True)
class ConflictView:
    """A conflict as a person reviews it: the value kept and the value that lost, side by side."""

    id: Any
    table: str
    row_id: Any
    column: str
    kept: Any
    lost: Any


def conflict_views(session: Session) -> list[ConflictView]:
    from sqlalchemy import text

    views = []
    for conflict in open_conflicts(session):
        kept = session.execute(text(f'SELECT "{conflict.column_name}" FROM "{conflict.table_name}" WHERE id = :id'),
                               {"id": conflict.row_id.bytes}).scalar()
        views.append(ConflictView(conflict.id, conflict.table_name, conflict.row_id, conflict.column_name, kept,
                                  json.loads(conflict.value)))
    return views


def resolve_conflict(session: Session, conflict_id: Any, take_lost: bool) -> None:
    """Close a conflict, keeping the current value or bringing the lost one back (an ordinary edit)."""
    from coachdesk.model import synced_classes
    from coachdesk.sync.changes import decode_value

    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None:
        raise InputError(_("This conflict no longer exists."))
    if take_lost:
        cls = next(c for c in synced_classes() if c.__tablename__ == conflict.table_name)
        row = session.get(cls, conflict.row_id)
        if row is None:
            raise InputError(_("The record of this conflict no longer exists."))
        column = cls.__table__.columns[conflict.column_name]
        setattr(row, conflict.column_name, decode_value(column, json.loads(conflict.value)))
    conflict.resolved = True
