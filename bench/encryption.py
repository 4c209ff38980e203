"""The cost of encryption at rest on the device's rows: the same work on a plain and an encrypted database.

Each pair is made from one plain database: a plain copy and a copy encrypted with
``protection.set_passphrase`` (both written by SQLCipher's export, so they hold the same rows in the
same page layout). Runs alternate plain and encrypted, in turn first, so the machine's noise falls on
both alike, and each side is the median of at least three runs. A row shows the ratio encrypted / plain
and is judged by DESIGN.md's own budget for that row, applied to the encrypted measurement; DESIGN.md
sets no budget for the ratio itself.

A plain database is opened with Python's sqlite3 and an encrypted one with SQLCipher, which carries its
own SQLite: the ratio is what a person sees on turning a passphrase on (the other engine included),
not the cipher alone. The detail of each row names both engines' versions.
"""

from __future__ import annotations

import atexit
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import (
    SEARCH_QUERIES,
    Result,
    _child,
    _count,
    _sync_records,
    demo_database,
    raw_insert,
    search_database,
)

PASSPHRASE = "bench passphrase, three words"
NO_RATIO_BUDGET = "DESIGN.md sets no budget for the cost of encryption"
_PAIRS: dict[str, tuple[Path, Path]] = {}
_FOLDERS: list[Path] = []


def _secret():  # type: ignore[no-untyped-def]
    from coachdesk.store.cipher import Secret

    return Secret(PASSPHRASE)


def _folder() -> Path:
    """A scratch folder of this module's, removed when the run ends (encrypted copies are large)."""
    folder = Path(tempfile.mkdtemp(prefix="coachdesk-bench-enc-"))
    if not _FOLDERS:
        atexit.register(lambda: [shutil.rmtree(f, ignore_errors=True) for f in _FOLDERS])
    _FOLDERS.append(folder)
    return folder


def _engines() -> str:
    import sqlite3

    from coachdesk.store.cipher import sqlcipher_module

    connection = sqlcipher_module().connect(":memory:")
    try:
        cipher = connection.execute("PRAGMA cipher_version").fetchone()[0]
        inner = connection.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        connection.close()
    return f"engines: SQLite {sqlite3.sqlite_version} / SQLCipher {cipher.split()[0]} on SQLite {inner}"


def pair(source: Path) -> tuple[Path, Path]:
    """A plain and an encrypted copy of the closed plain database ``source``, made once per run."""
    from coachdesk.services.protection import set_passphrase
    from coachdesk.store.cipher import export

    name = str(source)
    if name not in _PAIRS:
        folder = _folder()
        plain, encrypted = folder / "plain" / source.name, folder / "encrypted" / source.name
        for copy in (plain, encrypted):
            copy.parent.mkdir()
            export(source, None, copy, None)
        set_passphrase(encrypted, _secret())
        _PAIRS[name] = (plain, encrypted)
    return _PAIRS[name]


def _empty_pair(kind: str) -> tuple[Path, Path]:
    """A pair of empty databases: made by open_workspace (with reference data) or open_database (without)."""
    from coachdesk.services.workspace import open_workspace
    from coachdesk.store.database import open_database

    source = _folder() / f"empty-{kind}.sqlite"
    if kind == "workspace":
        open_workspace(source, daily_backup=False).close()
    else:
        open_database(source)[0].close()
    return pair(source)


def _fresh(template: Path, folder: Path, name: str) -> Path:
    """A copy of a closed template database to write into."""
    target = folder / name
    shutil.copyfile(template, target)
    return target


def _alternate(runs: int, plain: Callable[[], float],
               encrypted: Callable[[], float]) -> tuple[list[float], list[float]]:
    """Seconds of ``runs`` runs of each, alternating which goes first."""
    plains: list[float] = []
    encrypteds: list[float] = []
    for run in range(runs):
        steps = [(plain, plains), (encrypted, encrypteds)]
        for measure, samples in steps if run % 2 == 0 else reversed(steps):
            samples.append(measure())
    return plains, encrypteds


def _ratio(encrypted: float, plain: float, unit: str) -> str:
    if unit == "ms":
        return f"×{encrypted / plain:.2f} (encrypted {encrypted * 1000:.1f} ms / plain {plain * 1000:.1f} ms)"
    if unit == "MB":
        return f"×{encrypted / plain:.2f} (encrypted {encrypted:.0f} MB / plain {plain:.0f} MB)"
    return f"×{encrypted / plain:.2f} (encrypted {encrypted:.2f} s / plain {plain:.2f} s)"


