"""The content library as the plan tools need it (reads content/exercises): stages, names, default doses."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from content.loader import load_exercises
from kiosk.plan.describe import Dose, Outline, outline
from kiosk.plan.model import Plan
from schedules.plan_section import parse_schedule
from stim_hat.prescription import Prescription


@lru_cache(maxsize=4)
def library_stages(lang: str = "en") -> dict[str, dict[str, Any]]:
    """id -> {"stages": [...], "name": ...}, as the content rules read it."""
    return {ex.id: {"stages": list(ex.stages), "name": ex.name} for ex in load_exercises(lang).values()}


def names(lang: str = "en") -> dict[str, str]:
    """id -> the exercise's name in ``lang``."""
    return {i: str(v["name"]) for i, v in library_stages(lang).items()}


def default_doses() -> dict[str, Dose]:
    """id -> the library's own dose (used where the plan gives none)."""
    return {ex.id: Dose(ex.id, ex.reps, ex.hold_seconds, ex.rest_seconds) for ex in load_exercises().values()}


def outline_of(plan: Plan, rx: Prescription) -> Outline:
    """The outline of a plan that passed the checks (its schedule read again from ``plan.raw``)."""
    schedule, _ = parse_schedule(plan.raw, "", "<plan>", default_timezone=plan.timezone)
    return outline(plan, schedule, rx, default_doses())
