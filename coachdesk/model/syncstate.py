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

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, LargeBinary, String, false
from sqlalchemy.orm import Mapped, mapped_column

from coachdesk.model.base import Base, RowId

SITE_ID_BYTES = 16


class SyncSite(Base):
    """A device (or the hub) that has written rows this database holds."""

    __tablename__ = "sync_site"

    idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[bytes] = mapped_column(LargeBinary(SITE_ID_BYTES), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    is_local: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


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
