"""Drafts of half-filled forms, kept on disk so a crash or a closed lid never loses them.

A form saves its draft as it changes and removes it when saved or cancelled; at the next
start, drafts still on disk are offered back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from coachdesk.atomic import atomic_write
from coachdesk.paths import data_dir


@dataclass(frozen=True)
class Draft:
    key: str  # e.g. "session", "assessment:<mentee id>"
    kind: str  # which form: "session", "mentee", "assessment"
    title: str  # shown when offering it back
    saved_at: datetime
    values: dict[str, Any]


def drafts_dir() -> Path:
    folder = data_dir() / "drafts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _file(key: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in key)
    return drafts_dir() / f"{safe}.json"


def save_draft(key: str, kind: str, title: str, values: dict[str, Any]) -> None:
    record = {"key": key, "kind": kind, "title": title, "saved_at": datetime.now().isoformat(timespec="seconds"),
              "values": values}
    with atomic_write(_file(key), "w", encoding="utf-8") as handle:
        json.dump(record, handle, ensure_ascii=False, default=str)


def discard_draft(key: str) -> None:
    _file(key).unlink(missing_ok=True)


def pending_drafts() -> list[Draft]:
    """Drafts left from an earlier run, newest first; unreadable ones are skipped."""
    found = []
    for path in drafts_dir().glob("*.json"):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            found.append(Draft(raw["key"], raw["kind"], raw["title"], datetime.fromisoformat(raw["saved_at"]),
                               dict(raw["values"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(found, key=lambda d: d.saved_at, reverse=True)
