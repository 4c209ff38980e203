"""Fixtures shared by the tests: databases made the way the app makes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk.services.workspace import open_workspace
from coachdesk.store.database import Database

pytest_plugins = ["pg_server"]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "coachdesk.sqlite"


@pytest.fixture
def db(db_path: Path):
    """A fresh, migrated database with the shipped reference data."""
    database = open_workspace(db_path)
    yield database
    database.close()


def table_dump(database: Database, skip_prefixes: tuple[str, ...] = ("search_",)) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two equal dumps mean two equal databases."""
    from sqlalchemy import inspect, text

    dump = {}
    with database.engine.connect() as connection:
        for table in sorted(inspect(connection).get_table_names()):
            if table.startswith(skip_prefixes):
                continue
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
            dump[table] = sorted((tuple(r) for r in rows), key=repr)
    return dump


@pytest.fixture
def ui_context(qtbot, db):
    """What the app hands pages and dialogs, on a fresh database, with default settings."""
    from coachdesk.services.settings import Settings
    from coachdesk.ui.app import build_context

    context = build_context(db, Settings(user_name="Test Coach", device_name="test-laptop"))
    yield context
    context.tasks.wait_idle()


@pytest.fixture
def demo_context(ui_context):
    """The UI context on a small deterministic demo database (40 mentees)."""
    from datetime import date

    from coachdesk.services.demo import generate_demo

    generate_demo(ui_context.db, mentees=40, seed=4, today=date.today())
    return ui_context
