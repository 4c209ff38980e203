"""The declarative base, column types shared by every table, and the synced-row mixin."""

from __future__ import annotations

import enum
import uuid
from typing import Any

from sqlalchemy import Boolean, Enum, LargeBinary, MetaData, TypeDecorator, Uuid, false
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from coachdesk.model.ids import uuid7

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Column ``info`` key: the value never leaves this device (contact details, private notes).
PRIVATE = "private"


class RowId(TypeDecorator[uuid.UUID]):
    """A UUID kept as 16 bytes in SQLite and as the native type in PostgreSQL."""

    impl = Uuid
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(LargeBinary(16))
        return dialect.type_descriptor(Uuid(as_uuid=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, uuid.UUID):
            value = uuid.UUID(str(value))
        return value.bytes if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None:
            return None
        if isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(bytes=bytes(value))


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """A string column limited to the enum's values by a CHECK constraint (portable, readable in SQL)."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(m.value) for m in enum_class),
        name=enum_class.__name__.lower(),
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Synced:
    """Mixin for every table that travels between devices.

    The id is made on the device that creates the row, so nothing ever needs renumbering
    when devices merge. A deleted row stays as a tombstone so the deletion can travel too.
    Field-level clocks live in the ``sync_*`` tables, written by ``coachdesk.store.changes``.
    """

    id: Mapped[uuid.UUID] = mapped_column(RowId, primary_key=True, default=uuid7)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"
