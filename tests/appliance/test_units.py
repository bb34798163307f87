"""The systemd units pass `systemd-analyze verify` and say what the appliance needs."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

UNITS = REPO / "systemd"
INSTALL_ROOT = "/opt/facecoach"
USER_UNITS = ["facecoach.service", "facecoach-alert@.service", "facecoach-sync.service", "facecoach-sync.timer"]
SYSTEM_UNITS = ["facecoach-display.service"]

needs_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian package 'systemd'; scripts/setup.sh --test adds it)",
)


def read_unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(UNITS / name)
    return parser


def staged_units(tmp_path: Path) -> Path:
    """The units with /opt/facecoach pointing at this checkout, so verify can check every command."""
    root = tmp_path / "opt-facecoach"
    root.mkdir()
    (root / ".venv").symlink_to(REPO / ".venv")
    (root / "systemd").symlink_to(UNITS)
    out = tmp_path / "units"
    out.mkdir()
    for name in USER_UNITS + SYSTEM_UNITS:
        (out / name).write_text((UNITS / name).read_text().replace(INSTALL_ROOT, str(root)))
    return out


def verify(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "SYSTEMD_LOG_LEVEL": "notice"}
    return subprocess.run(["systemd-analyze", *args], capture_output=True, text=True, env=env, timeout=60)


@needs_analyze
def test_user_units_verify(tmp_path):
    staged = staged_units(tmp_path)
    result = verify(["--user", "verify", *(str(staged / n) for n in USER_UNITS)], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == "", result.stderr


@needs_analyze
def test_display_unit_verifies(tmp_path):
    if not Path("/usr/bin/cage").exists():
        pytest.skip("cage is not installed (Debian package 'cage'; scripts/setup.sh --test adds it)")
    staged = staged_units(tmp_path)
    result = verify(["verify", str(staged / "facecoach-display.service")], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == "", result.stderr


@needs_analyze
def test_verify_would_catch_a_broken_unit(tmp_path):
    """verify exits 0 on a bad value but says so on stderr, which is why the tests above want it empty."""
    staged = staged_units(tmp_path)
    broken = staged / "facecoach.service"
    broken.write_text(broken.read_text().replace("Type=notify", "Type=notifyy").replace("WatchdogSec", "WatchdogSecc"))
    result = verify(["--user", "verify", str(broken)], tmp_path)
    # systemd 252 (Debian 12) says "Failed to parse service type", 257 (Debian 13) "Failed to parse Type=".
    assert "Failed to parse service type" in result.stderr or "Failed to parse Type=notifyy" in result.stderr
    assert "Unknown key 'WatchdogSecc'" in result.stderr


def test_kiosk_unit_has_the_safety_settings():
    unit = read_unit("facecoach.service")
    service, section = unit["Service"], unit["Unit"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "main"
    assert service["WatchdogSec"] == "30s"
    assert service["Restart"] == "on-failure"
    assert service["ExecStopPost"].endswith("facecoach hat-off")
    assert service["ExecStartPre"].endswith("facecoach hat-off")
    assert section["OnFailure"] == "facecoach-alert@%n.service"
    assert section["StartLimitBurst"] == "5"
    assert section["StartLimitIntervalSec"] == "10min"


def test_sync_timer_runs_the_sync_command():
    assert read_unit("facecoach-sync.service")["Service"]["ExecStart"].endswith("facecoach sync")
    timer = read_unit("facecoach-sync.timer")
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_display_unit_runs_the_session_in_cage_as_the_kiosk_user():
    service = read_unit("facecoach-display.service")["Service"]
    assert service["User"] == "facecoach"
    assert service["ExecStart"].startswith("/usr/bin/cage ")
    assert service["ExecStart"].endswith(f"{INSTALL_ROOT}/systemd/facecoach-session")
    assert os.access(UNITS / "facecoach-session", os.X_OK)
    assert os.access(UNITS / "facecoach-alert", os.X_OK)


def test_scripts_are_valid_shell():
    for name in ("facecoach-session", "facecoach-alert"):
        result = subprocess.run(["sh", "-n", str(UNITS / name)], capture_output=True, text=True)
        assert result.returncode == 0, f"{name}: {result.stderr}"
