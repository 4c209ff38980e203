"""Assessment templates: list them, read one in a language, give the wizard its questions, and adapt copies.

The shipped templates (one per stakeholder type) are never edited in place: every device has the
same rows under name-based ids, so a community copies one and adapts the copy, which syncs like any
other data. Texts are per (owner, language) with ids ``named_id(owner_id, language)``, so two
devices translating the same question agree on one row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _, current_language, parse_locale, use_language
from coachdesk.model import (
    LEVEL_MAX,
    LEVEL_MIN,
    AssessmentTemplate,
    AssessmentTemplateText,
    Capacity,
    CapacityArea,
    Community,
    MenteeKind,
    TemplateQuestion,
    TemplateQuestionText,
    named_id,
    uuid7,
)
from coachdesk.services.assessments import AreaInfo, CapacityInfo
from coachdesk.services.vocabulary import area_details, best_by_language, capacity_details, capacity_labels

NAME_LIMIT = 200
LEVELS = LEVEL_MAX - LEVEL_MIN + 1
KIND_ORDER = {MenteeKind.PERSON: 0, MenteeKind.ORGANIZATION: 1, MenteeKind.GROUP: 2}


def builtin_refusal() -> str:
    return _("Copy this template to adapt it; the shipped templates stay as they are so every device agrees.")


@dataclass(frozen=True)
class TemplateSummary:
    id: uuid.UUID
    key: str | None
    kind: MenteeKind
    builtin: bool
    name: str
    based_on: str  # the name of the template it was copied from, or ""
    community: str  # the name of the community that adapted it, or ""
    languages: tuple[str, ...]
    questions: int


@dataclass(frozen=True)
class QuestionDetail:
    id: uuid.UUID
    capacity_id: uuid.UUID
    capacity_key: str
    capacity_label: str
    prompt: str
    #: Always five, level 1 first; where the template has none, the capacity's own.
    anchors: tuple[str, ...]
    #: The language the prompt and anchors were found in ("" where the capacity's own anchors show).
    text_language: str = ""


@dataclass(frozen=True)
class TemplateDetail:
    id: uuid.UUID
    key: str | None
    kind: MenteeKind
    builtin: bool
    language: str
    name: str
    introduction: str
    languages: tuple[str, ...]
    based_on: str
    community_id: uuid.UUID | None
    questions: list[QuestionDetail] = field(default_factory=list)
    community: str = ""  # the name of the community whose copy it is


# -- reading ----------------------------------------------------------------------------------


def _live_template(session: Session, template_id: uuid.UUID) -> AssessmentTemplate:
    template = session.get(AssessmentTemplate, template_id)
    if template is None or template.deleted:
        raise InputError(_("This template no longer exists; it may have been removed on another device."))
    return template


def _template_texts(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[AssessmentTemplateText]]:
    texts: dict[uuid.UUID, list[AssessmentTemplateText]] = {}
    for text in session.scalars(select(AssessmentTemplateText).where(
            AssessmentTemplateText.deleted.is_(False), AssessmentTemplateText.template_id.in_(ids))):
        texts.setdefault(text.template_id, []).append(text)
    return texts


def _name(texts: list[AssessmentTemplateText], language: str) -> AssessmentTemplateText | None:
    best = best_by_language([(t.template_id, t.language, t) for t in texts], language)
    found = next(iter(best.values()), None)
    return found[1] if found else None  # type: ignore[return-value]


def _live_questions(session: Session, template_id: uuid.UUID) -> list[TemplateQuestion]:
    return list(session.scalars(
        select(TemplateQuestion).join(Capacity, Capacity.id == TemplateQuestion.capacity_id)
        .where(TemplateQuestion.template_id == template_id, TemplateQuestion.deleted.is_(False),
               Capacity.deleted.is_(False))
        .order_by(TemplateQuestion.position, TemplateQuestion.id)))


def list_templates(session: Session, language: str | None = None) -> list[TemplateSummary]:
    """Every live template: by stakeholder type, the shipped one first, then copies by name."""
    language = language or current_language()
    templates = list(session.scalars(select(AssessmentTemplate).where(AssessmentTemplate.deleted.is_(False))))
    all_ids = list(session.scalars(select(AssessmentTemplate.id)))
    texts = _template_texts(session, all_ids)
    names = {tid: (text.name if (text := _name(texts.get(tid, []), language)) else "") for tid in all_ids}
    keys = dict(session.execute(select(AssessmentTemplate.id, AssessmentTemplate.key)).all())
    communities = dict(session.execute(select(Community.id, Community.name)).all())
    counts = dict(session.execute(
        select(TemplateQuestion.template_id, func.count()).join(Capacity, Capacity.id == TemplateQuestion.capacity_id)
        .where(TemplateQuestion.deleted.is_(False), Capacity.deleted.is_(False))
        .group_by(TemplateQuestion.template_id)).all())
    result = [
        TemplateSummary(
            t.id, t.key, MenteeKind(t.kind), bool(t.builtin), names.get(t.id) or t.key or _("Untitled template"),
            (names.get(t.based_on_id) or keys.get(t.based_on_id) or "") if t.based_on_id else "",
            communities.get(t.community_id, "") if t.community_id else "",
            tuple(sorted(x.language for x in texts.get(t.id, []))), counts.get(t.id, 0))
        for t in templates]
    order = {t.id: t.position for t in templates}
    result.sort(key=lambda s: (KIND_ORDER.get(s.kind, 9), not s.builtin, order[s.id], s.name.casefold()))
    return result


def community_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Live communities by name, for saying whose copy a template is."""
    return [(cid, name) for cid, name in session.execute(
        select(Community.id, Community.name).where(Community.deleted.is_(False)).order_by(Community.name))]


