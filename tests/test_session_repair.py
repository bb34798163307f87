"""A session cut off by a stop of the kiosk is closed at the next start, with the reason."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.lifecycle import AliveStep, log_started, log_stopped
from kiosk.session_repair import close_cut_off_sessions
from kiosk.store import DB_NAME, Store
from tests.test_lifecycle import _run_kiosk

T0 = datetime(2026, 11, 16, 10, 0).astimezone()


def running_session(store: Store, at: datetime) -> int:
    table = store.db["sessions"]
    table.insert({"started_at": at.isoformat(), "status": "running", "plan_version": 0})
    return int(table.last_pk)


def test_a_session_cut_off_by_a_stop_is_closed_with_the_stops_reason(tmp_path):
    store = Store.open(tmp_path / DB_NAME)
    log_started(store, T0 - timedelta(minutes=1), version="t", hardware="fake", demo=False)
    sid = running_session(store, T0)
    log_stopped(store, T0 + timedelta(minutes=3), "stopped by the system")
    closed = close_cut_off_sessions(store)
    row = store.db["sessions"].get(sid)
    assert [c["id"] for c in closed] == [sid]
    assert row["status"] == "partial" and row["minutes"] == 3.0
    assert row["ended_at"] == (T0 + timedelta(minutes=3)).isoformat()
    assert row["notes"] == "cut off: the kiosk was stopped (stopped by the system)"
    assert close_cut_off_sessions(store) == [], "a closed session is not closed again"
    store.close()


def test_a_session_cut_off_by_a_power_cut_ends_at_the_last_sign_of_life(tmp_path):
    store = Store.open(tmp_path / DB_NAME)
    sid = running_session(store, T0)
    step = AliveStep(store, lambda: T0 + timedelta(hours=1), every_s=1.0)
    step(0.0)
    step(1.0)  # one mark an hour in; then nothing: the power went
    close_cut_off_sessions(store)
    row = store.db["sessions"].get(sid)
    assert row["ended_at"] == (T0 + timedelta(hours=1)).isoformat() and row["minutes"] == 60.0
    assert "without closing (power cut or crash)" in row["notes"]
    store.close()


def test_a_session_cut_off_by_max_seconds_is_closed_at_the_next_start(isolated_home):
    home = isolated_home / "home"
    first = _run_kiosk(home, "--max-seconds", "6")  # the demo pilot starts a session after 2 s
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    store = Store.open(home / ".local/share/facecoach" / DB_NAME)
    assert [r["status"] for r in store.db["sessions"].rows] == ["running"]
    store.close()
    second = _run_kiosk(home, "--max-seconds", "0.5")
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    store = Store.open(home / ".local/share/facecoach" / DB_NAME)
    rows = list(store.db["sessions"].rows)
    store.close()
    assert rows[0]["status"] == "partial" and "the kiosk was stopped (closed)" in rows[0]["notes"]
