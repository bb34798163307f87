"""The plan in force: the applied signed plan in the data folder, else the unsigned starter plan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from content import content_path
from kiosk.plan.loader import LoadResult, load_plan
from kiosk.settings import Settings
from kiosk.store import Store
from stim_hat.prescription import device_limits

PLAN_FILE = "plan.toml"


def plan_dir(settings: Settings) -> Path:
    """Where the applied signed plan (plan.toml + plan.toml.sig) lives."""
    return Path(settings.storage.data_dir).expanduser() / "plan"


def starter_plan_path() -> Path:
    return content_path("plans", "starter.toml")


def current_plan(settings: Settings, store: Store, now: datetime) -> LoadResult:
    """Load the plan the kiosk should follow now, recording the attempt; never raises for a bad file."""
    signed = plan_dir(settings) / PLAN_FILE
    path = signed if signed.exists() else starter_plan_path()
    key = Path(settings.sync.therapist_key).expanduser() if settings.sync.therapist_key else None
    return load_plan(path, store=store, public_key=key, today=now.date(), now=now, limits=device_limits(settings.hat))
