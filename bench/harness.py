"""The benchmark rows: each builds its data in a scratch folder, measures, and states its budget."""

from __future__ import annotations

import csv
import os
import random
import statistics
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


def bench_csv_import(quick: bool) -> Result:
    from coachdesk.services.spreadsheets import import_csv
    from coachdesk.services.workspace import open_workspace

    count = 1_000 if quick else 10_000
    folder = _scratch()
    path = folder / "mentees.csv"
    rng = random.Random(5)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "kind", "community", "languages", "journey_stage", "consent_given_on"])
        for i in range(count):
            writer.writerow(["", f"Mentee {i}", rng.choice(("person", "group", "organization")),
                             f"Community {i % 20}", rng.choice(("ar", "hi; en", "pt")), "assessment", "2026-01-15"])
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


def bench_search(quick: bool) -> Result:
    from sqlalchemy import text

    from coachdesk.model import CoachingSession
    from coachdesk.services.demo import ASSETS, GAPS, NEXT_STEPS, ONE_TO_ONE_NOTES
    from coachdesk.services.workspace import open_workspace
    from coachdesk.store.changes import insert_rows
    from coachdesk.store.search import search

    count = 20_000 if quick else 200_000
    db = open_workspace(_scratch() / "search.sqlite")
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
    queries = ["editathon", "volunteers first", "प्रशिक्षण", "ورشة", "grant rep", "ref12345", "univ", "journalists"]
    samples = []
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        for _ in range(5):
            for query in queries:
                began = time.perf_counter()
                search(connection, query, limit=50)
                samples.append(time.perf_counter() - began)
    db.close()
    ms = _median_ms(samples)
    worst = max(samples) * 1000
    return Result(f"full-text search, {count:,} session notes", f"{ms:.1f} ms", "≤ 30 ms",
                  "ok" if ms <= 30 else "MISS", f"median of {len(samples)} queries, slowest {worst:.1f} ms")


ROWS: dict[str, Callable[[bool], Result]] = {
    "demo": bench_demo,
    "csv": bench_csv_import,
    "search": bench_search,
}


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
