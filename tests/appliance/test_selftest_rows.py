"""Selftest rows for the appliance: services, summary delivery, and a repaired store."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.selftest import check_storage, run_checks
from kiosk.selftest_appliance import USER_UNITS, check_delivery, check_units, run_command
from kiosk.settings import Settings, with_overrides
from kiosk.store import DB_NAME, Store
from tests.appliance.test_power_cut import damage_last_page, filled_store

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def unit_dir(tmp_path) -> Path:
    folder = tmp_path / "user-units"
    folder.mkdir()
    for unit in USER_UNITS:
        (folder / unit).write_text("[Unit]\n")
    return folder


def answering(code: int, out: str):
    calls: list[list[str]] = []

    def run(argv):
        calls.append(list(argv))
        return code, out

    run.calls = calls
    return run


def test_units_not_installed(tmp_path):
    row = check_units(answering(0, "active\nactive"), dirs=[tmp_path])
    assert (row.part, row.state) == ("services", "missing")
    assert "scripts/install.sh" in row.hint


def test_units_installed_and_active(unit_dir):
    run = answering(0, "active\nactive")
    row = check_units(run, dirs=[unit_dir])
    assert row.state == "found"
    assert row.detail == "facecoach.service active, facecoach-sync.timer active"
    assert run.calls == [["systemctl", "--user", "is-active", *USER_UNITS]]


def test_a_failed_kiosk_unit_is_a_problem(unit_dir):
    row = check_units(answering(3, "failed\nactive"), dirs=[unit_dir])
    assert row.state == "problem"
    assert "facecoach.service failed" in row.detail
    assert "journalctl" in row.hint


def test_a_missing_unit_file_is_a_problem(unit_dir):
    (unit_dir / "facecoach-sync.timer").unlink()
    row = check_units(answering(0, "active\nactive"), dirs=[unit_dir])
    assert row.state == "problem" and "facecoach-sync.timer not installed" in row.detail


@pytest.mark.skipif(shutil.which("systemctl") is None, reason="systemctl is not installed")
def test_real_systemctl_without_a_user_manager_is_reported_not_raised(unit_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "no-runtime"))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    row = check_units(run_command, dirs=[unit_dir])
    assert row.state == "problem"
    assert row.detail.startswith("cannot ask systemd")


def settings_for(folder: Path, target: str = "folder") -> Settings:
    return with_overrides(Settings(), storage={"data_dir": str(folder)}, sync={"target": target, "folder": "/x"})


def add_outbox(folder: Path, rows: list[dict]) -> None:
    store = Store.open(folder / DB_NAME)
    try:
        with store.write() as db:
            db["outbox"].insert_all(rows)
    finally:
        store.close()


def test_delivery_without_a_target(tmp_path):
    row = check_delivery(settings_for(tmp_path, "none"), NOW)
    assert row.state == "missing" and "[sync] target" in row.hint


def test_delivery_recent_is_found(tmp_path):
    add_outbox(
        tmp_path,
        [
            {"name": "w09", "delivered_at": "2026-03-03T09:00:00+00:00"},
            {"name": "w10", "delivered_at": "2026-03-09T09:30:00+00:00"},
            {"name": "w11", "delivered_at": None},
        ],
    )
    row = check_delivery(settings_for(tmp_path), NOW)
    assert row.state == "found"
    assert row.detail == "last sent 2026-03-09 09:30, 1 waiting"


def test_delivery_stuck_for_over_a_week_is_a_problem(tmp_path):
    add_outbox(
        tmp_path,
        [{"name": "w08", "delivered_at": "2026-02-20T09:00:00+00:00"}, {"name": "w09", "delivered_at": None}],
    )
    row = check_delivery(settings_for(tmp_path), NOW)
    assert row.state == "problem"
    assert "facecoach sync" in row.hint


def test_never_delivered_with_summaries_waiting_is_a_problem(tmp_path):
    add_outbox(tmp_path, [{"name": "w09", "delivered_at": None}])
    row = check_delivery(settings_for(tmp_path), NOW)
    assert (row.state, row.detail) == ("problem", "last sent never, 1 waiting")


def test_storage_row_says_when_the_file_was_just_repaired(tmp_path):
    damage_last_page(filled_store(tmp_path))
    row = check_storage(settings_for(tmp_path))
    assert row.state == "problem"
    assert "repaired" in row.detail and "power cut" in row.hint
    assert check_storage(settings_for(tmp_path)).state == "found"  # healthy from then on


def test_the_table_has_the_appliance_rows(tmp_path):
    parts = [row.part for row in run_checks(settings_for(tmp_path), "fake", NOW)]
    assert parts[-3:] == ["services", "summary delivery", "caregiver alerts"]
    assert "storage" in parts and "clock" in parts and "disk space" in parts
