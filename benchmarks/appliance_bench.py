"""Appliance figures: hat-off start-to-done time, store open with its damage check, recovery, watchdog step.

Run: .venv/bin/python benchmarks/appliance_bench.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from kiosk.store import DB_NAME, Store
from kiosk.store_recovery import find_damage
from kiosk.watchdog import Notifier, WatchdogStep


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def hat_off_seconds() -> float:
    env = {**os.environ, "FACECOACH_HARDWARE": "fake"}
    return best_of(
        3,
        lambda: subprocess.run([sys.executable, "-m", "kiosk", "hat-off"], env=env, capture_output=True, check=True),
    )


def build_db(folder: Path, rows: int) -> Path:
    path = folder / DB_NAME
    store = Store.open(path)
    now = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    with store.write() as db:
        db["event_log"].insert_all(
            ({"at": now, "kind": "action", "data": json.dumps({"i": i, "pad": "x" * 60})} for i in range(rows)),
            batch_size=5000,
        )
    store.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000, help="event_log rows in the test database")
    args = parser.parse_args()
    print(f"hat-off (mock board, new process, settings load included): {hat_off_seconds() * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        path = build_db(Path(tmp), args.rows)
        size_mb = path.stat().st_size / 1e6
        check = best_of(3, lambda: find_damage(path))
        opened = best_of(3, lambda: Store.open(path).close())

        def plain_open() -> None:
            with contextlib.closing(sqlite3.connect(path)) as conn:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()

        plain = best_of(3, plain_open)
        print(f"database: {args.rows} event rows, {size_mb:.1f} MB")
        print(f"  quick_check at open: {check * 1000:.0f} ms; Store.open total {opened * 1000:.0f} ms")
        print(f"  (bare sqlite3 connect: {plain * 1000:.1f} ms)")
        with open(path, "r+b") as f:
            f.seek(path.stat().st_size - 4096)
            f.write(b"\xa5" * 4096)
        t0 = time.perf_counter()
        store = Store.open(path)
        recovered = time.perf_counter() - t0
        kept = store.db["event_log"].count - 1
        store.close()
        print(f"  recovery after a damaged last page: {recovered * 1000:.0f} ms, kept {kept} of {args.rows} rows")
    step = WatchdogStep(Notifier(None), interval_s=30.0)
    n = 100_000
    t0 = time.perf_counter()
    for i in range(n):
        step(i / 30)
    print(f"watchdog step: {(time.perf_counter() - t0) / n * 1e6:.2f} us per tick (no socket)")


if __name__ == "__main__":
    main()
