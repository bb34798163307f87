"""Selftest rows for the appliance: the systemd units and the last summary delivery.

Kept apart from kiosk/selftest.py (device checks) so each has one reason to change; selftest.py
gathers its rows. Both checks only look: they ask systemctl and read the
outbox table.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.selftest_row import Check
from kiosk.settings import Settings
from kiosk.store import DB_NAME, Store, StoreError

USER_UNITS = ("facecoach.service", "facecoach-sync.timer")
UNIT_STATES = {"active", "inactive", "failed", "activating", "deactivating", "reloading", "refreshing"}
UNIT_DIRS = (Path("/etc/systemd/user"), Path("~/.config/systemd/user"))
DELIVERY_OVERDUE = timedelta(days=8)  # summaries are weekly by default

Runner = Callable[[Sequence[str]], tuple[int, str]]


def run_command(argv: Sequence[str]) -> tuple[int, str]:
    """(exit code, stdout + stderr) of a short command; 127 when it cannot run."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, str(exc)
    return done.returncode, (done.stdout + done.stderr).strip()


def installed_units(dirs: Sequence[Path] = UNIT_DIRS) -> list[str]:
    """The FaceCoach user units found in the unit folders."""
    return [u for u in USER_UNITS if any((d.expanduser() / u).exists() for d in dirs)]


def check_units(run: Runner = run_command, dirs: Sequence[Path] = UNIT_DIRS) -> Check:
    """Are the kiosk service and the delivery timer installed and active?"""
    found = installed_units(dirs)
    if not found:
        return Check("services", "missing", "not installed", "Only needed on the appliance: sudo scripts/install.sh")
    if len(found) < len(USER_UNITS):
        missing = ", ".join(u for u in USER_UNITS if u not in found)
        return Check("services", "problem", f"{missing} not installed", "Run sudo scripts/install.sh again.")
    if shutil.which("systemctl") is None and run is run_command:
        return Check("services", "problem", "systemctl not found", "")
    code, out = run(["systemctl", "--user", "is-active", *USER_UNITS])
    states = out.splitlines()
    if len(states) != len(USER_UNITS) or not set(states) <= UNIT_STATES:
        return Check("services", "problem", f"cannot ask systemd: {out[:60]}", "Run this as the kiosk user.")
    detail = ", ".join(f"{u} {s}" for u, s in zip(USER_UNITS, states, strict=True))
    if code == 0:
        return Check("services", "found", detail)
    hint = "See: journalctl --user -u facecoach.service -n 50"
    return Check("services", "problem", detail, hint)


def _parse(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        value = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def check_delivery(settings: Settings, now: datetime) -> Check:
    """When was a summary last delivered, and how many wait in the outbox?"""
    if settings.sync.target == "none":
        return Check("summary delivery", "missing", "no delivery target", "Set [sync] target in the settings.")
    try:
        store = Store.open(Path(settings.storage.data_dir).expanduser() / DB_NAME)
    except StoreError as exc:
        return Check("summary delivery", "problem", str(exc)[:80], "")
    try:
        with store.lock:
            last, waiting = store.db.execute(
                "SELECT max(delivered_at), sum(delivered_at IS NULL) FROM outbox"
            ).fetchone()
    finally:
        store.close()
    waiting = int(waiting or 0)
    delivered = _parse(last)
    when = delivered.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M") if delivered else "never"
    detail = f"last sent {when}, {waiting} waiting"
    if waiting and (delivered is None or now - delivered > DELIVERY_OVERDUE):
        return Check("summary delivery", "problem", detail, "Check the network and run: facecoach sync")
    return Check("summary delivery", "found", detail)
