"""Assessment templates: which capacities a stakeholder type is asked about, with what prompts and anchors.

An individual volunteer, an affiliate's board and an informal group are asked about different
capacities in different words. A template names the capacities (its questions, in order), and
per language a prompt and the five anchors of the level scale. The shipped templates take
name-based ids so every device has the same rows; a community copies one to adapt it, and the
copy syncs like any other data.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.model.base import Base, RowId, Synced, enum_column
from coachdesk.model.people import Community, MenteeKind
from coachdesk.model.reference import KEY_LENGTH, Capacity


class AssessmentTemplate(Synced, Base):
    """A set of questions for one stakeholder type (people, organizations or groups)."""

    __tablename__ = "assessment_template"

    #: Stable key of a shipped template ("person", "organization", "group"); None for a community's copy.
    key: Mapped[str | None] = mapped_column(String(KEY_LENGTH), unique=True)
    kind: Mapped[MenteeKind] = mapped_column(enum_column(MenteeKind), default=MenteeKind.PERSON)
    #: The template this one was copied from, if any.
    based_on_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("assessment_template.id"))
    #: The community that adapted a copy; None for the shipped templates.
    community_id: Mapped[uuid.UUID | None] = mapped_column(RowId, ForeignKey("community.id"))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    position: Mapped[int] = mapped_column(Integer, default=0)

    community: Mapped[Community | None] = relationship()
    texts: Mapped[list[AssessmentTemplateText]] = relationship(back_populates="template")
    questions: Mapped[list[TemplateQuestion]] = relationship(
        back_populates="template", order_by="TemplateQuestion.position")


class AssessmentTemplateText(Synced, Base):
    """A template's name and its opening words to the people being assessed, in one language."""

    __tablename__ = "assessment_template_text"
    __table_args__ = (UniqueConstraint("template_id", "language"),)

    template_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("assessment_template.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str] = mapped_column(Text, default="")

    template: Mapped[AssessmentTemplate] = relationship(back_populates="texts")


class TemplateQuestion(Synced, Base):
    """One capacity a template asks about. The id is named from both ends, so two devices
    adding the same capacity to the same template agree on one row."""

    __tablename__ = "template_question"
    __table_args__ = (UniqueConstraint("template_id", "capacity_id"),)

    template_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("assessment_template.id"), index=True)
    capacity_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("capacity.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    template: Mapped[AssessmentTemplate] = relationship(back_populates="questions")
    capacity: Mapped[Capacity] = relationship()
    texts: Mapped[list[TemplateQuestionText]] = relationship(back_populates="question")


class TemplateQuestionText(Synced, Base):
    """A question's prompt and level anchors in one language; empty anchors fall back to the capacity's own."""

    __tablename__ = "template_question_text"
    __table_args__ = (UniqueConstraint("question_id", "language"),)

    question_id: Mapped[uuid.UUID] = mapped_column(RowId, ForeignKey("template_question.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    prompt: Mapped[str] = mapped_column(Text, default="")
    #: Anchors of the 1–5 scale, one per line, as this template words them for its stakeholders.
    level_anchors: Mapped[str] = mapped_column(Text, default="")

    question: Mapped[TemplateQuestion] = relationship(back_populates="texts")