def _open(path: Path, encrypted: bool):  # type: ignore[no-untyped-def]
    from coachdesk.services.workspace import open_workspace

    return open_workspace(path, daily_backup=False, secret=_secret() if encrypted else None)


# -- rows --------------------------------------------------------------------------------------------


def bench_demo(quick: bool) -> Result:
    from coachdesk.services.demo import generate_demo

    mentees = 500 if quick else 5_000
    templates = _empty_pair("workspace")
    folder = _folder()
    rows: list[int] = []

    def generate(encrypted: bool) -> Callable[[], float]:
        def run() -> float:
            target = _fresh(templates[encrypted], folder, f"demo-{encrypted:d}-{len(rows)}.sqlite")
            db = _open(target, encrypted)
            began = time.perf_counter()
            added = generate_demo(db, mentees=mentees, seed=1)
            seconds = time.perf_counter() - began
            db.close()
            rows.append(sum(added.values()))
            target.unlink()
            return seconds
        return run

    plains, encrypteds = _alternate(3, generate(False), generate(True))
    plain, encrypted = statistics.median(plains), statistics.median(encrypteds)
    return Result(f"encrypted: demo generation, {mentees:,} mentees", _ratio(encrypted, plain, "s"),
                  "none set", "—",
                  f"median of 3 each, alternated, {rows[0]:,} rows; {NO_RATIO_BUDGET}; {_engines()}")


def bench_csv(quick: bool) -> Result:
    from bench.harness import write_mentee_csv
    from coachdesk.services.spreadsheets import import_csv

    count = 1_000 if quick else 10_000
    templates = _empty_pair("workspace")
    folder = _folder()
    path = write_mentee_csv(folder / "mentees.csv", count)
    made = [0]

    def load(encrypted: bool) -> Callable[[], float]:
        def run() -> float:
            made[0] += 1
            target = _fresh(templates[encrypted], folder, f"csv-{encrypted:d}-{made[0]}.sqlite")
            db = _open(target, encrypted)
            began = time.perf_counter()
            import_csv(db, "mentees", path)
            seconds = time.perf_counter() - began
            db.close()
            target.unlink()
            return seconds
        return run

    plains, encrypteds = _alternate(3, load(False), load(True))
    plain, encrypted = statistics.median(plains), statistics.median(encrypteds)
    return Result(f"encrypted: CSV import, {count:,} new mentees", _ratio(encrypted, plain, "s"), "none set", "—",
                  f"median of 3 each, alternated; {NO_RATIO_BUDGET}; {_engines()}")


def bench_search(quick: bool) -> Result:
    from sqlalchemy import text

    from coachdesk.store.search import search

    count = 20_000 if quick else 200_000
    paths = pair(search_database(count))
    dbs = [_open(paths[False], False), _open(paths[True], True)]
    samples: list[list[float]] = [[], []]
    try:
        connections = [db.engine.connect() for db in dbs]
        for connection in connections:
            connection.execute(text("SELECT 1"))
        turn = 0
        for _ in range(5):
            for query in SEARCH_QUERIES:
                for side in ((0, 1) if turn % 2 == 0 else (1, 0)):
                    began = time.perf_counter()
                    search(connections[side], query, limit=50)
                    samples[side].append(time.perf_counter() - began)
                turn += 1
        for connection in connections:
            connection.close()
    finally:
        for db in dbs:
            db.close()
    plain, encrypted = statistics.median(samples[0]), statistics.median(samples[1])
    worst = max(samples[1]) * 1000
    return Result(f"encrypted: full-text search, {count:,} session notes", _ratio(encrypted, plain, "ms"),
                  "encrypted ≤ 30 ms", "ok" if encrypted * 1000 <= 30 else "MISS",
                  f"median of {len(samples[1])} queries each, alternated query by query; slowest encrypted "
                  f"{worst:.1f} ms, plain {max(samples[0]) * 1000:.1f} ms; {NO_RATIO_BUDGET}; {_engines()}")


def _demo_pair(quick: bool) -> tuple[Path, Path]:
    return pair(demo_database(2_000 if quick else 50_000))


