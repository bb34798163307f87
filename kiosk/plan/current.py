"""The plan in force: the applied signed plan in the data folder, else the unsigned starter plan."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

from content import content_path
from kiosk.plan.inbox import InboxReport, PlanVersions, start_due
from kiosk.plan.loader import LoadResult, inbox_verifier, load_plan
from kiosk.plan.signing import SigningError, read_public_key
from kiosk.settings import Settings
from kiosk.store import Store
from schedules.zones import local_zone
from stim_hat.prescription import device_limits

PLAN_FILE = "plan.toml"
log = logging.getLogger(__name__)


def plan_dir(settings: Settings) -> Path:
    """Where the applied signed plan (plan.toml + plan.toml.sig) lives."""
    return Path(settings.storage.data_dir).expanduser() / "plan"


ZONE_LINE = re.compile(rb'^timezone = "[^"\n]*"', re.MULTILINE)


def starter_plan_path() -> Path:
    return content_path("plans", "starter.toml")


def starter_plan_bytes(zone: str) -> bytes:
    """The shipped starter plan on this kiosk's own clock: its ``timezone`` line names ``zone``.

    A new kiosk follows the starter plan until the therapist's plan comes; its drops, ointment and
    sessions are meant at the times on the kiosk's clock, wherever the kiosk is (it named
    Europe/London for every kiosk: 08:00 drops came at 03:00 in New York).
    """
    data = starter_plan_path().read_bytes()
    local, found = ZONE_LINE.subn(f'timezone = "{zone}"'.encode(), data, count=1)
    if not found:  # tests/plan/test_starter_zone.py guards the shipped file; never a reason to stop
        log.error("the starter plan has no timezone line; it keeps its own time zone")
    return local


def device_id(settings: Settings) -> str | None:
    """This kiosk's id (``fc-`` and its device key's fingerprint, as in every summary): the ``device`` a plan names.

    None (the device is then not checked, and the log says why) only when the key cannot be read or made.
    """
    from kiosk.summary import service

    try:
        return service.device_id(service.device_key(settings))
    except (OSError, ValueError) as exc:  # SummaryCryptoError is a ValueError
        log.warning("this kiosk's device key cannot be read, so plans are not checked for their device: %s", exc)
        return None


def _therapist_key(settings: Settings) -> Path | None:
    return Path(settings.sync.therapist_key).expanduser() if settings.sync.therapist_key else None


def start_due_plans(settings: Settings, store: Store, now: datetime, device: str | None) -> InboxReport:
    """Apply the kept plans whose start date has come (each checked again in full)."""
    report = InboxReport()
    versions = PlanVersions(store)
    if not versions.pending():
        return report
    key = _therapist_key(settings)
    try:
        public = read_public_key(key) if key is not None else None
    except SigningError as exc:  # the plan waits; the loader says the same about the key
        log.warning("a plan waiting for its date cannot be checked: %s", exc)
        return report
    verify = inbox_verifier(public, store, now.date(), device_limits(settings.hat), device)
    start_due(versions, verify, plan_dir(settings), now, report)
    return report


def current_plan(settings: Settings, store: Store, now: datetime) -> LoadResult:
    """Load the plan the kiosk should follow now, recording the attempt; never raises for a bad file."""
    device = device_id(settings)
    start_due_plans(settings, store, now, device)
    signed = plan_dir(settings) / PLAN_FILE
    starter = not signed.exists()
    return load_plan(
        starter_plan_path() if starter else signed,
        data=starter_plan_bytes(local_zone()) if starter else None,
        store=store,
        public_key=_therapist_key(settings),
        today=now.date(),
        now=now,
        limits=device_limits(settings.hat),
        device=device,
    )
