"""Realistic eye-care plans the simulation runs (``facecoach reminders simulate --scenario NAME``).

Each is the schedule part of a plan as a therapist writes it, read by the real parser, so the
simulation also checks that such plans pass validation.
"""

from __future__ import annotations

import tomllib

from schedules.plan_section import ScheduleSection, default_section, parse_schedule

_HEAD = """
[plan]
timezone = "Europe/London"

[eye_care]
eye = "left"
"""

_NIGHT = """
[[eye_care.items]]
id = "night_routine"
kind = "ointment"
at = "22:00"
also = ["taping"]
"""

SCENARIOS: dict[str, str] = {
    # drops every hour 08:00-20:00 and the night routine at 22:00 (the 'lost 3' plan)
    "hourly": _HEAD
    + """
[[eye_care.items]]
id = "day_drops"
kind = "drops"
every_hours = 1
from = "08:00"
until = "20:00"
"""
    + _NIGHT,
    # drops every 30 minutes: an answer at a quarter past is as near the next dose as the last one
    "half_hourly": _HEAD
    + """
[[eye_care.items]]
id = "day_drops"
kind = "drops"
every_hours = 0.5
from = "08:00"
until = "20:00"
"""
    + _NIGHT,
    # ointment at 22:00 and a separate shield reminder ten minutes later
    "ointment_then_shield": _HEAD
    + """
[[eye_care.items]]
id = "day_drops"
kind = "drops"
every_hours = 2
from = "08:00"
until = "20:00"

[[eye_care.items]]
id = "night_ointment"
kind = "ointment"
at = "22:00"

[[eye_care.items]]
id = "night_shield"
kind = "shield"
at = "22:10"
""",
    # several kinds due at the same minute
    "same_minute": _HEAD
    + """
[[eye_care.items]]
id = "day_drops"
kind = "drops"
at = ["08:00", "12:00", "16:00", "20:00", "22:00"]

[[eye_care.items]]
id = "lid_stretch"
kind = "lid_stretch"
at = ["12:00", "20:00"]

[[eye_care.items]]
id = "night_ointment"
kind = "ointment"
at = "22:00"

[[eye_care.items]]
id = "night_taping"
kind = "taping"
at = "22:00"
""",
}


def scenario_section(name: str) -> ScheduleSection:
    """The schedule of scenario ``name`` ('default' is the built-in safe plan); ValueError when unknown or refused."""
    if name == "default":
        return default_section("Europe/London", "left")
    if name not in SCENARIOS:
        raise ValueError(f"There is no scenario {name!r}; choose from default, {', '.join(SCENARIOS)}.")
    text = SCENARIOS[name]
    section, problems = parse_schedule(tomllib.loads(text), text, f"<scenario {name}>", "Europe/London")
    if problems:
        raise ValueError(f"The scenario {name} has problems: {'; '.join(str(p) for p in problems)}")
    return section