def bench_startup(quick: bool) -> Result:
    plain_db, encrypted_db = _demo_pair(quick)
    runs = 3 if quick else 5
    with_passphrase = {"COACHDESK_PASSPHRASE": PASSPHRASE}
    without = {"COACHDESK_PASSPHRASE": ""}
    starts = {  # name: (probe mode, database, environment)
        "bare": ("bare", plain_db, without),
        "app plain": ("app", plain_db, without), "app encrypted": ("app", encrypted_db, with_passphrase),
        "ready plain": ("ready", plain_db, without), "ready encrypted": ("ready", encrypted_db, with_passphrase),
    }
    samples: dict[str, list[float]] = {name: [] for name in starts}
    for mode, database, env in starts.values():
        if mode == "ready":
            _child(mode, str(database), env_extra=env)  # a first start warms the file cache
    names = list(starts)
    for run in range(runs):  # interleaved, in turn forwards and backwards, so machine noise hits all alike
        for name in names if run % 2 == 0 else reversed(names):
            mode, database, env = starts[name]
            began = time.time()
            samples[name].append(float(_child(mode, str(database), env_extra=env)) - began)
    median = {name: statistics.median(values) for name, values in samples.items()}
    to_bare = median["app encrypted"] / median["bare"]
    plain_to_bare = median["app plain"] / median["bare"]
    ready = median["ready encrypted"] / median["ready plain"]
    sessions = _count(plain_db, "coaching_session")
    return Result(f"encrypted: start to first painted window, {sessions:,} sessions",
                  _ratio(median["app encrypted"], median["app plain"], "ms"),
                  f"encrypted ≤ 1.5 × bare: {to_bare:.2f} × bare", "ok" if to_bare <= 1.5 else "MISS",
                  f"median of {runs} each, interleaved; bare PySide6 window {median['bare'] * 1000:.0f} ms "
                  f"(plain {plain_to_bare:.2f} × bare); "
                  f"Today page filled ×{ready:.2f} (encrypted {median['ready encrypted'] * 1000:.0f} ms / plain "
                  f"{median['ready plain'] * 1000:.0f} ms, passphrase from COACHDESK_PASSPHRASE); "
                  f"{NO_RATIO_BUDGET}; {_engines()}")


def bench_memory(quick: bool) -> Result:
    plain_db, encrypted_db = _demo_pair(quick)

    def resident(database: Path, env: dict[str, str]) -> Callable[[], float]:
        return lambda: int(_child("memory", str(database), env_extra=env)) / 1024 / 1024

    plains, encrypteds = _alternate(3, resident(plain_db, {"COACHDESK_PASSPHRASE": ""}),
                                    resident(encrypted_db, {"COACHDESK_PASSPHRASE": PASSPHRASE}))
    plain, encrypted = statistics.median(plains), statistics.median(encrypteds)
    sessions = _count(plain_db, "coaching_session")
    return Result(f"encrypted: resident memory, {sessions:,} sessions loaded", _ratio(encrypted, plain, "MB"),
                  "encrypted ≤ 300 MB", "ok" if encrypted <= 300 else "MISS",
                  f"median of 3 each, alternated; Sessions, Mentees, Plans, Today pages opened, tables scrolled; "
                  f"{NO_RATIO_BUDGET}; {_engines()}")


def bench_filter(quick: bool) -> Result:
    from PySide6.QtWidgets import QApplication

    from coachdesk.services.settings import Settings
    from coachdesk.ui.app import build_context
    from coachdesk.ui.views.mentees import MenteesPage

    paths = _demo_pair(quick)
    app = QApplication.instance() or QApplication([])
    dbs = [_open(paths[False], False), _open(paths[True], True)]
    pages = []
    for db in dbs:
        page = MenteesPage(build_context(db, Settings()))
        page.resize(1024, 600)
        page.show()
        pages.append(page)
    app.processEvents()
    samples: list[list[float]] = [[], []]
    for turn, word in enumerate(("aisha", "sil", "كريم", "प्रि", "kano", "wiki") * 2):
        for side in ((0, 1) if turn % 2 == 0 else (1, 0)):  # a word typed on one, then on the other
            page = pages[side]
            typed = ""
            for char in word + "\b" * len(word):
                typed = typed[:-1] if char == "\b" else typed + char
                began = time.perf_counter()
                page.filter_edit.setText(typed)
                page.apply_filter()
                app.processEvents()
                samples[side].append(time.perf_counter() - began)
    for page in pages:
        page.close()
    for db in dbs:
        db.close()
    plain, encrypted = statistics.median(samples[0]), statistics.median(samples[1])
    worst = max(samples[1]) * 1000
    mentees = _count(paths[False], "mentee")
    return Result(f"encrypted: filter the mentee list as one types, {mentees:,} mentees",
                  _ratio(encrypted, plain, "ms"), "encrypted ≤ 50 ms", "ok" if encrypted * 1000 <= 50 and worst <= 100
                  else "MISS",
                  f"median of {len(samples[1])} keystrokes each, alternated word by word; slowest encrypted "
                  f"{worst:.1f} ms, plain {max(samples[0]) * 1000:.1f} ms; {NO_RATIO_BUDGET}; {_engines()}")