def default_template(session: Session, kind: MenteeKind | str) -> uuid.UUID | None:
    """The template a new assessment of a mentee of ``kind`` starts with: the shipped one for that kind."""
    kind = MenteeKind(kind)
    rows = session.execute(select(AssessmentTemplate.id, AssessmentTemplate.builtin, AssessmentTemplate.position)
                           .where(AssessmentTemplate.deleted.is_(False), AssessmentTemplate.kind == kind)).all()
    if not rows:
        return None
    return min(rows, key=lambda r: (not r.builtin, r.position, str(r.id))).id


def _question_texts(session: Session, question_ids: list[uuid.UUID]) -> list[TemplateQuestionText]:
    if not question_ids:
        return []
    return list(session.scalars(select(TemplateQuestionText).where(
        TemplateQuestionText.deleted.is_(False), TemplateQuestionText.question_id.in_(question_ids))))


def _five(anchors: list[str], fallback: list[str]) -> tuple[str, ...]:
    """Five anchors: the template's own where it has them, the capacity's own for the others."""
    own = [a.strip() for a in anchors] + [""] * LEVELS
    other = [a.strip() for a in fallback] + [""] * LEVELS
    return tuple(own[n] or other[n] for n in range(LEVELS))


def template_detail(session: Session, template_id: uuid.UUID, language: str | None = None) -> TemplateDetail:
    """A template's name, introduction and questions in ``language`` — or its base language, English,
    any language the template has, and for anchors the capacity's own."""
    language = language or current_language()
    template = _live_template(session, template_id)
    texts = _template_texts(session, [template.id]).get(template.id, [])
    chosen = _name(texts, language)
    based_on = ""
    if template.based_on_id:
        based_texts = _template_texts(session, [template.based_on_id]).get(template.based_on_id, [])
        found = _name(based_texts, language)
        origin = session.get(AssessmentTemplate, template.based_on_id)
        based_on = found.name if found else (origin.key or "" if origin else "")
    questions = _live_questions(session, template.id)
    question_texts = _question_texts(session, [q.id for q in questions])
    by_question = best_by_language([(t.question_id, t.language, t) for t in question_texts], language)
    capacities = capacity_details(session, language)
    labels = capacity_labels(session, language)
    keys = dict(session.execute(select(Capacity.id, Capacity.key)).all())
    details = []
    for question in questions:
        own_lang, own = by_question.get(question.id, ("", None))
        capacity_anchors = capacities.get(question.capacity_id, ("", "", []))[2]
        own_anchors = own.level_anchors.splitlines() if own is not None else []  # type: ignore[attr-defined]
        details.append(QuestionDetail(
            question.id, question.capacity_id, keys.get(question.capacity_id, ""),
            labels.get(question.capacity_id, keys.get(question.capacity_id, "")),
            own.prompt if own is not None else "",  # type: ignore[attr-defined]
            _five(own_anchors, capacity_anchors), own_lang))
    return TemplateDetail(template.id, template.key, MenteeKind(template.kind), bool(template.builtin), language,
                          chosen.name if chosen else (template.key or ""), chosen.introduction if chosen else "",
                          tuple(sorted(t.language for t in texts)), based_on, template.community_id, details,
                          template.community.name if template.community is not None else "")


