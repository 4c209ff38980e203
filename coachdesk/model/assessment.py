"""Guided self-assessments: per capacity, a level on an anchored scale, its priority, assets and gaps."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.model.base import Base, RowId, Synced, enum_column
from coachdesk.model.people import Coach, Mentee
from coachdesk.model.reference import Capacity, ToolboxMethod

LEVEL_MIN = 1
LEVEL_MAX = 5


class Priority(enum.IntEnum):
    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3


class AssessmentMode(enum.StrEnum):
    SELF = "self"  # the mentee rates themself, guided by the facilitator
    GROUP = "group"  # a group in the room agrees on each rating
    PEER = "peer"


class Assessment(Synced, Base):
    """One sitting of a guided self-assessment; they repeat over time so progress shows."""

    __tablename__ = "assessment"

    mentee_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("mentee.id"), index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    facilitator_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("coach.id"))
    method_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("toolbox_method.id"))
    mode: Mapped[AssessmentMode] = mapped_column(enum_column(AssessmentMode), default=AssessmentMode.SELF)
    language: Mapped[str] = mapped_column(String(16), default="")
    #: The template whose questions were asked; None for the whole taxonomy.
    template_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("assessment_template.id"))
    #: In a group sitting, how many people took part in rating.
    participants: Mapped[int | None] = mapped_column(Integer)
    # Appreciative inquiry: what works (discover), what could be (dream), how (design), next (deliver).
    discover: Mapped[str] = mapped_column(Text, default="")
    dream: Mapped[str] = mapped_column(Text, default="")
    design: Mapped[str] = mapped_column(Text, default="")
    deliver: Mapped[str] = mapped_column(Text, default="")

    mentee: Mapped[Mentee] = relationship()
    facilitator: Mapped[Coach | None] = relationship()
    method: Mapped[ToolboxMethod | None] = relationship()
    ratings: Mapped[list[CapacityRating]] = relationship(back_populates="assessment")


class CapacityRating(Synced, Base):
    """The assessment of one capacity: its level, priority, the assets and gaps, and the evidence."""

    __tablename__ = "capacity_rating"
    __table_args__ = (
        UniqueConstraint("assessment_id", "capacity_id"),
        CheckConstraint(f"level BETWEEN {LEVEL_MIN} AND {LEVEL_MAX}", name="level_on_scale"),
        CheckConstraint("priority BETWEEN 0 AND 3", name="priority_known"),
    )

    assessment_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("assessment.id"))
    capacity_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("capacity.id"), index=True)
    #: 1–5 on the capacity's anchored scale; in a group sitting, the consensus the group agreed.
    level: Mapped[int] = mapped_column(SmallInteger)
    #: In a group sitting, the spread of the participants' own ratings and how many rated; the
    #: service keeps them on the scale (a CHECK here would mean rebuilding the table on upgrade).
    lowest: Mapped[int | None] = mapped_column(SmallInteger)
    highest: Mapped[int | None] = mapped_column(SmallInteger)
    raters: Mapped[int | None] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(Integer, default=Priority.NONE)
    assets: Mapped[str] = mapped_column(Text, default="")
    gaps: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")
    capacity: Mapped[Capacity] = relationship()
