"""Editing the reference data communities adapt: toolbox methods, capacity texts, funding opportunities.

Texts are edited in one language at a time: each (owner, language) has one row whose id is
``named_id(owner_id, language)``, so two devices translating the same entry agree on the row.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _, current_language
from coachdesk.model import (
    Capacity,
    CapacityArea,
    CapacityAreaText,
    CapacityText,
    FundingOpportunity,
    FundingText,
    ToolboxMethod,
    ToolboxMethodText,
    named_id,
    uuid7,
)
from coachdesk.model.reference import KEY_LENGTH
from coachdesk.services.vocabulary import capacity_details, method_details

LABEL_LIMIT = 200


@dataclass(frozen=True)
class MethodEntry:
    id: uuid.UUID
    key: str
    label: str
    description: str
    custom: bool


@dataclass(frozen=True)
class CapacityEntry:
    id: uuid.UUID
    key: str
    label: str
    description: str
    anchors: list[str]
    custom: bool
    wikidata: str = ""  # the Wikidata item id ("Q11024"), or empty


@dataclass(frozen=True)
class AreaEntry:
    id: uuid.UUID
    key: str
    label: str
    description: str
    capacities: list[CapacityEntry] = field(default_factory=list)


# -- texts ------------------------------------------------------------------------------------


def _clean_label(label: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise InputError(_("Give it a name; the name cannot be empty."))
    if len(label) > LABEL_LIMIT:
        raise InputError(_("The name is longer than {limit} characters.").format(limit=LABEL_LIMIT))
    return label


def _any_language(session: Session, text_cls: Any, owner_column: str, owners: set[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """A text in whatever language exists, for entries with none in the wanted language or English
    (a custom entry written only in Arabic must still show its name, not its key)."""
    if not owners:
        return {}
    column = getattr(text_cls, owner_column)
    found: dict[uuid.UUID, Any] = {}
    query = select(text_cls).where(text_cls.deleted.is_(False), column.in_(list(owners))).order_by(text_cls.language)
    for text in session.scalars(query):
        found.setdefault(getattr(text, owner_column), text)
    return found


def _upsert_text(session: Session, text_cls: Any, owner_column: str, owner_id: uuid.UUID, language: str,
                 values: dict[str, Any]) -> Any:
    """Create or update the (owner, language) text; a tombstoned one comes back to life."""
    column = getattr(text_cls, owner_column)
    text = session.scalars(select(text_cls).where(column == owner_id, text_cls.language == language)).first()
    if text is None:
        text = text_cls(id=named_id(owner_id, language), language=language, **{owner_column: owner_id}, **values)
        session.add(text)
        return text
    if text.deleted:
        text.deleted = False
    for key, value in values.items():
        if getattr(text, key) != value:
            setattr(text, key, value)
    return text


# -- toolbox methods ---------------------------------------------------------------------------


def list_methods(session: Session, language: str | None = None) -> list[MethodEntry]:
    """Every live method in toolbox order, with its label and description in ``language``."""
    details = method_details(session, language)
    rows = session.execute(select(ToolboxMethod.id, ToolboxMethod.key, ToolboxMethod.custom)
                           .where(ToolboxMethod.deleted.is_(False))
                           .order_by(ToolboxMethod.position, ToolboxMethod.key)).all()
    others = _any_language(session, ToolboxMethodText, "method_id", {r.id for r in rows if r.id not in details})
    entries = []
    for mid, key, custom in rows:
        if mid in details:
            label, description = details[mid]
        elif mid in others:
            label, description = others[mid].label, others[mid].description
        else:
            label, description = key, ""
        entries.append(MethodEntry(mid, key, label, description, bool(custom)))
    return entries


def save_method_text(session: Session, method_id: uuid.UUID, label: str, description: str,
                     language: str | None = None) -> None:
    """Set a method's label and description in ``language`` (default: the active one)."""
    method = session.get(ToolboxMethod, method_id)
    if method is None or method.deleted:
        raise InputError(_("This method no longer exists; it may have been removed on another device."))
    _upsert_text(session, ToolboxMethodText, "method_id", method_id, language or current_language(),
                 {"label": _clean_label(label), "description": description.strip()})


