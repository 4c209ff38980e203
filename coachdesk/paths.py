"""Where CoachDesk keeps and finds its files: user data, backups, and the files it ships."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from coachdesk import APP_NAME

#: Set to a folder to keep everything there (tests, portable installs on a USB stick).
DATA_DIR_ENV = "COACHDESK_DATA_DIR"

_PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE_DIR.parent


def data_dir() -> Path:
    """The folder that holds the database, backups and drafts; created on demand."""
    override = os.environ.get(DATA_DIR_ENV)
    folder = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_database() -> Path:
    return data_dir() / "coachdesk.sqlite"


def backup_dir(database: Path) -> Path:
    """Backups live beside the database they protect, so a portable folder carries them."""
    folder = database.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shipped(installed_name: str, source_name: str) -> Path:
    # In a wheel the folder sits inside the package; in a source checkout it sits beside it.
    inside = _PACKAGE_DIR / installed_name
    if inside.is_dir():
        return inside
    return _SOURCE_ROOT / source_name


def resources_dir() -> Path:
    return _shipped("resources", "resources")


def migrations_dir() -> Path:
    return _shipped("_db", "db")


def catalogs_dir() -> Path:
    return _shipped("i18n_catalogs", "i18n")


def docs_dir() -> Path:
    """The user guide and the screenshots it shows: ``docs/`` in a checkout, ``coachdesk/docs`` installed."""
    return _shipped("docs", "docs")


def user_guide() -> Path:
    return docs_dir() / "user-guide.md"
