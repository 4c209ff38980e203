"""The shared reference data: the capacity taxonomy, the toolbox of methods, funding opportunities.

Labels and descriptions are data, one row per language, never code: a community can add
its own language or its own capacity without a new release.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.model.base import Base, RowId, Synced

KEY_LENGTH = 64


class CapacityArea(Synced, Base):
    """One of the areas that group capacities (e.g. governance and management)."""

    __tablename__ = "capacity_area"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    wikidata_id: Mapped[str | None] = mapped_column(String(16))
    custom: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    capacities: Mapped[list[Capacity]] = relationship(back_populates="area", order_by="Capacity.position")
    texts: Mapped[list[CapacityAreaText]] = relationship(back_populates="area")


class Capacity(Synced, Base):
    """A capacity that people, organizations and groups build (e.g. fundraising, IT safety)."""

    __tablename__ = "capacity"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    area_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("capacity_area.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    wikidata_id: Mapped[str | None] = mapped_column(String(16))
    custom: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The community that added a custom capacity; None for the shared taxonomy.
    community_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("community.id"))

    area: Mapped[CapacityArea] = relationship(back_populates="capacities")
    texts: Mapped[list[CapacityText]] = relationship(back_populates="capacity")


class ToolboxMethod(Synced, Base):
    """A method from the toolbox (training, mentoring/coaching, communities of practice …)."""

    __tablename__ = "toolbox_method"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    custom: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    texts: Mapped[list[ToolboxMethodText]] = relationship(back_populates="method")


class CapacityAreaText(Synced, Base):
    __tablename__ = "capacity_area_text"
    __table_args__ = (UniqueConstraint("area_id", "language"),)

    area_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("capacity_area.id"))
    language: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    area: Mapped[CapacityArea] = relationship(back_populates="texts")


class CapacityText(Synced, Base):
    __tablename__ = "capacity_text"
    __table_args__ = (UniqueConstraint("capacity_id", "language"),)

    capacity_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("capacity.id"))
    language: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Anchors of the 1–5 scale, one per line, from "not yet" to "can teach others".
    level_anchors: Mapped[str] = mapped_column(Text, default="")

    capacity: Mapped[Capacity] = relationship(back_populates="texts")


class ToolboxMethodText(Synced, Base):
    __tablename__ = "toolbox_method_text"
    __table_args__ = (UniqueConstraint("method_id", "language"),)

    method_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("toolbox_method.id"))
    language: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    method: Mapped[ToolboxMethod] = relationship(back_populates="texts")


class FundingOpportunity(Synced, Base):
    """Guidance on a source of money for capacity building."""

    __tablename__ = "funding_opportunity"

    key: Mapped[str | None] = mapped_column(String(KEY_LENGTH), unique=True)
    program: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200), default="")
    #: None for programs that accept applications all year.
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    eligibility: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class FundingText(Synced, Base):
    """A funding opportunity's amount, eligibility and notes in one language.

    The opportunity row holds them as first written (English for the shipped list); these rows
    carry translations, shipped in resources/reference/text/<language>.toml or written by a
    community in the app, and sync like any edit.
    """

    __tablename__ = "funding_text"
    __table_args__ = (UniqueConstraint("funding_id", "language"),)

    funding_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("funding_opportunity.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    amount: Mapped[str] = mapped_column(String(200), default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
