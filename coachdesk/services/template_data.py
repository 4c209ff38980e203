"""Load the shipped assessment templates (one per stakeholder type) into a database, first start and on upgrade.

Like the taxonomy, shipped templates take name-based ids — ``named_id("assessment_template", key)``,
questions ``named_id(template_id, capacity_id)``, texts ``named_id(owner_id, language)`` — so every
device creates the same rows. An upgrade adds new templates, questions and translations; rows
already present are left alone, because the hub may have changed them.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.model import (
    AssessmentTemplate,
    AssessmentTemplateText,
    Capacity,
    MenteeKind,
    TemplateQuestion,
    TemplateQuestionText,
    named_id,
)
from coachdesk.paths import resources_dir
from coachdesk.services.reference_data import ReferenceDataError, _load_toml


@dataclass
class ShippedTemplate:
    key: str
    kind: MenteeKind
    position: int
    questions: list[str]


@dataclass
class TemplateData:
    templates: list[ShippedTemplate]
    #: language → template key → {"name", "introduction", "question": {capacity key → {"prompt", "anchors"}}}
    texts: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    fingerprint: str = ""


def templates_folder() -> Path:
    return resources_dir() / "templates"


def template_id(key: str) -> uuid.UUID:
    """The id every device gives the shipped template ``key``."""
    return named_id("assessment_template", key)


def read_template_data(folder: Path | None = None) -> TemplateData:
    folder = folder or templates_folder()
    main = folder / "templates.toml"
    text_files = sorted((folder / "text").glob("*.toml"))
    listing = _load_toml(main)
    digest = hashlib.sha256()
    for path in [main, *text_files]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    templates = []
    for entry in listing.get("template", []):
        try:
            templates.append(ShippedTemplate(str(entry["key"]), MenteeKind(entry["kind"]), int(entry.get("position", 0)),
                                             [str(q) for q in entry.get("questions", [])]))
        except (KeyError, ValueError) as error:
            raise ReferenceDataError(f"{main.name}: a template has a missing or unknown value: {error}") from error
    texts: dict[str, dict[str, dict[str, Any]]] = {}
    for path in text_files:
        data = _load_toml(path)
        texts.setdefault(str(data.get("language", path.stem)), {}).update(data.get("template", {}))
    english = texts.get("en")
    if english is None:
        raise ReferenceDataError("templates/text/en.toml is missing: English is the fallback for every template")
    for template in templates:
        text = english.get(template.key, {})
        missing = [q for q in template.questions if q not in text.get("question", {})]
        if "name" not in text or missing:
            raise ReferenceDataError(f"templates/text/en.toml lacks the name or questions of template "
                                     f"{template.key}: {', '.join(missing) or 'name'}")
    return TemplateData(templates, texts, digest.hexdigest())


def apply_template_data(session: Session, data: TemplateData) -> int:
    """Add the shipped templates, questions and texts that are missing; return how many rows were added."""
    existing: set[uuid.UUID] = set()
    for table in (AssessmentTemplate, AssessmentTemplateText, TemplateQuestion, TemplateQuestionText):
        existing |= set(session.scalars(select(table.id)))
    capacities = {key: cid for cid, key in session.execute(select(Capacity.id, Capacity.key))}
    added: list[Any] = []

    def add(obj: Any) -> None:
        if obj.id not in existing:
            existing.add(obj.id)
            added.append(obj)

    for template in data.templates:
        tid = template_id(template.key)
        add(AssessmentTemplate(id=tid, key=template.key, kind=template.kind, builtin=True, position=template.position))
        for position, capacity_key in enumerate(template.questions):
            if capacity_key in capacities:  # a taxonomy without it (an older file) skips the question
                cid = capacities[capacity_key]
                add(TemplateQuestion(id=named_id(tid, cid), template_id=tid, capacity_id=cid, position=position))
    for language, by_key in data.texts.items():
        for template in data.templates:
            text = by_key.get(template.key)
            tid = template_id(template.key)
            if not text or tid not in existing:
                continue
            add(AssessmentTemplateText(id=named_id(tid, language), template_id=tid, language=language,
                                       name=str(text.get("name", template.key)),
                                       introduction=str(text.get("introduction", ""))))
            for capacity_key, question in text.get("question", {}).items():
                cid = capacities.get(capacity_key)
                qid = named_id(tid, cid) if cid else None
                if qid is None or qid not in existing:
                    continue
                add(TemplateQuestionText(id=named_id(qid, language), question_id=qid, language=language,
                                         prompt=str(question.get("prompt", "")),
                                         level_anchors="\n".join(str(a) for a in question.get("anchors", []))))
    session.add_all(added)
    return len(added)