def questions_for_wizard(session: Session, template_id: uuid.UUID, language: str | None = None) -> list[AreaInfo]:
    """The template's questions as the wizard asks them: grouped by capacity area in taxonomy order,
    in the template's order within an area, each with the template's prompt and anchors.

    Areas keep the wizard's pages short and give each page the area's description; the summary and
    the chart read the same way whichever template was used."""
    language = language or current_language()
    detail = template_detail(session, template_id, language)
    capacities = capacity_details(session, language)
    areas = area_details(session, language)
    area_of = dict(session.execute(select(Capacity.id, Capacity.area_id)).all())
    by_area: dict[uuid.UUID, list[CapacityInfo]] = {}
    for question in detail.questions:
        description = capacities.get(question.capacity_id, ("", "", []))[1]
        by_area.setdefault(area_of[question.capacity_id], []).append(CapacityInfo(
            question.capacity_id, question.capacity_key, question.capacity_label, description,
            tuple(a for a in question.anchors if a), prompt=question.prompt))
    result = []
    for aid, key in session.execute(select(CapacityArea.id, CapacityArea.key).where(CapacityArea.deleted.is_(False))
                                    .order_by(CapacityArea.position, CapacityArea.key)):
        if by_area.get(aid):
            label, description = areas.get(aid, (key, ""))
            result.append(AreaInfo(aid, key, label, description, tuple(by_area[aid])))
    return result


# -- editing ----------------------------------------------------------------------------------


def _editable(session: Session, template_id: uuid.UUID) -> AssessmentTemplate:
    template = _live_template(session, template_id)
    if template.builtin:
        raise InputError(builtin_refusal())
    return template


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InputError(_("Give the template a name; the name cannot be empty."))
    if len(name) > NAME_LIMIT:
        raise InputError(_("The name is longer than {limit} characters.").format(limit=NAME_LIMIT))
    return name


def clean_language(code: str) -> str:
    """A language code as CoachDesk stores it ("pt_BR"); one sentence when it is not one."""
    try:
        return str(parse_locale(code))
    except ValueError as error:
        raise InputError(str(error)) from error


def _upsert(session: Session, cls: type, owner_column: str, owner_id: uuid.UUID, language: str,
            values: dict[str, str]) -> None:
    column = getattr(cls, owner_column)
    text = session.scalars(select(cls).where(column == owner_id, cls.language == language)).first()  # type: ignore[attr-defined]
    if text is None:
        session.add(cls(id=named_id(owner_id, language), language=language, **{owner_column: owner_id}, **values))
        return
    if text.deleted:
        text.deleted = False
    for key, value in values.items():
        if getattr(text, key) != value:
            setattr(text, key, value)


def copy_template(session: Session, template_id: uuid.UUID, name: str | None = None,
                  community_id: uuid.UUID | None = None, language: str | None = None) -> uuid.UUID:
    """Copy a template to adapt it: every text and question comes along; return the copy's id.

    The copy is called ``name`` in every language it has, or the original's name followed by "(copy)"."""
    language = language or current_language()
    origin = _live_template(session, template_id)
    if community_id is not None and session.get(Community, community_id) is None:
        raise InputError(_("This community no longer exists; it may have been removed on another device."))
    position = (session.scalar(select(func.max(AssessmentTemplate.position))) or 0) + 1
    copy = AssessmentTemplate(id=uuid7(), key=None, kind=origin.kind, based_on_id=origin.id, community_id=community_id,
                              builtin=False, position=position)
    session.add(copy)
    texts = _template_texts(session, [origin.id]).get(origin.id, [])
    given = _clean_name(name) if name else None
    for text in texts:
        # A name given is the community's own in every language; otherwise each language says "(copy)" its way.
        with use_language(text.language):
            text_name = given or _("{name} (copy)").format(name=text.name)
        session.add(AssessmentTemplateText(id=named_id(copy.id, text.language), template_id=copy.id,
                                           language=text.language, name=text_name[:NAME_LIMIT],
                                           introduction=text.introduction))
    if not texts:
        session.add(AssessmentTemplateText(id=named_id(copy.id, language), template_id=copy.id, language=language,
                                           name=(given or _("{name} (copy)").format(name=origin.key or ""))[:NAME_LIMIT],
                                           introduction=""))
    questions = _live_questions(session, origin.id)
    question_texts: dict[uuid.UUID, list[TemplateQuestionText]] = {}
    for text in _question_texts(session, [q.id for q in questions]):
        question_texts.setdefault(text.question_id, []).append(text)
    for position, question in enumerate(questions):
        qid = named_id(copy.id, question.capacity_id)
        session.add(TemplateQuestion(id=qid, template_id=copy.id, capacity_id=question.capacity_id,
                                     position=position))
        for text in question_texts.get(question.id, []):
            session.add(TemplateQuestionText(id=named_id(qid, text.language), question_id=qid, language=text.language,
                                             prompt=text.prompt, level_anchors=text.level_anchors))
    session.flush()
    return copy.id


