"""The benchmark rows: each builds its data in a scratch folder, measures, and states its budget."""

from __future__ import annotations

import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path


@dataclass
class Result:
    row: str
    measured: str
    budget: str
    verdict: str  # "ok", "MISS", or "—" where DESIGN.md sets no budget
    detail: str = ""


def _scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="coachdesk-bench-"))
    os.environ["COACHDESK_DATA_DIR"] = str(folder)
    return folder


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_demo(quick: bool) -> Result:
    from coachdesk.services.demo import generate_demo
    from coachdesk.services.workspace import open_workspace

    mentees = 2_000 if quick else 50_000
    db = open_workspace(_scratch() / "demo.sqlite")
    started = time.perf_counter()
    added = generate_demo(db, mentees=mentees, seed=1)
    seconds = time.perf_counter() - started
    db.close()
    rows = sum(added.values())
    return Result(f"demo generation, {mentees:,} mentees", f"{seconds:.1f} s", "none set", "—",
                  f"{rows:,} rows, {rows / seconds:,.0f} rows/s, one run")


def write_mentee_csv(path: Path, count: int) -> Path:
    """A spreadsheet of ``count`` new mentees, the same for every run."""
    rng = random.Random(5)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "kind", "community", "languages", "journey_stage", "consent_given_on"])
        for i in range(count):
            writer.writerow(["", f"Mentee {i}", rng.choice(("person", "group", "organization")),
                             f"Community {i % 20}", rng.choice(("ar", "hi; en", "pt")), "assessment", "2026-01-15"])
    return path


def bench_csv_import(quick: bool) -> Result:
    from coachdesk.services.spreadsheets import import_csv
    from coachdesk.services.workspace import open_workspace

    count = 1_000 if quick else 10_000
    folder = _scratch()
    path = write_mentee_csv(folder / "mentees.csv", count)
    samples = []
    for run in range(3):
        db = open_workspace(folder / f"csv{run}.sqlite")
        started = time.perf_counter()
        import_csv(db, "mentees", path)
        samples.append(time.perf_counter() - started)
        db.close()
    seconds = statistics.median(samples)
    return Result(f"CSV import, {count:,} new mentees", f"{seconds:.2f} s", "none set", "—",
                  f"{count / seconds:,.0f} rows/s, median of 3")


SEARCH_QUERIES = ["editathon", "volunteers first", "प्रशिक्षण", "ورشة", "grant rep", "ref12345", "univ",
                  "journalists"]
_SEARCH_DATABASES: dict[int, Path] = {}


def search_database(count: int) -> Path:
    """A database of ``count`` coaching sessions with varied notes in four scripts, built once per run."""
    if count in _SEARCH_DATABASES:
        return _SEARCH_DATABASES[count]
    from coachdesk.model import CoachingSession
    from coachdesk.services.demo import ASSETS, GAPS, NEXT_STEPS, ONE_TO_ONE_NOTES
    from coachdesk.services.workspace import open_workspace
    from coachdesk.store.changes import insert_rows

    path = _scratch() / "search.sqlite"
    db = open_workspace(path)
    rng = random.Random(7)
    start = datetime(2025, 1, 1, 9)
    words = [w for phrase in ASSETS + GAPS for w in phrase.split()] + ["editathon", "प्रशिक्षण", "ورشة", "oficina"]
    rows = []
    for i in range(count):
        note = rng.choice(ONE_TO_ONE_NOTES).format(capacity="fundraising", name=f"Mentee {i}",
                                                   asset=rng.choice(ASSETS), gap=rng.choice(GAPS))
        note += " " + " ".join(rng.choices(words, k=12)) + f" ref{i}"
        rows.append({"kind": "coaching", "title": f"Session {i}", "started_at": start + timedelta(hours=i),
                     "duration_minutes": 60, "location": "", "language": "en", "notes": note,
                     "next_steps": rng.choice(NEXT_STEPS), "private_notes": ""})
    with db.write() as session:
        insert_rows(session, CoachingSession, rows)
    db.close()
    _SEARCH_DATABASES[count] = path
    return path


