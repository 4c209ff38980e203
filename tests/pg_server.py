"""A throwaway PostgreSQL server for the hub tests, started once per test session by pytest-postgresql.

The tests that take ``hub_db_url`` run twice: on the hub's default SQLite file and on a fresh
database of this server. Where no PostgreSQL binaries are installed, the PostgreSQL half is
skipped with a reason saying so (``make test`` prints skip reasons).
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest

PG_CTL = Path(__file__).parent / "support" / "pg_ctl"


def _postgres_installed() -> bool:
    if shutil.which("pg_config"):
        try:
            bindir = subprocess.check_output(["pg_config", "--bindir"], text=True).strip()
        except (OSError, subprocess.CalledProcessError):
            bindir = ""
        if bindir and (Path(bindir) / "pg_ctl").exists():
            return True
    return any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))


NO_POSTGRES = "PostgreSQL is not installed here (no pg_ctl): install Debian's postgresql package to run the hub tests on it"

try:
    from pytest_postgresql import factories
except ImportError:  # pragma: no cover - the test extra installs it
    factories = None

if factories is not None:
    postgresql_server = factories.postgresql_proc(executable=str(PG_CTL), port=None, user="postgres")
else:  # pragma: no cover
    @pytest.fixture(scope="session")
    def postgresql_server():
        pytest.skip("pytest-postgresql is not installed")

_names = itertools.count(1)


@pytest.fixture
def postgres_url(request):
    """A URL to a new, empty database on the session's PostgreSQL server."""
    if not _postgres_installed():
        pytest.skip(NO_POSTGRES)
    import psycopg

    server = request.getfixturevalue("postgresql_server")
    name = f"coachdesk_{next(_names)}"
    with psycopg.connect(host=server.host, port=server.port, user=server.user, dbname="postgres",
                         autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://{server.user}@{server.host}:{server.port}/{name}"
    with psycopg.connect(host=server.host, port=server.port, user=server.user, dbname="postgres",
                         autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_db_url(request):
    """The hub's database: empty for its default SQLite file, else a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return ""
    return request.getfixturevalue("postgres_url")
