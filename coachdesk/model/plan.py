"""Capacity-building plans: goals tied to capacities, and the actions that reach them."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.model.base import Base, RowId, Synced, enum_column
from coachdesk.model.people import Coach, Mentee
from coachdesk.model.reference import Capacity, FundingOpportunity, ToolboxMethod


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class ActionStatus(enum.StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    DROPPED = "dropped"


#: Statuses in which an action still asks for work (and can be overdue).
OPEN_ACTION_STATUSES = (ActionStatus.TODO, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)


class Plan(Synced, Base):
    __tablename__ = "plan"

    mentee_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("mentee.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus), default=PlanStatus.DRAFT)
    created_on: Mapped[date] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)
    #: The assessment whose priorities the plan answers, if any.
    assessment_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("assessment.id"))

    mentee: Mapped[Mentee] = relationship()
    goals: Mapped[list[PlanGoal]] = relationship(back_populates="plan", order_by="PlanGoal.position")


class PlanGoal(Synced, Base):
    __tablename__ = "plan_goal"
    __table_args__ = (CheckConstraint("target_level IS NULL OR target_level BETWEEN 1 AND 5", name="target_on_scale"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("plan.id"), index=True)
    capacity_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("capacity.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    target_level: Mapped[int | None] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(Integer, default=0)

    plan: Mapped[Plan] = relationship(back_populates="goals")
    capacity: Mapped[Capacity | None] = relationship()
    actions: Mapped[list[PlanAction]] = relationship(back_populates="goal", order_by="PlanAction.position")


class PlanAction(Synced, Base):
    __tablename__ = "plan_action"

    goal_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("plan_goal.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    method_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("toolbox_method.id"))
    #: Who carries the action out: a person's name, the mentee, or a coach.
    owner: Mapped[str] = mapped_column(String(200), default="")
    owner_coach_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("coach.id"))
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus), default=ActionStatus.TODO, index=True)
    completed_on: Mapped[date | None] = mapped_column(Date)
    funding_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("funding_opportunity.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    goal: Mapped[PlanGoal] = relationship(back_populates="actions")
    method: Mapped[ToolboxMethod | None] = relationship()
    owner_coach: Mapped[Coach | None] = relationship()
    funding: Mapped[FundingOpportunity | None] = relationship()