def slugify(text: str, fallback: str = "method") -> str:
    """A key made from a label: lower case, words joined by "_", accents on Latin letters dropped,
    any other script kept as written."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.category(char) == "Mn" and kept and kept[-1].isascii() and kept[-1].isalpha():
            continue  # "é" → "e"
        kept.append(char if char.isalnum() or unicodedata.category(char).startswith("M") else " ")
    slug = "_".join("".join(kept).split())
    return unicodedata.normalize("NFC", slug)[: KEY_LENGTH - 8] or fallback


def unique_key(base: str, taken: set[str]) -> str:
    key, number = base, 2
    while key in taken:
        key = f"{base}_{number}"
        number += 1
    return key


def add_method(session: Session, label: str, description: str = "", language: str | None = None) -> uuid.UUID:
    """Add a community's own method, with its text in ``language``; return its id."""
    label = _clean_label(label)
    key = unique_key(slugify(label), set(session.scalars(select(ToolboxMethod.key))))
    position = (session.scalar(select(func.max(ToolboxMethod.position))) or 0) + 1
    # Named from the key, like shipped methods: two devices adding the same method agree on
    # one row instead of clashing on the unique key when they sync.
    method = ToolboxMethod(id=named_id("toolbox_method", key), key=key, position=position, custom=True)
    session.add(method)
    session.flush()
    _upsert_text(session, ToolboxMethodText, "method_id", method.id, language or current_language(),
                 {"label": label, "description": description.strip()})
    return method.id


# -- capacities --------------------------------------------------------------------------------


def _area_texts(session: Session, language: str) -> dict[uuid.UUID, tuple[str, str]]:
    wanted = [language, language.split("_")[0], "en"]
    best: dict[uuid.UUID, tuple[int, str, str]] = {}
    query = select(CapacityAreaText.area_id, CapacityAreaText.language, CapacityAreaText.label,
                   CapacityAreaText.description).where(CapacityAreaText.deleted.is_(False),
                                                       CapacityAreaText.language.in_(wanted))
    for area_id, lang, label, description in session.execute(query):
        rank = wanted.index(lang)
        if area_id not in best or rank < best[area_id][0]:
            best[area_id] = (rank, label, description)
    return {area_id: (label, description) for area_id, (_rank, label, description) in best.items()}


def capacity_tree(session: Session, language: str | None = None) -> list[AreaEntry]:
    """The taxonomy: areas in order, each with its live capacities, labels and anchors in ``language``."""
    language = language or current_language()
    areas = _area_texts(session, language)
    details = capacity_details(session, language)
    capacities = session.scalars(select(Capacity).where(Capacity.deleted.is_(False))
                                 .order_by(Capacity.position, Capacity.key)).all()
    others = _any_language(session, CapacityText, "capacity_id", {c.id for c in capacities if c.id not in details})
    by_area: dict[uuid.UUID, list[CapacityEntry]] = {}
    for capacity in capacities:
        if capacity.id in details:
            label, description, anchors = details[capacity.id]
        elif capacity.id in others:
            text = others[capacity.id]
            label, description = text.label, text.description
            anchors = [a for a in text.level_anchors.splitlines() if a.strip()]
        else:
            label, description, anchors = capacity.key, "", []
        by_area.setdefault(capacity.area_id, []).append(
            CapacityEntry(capacity.id, capacity.key, label, description, anchors, bool(capacity.custom),
                          capacity.wikidata_id or ""))
    tree = []
    for area in session.scalars(select(CapacityArea).where(CapacityArea.deleted.is_(False))
                                .order_by(CapacityArea.position, CapacityArea.key)):
        label, description = areas.get(area.id, (area.key, ""))
        tree.append(AreaEntry(area.id, area.key, label, description, by_area.get(area.id, [])))
    return tree


def save_capacity_text(session: Session, capacity_id: uuid.UUID, label: str, description: str,
                       language: str | None = None) -> None:
    """Set a capacity's label and description in ``language``, as a community words it."""
    capacity = session.get(Capacity, capacity_id)
    if capacity is None or capacity.deleted:
        raise InputError(_("This capacity no longer exists; it may have been removed on another device."))
    language = language or current_language()
    values: dict[str, Any] = {"label": _clean_label(label), "description": description.strip()}
    exact = session.scalars(select(CapacityText).where(CapacityText.capacity_id == capacity_id,
                                                       CapacityText.language == language)).first()
    if exact is None or exact.deleted or not exact.level_anchors.strip():
        # A new text takes the anchors it replaces on screen, so the scale does not go blank.
        shown = capacity_details(session, language).get(capacity_id)
        if shown and shown[2]:
            values["level_anchors"] = "\n".join(shown[2])
    _upsert_text(session, CapacityText, "capacity_id", capacity_id, language, values)


def clean_wikidata_id(text: str) -> str:
    """A Wikidata item id as typed ("q11024 " → "Q11024"); empty stays empty; anything else is refused."""
    value = text.strip()
    if value[:1] == "q":
        value = "Q" + value[1:]
    if value and not re.fullmatch(r"Q[1-9][0-9]*", value):
        raise InputError(_("“{text}” is not a Wikidata item id: it is a Q followed by digits, like Q11024.")
                         .format(text=text.strip()))
    return value


