"""Power-cut recovery: a damaged database file is moved aside, reported, and its readable rows kept."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.store import DB_NAME, Store
from kiosk.store_recovery import find_damage, is_damage

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
EVENTS = 400
SESSIONS = 50


def filled_store(folder: Path) -> Path:
    """A database file with sessions and many event-log rows, closed cleanly (WAL checkpointed)."""
    path = folder / DB_NAME
    store = Store.open(path)
    with store.write() as db:
        db["sessions"].insert_all(
            {"planned_for": f"2026-02-{i % 28 + 1:02d}", "status": "done", "minutes": 12.5} for i in range(SESSIONS)
        )
    for i in range(EVENTS):
        store.log_event("action", T0, {"i": i, "pad": "x" * 40})
    store.close()
    assert not Path(str(path) + "-wal").exists()
    return path


def last_page_owner(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT name FROM dbstat ORDER BY pageno DESC LIMIT 1").fetchone()[0]


def damage_last_page(path: Path) -> None:
    """What a power cut mid-write can leave: the file's last page is garbage."""
    page = 4096
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size - page)
        f.write(bytes((i * 37 + 11) % 256 for i in range(page)))


def damaged_copies(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm")))


def test_a_damaged_last_page_is_found_set_aside_reported_and_the_rest_kept(tmp_path):
    path = filled_store(tmp_path)
    assert last_page_owner(path) == "event_log"  # the newest rows live on the last page
    damage_last_page(path)
    damaged = path.read_bytes()
    assert find_damage(path) is not None

    store = Store.open(path)
    try:
        # It opened, and the new file is healthy.
        assert store.integrity_check() == "ok"
        # Every session (earlier pages) and all but the newest event rows were kept.
        assert store.db["sessions"].count == SESSIONS
        kept = [json.loads(r["data"])["i"] for r in store.db["event_log"].rows_where("kind = 'action'")]
        assert kept == list(range(len(kept)))
        assert EVENTS - 20 <= len(kept) < EVENTS
        # It reported: one event_log row and a notice in plain words.
        reports = list(store.db["event_log"].rows_where("kind = 'store_recovered'"))
        assert len(reports) == 1
        report = json.loads(reports[0]["data"])
        assert report["kept"]["sessions"] == SESSIONS and report["kept"]["event_log"] == len(kept)
        assert "malformed" in report["problem"]
        assert store.notice is not None and "power cut" in store.notice and "were kept" in store.notice
        # The event log is still append-only in the rebuilt file.
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute("DELETE FROM event_log")
    finally:
        store.close()
    # The damaged file was kept, byte for byte as the power cut left it.
    copies = damaged_copies(tmp_path)
    assert [Path(report["damaged_file"])] == copies
    assert copies[0].read_bytes() == damaged
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    # Opening again finds a healthy file: no second report, no second copy.
    again = Store.open(path)
    try:
        assert again.notice is None
        assert again.db["event_log"].count_where("kind = 'store_recovered'") == 1
    finally:
        again.close()
    assert len(damaged_copies(tmp_path)) == 1


def test_a_file_that_is_not_a_database_any_more_gives_a_fresh_store(tmp_path):
    path = filled_store(tmp_path)
    with open(path, "r+b") as f:
        f.write(b"\x00" * 100)  # the header page is gone
    store = Store.open(path)
    try:
        assert store.integrity_check() == "ok"
        assert store.db["sessions"].count == 0
        assert store.db["event_log"].count_where("kind = 'store_recovered'") == 1
        assert store.notice is not None
    finally:
        store.close()
    assert len(damaged_copies(tmp_path)) == 1


def test_a_healthy_file_is_left_alone(tmp_path):
    path = filled_store(tmp_path)
    store = Store.open(path)
    try:
        assert store.notice is None
        assert store.db["event_log"].count == EVENTS
    finally:
        store.close()
    assert damaged_copies(tmp_path) == []


def test_only_damage_counts_as_damage():
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = 5  # SQLITE_BUSY
    assert not is_damage(locked)
    corrupt = sqlite3.DatabaseError("database disk image is malformed")
    corrupt.sqlite_errorcode = 11
    assert is_damage(corrupt)
    assert is_damage(sqlite3.DatabaseError("file is not a database"))


@pytest.mark.slow
def test_the_kiosk_starts_on_a_damaged_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = filled_store(data)
    damage_last_page(path)
    config = tmp_path / "settings.toml"
    config.write_text(f'[storage]\ndata_dir = "{data}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACECOACH_")}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--demo", "--windowed", "--max-seconds", "1", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "the data file was damaged" in result.stderr
    assert "Traceback" not in result.stderr
    store = Store.open(path)
    try:
        assert store.db["event_log"].count_where("kind = 'store_recovered'") == 1
        assert store.db["sessions"].count == SESSIONS
    finally:
        store.close()
