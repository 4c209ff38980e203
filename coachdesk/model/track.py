"""The training-of-trainers track: the steps by which a new trainer, mentor or coach is prepared and signed off."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.model.base import Base, RowId, Synced, enum_column
from coachdesk.model.people import Coach
from coachdesk.model.reference import ToolboxMethod
from coachdesk.model.session import CoachingSession


class TrackStepKind(enum.StrEnum):
    """The kinds of step on a new trainer's path, in the order they usually come."""

    TRAINING = "training"  # took part in a training of trainers
    OBSERVATION = "observation"  # watched an experienced trainer deliver
    CO_FACILITATION = "co_facilitation"  # delivered a session together with an experienced trainer
    MENTORING = "mentoring"  # a mentoring conversation with an experienced trainer
    SIGN_OFF = "sign_off"  # an experienced trainer signed the new one off to deliver alone


class TrainerTrackStep(Synced, Base):
    """One step on a capacity builder's training-of-trainers track."""

    __tablename__ = "trainer_track_step"
    __table_args__ = (CheckConstraint("minutes >= 0 AND minutes <= 10080", name="minutes_sane"),)

    #: The new trainer (mentor, coach, circuit rider) whose path this is.
    trainee_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("coach.id"), index=True)
    kind: Mapped[TrackStepKind] = mapped_column(enum_column(TrackStepKind), default=TrackStepKind.CO_FACILITATION)
    done_on: Mapped[date] = mapped_column(Date)
    #: The experienced capacity builder who co-facilitated, mentored or signed off.
    mentor_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("coach.id"))
    #: The logged session this step was, for a co-facilitation or an observation.
    session_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("coaching_session.id"))
    #: The toolbox method the step is about (a sign-off is to deliver one method).
    method_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("toolbox_method.id"))
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")

    trainee: Mapped[Coach] = relationship(foreign_keys=[trainee_id])
    mentor: Mapped[Coach | None] = relationship(foreign_keys=[mentor_id])
    session: Mapped[CoachingSession | None] = relationship()
    method: Mapped[ToolboxMethod | None] = relationship()
