"""An import killed with SIGKILL part-way leaves the device's database exactly as it was before;
run again, the import applies whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import table_dump

from coachdesk.services import hub as hub_service
from coachdesk.services.demo import generate_demo
from coachdesk.services.team import export_for_hub, import_central, join_team
from coachdesk.services.workspace import open_workspace

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]

# Runs the import in a child process; once the merge has written its first rows inside the
# import's transaction it says so on stdout and waits to be killed.
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import coachdesk.sync.merge as merge
    from coachdesk.services.team import import_central
    from coachdesk.services.workspace import open_workspace

    real = merge._bulk_insert
    def paused(connection, table, names, rows):
        real(connection, table, names, rows)
        if rows and {pause}:
            print("written", flush=True)
            time.sleep(60)
    merge._bulk_insert = paused
    db = open_workspace(Path(sys.argv[1]))
    import_central(db, Path(sys.argv[2]))
    print("done", flush=True)
""")


@pytest.fixture
def central(tmp_path):
    """Device B has joined a team; the central export carries 40 mentees from device A."""
    hub = tmp_path / "hub"
    invitation = hub_service.init_hub(hub, "Goma")
    paths = {}
    for name in ("a", "b"):
        paths[name] = tmp_path / f"{name}.sqlite"
        db = open_workspace(paths[name])
        join_team(db, invitation)
        if name == "a":
            generate_demo(db, mentees=40, seed=3)
        export_for_hub(db, tmp_path / f"{name}.cdsync")
        db.close()
        hub_service.ingest(hub, [tmp_path / f"{name}.cdsync"])
    out = tmp_path / "central.cdsync"
    hub_service.export_central(hub, out)
    return paths["b"], out


def _child(tmp_path: Path, pause: bool, device: Path, bundle: Path) -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(pause=pause))
    return subprocess.Popen([sys.executable, str(script), str(device), str(bundle)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})


def test_an_import_killed_in_the_middle_leaves_the_database_as_before(tmp_path, central):
    device, bundle = central
    db = open_workspace(device)
    before = table_dump(db)
    db.close()
    child = _child(tmp_path, True, device, bundle)
    assert child.stdout.readline().strip() == "written"  # rows are in, the transaction is open
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    db = open_workspace(device)
    try:
        assert table_dump(db) == before
        with db.read() as session:
            assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        result = import_central(db, bundle)  # the same file, again: it applies whole
        assert not result.skipped and result.rows_created > 40
        from coachdesk.services.stats import counts

        assert counts(db)["mentees"] == 40
    finally:
        db.close()


def test_imports_killed_at_random_moments_apply_all_or_nothing(tmp_path, central):
    device, bundle = central
    db = open_workspace(device)
    before = table_dump(db)
    db.close()
    # Time one whole import in a child to spread the kills over it.
    scratch = tmp_path / "scratch.sqlite"
    scratch.write_bytes(device.read_bytes())
    (tmp_path / "scratch.sqlite.keys").write_bytes(device.with_name(device.name + ".keys").read_bytes())
    started = time.monotonic()
    child = _child(tmp_path, False, scratch, bundle)
    assert child.stdout.read().strip() == "done" and child.wait() == 0
    whole = time.monotonic() - started
    after = None
    for fraction in (0.35, 0.55, 0.7, 0.85, 0.95):
        child = _child(tmp_path, False, device, bundle)
        time.sleep(whole * fraction)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        db = open_workspace(device)
        try:
            now = table_dump(db)
        finally:
            db.close()
        if now != before:
            after = after or now
            assert now == after  # whole, never a part
    assert after is None or len(after["mentee"]) == len(before["mentee"]) + 40
