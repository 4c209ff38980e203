"""Community requests for capacity building: what communities ask for, ahead of what we assume."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.model.base import Base, RowId, Synced, enum_column
from coachdesk.model.people import Community, Mentee
from coachdesk.model.reference import Capacity


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    PLANNED = "planned"
    DONE = "done"
    DECLINED = "declined"


class CommunityRequest(Synced, Base):
    __tablename__ = "community_request"

    community_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("community.id"), index=True)
    #: The mentee the request became, once it did.
    mentee_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("mentee.id"))
    capacity_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("capacity.id"))
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: 1 (highest) to 5; community requests come before our own notions of what to build.
    priority: Mapped[int] = mapped_column(Integer, default=3)
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), default=RequestStatus.OPEN, index=True)

    community: Mapped[Community | None] = relationship()
    mentee: Mapped[Mentee | None] = relationship()
    capacity: Mapped[Capacity | None] = relationship()