def bench_search(quick: bool) -> Result:
    from sqlalchemy import text

    from coachdesk.services.workspace import open_workspace
    from coachdesk.store.search import search

    count = 20_000 if quick else 200_000
    db = open_workspace(search_database(count))
    samples = []
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        for _ in range(5):
            for query in SEARCH_QUERIES:
                began = time.perf_counter()
                search(connection, query, limit=50)
                samples.append(time.perf_counter() - began)
    db.close()
    ms = _median_ms(samples)
    worst = max(samples) * 1000
    return Result(f"full-text search, {count:,} session notes", f"{ms:.1f} ms", "≤ 30 ms",
                  "ok" if ms <= 30 else "MISS", f"median of {len(samples)} queries, slowest {worst:.1f} ms")


def _rows_of_demo(mentees: int) -> list[list[dict]]:
    """Every record a demo database of ``mentees`` would send, grouped by row, in dependency order."""
    from coachdesk.services.workspace import open_workspace
    from coachdesk.sync.changes import all_records

    with open_workspace(demo_database(mentees)) as db, db.read() as session:
        records = all_records(session)
    rows: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        rows.setdefault((record["t"], record["id"]), []).append(record)
    return list(rows.values())


def _sync_records(count: int) -> list[dict]:
    """About ``count`` field records from a demo database, whole rows, as a device would send them."""
    chosen: list[dict] = []
    for group in _rows_of_demo(max(200, count // 40)):  # whole rows, in dependency order as all_records gives them
        if len(chosen) >= count:
            break
        chosen.extend(group)
    return chosen


def bench_merge(quick: bool) -> Result:
    from coachdesk.store.database import open_database
    from coachdesk.sync.merge import merge_records

    count = 10_000 if quick else 100_000
    records = _sync_records(count)
    folder = _scratch()
    merged, raw = [], []
    for run in range(3):
        db, _migrated = open_database(folder / f"merge{run}.sqlite")
        began = time.perf_counter()
        with db.write() as session:
            merge_records(session, records)
        merged.append(time.perf_counter() - began)
        db.close()
        # The baseline: the same rows, plain INSERTs with sqlite3 executemany into the same schema.
        target = folder / f"raw{run}.sqlite"
        open_database(target)[0].close()
        raw.append(raw_insert(target, records))
    ratio = statistics.median(merged) / statistics.median(raw)
    return Result(f"merge a bundle of {len(records):,} field changes", f"{ratio:.1f} × executemany",
                  "≤ 3 × executemany", "ok" if ratio <= 3 else "MISS",
                  f"median of 3: merge {statistics.median(merged):.2f} s, raw {statistics.median(raw):.2f} s")


def raw_insert(target: Path, records: list[dict], key: object = None) -> float:
    """Seconds to insert the rows ``records`` make into the empty CoachDesk database ``target`` with plain
    INSERTs and ``executemany``: sqlite3's, or SQLCipher's for a file encrypted with ``key``."""
    import sqlite3

    from coachdesk.model import private_columns, synced_classes
    from coachdesk.store.cipher import connect

    connection = connect(target, key) if key is not None else sqlite3.connect(target)
    connection.execute("PRAGMA foreign_keys = OFF")
    rows: dict[str, dict[str, dict]] = {}
    for record in records:
        if not record["c"].startswith("__"):
            rows.setdefault(record["t"], {}).setdefault(record["id"], {})[record["c"]] = record["v"]
    private = {cls.__tablename__: private_columns(cls) for cls in synced_classes()}
    for table, by_id in rows.items():  # private columns never travel; the receiver fills their defaults
        for row in by_id.values():
            row.update(dict.fromkeys(private.get(table, ()), ""))
    began = time.perf_counter()
    with connection:
        for table, by_id in rows.items():
            columns = sorted({c for row in by_id.values() for c in row})
            sql = (f"INSERT INTO {table} (id, {', '.join(columns)}) "
                   f"VALUES (?, {', '.join('?' * len(columns))})")
            connection.executemany(sql, [
                (bytes.fromhex(rid), *[_raw(row.get(c)) for c in columns]) for rid, row in by_id.items()])
    seconds = time.perf_counter() - began
    connection.close()
    return seconds


def _raw(value: object) -> object:
    import json

    if isinstance(value, (list, dict)):
        return json.dumps(value)
    if isinstance(value, str) and len(value) == 32:
        try:
            return bytes.fromhex(value)
        except ValueError:
            return value
    return value


def bench_bundle_size(quick: bool) -> Result:
    from coachdesk.sync.bundle import write_bundle
    from coachdesk.sync.keys import DeviceKeys

    records = _sync_records(10_000)[:10_000]
    sender, hub = DeviceKeys.generate(), DeviceKeys.generate()
    data = write_bundle(records, signer=sender, recipients=[hub.public()], kind="device", schema_version="0004",
                        from_version=0, to_version=1, extra={})
    kb = len(data) / 1024
    return Result("bundle of 10,000 field changes", f"{kb:,.0f} KB", "< 1 MB", "ok" if len(data) < 1_000_000 else
                  "MISS", "demo data, one recipient")


_HUB_DROPS: dict[bool, tuple[Path, int]] = {}


def _hub_drop(quick: bool) -> tuple[Path, int]:
    """A hub folder's worth of device bundles: 500 devices' bundles of about 2,000 changes each
    (20 when quick), made once per run. Returns the folder holding ``hub/`` (keys, invitation) and
    ``drop/``, and the number of changes in all bundles."""
    if quick in _HUB_DROPS:
        return _HUB_DROPS[quick]
    from coachdesk.services.hub import init_hub, load_hub
    from coachdesk.services.team import _proof
    from coachdesk.store.migrate import head_revision
    from coachdesk.sync.bundle import write_bundle, write_bundle_file
    from coachdesk.sync.keys import DeviceKeys, PublicKeys, load_keys

    bundles, per_bundle = (20, 2_000) if quick else (500, 2_000)
    groups = _rows_of_demo(max(200, bundles * per_bundle // 200))
    folder = _scratch()
    init_hub(folder / "hub", "bench")
    hub = load_hub(folder / "hub")
    hub_keys = load_keys(folder / "hub" / "hub.keys").public()
    drop = folder / "drop"
    drop.mkdir()
    changes = 0
    chunk: list[dict] = []
    made = 0
    for group in groups + [None]:  # whole rows per bundle; a last None flushes the rest
        if group is not None:
            chunk.extend(group)
        if chunk and (group is None or len(chunk) >= per_bundle) and made < bundles:
            device = DeviceKeys.generate()
            data = write_bundle(chunk, signer=device, recipients=[PublicKeys(sign=hub_keys.sign, box=hub_keys.box)],
                                kind="device", schema_version=head_revision(), from_version=0, to_version=made + 1,
                                extra={"invitation_proof": _proof(hub.secret, device.public().sign),
                                       "device_name": f"device {made}"})
            write_bundle_file(drop / f"device{made:03d}.cdsync", data)
            changes += len(chunk)
            made += 1
            chunk = []
    _HUB_DROPS[quick] = (folder, changes)
    return folder, changes


def _hub_ingest(quick: bool, db_url: str, label: str) -> Result:
    import json
    import shutil

    from coachdesk.services.hub import ingest

    source, changes = _hub_drop(quick)
    bundles = len(list((source / "drop").glob("*.cdsync")))
    runs = 3
    samples = []
    for run in range(runs):
        folder = _scratch()
        shutil.copytree(source / "hub", folder / "hub", ignore=shutil.ignore_patterns("hub.sqlite*"))
        config = json.loads((folder / "hub" / "hub.json").read_text())
        url = db_url.replace("/bench", f"/bench{run}") if db_url else f"sqlite:///{folder / 'hub' / 'hub.sqlite'}"
        config["db_url"] = url
        (folder / "hub" / "hub.json").write_text(json.dumps(config))
        began = time.perf_counter()
        report = ingest(folder / "hub", [source / "drop"])  # the hub's database is made on first open
        samples.append(time.perf_counter() - began)
        assert not report.refused, report.refused[0].message
    seconds = statistics.median(samples)
    rate = changes / seconds
    per_million = seconds * 1_000_000 / changes
    budget_ok = rate >= 20_000 and (quick or per_million <= 120)
    return Result(f"hub ingest on {label}, {bundles} bundles, {changes:,} changes", f"{rate:,.0f} changes/s",
                  "≥ 20,000 changes/s; 1M in < 2 min", "ok" if budget_ok else "MISS",
                  f"median of {runs}: {seconds:.1f} s in all ({per_million:.0f} s per million changes)")


def bench_hub(quick: bool) -> Result:
    return _hub_ingest(quick, "", "SQLite")


def bench_hub_postgres(quick: bool) -> Result:
    """The same bundles into a hub on a throwaway PostgreSQL server (started here with pg_ctl)."""
    try:
        from pytest_postgresql.executor import PostgreSQLExecutor
    except ImportError:
        return Result("hub ingest on PostgreSQL", "not run", "measured", "—", "pytest-postgresql is not installed")
    import socket

    import psycopg

    wrapper = Path(__file__).resolve().parents[1] / "tests" / "support" / "pg_ctl"
    folder = Path(tempfile.mkdtemp(prefix="coachdesk-bench-pg-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = PostgreSQLExecutor(executable=str(wrapper), host="127.0.0.1", port=port, user="postgres",
                                password="", dbname="bench", options="", datadir=str(folder / "data"),
                                unixsocketdir=tempfile.gettempdir(), logfile=str(folder / "postgresql.log"),
                                startparams="-w", postgres_options="")
    try:
        server.start()
    except Exception as error:  # noqa: BLE001 - no server binaries: say so in the table
        return Result("hub ingest on PostgreSQL", "not run", "measured", "—", f"no PostgreSQL server: {error}")
    try:
        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                             autocommit=True) as connection:
            for run in range(3):
                connection.execute(f"CREATE DATABASE bench{run}")
        result = _hub_ingest(quick, f"postgresql+psycopg://postgres@127.0.0.1:{port}/bench", "PostgreSQL")
        result.budget = "measured (no budget)"
        result.verdict = "—"
        return result
    finally:
        server.stop()


_DEMO_DATABASES: dict[int, Path] = {}


def demo_database(mentees: int) -> Path:
    """A demo database of ``mentees`` mentees (about two sessions each), built once per run."""
    if mentees not in _DEMO_DATABASES:
        from coachdesk.services.demo import generate_demo
        from coachdesk.services.workspace import open_workspace

        path = _scratch() / f"demo-{mentees}.sqlite"
        db = open_workspace(path)
        generate_demo(db, mentees=mentees, seed=1)
        db.close()
        _DEMO_DATABASES[mentees] = path
    return _DEMO_DATABASES[mentees]


def _child(*args: str, env_extra: dict[str, str] | None = None) -> str:
    env = os.environ | {"QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")} | (env_extra or {})
    args = args[:1] if args[0] == "bare" else args
    done = subprocess.run([sys.executable, "-m", "bench.startup_probe", *args], capture_output=True, text=True,
                          env=env, cwd=Path(__file__).resolve().parents[1], check=True, timeout=300)
    return done.stdout.strip().splitlines()[-1]


def bench_startup(quick: bool) -> Result:
    database = demo_database(2_000 if quick else 50_000)
    runs = 3 if quick else 7
    bare, app, ready = [], [], []
    _child("ready", str(database))  # a first start warms the file cache
    for _ in range(runs):  # interleaved, so machine noise hits all alike
        for mode, samples in (("bare", bare), ("app", app), ("ready", ready)):
            began = time.time()
            samples.append(float(_child(mode, str(database))) - began)
    ratio = statistics.median(app) / statistics.median(bare)
    sessions = _count(database, "coaching_session")
    return Result(f"start to first painted window, {sessions:,} sessions", f"{ratio:.2f} × bare",
                  "≤ 1.5 × bare", "ok" if ratio <= 1.5 else "MISS",
                  f"median of {runs}: window {statistics.median(app) * 1000:.0f} ms, "
                  f"bare PySide6 window {statistics.median(bare) * 1000:.0f} ms; "
                  f"Today page filled {statistics.median(ready) * 1000:.0f} ms")


def bench_memory(quick: bool) -> Result:
    database = demo_database(2_000 if quick else 50_000)
    resident = int(_child("memory", str(database)))
    sessions = _count(database, "coaching_session")
    mb = resident / 1024 / 1024
    return Result(f"resident memory, {sessions:,} sessions loaded", f"{mb:.0f} MB", "≤ 300 MB",
                  "ok" if mb <= 300 else "MISS", "Sessions, Mentees, Plans, Today pages opened, tables scrolled")


def bench_filter(quick: bool) -> Result:
    from PySide6.QtWidgets import QApplication

    from coachdesk.services.settings import Settings
    from coachdesk.services.workspace import open_workspace
    from coachdesk.ui.app import build_context

    database = demo_database(2_000 if quick else 50_000)
    app = QApplication.instance() or QApplication([])
    db = open_workspace(database)
    context = build_context(db, Settings())
    from coachdesk.ui.views.mentees import MenteesPage

    page = MenteesPage(context)
    page.resize(1024, 600)
    page.show()
    app.processEvents()
    edit = page.filter_edit
    samples = []
    for word in ("aisha", "sil", "كريم", "प्रि", "kano", "wiki"):
        typed = ""
        for char in word + "\b" * len(word):
            typed = typed[:-1] if char == "\b" else typed + char
            began = time.perf_counter()
            edit.setText(typed)
            page.apply_filter()
            app.processEvents()
            samples.append(time.perf_counter() - began)
    page.close()
    db.close()
    ms = _median_ms(samples)
    worst = max(samples) * 1000
    mentees = _count(database, "mentee")
    return Result(f"filter the mentee list as one types, {mentees:,} mentees", f"{ms:.1f} ms", "≤ 50 ms",
                  "ok" if ms <= 50 and worst <= 100 else "MISS",
                  f"median of {len(samples)} keystrokes, slowest {worst:.1f} ms (filter, reload, paint)")


def _count(database: Path, table: str) -> int:
    import sqlite3

    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]


ROWS: dict[str, Callable[[bool], Result]] = {
    "demo": bench_demo,
    "csv": bench_csv_import,
    "search": bench_search,
    "startup": bench_startup,
    "filter": bench_filter,
    "memory": bench_memory,
    "merge": bench_merge,
    "bundle": bench_bundle_size,
    "hub": bench_hub,
    "hub-pg": bench_hub_postgres,
}


# The cost of encryption at rest on the device's rows: each runs in bench/encryption.py, after the rest.
ENCRYPTION_ROWS = {"enc-demo": "bench_demo", "enc-csv": "bench_csv", "enc-search": "bench_search",
                   "enc-startup": "bench_startup", "enc-filter": "bench_filter", "enc-memory": "bench_memory",
                   "enc-merge": "bench_merge", "enc-handout": "bench_handout"}


def _encryption_row(name: str) -> Callable[[bool], Result]:
    def run(quick: bool) -> Result:
        from bench import encryption

        return getattr(encryption, name)(quick)

    return run


ROWS.update({key: _encryption_row(name) for key, name in ENCRYPTION_ROWS.items()})


def run_rows(names: list[str], quick: bool) -> list[Result]:
    results = []
    for name in names:
        print(f"running {name} …", flush=True)
        results.append(ROWS[name](quick))
    return results


def print_table(results: list[Result]) -> None:
    header = ("row", "measured", "budget", "verdict", "detail")
    table = [header] + [(r.row, r.measured, r.budget, r.verdict, r.detail) for r in results]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    print()
    for n, row in enumerate(table):
        print("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