def save_template_text(session: Session, template_id: uuid.UUID, language: str, name: str,
                       introduction: str) -> None:
    """Set a template's name and introduction in ``language``."""
    _editable(session, template_id)
    _upsert(session, AssessmentTemplateText, "template_id", template_id, clean_language(language),
            {"name": _clean_name(name), "introduction": introduction.strip()})


def add_question(session: Session, template_id: uuid.UUID, capacity_id: uuid.UUID) -> uuid.UUID:
    """Ask about one more capacity (any live one, a community's own included), last; return the question's id."""
    _editable(session, template_id)
    capacity = session.get(Capacity, capacity_id)
    if capacity is None or capacity.deleted:
        raise InputError(_("This capacity no longer exists; it may have been removed on another device."))
    position = (session.scalar(select(func.max(TemplateQuestion.position))
                               .where(TemplateQuestion.template_id == template_id)) or 0) + 1
    qid = named_id(template_id, capacity_id)
    question = session.get(TemplateQuestion, qid)
    if question is not None and not question.deleted:
        raise InputError(_("This template already asks about that capacity."))
    if question is None:
        session.add(TemplateQuestion(id=qid, template_id=template_id, capacity_id=capacity_id, position=position))
    else:  # asked before and removed: it comes back, with the texts it had, at the end
        question.deleted = False
        question.position = position
    session.flush()
    return qid


def _editable_question(session: Session, question_id: uuid.UUID) -> TemplateQuestion:
    question = session.get(TemplateQuestion, question_id)
    if question is None or question.deleted:
        raise InputError(_("This question no longer exists; it may have been removed on another device."))
    _editable(session, question.template_id)
    return question


def remove_question(session: Session, question_id: uuid.UUID) -> None:
    """Stop asking a question (a tombstone, so the removal reaches every device)."""
    _editable_question(session, question_id).deleted = True


def move_question(session: Session, question_id: uuid.UUID, offset: int) -> None:
    """Move a question ``offset`` places (−1 up, +1 down) in its template's order; at an end, nothing moves."""
    question = _editable_question(session, question_id)
    questions = _live_questions(session, question.template_id)
    index = next(n for n, q in enumerate(questions) if q.id == question.id)
    target = max(0, min(len(questions) - 1, index + offset))
    if target == index:
        return
    questions.insert(target, questions.pop(index))
    for position, q in enumerate(questions):
        if q.position != position:
            q.position = position


def save_question_text(session: Session, question_id: uuid.UUID, language: str, prompt: str,
                       anchors: list[str] | tuple[str, ...]) -> None:
    """Set a question's prompt and its five level anchors in ``language``."""
    _editable_question(session, question_id)
    lines = [" ".join(a.split()) for a in anchors]
    if len(lines) != LEVELS:
        raise InputError(_("Give five level descriptions, one for each level from 1 to 5."))
    _upsert(session, TemplateQuestionText, "question_id", question_id, clean_language(language),
            {"prompt": " ".join(prompt.split()), "level_anchors": "\n".join(lines)})


def add_language(session: Session, template_id: uuid.UUID, language: str, from_language: str) -> str:
    """Give a template texts in one more language, starting from its texts in ``from_language``
    (to be reworded by the community); return the language code as stored."""
    _editable(session, template_id)
    language = clean_language(language)
    existing = set(session.scalars(select(AssessmentTemplateText.language).where(
        AssessmentTemplateText.template_id == template_id, AssessmentTemplateText.deleted.is_(False))))
    if language in existing:
        raise InputError(_("This template already has that language."))
    detail = template_detail(session, template_id, from_language)
    _upsert(session, AssessmentTemplateText, "template_id", template_id, language,
            {"name": detail.name[:NAME_LIMIT], "introduction": detail.introduction})
    for question in detail.questions:
        _upsert(session, TemplateQuestionText, "question_id", question.id, language,
                {"prompt": question.prompt, "level_anchors": "\n".join(question.anchors)})
    return language


def delete_template(session: Session, template_id: uuid.UUID) -> None:
    """Delete a community's template (a tombstone). Assessments made with it keep it as their template."""
    template = _editable(session, template_id)
    template.deleted = True
