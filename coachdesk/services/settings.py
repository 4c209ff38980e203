"""The person's preferences: typed, with defaults, stored as JSON in the data folder, upgraded by version.

Never pickled: a preferences file is readable and editable by hand, and a damaged one
falls back to the defaults (keeping the damaged file aside) instead of stopping the app.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from coachdesk.atomic import atomic_write
from coachdesk.i18n import is_language_code
from coachdesk.paths import data_dir

VERSION = 1
ROLES = ("coach", "mentor", "trainer", "circuit_rider", "program_lead")


@dataclass
class Settings:
    version: int = VERSION
    #: Empty: follow the system's language, falling back to English.
    language: str = ""
    user_name: str = ""
    role: str = "coach"
    device_name: str = ""
    #: ISO timestamp of the last export or import; empty until the first sync.
    last_sync: str = ""
    #: Minutes without input before the app locks; 0 never locks.
    lock_after_minutes: int = 15
    #: A synced cloud folder or network share shared with the hub; empty: no folder is watched.
    watched_folder: str = ""
    #: The sample database is open instead of the person's own until they remove it.
    exploring_sample: bool = False

    def effective_device_name(self) -> str:
        import socket

        return self.device_name or socket.gethostname()


def settings_path() -> Path:
    return data_dir() / "settings.json"


def _upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring a settings dict written by an older version up to date (one step per version)."""
    version = raw.get("version", 0)
    if type(version) is not int:  # not written by CoachDesk: upgrade from the start
        version = 0
    if version < 1:
        raw["version"] = 1
    return raw


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError, RecursionError):  # RecursionError: nested deeper than JSON can be read
        path.replace(path.with_suffix(".damaged.json"))
        return Settings()
    raw = _upgrade(raw)
    known = {f.name: f for f in fields(Settings)}
    defaults = Settings()
    values = {}
    for name, value in raw.items():
        if name in known and _fits(value, getattr(defaults, name)):
            values[name] = value
    settings = Settings(**values)
    if settings.role not in ROLES:
        settings.role = "coach"
    if settings.language and not is_language_code(settings.language):
        settings.language = ""  # the system's language, rather than no start at all
    return settings


def _fits(value: Any, default: Any) -> bool:
    """Whether a stored value can stand for a setting: the default's own type (``true`` is no number
    of minutes) and, for text, text that can be written back (JSON's "\\ud800" is not)."""
    if type(value) is not type(default):
        return False
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    with atomic_write(path, "w", encoding="utf-8") as handle:
        json.dump(asdict(settings), handle, indent=2, ensure_ascii=False)
