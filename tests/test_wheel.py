"""A wheel built from the tree carries what the app needs at run time, and works from it alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    (built,) = out.glob("coachdesk-*.whl")
    return built


@pytest.mark.slow
def test_wheel_carries_migrations_resources_and_script(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "coachdesk/_db/env.py" in names
    assert "coachdesk/_db/versions/0001_the_domain_model.py" in names
    assert "coachdesk/_db/versions/0002_full_text_search.py" in names
    assert "coachdesk/resources/reference/taxonomy.toml" in names
    assert "coachdesk/resources/reference/text/en.toml" in names
    assert "coachdesk/resources/fonts/NotoSansArabic-Regular.ttf" in names
    assert "coachdesk/i18n_catalogs/ar/LC_MESSAGES/coachdesk.mo" in names  # compiled by the build
    assert "coachdesk/resources/icons/hicolor/16x16/apps/org.coachdesk.CoachDesk.png" in names
    shared = {n.split(".data/data/", 1)[1] for n in names if ".data/data/" in n}
    assert {"share/applications/org.coachdesk.CoachDesk.desktop", "share/metainfo/org.coachdesk.CoachDesk.metainfo.xml",
            "share/icons/hicolor/48x48/apps/org.coachdesk.CoachDesk.png",
            "share/icons/hicolor/scalable/apps/org.coachdesk.CoachDesk.svg"} <= shared
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "coachdesk = coachdesk.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.mark.slow
def test_app_installed_from_wheel_migrates_and_loads_reference_data(wheel: Path, tmp_path: Path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = os.environ | {"PYTHONPATH": str(site), "COACHDESK_DATA_DIR": str(tmp_path / "data")}
    database = tmp_path / "wheel.sqlite"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "coachdesk", "--db", str(database), *args],
                              cwd=tmp_path, env=env, capture_output=True, text=True, check=False)

    where = subprocess.run([sys.executable, "-c", "import coachdesk; print(coachdesk.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(site)), "the test must run the unpacked wheel, not the source tree"
    demo = run("demo", "--mentees", "12")
    assert demo.returncode == 0, demo.stderr
    stats = run("stats", "--json")
    assert stats.returncode == 0, stats.stderr
    counts = json.loads(stats.stdout)
    assert counts["mentees"] == 12
    assert counts["capacities"] == 21
    assert counts["toolbox_methods"] == 10


def _fresh_environment_run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = venv / ("Scripts" if os.name == "nt" else "bin") / args[0]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env |= {"QT_QPA_PLATFORM": "offscreen", "COACHDESK_DATA_DIR": str(cwd / "data")}
    return subprocess.run([str(command), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False, timeout=240)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_wheel_installs_into_a_fresh_environment_and_the_app_starts(wheel: Path, tmp_path: Path):
    """The wheel, pip-installed into a new virtual environment with its dependencies, starts the app.

    The dependencies come from the package index as pip is configured on this machine (the same way
    `make` installs them), not from the project's environment: this is what a person installing the
    wheel gets, so a dependency missing from pyproject.toml fails here. With pip's cache that takes
    about 10 s here; a cold cache downloads PySide6 and friends once (some 150 MB).
    """
    from coachdesk import __version__
    from coachdesk.ui.main_window import PAGES

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
    install = _fresh_environment_run(venv, tmp_path, "python", "-m", "pip", "install", "--quiet",
                                     "--disable-pip-version-check", str(wheel))
    assert install.returncode == 0, install.stderr[-2000:]
    where = _fresh_environment_run(venv, tmp_path, "python", "-c", "import coachdesk; print(coachdesk.__file__)")
    assert where.stdout.strip().startswith(str(venv)), "the app must run from the installed wheel"
    check = _fresh_environment_run(venv, tmp_path, "python", "-m", "pip", "check")
    assert check.returncode == 0, check.stdout + check.stderr

    version = _fresh_environment_run(venv, tmp_path, "coachdesk", "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"CoachDesk {__version__}"

    smoke = _fresh_environment_run(venv, tmp_path, "coachdesk", "--smoke-test")
    assert smoke.returncode == 0, smoke.stderr[-2000:]
    lines = smoke.stdout.strip().splitlines()
    assert len(lines) == 1, smoke.stdout
    assert lines[0].startswith(f"CoachDesk {__version__} started: {len(PAGES)} pages, database ")
    assert lines[0].endswith("coachdesk.sqlite")
    assert not (tmp_path / "data" / "coachdesk.sqlite").exists(), "the smoke test works on a throwaway database"
