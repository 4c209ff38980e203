"""Bookkeeping that lets rows travel between devices: sites, clocks per row and per field.

The logical state is cr-sqlite's: for every (table, row, column) the clock and site of the
value that won, and a causal length per row (odd: alive, even: deleted). It is stored
compactly: ``sync_row_clock`` holds the clock of a row's creation (which stands for every
field written with it), and ``sync_field_clock`` holds a field's clock only once the field
has been written again. A field's effective clock is its own if it has one, else its row's.
``version`` is the local database version of the write, which answers "what changed since W".
"""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, LargeBinary, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column

from coachdesk.model.base import Base, RowId, Synced

SITE_ID_BYTES = 16


class SyncSite(Base):
    """A device (or the hub) that has written rows this database holds."""

    __tablename__ = "sync_site"

    idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[bytes] = mapped_column(LargeBinary(SITE_ID_BYTES), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    is_local: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The name of the person who uses the device (their Settings): who wrote what this site wrote.
    user_name: Mapped[str] = mapped_column(String(200), default="", server_default="")


class SyncState(Base):
    """The single row that holds this database's own counters."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    local_site_idx: Mapped[int] = mapped_column(Integer, ForeignKey("sync_site.idx"))
    #: Bumped once per write transaction.
    db_version: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The hybrid logical clock's last value (48-bit ms << 16 | counter).
    last_hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    #: A fingerprint of the shipped reference data last loaded.
    reference_data_hash: Mapped[str] = mapped_column(String(64), default="")


class RowClock(Base):
    __tablename__ = "sync_row_clock"

    row_id: Mapped[uuid.UUID] = mapped_column(RowId, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64))
    hlc: Mapped[int] = mapped_column(BigInteger)
    site_idx: Mapped[int] = mapped_column(Integer, ForeignKey("sync_site.idx"))
    causal_length: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(BigInteger, index=True)


class FieldClock(Base):
    __tablename__ = "sync_field_clock"

    row_id: Mapped[uuid.UUID] = mapped_column(RowId, primary_key=True)
    column_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    hlc: Mapped[int] = mapped_column(BigInteger)
    site_idx: Mapped[int] = mapped_column(Integer, ForeignKey("sync_site.idx"))
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    #: The clock of the value this write replaced (None: the row's creation). A receiver
    #: whose own clock for the field is newer than this knows the two writes were concurrent.
    prev_hlc: Mapped[int | None] = mapped_column(BigInteger)
    prev_site_idx: Mapped[int | None] = mapped_column(Integer)


class SyncPeer(Base):
    """What this database knows of another site it exchanges bundles with: the hub (on a
    device) or a device (at the hub). Keys are public keys; private keys never enter the database."""

    __tablename__ = "sync_peer"

    site_idx: Mapped[int] = mapped_column(Integer, ForeignKey("sync_site.idx"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # "hub" or "device"
    sign_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    box_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    approved: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: On a device, for the hub: our own db_version the hub has acknowledged.
    #: At the hub, for a device: the device's db_version the hub has merged.
    acked_version: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen: Mapped[str] = mapped_column(String(32), default="")


class SyncTeam(Base):
    """The team this database belongs to (one row): joined from the hub's invitation."""

    __tablename__ = "sync_team"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    hub_site_idx: Mapped[int] = mapped_column(Integer, ForeignKey("sync_site.idx"))
    #: Proof of the invitation (an HMAC key shared through the invitation file).
    invitation_secret: Mapped[bytes] = mapped_column(LargeBinary(32))
    last_export: Mapped[str] = mapped_column(String(32), default="")
    last_import: Mapped[str] = mapped_column(String(32), default="")


class SeenBundle(Base):
    """Bundles already merged, so the same file dropped twice is skipped."""

    __tablename__ = "sync_seen_bundle"

    bundle_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    site_idx: Mapped[int] = mapped_column(Integer, ForeignKey("sync_site.idx"))
    to_version: Mapped[int] = mapped_column(BigInteger, default=0)
    merged_at: Mapped[str] = mapped_column(String(32), default="")


class SyncConflict(Synced, Base):
    """A value that lost to a concurrent edit of the same field, kept for a person to review.

    The id is named from the field and the losing clock, so every replica that sees the same
    conflict holds the same row; the set only grows, and resolving one (``resolved``) syncs
    like any edit.
    """

    __tablename__ = "sync_conflict"

    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID] = mapped_column(RowId, index=True)
    column_name: Mapped[str] = mapped_column(String(64))
    #: The losing value, as JSON.
    value: Mapped[str] = mapped_column(Text, default="null")
    value_hlc: Mapped[int] = mapped_column(BigInteger)
    value_site: Mapped[str] = mapped_column(String(32))
    winner_hlc: Mapped[int] = mapped_column(BigInteger)
    winner_site: Mapped[str] = mapped_column(String(32))
    resolved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
