"""Kiosk start, stop and hourly marks in the event log, and the summary's uptime computed from them."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.lifecycle import ALIVE, STARTED, STOPPED, AliveStep, log_started, log_stopped
from kiosk.store import DB_NAME, Store
from kiosk.summary.builder import build_summary
from kiosk.summary.rows import read_rows

T0 = datetime(2026, 11, 16, 8, 0).astimezone()


def kinds(store: Store) -> list[str]:
    return [r["kind"] for r in store.db["event_log"].rows_where(order_by="id")]


def test_alive_marks_come_once_an_hour_of_loop_time(tmp_path):
    store = Store.open(tmp_path / DB_NAME)
    clock = [T0]
    step = AliveStep(store, lambda: clock[0])
    for t in (0.0, 1.0, 3599.0):
        step(t)
    assert kinds(store) == []
    clock[0] = T0 + timedelta(hours=1)
    step(3600.0)
    step(3601.0)
    assert kinds(store) == [ALIVE]
    assert store.db["event_log"].get(1)["at"] == clock[0].isoformat()
    step(7200.0)
    assert kinds(store) == [ALIVE, ALIVE]
    store.close()


def test_a_failed_write_is_reported_not_raised(tmp_path, caplog):
    store = Store.open(tmp_path / DB_NAME)
    store.close()  # every write now fails
    assert log_stopped(store, T0, "closed") is False
    assert "could not record kiosk_stopped" in caplog.text


def test_the_summary_counts_uptime_and_an_unclean_restart_from_these_events(tmp_path):
    store = Store.open(tmp_path / DB_NAME)
    log_started(store, T0, version="t", hardware="fake", demo=False)
    step = AliveStep(store, lambda: T0 + timedelta(hours=3))
    step(0.0)
    step(3 * 3600.0)  # a mark three hours in; then the power goes: no stop is written
    log_started(store, T0 + timedelta(hours=10), version="t", hardware="fake", demo=False)
    log_stopped(store, T0 + timedelta(hours=12), "closed")
    rows, period = read_rows(store, T0.date(), T0.date(), T0.tzinfo)
    health = build_summary(rows, period, T0 + timedelta(hours=13), patient="P", device_id="d", software_version="t")[
        "device_health"
    ]
    assert health["starts"] == 2 and health["restarts"] == 1 and health["unclean_restarts"] == 1
    assert health["uptime_hours"] == 5.0  # 3 h up to the last mark, then 2 h
    store.close()


def _run_kiosk(home: Path, *extra: str) -> subprocess.Popen:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "SDL_VIDEODRIVER": "dummy", "XDG_STATE_HOME": str(home / "s")}
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--demo", "--windowed", *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _events(home: Path) -> list[tuple[str, str]]:
    db = home / ".local/share/facecoach" / DB_NAME
    if not db.exists():
        return []
    store = Store.open(db)
    try:
        return [(r["kind"], r["data"]) for r in store.db["event_log"].rows_where(order_by="id")]
    finally:
        store.close()


def test_the_kiosk_records_its_start_and_its_stop_by_the_system(isolated_home):
    home = isolated_home / "home"
    process = _run_kiosk(home, "--max-seconds", "60")
    deadline = time.monotonic() + 60
    while STARTED not in [k for k, _ in _events(home)] and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    events = [e for e in _events(home) if e[0] in (STARTED, STOPPED)]
    assert [k for k, _ in events] == [STARTED, STOPPED]
    assert '"hardware": "fake"' in events[0][1] and '"reason": "stopped by the system"' in events[1][1]
