"""Who takes part: communities, mentees (people, organizations, groups) and the coaches who serve them."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from coachdesk.errors import InputError
from coachdesk.i18n import _
from coachdesk.model.base import PRIVATE, Base, RowId, Synced, enum_column


class MenteeKind(enum.StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    GROUP = "group"


class JourneyStage(enum.StrEnum):
    """From first contact through assessment, planning and funding, to activities and evaluation."""

    FIRST_CONTACT = "first_contact"
    ASSESSMENT = "assessment"
    PLANNING = "planning"
    FUNDING = "funding"
    ACTIVITIES = "activities"
    EVALUATION = "evaluation"


class CoachRole(enum.StrEnum):
    COACH = "coach"
    MENTOR = "mentor"
    TRAINER = "trainer"
    CIRCUIT_RIDER = "circuit_rider"
    PROGRAM_LEAD = "program_lead"


class Community(Synced, Base):
    """A language, regional or thematic community (e.g. the Hausa Wikipedia community)."""

    __tablename__ = "community"

    name: Mapped[str] = mapped_column(String(200), index=True)
    region: Mapped[str] = mapped_column(String(100), default="")
    #: Language codes (BCP 47), most used first.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")


class Coach(Synced, Base):
    """A capacity builder: coach, mentor, trainer, circuit rider or program lead, with their own profile.

    Capacity builders build their own capacities too: the profile says which methods of the
    toolbox they are trained in and which capacities they can support, and their
    training-of-trainers path is kept in ``trainer_track_step``.
    """

    __tablename__ = "coach"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[CoachRole] = mapped_column(enum_column(CoachRole), default=CoachRole.COACH)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    email: Mapped[str] = mapped_column(String(200), default="", info={PRIVATE: True})
    region: Mapped[str] = mapped_column(String(100), default="", server_default="")
    #: Keys of the toolbox methods this person is trained in (``ToolboxMethod.key``).
    methods: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    #: Keys of the capacities this person can support others in (``Capacity.key``).
    capacities: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


def erased_name(mentee_id: uuid.UUID) -> str:
    """The name an erased mentee takes. It is derived from the id and never translated, so every
    device that erases the mentee (or honours an erasure it received) writes the same value."""
    return f"Erased person {mentee_id.hex[-4:].upper()}"


#: A mentee's personal fields: erasing the mentee sets them to :func:`erased_values`.
PERSONAL_FIELDS = ("name", "region", "consent_given_by", "email", "phone", "private_notes")


def erased_values(mentee_id: uuid.UUID) -> dict[str, Any]:
    """The value of each of a mentee's personal fields once their data has been erased.

    Kind, community, languages, journey stage, coach and the date consent was given stay:
    none of them names the person, and the evaluation counts by community and stage need them.
    """
    return dict.fromkeys(PERSONAL_FIELDS, "") | {"name": erased_name(mentee_id)}


class Mentee(Synced, Base):
    """A person, organization or group ("POG") on a capacity-building journey."""

    __tablename__ = "mentee"

    kind: Mapped[MenteeKind] = mapped_column(enum_column(MenteeKind), default=MenteeKind.PERSON)
    name: Mapped[str] = mapped_column(String(200), index=True)
    community_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("community.id"), index=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    region: Mapped[str] = mapped_column(String(100), default="")
    journey_stage: Mapped[JourneyStage] = mapped_column(
        enum_column(JourneyStage), default=JourneyStage.FIRST_CONTACT
    )
    #: The coach who looks after this mentee, if one does.
    coach_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("coach.id"), index=True)
    # Consent to keep personal data, as the mentee gave it.
    consent_given_on: Mapped[date | None] = mapped_column(Date)
    consent_given_by: Mapped[str] = mapped_column(String(200), default="")
    # Contact details and private notes never leave this device.
    email: Mapped[str] = mapped_column(String(200), default="", info={PRIVATE: True})
    phone: Mapped[str] = mapped_column(String(50), default="", info={PRIVATE: True})
    private_notes: Mapped[str] = mapped_column(Text, default="", info={PRIVATE: True})
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The person's data was erased at their request (``coachdesk.services.privacy``); their
    #: personal fields keep their erased values from then on, on every device.
    erased: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The mentee agreed to be suggested to other mentees as a peer (``coachdesk.services.matching``);
    #: nobody is ever suggested without it.
    open_to_peers: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    community: Mapped[Community | None] = relationship()
    coach: Mapped[Coach | None] = relationship()

    @validates(*PERSONAL_FIELDS)
    def _keep_erased(self, key: str, value: Any) -> Any:
        # Every ORM write of a mentee passes here (the mentee dialog, merging duplicates, a CSV
        # import, taking back a value from the conflict log), so none can bring erased data back.
        # The sync merge writes with Core; it honours erasures itself (coachdesk.sync.erasure).
        if self.erased and value != erased_values(self.id)[key]:
            raise InputError(_("This person's data has been erased; their record can no longer be edited."))
        return value
