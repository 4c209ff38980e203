"""The packaged app: the smoke start, and the PyInstaller build that runs without Python or the source tree."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from coachdesk import __version__
from coachdesk.paths import DATA_DIR_ENV
from coachdesk.ui.main_window import PAGES

ROOT = Path(__file__).resolve().parents[1]
STARTED = re.compile(rf"^CoachDesk {re.escape(__version__)} started: {len(PAGES)} pages, database (.+coachdesk\.sqlite)$")


# -- the smoke start, in this process


def test_smoke_start_prints_one_line_and_leaves_nothing_behind(qapp, capsys, monkeypatch, tmp_path):
    from coachdesk.cli import main

    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "mine"))
    assert main(["--smoke-test"]) == 0
    out, err = capsys.readouterr()
    match = STARTED.match(out.strip())
    assert match, out
    assert "failed" not in err
    database = Path(match.group(1))
    assert not database.parent.exists(), "the throwaway data folder is removed"
    assert os.environ[DATA_DIR_ENV] == str(tmp_path / "mine"), "the data folder of the caller is given back"
    assert not (tmp_path / "mine" / "coachdesk.sqlite").exists()


def test_smoke_start_fails_in_one_line_when_printing_is_broken(qapp, capsys, monkeypatch):
    import coachdesk.services.printing as printing
    from coachdesk.ui import smoke

    def no_fonts(*_args, **_kwargs):
        raise FileNotFoundError("NotoSansArabic-Regular.ttf")

    monkeypatch.setattr(printing, "handout_pdf", no_fonts)
    assert smoke.run_smoke_test() == smoke.EXIT_FAILED
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().splitlines()[-1] == (f"CoachDesk {__version__} smoke test failed: printing a handout: "
                                            "FileNotFoundError: NotoSansArabic-Regular.ttf")


def test_smoke_start_gives_up_at_its_time_limit(qapp, capsys, monkeypatch):
    from coachdesk.ui import smoke

    monkeypatch.setattr(smoke._SmokeRun, "_today_filled", lambda self: False)  # a Today page that never fills
    assert smoke.run_smoke_test(timeout=1.0) == smoke.EXIT_FAILED
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"CoachDesk {__version__} smoke test failed: timed out after 1 s filling the Today page")


# -- the PyInstaller build


def _pyinstaller(tmp_path_factory) -> dict[str, str]:
    """The environment in which ``python -m PyInstaller`` runs: the project's own if ``make package``
    installed it there, else PyInstaller (at the version the ``package`` extra names) put in a folder
    of its own, so ``make test`` needs no extra step."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    probe = subprocess.run([sys.executable, "-c", "import PyInstaller"], capture_output=True, check=False)
    if probe.returncode == 0:
        return env
    requirement = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["package"]
    target = tmp_path_factory.mktemp("pyinstaller")
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "--target", str(target), *requirement], capture_output=True, text=True, check=False,
                             timeout=300)
    if install.returncode != 0:
        lines = install.stderr.strip().splitlines() or ["no output"]
        pytest.skip(f"PyInstaller is not installed and pip could not install it: {lines[-1]}")
    return env | {"PYTHONPATH": str(target)}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """dist/coachdesk/ as ``make package`` builds it, built from the working tree into a temporary folder."""
    env = _pyinstaller(tmp_path_factory)
    out = tmp_path_factory.mktemp("package")
    build = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                            "--distpath", str(out / "dist"), "--workpath", str(out / "build"),
                            str(ROOT / "packaging" / "coachdesk.spec")],
                           cwd=out, env=env, capture_output=True, text=True, check=False, timeout=900)
    assert build.returncode == 0, build.stderr[-3000:]
    return out / "dist" / "coachdesk"


def _run(bundle: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the built program from a folder that is neither the source tree nor the build's, with no Python set up."""
    suffix = ".exe" if os.name == "nt" else ""
    program = next(p for p in (bundle / f"coachdesk-cli{suffix}", bundle / f"coachdesk{suffix}") if p.exists())
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env |= {"QT_QPA_PLATFORM": "offscreen", DATA_DIR_ENV: str(tmp_path / "data")}
    return subprocess.run([str(program), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          check=False, timeout=120)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_built_app_answers_its_version_and_starts_headless(bundle: Path, tmp_path: Path):
    version = _run(bundle, tmp_path, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"CoachDesk {__version__}"

    smoke = _run(bundle, tmp_path, "--smoke-test")
    assert smoke.returncode == 0, smoke.stderr[-2000:]
    assert STARTED.match(smoke.stdout.strip()), smoke.stdout


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_built_app_speaks_the_shipped_languages(bundle: Path, tmp_path: Path):
    english = _run(bundle, tmp_path, "--help")
    arabic = _run(bundle, tmp_path, "--lang", "ar", "--help")
    assert english.returncode == arabic.returncode == 0, arabic.stderr
    assert "With no command, the desktop app starts." in english.stdout
    assert re.search(r"[\u0600-\u06FF]{4}", arabic.stdout), "the Arabic catalog is found inside the build"
    smoke = _run(bundle, tmp_path, "--lang", "hi", "--smoke-test")
    assert smoke.returncode == 0, smoke.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_built_app_carries_every_file_the_wheel_carries(bundle: Path, tmp_path_factory):
    """Resources, migrations, catalogs and anything else the wheel puts inside the package, at the same place."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    (wheel,) = out.glob("coachdesk-*.whl")
    code = {p.relative_to(ROOT).as_posix() for p in (ROOT / "coachdesk").rglob("*.py")}
    shipped = {name for name in zipfile.ZipFile(wheel).namelist()
               if name.startswith("coachdesk/") and not name.endswith("/") and name not in code}
    assert "coachdesk/_db/env.py" in shipped and "coachdesk/i18n_catalogs/ar/LC_MESSAGES/coachdesk.mo" in shipped
    inside = bundle / "_internal"
    missing = sorted(name for name in shipped if not (inside / name).is_file())
    assert not missing, f"{len(missing)} files of the wheel are not in the build, e.g. {missing[:3]}"


@pytest.mark.slow
@pytest.mark.timeout(1200)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's platform plugins are named so on Linux")
def test_built_app_carries_the_desktop_and_the_headless_platform_plugins(bundle: Path):
    platforms = bundle / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms"
    assert (platforms / "libqxcb.so").is_file()  # X11 desktops (and XWayland)
    assert (platforms / "libqwayland.so").is_file() or (platforms / "libqwayland-generic.so").is_file()
    assert (platforms / "libqoffscreen.so").is_file()  # headless: build machines, the smoke test
    translations = bundle / "_internal" / "PySide6" / "Qt" / "translations"
    assert (translations / "qtbase_ar.qm").is_file()  # Qt's own buttons in Arabic
