"""Coaching, mentoring, training, consultation sessions and visits, with who took part and what they built."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.model.base import PRIVATE, Base, RowId, Synced, enum_column
from coachdesk.model.people import Coach, Mentee
from coachdesk.model.reference import Capacity, ToolboxMethod


class SessionKind(enum.StrEnum):
    COACHING = "coaching"
    MENTORING = "mentoring"
    TRAINING = "training"
    CONSULTATION = "consultation"
    VISIT = "visit"


class CoachingSession(Synced, Base):
    """A logged session. ``started_at`` is the wall-clock time where it took place (no time zone):
    a circuit rider crossing time zones logs what the people in the room saw on their clocks."""

    __tablename__ = "coaching_session"
    __table_args__ = (CheckConstraint("duration_minutes >= 0 AND duration_minutes <= 10080", name="duration_sane"),)

    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind), default=SessionKind.COACHING)
    title: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    location: Mapped[str] = mapped_column(String(200), default="")
    coach_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("coach.id"))
    method_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("toolbox_method.id"))
    language: Mapped[str] = mapped_column(String(16), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    private_notes: Mapped[str] = mapped_column(Text, default="", info={PRIVATE: True})

    coach: Mapped[Coach | None] = relationship()
    method: Mapped[ToolboxMethod | None] = relationship()
    participants: Mapped[list[SessionParticipant]] = relationship(back_populates="session")
    capacities: Mapped[list[SessionCapacity]] = relationship(back_populates="session")


class SessionParticipant(Synced, Base):
    """A mentee who took part in a session. The id is named from both ends, so two devices
    adding the same person to the same session agree on one row."""

    __tablename__ = "session_participant"
    __table_args__ = (UniqueConstraint("session_id", "mentee_id"),)

    session_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("coaching_session.id"))
    mentee_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("mentee.id"), index=True)

    session: Mapped[CoachingSession] = relationship(back_populates="participants")
    mentee: Mapped[Mentee] = relationship()


class SessionCapacity(Synced, Base):
    """A capacity a session worked on (id named from both ends, like participants)."""

    __tablename__ = "session_capacity"
    __table_args__ = (UniqueConstraint("session_id", "capacity_id"),)

    session_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("coaching_session.id"))
    capacity_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("capacity.id"), index=True)

    session: Mapped[CoachingSession] = relationship(back_populates="capacities")
    capacity: Mapped[Capacity] = relationship()
