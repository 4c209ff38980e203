"""Who changed a field last, on which device and when, read from the clocks sync keeps for every field.

Sync records, for every (table, row, column), the hybrid-logical-clock value and the site of
the value that won. The clock says when; the site says on which device; the person is the
user name that device last announced (its Settings, carried to the hub in every export and
back to every device in the central export). A device whose user name never arrived — an
older CoachDesk, or nobody set a name — leaves "who" empty.

The user name is the device's current one, not the one at the time of the edit: a laptop
handed to a colleague who sets their name in Settings is shown as theirs from the next sync.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _
from coachdesk.model import FieldClock, RowClock, SyncSite, SyncState
from coachdesk.store import clock
from coachdesk.store.changes import STATE_ID

#: Names travel in bundle manifests; longer ones are cut to the column's width.
NAME_LENGTH = 200


@dataclass(frozen=True)
class Provenance:
    """The last change of one field."""

    column: str
    #: The person's name, or "" when the device never said who uses it.
    who: str
    #: The device's name ("this device", translated, for this one).
    device: str
    #: When, in UTC, from the winning value's clock.
    when: datetime
    #: Whether the change was made on this device.
    local: bool


def _columns(table: str) -> tuple[Any, list[str]]:
    """The table object and its recorded columns, or one sentence saying the name is unknown."""
    from coachdesk.sync.changes import table_infos

    info = table_infos().get(table)
    if info is None:
        raise InputError(_("CoachDesk keeps no history of changes for “{table}”.").format(table=table))
    return info.table, [c.name for c in info.table.columns if c.name not in ("id", "deleted")]


def _device(site: SyncSite) -> str:
    if site.is_local:
        return _("this device")
    return site.name or _("device {id}").format(id=bytes(site.site_id).hex()[:8])


def _clocks(session: Session, table: Any, row_id: uuid.UUID) -> tuple[tuple[int, int] | None,
                                                                          dict[str, tuple[int, int]]]:
    """The row's own clock (None for a row never recorded or only a placeholder) and its fields' clocks."""
    if session.scalar(select(table.c.id).where(table.c.id == row_id)) is None:
        return None, {}
    row = session.execute(select(RowClock.hlc, RowClock.site_idx, RowClock.causal_length)
                          .where(RowClock.row_id == row_id)).first()
    if row is not None and row.causal_length == 0:  # stands in for a row whose records have not arrived
        return None, {}
    fields = {name: (hlc, site) for name, hlc, site in session.execute(
        select(FieldClock.column_name, FieldClock.hlc, FieldClock.site_idx).where(FieldClock.row_id == row_id))}
    return (None if row is None else (row.hlc, row.site_idx)), fields


def _provenance(column: str, stamp: tuple[int, int], sites: Mapping[int, SyncSite]) -> Provenance | None:
    hlc, site_idx = stamp
    site = sites.get(site_idx)
    if site is None:
        return None
    return Provenance(column=column, who=site.user_name or "", device=_device(site), when=clock.to_datetime(hlc),
                      local=bool(site.is_local))


def row_provenance(session: Session, table: str, row_id: uuid.UUID) -> dict[str, Provenance]:
    """The last change of every field of a row, in the table's column order (private fields
    too: they are recorded on this device). Empty for a row this database does not hold."""
    table_object, columns = _columns(table)
    own_row, fields = _clocks(session, table_object, row_id)
    if own_row is None and not fields:
        return {}
    sites = {site.idx: site for site in session.scalars(select(SyncSite))}
    found = {}
    for column in columns:
        stamp = fields.get(column) or own_row
        if stamp is not None and (provenance := _provenance(column, stamp, sites)) is not None:
            found[column] = provenance
    return found


def field_history(session: Session, table: str, row_id: uuid.UUID, column: str) -> Provenance | None:
    """Who changed ``column`` of a row last, on which device and when; None for a row this
    database does not hold (or holds only as a placeholder)."""
    _table_object, columns = _columns(table)
    if column not in columns:
        raise InputError(_("“{table}” has no field “{column}”.").format(table=table, column=column))
    return row_provenance(session, table, row_id).get(column)


def record_local_user(session: Session, user_name: str) -> bool:
    """Keep the name of the person using this device (their Settings) on its site; True if it changed."""
    name = clean_name(user_name)
    state = session.get(SyncState, STATE_ID)
    site = session.get(SyncSite, state.local_site_idx)
    if site.user_name == name:
        return False
    site.user_name = name
    return True


def clean_name(value: object) -> str:
    """A name as it is kept: text on one line, spaces collapsed, no longer than the column."""
    return " ".join(str(value).split())[:NAME_LENGTH] if isinstance(value, str) else ""


# --- names that travel with bundles --------------------------------------------------------


def site_names(session: Session) -> dict[str, dict[str, str]]:
    """The names of the other sites this database knows (device and user name, by site id in hex):
    what the hub sends every device so each can say who changed what."""
    names = {}
    for site in session.scalars(select(SyncSite).where(SyncSite.is_local.is_(False)).order_by(SyncSite.site_id)):
        if site.name or site.user_name:
            names[bytes(site.site_id).hex()] = {"name": site.name, "user_name": site.user_name}
    return names


def learn_site_names(session: Session, names: object) -> int:
    """Take the names of sites this database knows from a bundle's ``site_names``; never renames this
    device, and skips anything malformed (the bundle was verified, but its maker may be older or odd).
    Returns how many sites changed."""
    if not isinstance(names, Mapping):
        return 0
    wanted: dict[bytes, Mapping[str, Any]] = {}
    for key, entry in names.items():
        try:
            site_id = bytes.fromhex(key) if isinstance(key, str) else b""
        except ValueError:
            continue
        if site_id and isinstance(entry, Mapping):
            wanted[site_id] = entry
    if not wanted:
        return 0
    changed = 0
    for site in session.scalars(select(SyncSite).where(SyncSite.site_id.in_(list(wanted)),
                                                       SyncSite.is_local.is_(False))):
        entry = wanted[bytes(site.site_id)]
        name, user_name = clean_name(entry.get("name")), clean_name(entry.get("user_name"))
        before = (site.name, site.user_name)
        if name:  # an empty name says nothing: keep the one known (the hub's, named at joining)
            site.name = name
        if "user_name" in entry:  # a cleared user name is news, so it is taken
            site.user_name = user_name
        changed += (site.name, site.user_name) != before
    return changed