def save_capacity_wikidata(session: Session, capacity_id: uuid.UUID, text: str) -> str:
    """Set (or clear) the Wikidata item of a capacity; return the id kept. A cleared id is stored as
    empty text, so a later upgrade of the shipped taxonomy does not put one back."""
    value = clean_wikidata_id(text)
    capacity = session.get(Capacity, capacity_id)
    if capacity is None or capacity.deleted:
        raise InputError(_("This capacity no longer exists; it may have been removed on another device."))
    if (capacity.wikidata_id or "") != value or capacity.wikidata_id is None:
        capacity.wikidata_id = value
    return value


# -- funding opportunities ---------------------------------------------------------------------


@dataclass
class FundingForm:
    """One funding opportunity as the Funding page shows and edits it; ``id`` is None for a new one."""

    program: str
    provider: str = ""
    deadline: date | None = None
    amount: str = ""
    eligibility: str = ""
    url: str = ""
    notes: str = ""
    id: uuid.UUID | None = None


def is_web_url(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://"))


def normalize_url(url: str) -> str:
    """``meta.wikimedia.org/…`` becomes ``https://meta.wikimedia.org/…``; other schemes are refused."""
    url = url.strip()
    if not url or is_web_url(url):
        return url
    if "://" in url or url.lower().startswith(("javascript:", "file:", "data:", "mailto:")):
        raise InputError(_("“{url}” is not a web address; it must start with http:// or https://.").format(url=url))
    return "https://" + url


def validate_funding(form: FundingForm) -> list[str]:
    problems = []
    if not form.program.strip():
        problems.append(_("Give the program a name."))
    for value, limit, message in (
        (form.program, 200, _("The program's name is longer than 200 characters.")),
        (form.provider, 200, _("The provider's name is longer than 200 characters.")),
        (form.amount, 200, _("The amount is longer than 200 characters.")),
        (form.url, 500, _("The web address is longer than 500 characters.")),
    ):
        if len(value.strip()) > limit:
            problems.append(message)
    return problems


def _funding_texts(session: Session, language: str) -> dict[uuid.UUID, FundingText]:
    """funding id → its text in ``language`` (or the language without its country)."""
    wanted = [language, language.split("_")[0]]
    best: dict[uuid.UUID, FundingText] = {}
    for text in session.scalars(select(FundingText).where(FundingText.deleted.is_(False),
                                                           FundingText.language.in_(wanted))):
        if text.funding_id not in best or text.language == language:
            best[text.funding_id] = text
    return best


def list_funding(session: Session, language: str | None = None) -> list[FundingForm]:
    """Live opportunities, amount, eligibility and notes in ``language`` where translated: the next
    deadline first, then those open all year, by program name."""
    texts = _funding_texts(session, language or current_language())
    rows = session.scalars(select(FundingOpportunity).where(FundingOpportunity.deleted.is_(False))).all()
    rows = sorted(rows, key=lambda f: (f.deadline is None, f.deadline or date.max, f.program.casefold()))
    forms = []
    for f in rows:
        text = texts.get(f.id)
        amount, eligibility, notes = (text.amount, text.eligibility, text.notes) if text else (
            f.amount, f.eligibility, f.notes)
        forms.append(FundingForm(f.program, f.provider, f.deadline, amount, eligibility, f.url, notes, f.id))
    return forms


def save_funding(session: Session, form: FundingForm, language: str | None = None) -> uuid.UUID:
    problems = validate_funding(form)
    url = normalize_url(form.url)
    if problems:
        raise InputError(" ".join(problems))
    values = {"program": " ".join(form.program.split()), "provider": form.provider.strip(),
              "deadline": form.deadline, "amount": form.amount.strip(), "eligibility": form.eligibility.strip(),
              "url": url, "notes": form.notes.strip()}
    if form.id is None:
        row = FundingOpportunity(id=uuid7(), key=None, **values)
        session.add(row)
        session.flush()
        return row.id
    row = session.get(FundingOpportunity, form.id)
    if row is None or row.deleted:
        raise InputError(_("This funding opportunity no longer exists; it may have been removed on another device."))
    # Shown translated, saved translated: the words a person edits are those of their language.
    text = _funding_texts(session, language or current_language()).get(row.id)
    if text is not None:
        for key in ("amount", "eligibility", "notes"):
            if getattr(text, key) != values[key]:
                setattr(text, key, values.pop(key))
            else:
                values.pop(key)
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    return row.id


def remove_funding(session: Session, funding_id: uuid.UUID) -> None:
    """Tombstone an opportunity; plans that name it keep the link."""
    row = session.get(FundingOpportunity, funding_id)
    if row is not None and not row.deleted:
        row.deleted = True
