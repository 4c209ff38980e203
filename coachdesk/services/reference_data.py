"""Load the shipped reference data (taxonomy, toolbox, funding) into a database, first start and on upgrade.

Built-in rows take name-based ids (``named_id("capacity", key)``), so every device creates
the same rows without syncing. On upgrade, new entries and new translations are added;
entries already present are left alone, because a person or the hub may have edited them.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.errors import CoachDeskError
from coachdesk.model import (
    Capacity,
    CapacityArea,
    CapacityAreaText,
    CapacityText,
    FundingOpportunity,
    FundingText,
    SyncState,
    ToolboxMethod,
    ToolboxMethodText,
    named_id,
)
from coachdesk.paths import resources_dir
from coachdesk.store.changes import STATE_ID
from coachdesk.store.database import Database

FORMAT = 1


class ReferenceDataError(CoachDeskError):
    """A shipped reference file is malformed; the message names the file and the problem."""


@dataclass
class ReferenceData:
    areas: list[tuple[str, list[str]]]
    methods: list[str]
    funding: list[dict[str, Any]]
    #: language → {"area"|"capacity"|"method" → key → {"label", "description", "anchors"}}
    texts: dict[str, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    fingerprint: str = ""
    #: area or capacity key → its Wikidata item id ("Q11024"), where a named source states one
    wikidata: dict[str, str] = field(default_factory=dict)


def reference_folder() -> Path:
    return resources_dir() / "reference"


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ReferenceDataError(f"{path.name}: {error}") from error
    if data.get("format", FORMAT) != FORMAT:
        raise ReferenceDataError(f"{path.name}: format {data.get('format')} is not one this CoachDesk reads")
    return data


def read_reference_data(folder: Path | None = None) -> ReferenceData:
    folder = folder or reference_folder()
    files = [folder / "taxonomy.toml", folder / "toolbox.toml", folder / "funding.toml"]
    text_files = sorted((folder / "text").glob("*.toml"))
    taxonomy, toolbox, funding = (_load_toml(p) for p in files)  # first: it names a missing or broken file
    digest = hashlib.sha256()
    for path in files + text_files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    areas = [(a["key"], list(a["capacities"])) for a in taxonomy.get("area", [])]
    texts = {}
    for path in text_files:
        data = _load_toml(path)
        # A language's texts may come in several files (text/ar.toml, text/funding-ar.toml).
        language = texts.setdefault(str(data.get("language", path.stem)),
                                    {kind: {} for kind in ("area", "capacity", "method", "funding")})
        for kind in language:
            language[kind].update(data.get(kind, {}))
    if "en" not in texts:
        raise ReferenceDataError("text/en.toml is missing: English is the fallback for every label")
    english = texts["en"]
    for kind, keys in (
        ("area", [a for a, _ in areas]),
        ("capacity", [c for _, caps in areas for c in caps]),
        ("method", toolbox.get("methods", [])),
    ):
        missing = [k for k in keys if k not in english[kind]]
        if missing:
            raise ReferenceDataError(f"text/en.toml has no {kind} text for: {', '.join(missing)}")
    wikidata = {str(k): str(v) for k, v in taxonomy.get("wikidata", {}).items()}
    malformed = [k for k, v in wikidata.items() if not re.fullmatch(r"Q[1-9][0-9]*", v)]
    if malformed:
        raise ReferenceDataError(f"taxonomy.toml: the Wikidata id of {', '.join(malformed)} is not like Q42")
    return ReferenceData(areas, list(toolbox.get("methods", [])), list(funding.get("program", [])), texts,
                         digest.hexdigest(), wikidata)


def _text(entry: dict[str, Any]) -> dict[str, str]:
    return {"label": str(entry.get("label", "")), "description": str(entry.get("description", ""))}


def apply_reference_data(session: Session, data: ReferenceData) -> int:
    """Add what is missing; return how many rows were added."""
    existing = set(session.scalars(select(CapacityArea.id)))
    existing |= set(session.scalars(select(Capacity.id)))
    existing |= set(session.scalars(select(ToolboxMethod.id)))
    existing |= set(session.scalars(select(FundingOpportunity.id)))
    existing |= set(session.scalars(select(CapacityAreaText.id)))
    existing |= set(session.scalars(select(CapacityText.id)))
    existing |= set(session.scalars(select(ToolboxMethodText.id)))
    existing |= set(session.scalars(select(FundingText.id)))
    added: list[Any] = []

    def add(obj: Any) -> None:
        if obj.id not in existing:
            existing.add(obj.id)
            added.append(obj)

    for area_pos, (area_key, capacity_keys) in enumerate(data.areas):
        area_id = named_id("capacity_area", area_key)
        add(CapacityArea(id=area_id, key=area_key, position=area_pos, wikidata_id=data.wikidata.get(area_key)))
        for cap_pos, cap_key in enumerate(capacity_keys):
            add(Capacity(id=named_id("capacity", cap_key), key=cap_key, area_id=area_id, position=cap_pos,
                         wikidata_id=data.wikidata.get(cap_key)))
    _add_wikidata_ids(session, data.wikidata)
    for pos, key in enumerate(data.methods):
        add(ToolboxMethod(id=named_id("toolbox_method", key), key=key, position=pos))
    for program in data.funding:
        deadline = program.get("deadline")
        add(FundingOpportunity(
            id=named_id("funding_opportunity", program["key"]),
            key=program["key"],
            program=program["program"],
            provider=program.get("provider", ""),
            deadline=deadline if isinstance(deadline, date) else None,
            eligibility=program.get("eligibility", ""),
            amount=program.get("amount", ""),
            url=program.get("url", ""),
            notes=program.get("notes", ""),
        ))
    # A translation may name keys the taxonomy lacks (an older file, a typo): skip those
    # rather than leave texts that point nowhere.
    for language, kinds in data.texts.items():
        for key, entry in kinds["area"].items():
            owner = named_id("capacity_area", key)
            if owner in existing:
                add(CapacityAreaText(id=named_id(owner, language), area_id=owner, language=language, **_text(entry)))
        for key, entry in kinds["capacity"].items():
            owner = named_id("capacity", key)
            if owner in existing:
                anchors = "\n".join(str(a) for a in entry.get("anchors", []))
                add(CapacityText(id=named_id(owner, language), capacity_id=owner, language=language,
                                 level_anchors=anchors, **_text(entry)))
        for key, entry in kinds["method"].items():
            owner = named_id("toolbox_method", key)
            if owner in existing:
                add(ToolboxMethodText(id=named_id(owner, language), method_id=owner, language=language,
                                      **_text(entry)))
        if language == "en":
            continue  # the shipped funding list is written in English: its rows are the English text
        for key, entry in kinds["funding"].items():
            owner = named_id("funding_opportunity", key)
            if owner in existing:
                add(FundingText(id=named_id(owner, language), funding_id=owner, language=language,
                                amount=str(entry.get("amount", "")), eligibility=str(entry.get("eligibility", "")),
                                notes=str(entry.get("notes", ""))))
    session.add_all(added)
    return len(added)


def _add_wikidata_ids(session: Session, wikidata: dict[str, str]) -> None:
    """Give shipped Wikidata ids to rows that have none yet (an upgrade). A row whose id a person
    set, or cleared (stored as ""), keeps what the person chose."""
    if not wikidata:
        return
    for cls in (CapacityArea, Capacity):
        for row in session.scalars(select(cls).where(cls.key.in_(list(wikidata)), cls.wikidata_id.is_(None))):
            row.wikidata_id = wikidata[row.key]


def ensure_reference_data(db: Database, data: ReferenceData | None = None, templates: Any = None) -> int:
    """Load shipped reference data, and the assessment templates that ask about its capacities,
    when either changed since the last load; return rows added."""
    from coachdesk.services.template_data import apply_template_data, read_template_data  # it imports this module

    data = data or read_reference_data()
    templates = templates or read_template_data()
    fingerprint = hashlib.sha256(f"{data.fingerprint}:{templates.fingerprint}".encode()).hexdigest()
    with db.write() as session:
        state = session.get(SyncState, STATE_ID)
        if state is not None and state.reference_data_hash == fingerprint:
            return 0
        added = apply_reference_data(session, data)
        added += apply_template_data(session, templates)
        if state is not None:
            state.reference_data_hash = fingerprint
        return added
