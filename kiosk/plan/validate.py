"""The one plan validator: every section of a parsed plan against its schema, ranges and known ids.

``plan verify``, ``sync``, the inbox and the loader all reach it through
``kiosk.plan.loader.evaluate``. Each section keeps one owner: ``[[exercises]]`` is checked
against the content library's schema (``content.schema.PLAN_EXERCISE``), the schedule, eye care,
reminders and summary cadence by ``schedules.plan_section.parse_schedule``, ``[stimulation]`` by
``stim_hat.prescription.parse_prescription``. This module adds the plan-wide rules (known
sections, finite and bounded numbers) and turns every finding into ``file:line: field: reason``.
A plan that passes is one the kiosk can run without failing later.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from content.lines import field_lines, line_of
from content.rules import plan_exercise_rules
from content.schema import PLAN_EXERCISE, Field
from content.validate import validate
from kiosk.baseline import progress_problems
from kiosk.plan.model import Plan
from kiosk.settings import Problem, suggest
from schedules.plan_section import ScheduleSection, parse_schedule
from stim_hat.prescription import DeviceLimits, Prescription, parse_prescription

# Every top-level name a plan may use, with the TOML shape it must have.
SECTIONS: dict[str, type] = {
    "plan": dict,
    "sessions": list,
    "exercises": list,
    "eye_care": dict,
    "reminders": dict,
    "stimulation": dict,
    "summary": dict,
    "progress": dict,  # optional: baseline_every_weeks (kiosk/baseline.py)
}
_SHAPE = {dict: "a [{name}] table", list: "a list of [[{name}]] tables"}
LARGEST_NUMBER = 1_000_000  # no plan value comes near this; bigger is a typo (or an attack)
_EXERCISES = Field("table list", "The planned exercises.", fields=PLAN_EXERCISE)


@dataclass(frozen=True)
class Checked:
    """The sections other parts read, and every problem found (none: the plan may be run)."""

    problems: list[Problem] = field(default_factory=list)
    stimulation: Prescription = Prescription()
    schedule: ScheduleSection | None = None


def check_plan(
    plan: Plan, text: str, filename: str, limits: DeviceLimits, library: dict[str, dict[str, Any]]
) -> Checked:
    """Check every section of ``plan`` (its ``text`` gives the lines); ``library`` maps exercise id to stages."""
    lines = field_lines(text)

    def at(findings: list[tuple[str, str]]) -> list[Problem]:
        return [Problem(filename, line_of(lines, path), path, message) for path, message in findings]

    problems = at(_sections(plan.raw)) + at(_numbers(plan.raw, ""))
    if problems:  # the section parsers expect the right shapes
        return Checked(_unique(problems))
    problems += at(_exercises(plan.raw, plan.stage, library))
    problems += at(progress_problems(plan.raw))
    try:
        schedule, found = parse_schedule(plan.raw, text, filename, default_timezone=plan.timezone)
    except (AttributeError, TypeError, ValueError) as exc:  # a shape the schedule parser did not expect
        schedule, found = None, [Problem(filename, 1, "(schedule)", f"cannot be read: {exc}")]
    problems += found
    rx, found = parse_prescription(plan.raw, limits, filename=filename, lines=plan.lines)
    problems += found
    return Checked(_unique(problems), rx, schedule)


def _sections(raw: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for name, value in raw.items():
        shape = SECTIONS.get(name)
        if shape is None:
            found.append((name, f"unknown section{suggest(name, SECTIONS)} (known: {', '.join(SECTIONS)})"))
        elif not isinstance(value, shape) or (shape is list and not all(isinstance(v, dict) for v in value)):
            found.append((name, "must be " + _SHAPE[shape].format(name=name)))
    return found


def _numbers(value: Any, path: str) -> list[tuple[str, str]]:
    """Every number that is not finite or is absurdly large, wherever it is written."""
    if isinstance(value, dict):
        return [f for key, item in value.items() for f in _numbers(item, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        return [f for i, item in enumerate(value, start=1) for f in _numbers(item, f"{path}[{i}]")]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return []
    if isinstance(value, float) and not math.isfinite(value):
        return [(path, f"must be a finite number, got {value!r}")]
    if abs(value) > LARGEST_NUMBER and not path.startswith("plan."):  # [plan].version has its own bound
        return [(path, f"is far too large ({value!r}); no plan value is above {LARGEST_NUMBER:,}")]
    return []


def _exercises(raw: dict[str, Any], stage: str, library: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    items = raw.get("exercises")
    if not items:
        return [("exercises", "the plan needs at least one [[exercises]] table")]
    found = validate({"exercises": items}, {"exercises": _EXERCISES})
    return found or plan_exercise_rules(items, library, stage)


def _unique(problems: list[Problem]) -> list[Problem]:
    """One problem per field (the first, most specific one found)."""
    seen: set[str] = set()
    out = []
    for problem in problems:
        if problem.field not in seen:
            seen.add(problem.field)
            out.append(problem)
    return out
