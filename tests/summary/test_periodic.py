"""The summary the kiosk builds on its own (`facecoach sync`), on real SQLite files, keys and a folder target."""

import errno
import json
from datetime import datetime, timedelta

import pytest

from kiosk.cli import main
from kiosk.plan.signing import PRIVATE_NAME
from kiosk.settings_files import load_settings
from kiosk.store import DB_NAME, Store
from kiosk.summary import outbox as outbox_module
from kiosk.summary.periodic import build_due, first_day, last_period_end

PLAN = '[plan]\npatient = "P-4B1C"\n'


@pytest.fixture
def kiosk(setup):
    """The folder-target set-up, and a store where a plan was applied ten days ago."""
    tmp_path, config, share = setup
    now = datetime.now().astimezone()
    store = Store.open(tmp_path / "data" / DB_NAME)
    with store.critical() as db:
        db["plan_versions"].insert(
            {"version": 1, "applied_at": (now - timedelta(days=10)).isoformat(), "status": "applied", "text": PLAN}
        )
        for back in (9, 5, 2):
            day = (now - timedelta(days=back)).isoformat()
            db["sessions"].insert({"planned_for": day, "started_at": day, "status": "done", "minutes": 11.0})
    store.close()
    return tmp_path, config, share, now


def _opened(path, tmp_path) -> dict:
    from kiosk.summary.crypto import open_container, read_signing_key

    key = read_signing_key(tmp_path / "therapist" / PRIVATE_NAME)
    return json.loads(open_container(path.read_bytes(), key).payload)


def test_sync_builds_the_due_summary_once_and_delivers_it(kiosk, capsys):
    tmp_path, config, share, now = kiosk
    assert main(["sync", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    first, last = (now - timedelta(days=10)).date(), (now - timedelta(days=1)).date()
    assert f"Built the summary for {first} to {last} (every 7 days): 3 files queued." in out and "3 delivered" in out
    delivered = sorted(share.glob("*.fcsum"))
    assert len(delivered) == 3
    summary = _opened(next(p for p in delivered if "summary.json" in p.name), tmp_path)
    assert summary["period"]["from"] == first.isoformat() and summary["period"]["to"] == last.isoformat()
    assert summary["patient"] == "P-4B1C" and summary["synthetic"] is False
    assert main(["sync", "--config", str(config)]) == 0  # the timer runs hourly: nothing new is due
    out = capsys.readouterr().out
    assert "Built" not in out and "0 delivered" in out and len(list(share.glob("*.fcsum"))) == 3
    store = Store.open(tmp_path / "data" / DB_NAME)
    events = [r["kind"] for r in store.db["event_log"].rows]
    assert events.count("summary_built") == 1 and last_period_end(store) == last
    store.close()


def test_the_next_summary_follows_on_without_a_gap(kiosk):
    tmp_path, config, _, now = kiosk
    settings = load_settings(str(config)).settings
    store = Store.open(tmp_path / "data" / DB_NAME)
    assert first_day(store, now.tzinfo) == (now - timedelta(days=10)).date()
    first = build_due(settings, store, now).built
    assert first is not None and build_due(settings, store, now + timedelta(days=6)).built is None
    second = build_due(settings, store, now + timedelta(days=7)).built
    assert second is not None and second.start == first.end + timedelta(days=1)
    assert (second.end - second.start).days == 6
    rows = list(store.db["summary_periods"].rows_where(order_by="id"))
    assert [(r["period_from"], r["period_to"]) for r in rows] == [
        (first.start.isoformat(), first.end.isoformat()),
        (second.start.isoformat(), second.end.isoformat()),
    ]
    assert len(list(store.db["outbox"].rows)) == 6
    store.close()


def test_a_full_disk_loses_no_period_it_is_built_next_time(kiosk, capsys, monkeypatch):
    tmp_path, config, share, _ = kiosk

    def disk_full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outbox_module, "write_atomically", disk_full)
    assert main(["sync", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "The summary that is due could not be built" in err and "No space left" in err
    store = Store.open(tmp_path / "data" / DB_NAME)
    assert last_period_end(store) is None  # not recorded as done
    store.close()
    monkeypatch.undo()
    assert main(["sync", "--config", str(config)]) == 0
    assert "Built the summary" in capsys.readouterr().out and len(list(share.glob("*.fcsum"))) == 3


def test_no_build_only_delivers(kiosk, capsys):
    _, config, share, _ = kiosk
    assert main(["sync", "--config", str(config), "--no-build"]) == 0
    assert "Built" not in capsys.readouterr().out and not list(share.glob("*.fcsum"))


def _apply_plan(tmp_path, text: str) -> None:
    store = Store.open(tmp_path / "data" / DB_NAME)
    with store.critical() as db:
        db["plan_versions"].insert(
            {"version": 2, "applied_at": datetime.now().astimezone().isoformat(), "status": "applied", "text": text}
        )
    store.close()


def test_the_plan_in_force_sets_the_cadence(kiosk, capsys):
    tmp_path, config, share, now = kiosk
    _apply_plan(tmp_path, PLAN + '\n[summary]\nevery = "daily"\ntime = "00:00"\n')
    assert main(["sync", "--config", str(config)]) == 0
    assert "(every day at 00:00)" in capsys.readouterr().out


def test_a_bad_summary_section_is_named_and_a_safe_cadence_used(kiosk, capsys):
    tmp_path, config, _, _ = kiosk
    _apply_plan(tmp_path, PLAN + '\n[summary]\nevery = "monthly"\n')
    assert main(["sync", "--config", str(config)]) == 0
    err = capsys.readouterr().err
    assert "plan: [summary] every = 'monthly': use 'daily' or 'weekly'." in err
    assert "The summary is built every sun at 20:00." in err