def bench_merge(quick: bool) -> Result:
    from coachdesk.store.database import open_database
    from coachdesk.sync.merge import merge_records

    count = 10_000 if quick else 100_000
    records = _sync_records(count)
    templates = _empty_pair("database")
    folder = _folder()
    made = [0]
    raw: list[list[float]] = [[], []]

    def merge(encrypted: bool) -> Callable[[], float]:
        def run() -> float:
            made[0] += 1
            target = _fresh(templates[encrypted], folder, f"merge-{encrypted:d}-{made[0]}.sqlite")
            db, _migrated = open_database(target, secret=_secret() if encrypted else None)
            began = time.perf_counter()
            with db.write() as session:
                merge_records(session, records)
            seconds = time.perf_counter() - began
            key = db.key
            db.close()
            target.unlink()
            # The baseline of DESIGN.md's budget: the same rows with executemany, into the same kind of file.
            target = _fresh(templates[encrypted], folder, f"raw-{encrypted:d}-{made[0]}.sqlite")
            raw[encrypted].append(raw_insert(target, records, key))
            target.unlink()
            return seconds
        return run

    plains, encrypteds = _alternate(3, merge(False), merge(True))
    plain, encrypted = statistics.median(plains), statistics.median(encrypteds)
    raw_plain, raw_encrypted = statistics.median(raw[False]), statistics.median(raw[True])
    to_raw = encrypted / raw_plain
    return Result(f"encrypted: merge a bundle of {len(records):,} field changes", _ratio(encrypted, plain, "s"),
                  f"encrypted ≤ 3 × executemany: {to_raw:.1f} ×", "ok" if to_raw <= 3 else "MISS",
                  f"median of 3 each, alternated; executemany with sqlite3 into a plain file {raw_plain:.2f} s "
                  f"(the budget's baseline), with SQLCipher into an encrypted file {raw_encrypted:.2f} s "
                  f"(encrypted merge {encrypted / raw_encrypted:.1f} × that); {NO_RATIO_BUDGET}; {_engines()}")


def bench_handout(quick: bool) -> Result:
    import sqlite3

    from coachdesk.model import parse_id
    from coachdesk.services.printing import handout_pdf

    paths = _demo_pair(quick)
    with sqlite3.connect(paths[False]) as connection:  # the mentee with the most assessments: a chart, and a before
        mentee = connection.execute(
            "SELECT lower(hex(mentee_id)) FROM assessment WHERE deleted = 0 GROUP BY mentee_id "
            "ORDER BY count(*) DESC, mentee_id LIMIT 1").fetchone()[0]
    ref = parse_id(mentee)
    dbs = [_open(paths[False], False), _open(paths[True], True)]
    languages = ("en", "ar", "hi")
    pages_of: list[int] = []
    try:
        for db in dbs:  # the first render loads fonts and the handout texts
            for language in languages:
                handout_pdf(db, "assessment", ref, language)

        def render(side: int, language: str) -> float:
            began = time.perf_counter()
            _data, pages = handout_pdf(dbs[side], "assessment", ref, language)
            pages_of.append(pages)
            return time.perf_counter() - began

        samples: list[list[float]] = [[], []]
        for turn in range(3 if quick else 5):
            for language in languages:
                for side in ((0, 1) if turn % 2 == 0 else (1, 0)):
                    samples[side].append(render(side, language))
    finally:
        for db in dbs:
            db.close()
    plain, encrypted = statistics.median(samples[0]), statistics.median(samples[1])
    worst = max(samples[1]) * 1000
    return Result("encrypted: assessment handout with a chart (en, ar, hi)", _ratio(encrypted, plain, "ms"),
                  "encrypted ≤ 150 ms", "ok" if encrypted * 1000 <= 150 else "MISS",
                  f"median of {len(samples[1])} each, alternated; {max(pages_of)} pages; slowest encrypted "
                  f"{worst:.1f} ms, plain {max(samples[0]) * 1000:.1f} ms; {NO_RATIO_BUDGET}; {_engines()}")
