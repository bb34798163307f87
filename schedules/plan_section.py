"""The plan sections schedules/ owns: [[sessions]], [eye_care], [[eye_care.items]], [reminders], [summary].

Takes the plan's decoded dict (``plan.raw``) and, for line numbers, its text. Returns frozen
dataclasses plus problems. It is strict: an unknown key, kind, time, zone or impossible interval,
a section of the wrong type or a misspelt section name is a problem (``file:line: field: reason``)
and the plan validator refuses a plan with any. The section returned alongside is still safe to
run (wrong values fall back to safe defaults, and an eye that needs care always gets at least
drops by day and the night routine), so nothing crashes on a bad plan.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field, replace
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from schedules.escalation import ReminderPolicy

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
KINDS = ("drops", "ointment", "taping", "shield", "lid_stretch", "custom")
NIGHT_KINDS = ("ointment", "taping", "shield")
EYES = ("left", "right", "both", "none")
# The keys each table may have; anything else is a problem (a typo must not silently drop care).
SESSION_KEYS = ("id", "days", "time", "window_minutes")
EYE_CARE_KEYS = ("eye", "items")
ITEM_KEYS = ("id", "kind", "at", "every_hours", "from", "until", "days", "also", "say", "night")
SUMMARY_KEYS = ("every", "day", "time")
OWN_SECTIONS = ("sessions", "eye_care", "reminders", "summary")
# Top-level sections other packages own (kiosk/plan, content, stim_hat): not ours to judge.
OTHER_SECTIONS = ("plan", "exercises", "stimulation")
# (lowest, highest) allowed for each [reminders] number; outside it the default is kept.
POLICY_LIMITS: dict[str, tuple[int, int]] = {
    "announce_ahead_minutes": (0, 30),
    "repeat_every_minutes": (1, 15),
    "caregiver_after_minutes": (5, 30),
    "catch_up_minutes": (15, 240),
    "snooze_minutes": (0, 10),
    "max_snoozes": (0, 3),
}


@dataclass(frozen=True)
class Problem:
    """One problem in the plan's schedule: file, line, field and reason (as kiosk.settings.Problem)."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class SessionSlot:
    """An exercise session: which weekdays (0 = Monday), at what local time, how long it counts as on time."""

    id: str
    days: tuple[int, ...]
    at: time
    window_minutes: int = 120


@dataclass(frozen=True)
class EyeCareItem:
    """One protected eye-care item and the local times of day it falls due."""

    id: str
    kind: str
    times: tuple[time, ...]
    days: tuple[int, ...] = tuple(range(7))
    also: tuple[str, ...] = ()
    say: str = ""
    night: bool = False


@dataclass(frozen=True)
class SummaryTime:
    """When the therapist summary is built: 'daily' or 'weekly' on ``day``, at ``at``."""

    every: str = "weekly"
    day: int = 6
    at: time = time(20, 0)


@dataclass(frozen=True)
class ScheduleSection:
    """Everything schedules/ reads from the plan."""

    timezone: str = "UTC"
    eye: str = "none"
    sessions: tuple[SessionSlot, ...] = ()
    items: tuple[EyeCareItem, ...] = ()
    policy: ReminderPolicy = field(default_factory=ReminderPolicy)
    summary: SummaryTime = field(default_factory=SummaryTime)


DEFAULT_ITEMS = (
    EyeCareItem("day_drops", "drops", tuple(time(h) for h in range(8, 21, 2))),
    EyeCareItem("night_routine", "ointment", (time(22, 0),), also=("taping",), night=True),
)


def default_section(timezone: str = "UTC", eye: str = "both") -> ScheduleSection:
    """The built-in safe plan section: drops every 2 hours 08:00-20:00, ointment and taping at 22:00."""
    return ScheduleSection(
        timezone=timezone,
        eye=eye,
        sessions=(SessionSlot("morning", tuple(range(7)), time(10, 0)),),
        items=DEFAULT_ITEMS if eye != "none" else (),
    )


def safe_floor(section: ScheduleSection) -> ScheduleSection:
    """A schedule that had problems, made safe to run: its good items stay, and the default day drops
    and night routine are added when it has none of its own (an eye that needs care is never left without)."""
    if section.eye == "none":
        return section
    ids = {item.id for item in section.items}
    day, night = DEFAULT_ITEMS
    added = []
    if not any(item.kind == "drops" for item in section.items):
        added.append(day if day.id not in ids else replace(day, id="safe_" + day.id))
    if not any(item.night for item in section.items):
        added.append(night if night.id not in ids else replace(night, id="safe_" + night.id))
    return replace(section, items=section.items + tuple(added))


class _Reader:
    """Collects problems with file, line and field while reading values."""

    def __init__(self, text: str, filename: str) -> None:
        self.filename = filename
        self.lines = _locate(text)
        self.problems: list[Problem] = []

    def problem(self, dotted: str, message: str) -> None:
        line = self.lines.get(dotted) or self.lines.get(dotted.rsplit(".", 1)[0], 1)
        self.problems.append(Problem(self.filename, line, dotted, message))

    def clock(self, value: Any, dotted: str) -> time | None:
        if isinstance(value, time) and value.second == 0 and value.microsecond == 0:
            return value.replace(tzinfo=None)
        if isinstance(value, str) and (m := re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value)):
            return time(int(m.group(1)), int(m.group(2)))
        self.problem(dotted, f'must be a time like "08:00", got {value!r}')
        return None

    def table(self, value: Any, dotted: str) -> dict[str, Any]:
        """``value`` when it is a table, else a problem and an empty table (its defaults)."""
        if isinstance(value, dict):
            return value
        self.problem(dotted, f"must be a table [{dotted}], got {value!r}")
        return {}

    def keys(self, table: dict[str, Any], allowed: tuple[str, ...], dotted: str) -> None:
        """One problem per key the table may not have, with the nearest allowed one."""
        for key in table:
            if key not in allowed:
                near = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f' (did you mean "{near[0]}"?)' if near else f"; allowed: {', '.join(allowed)}"
                self.problem(f"{dotted}.{key}", f"unknown key{hint}")

    def days(self, value: Any, dotted: str) -> tuple[int, ...] | None:
        if value is None:
            return tuple(range(7))
        if not isinstance(value, list) or not value or any(str(d).lower() not in _DAY_NAMES for d in value):
            wrong = [str(d) for d in value if str(d).lower() not in _DAY_NAMES] if isinstance(value, list) else []
            which = "; ".join(f'"{d}" is not a day{_near_day(d)}' for d in wrong)
            self.problem(
                dotted,
                f"must be a list of days from {', '.join(DAYS)}, got {value!r}" + (f": {which}" if which else ""),
            )
            return None
        return tuple(sorted({DAYS.index(str(d).lower()[:3]) for d in value}))


# Day names a plan may use: "mon" or "monday" (any case).
_DAY_NAMES = {*DAYS, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _near_day(word: str) -> str:
    """' (did you mean "tue"?)' for a near miss of a day's name ("tues", "thurs"), else ''."""
    near = difflib.get_close_matches(word.lower(), DAYS, n=1, cutoff=0.5)
    return f' (did you mean "{near[0]}"?)' if near else ""


def parse_schedule(
    raw: dict[str, Any], text: str = "", filename: str = "<plan>", default_timezone: str = "UTC"
) -> tuple[ScheduleSection, list[Problem]]:
    """Read the schedule sections of a decoded plan; never fails, lists every problem."""
    r = _Reader(text, filename)
    _sections_named(r, raw)
    head = raw.get("plan", {})
    timezone = _timezone(r, head.get("timezone", default_timezone) if isinstance(head, dict) else default_timezone)
    sessions = tuple(s for i, entry in enumerate(_tables(r, raw, "sessions")) if (s := _session(r, entry, i)))
    eye_care = r.table(raw.get("eye_care", {}), "eye_care")
    r.keys(eye_care, EYE_CARE_KEYS, "eye_care")
    eye = eye_care.get("eye", "both" if "eye_care" in raw else "none")
    if eye not in EYES:
        r.problem("eye_care.eye", f"must be one of {', '.join(EYES)}, got {eye!r}; treated as 'both'")
        eye = "both"
    entries = eye_care.get("items", [])
    items = tuple(it for i, entry in enumerate(_listed(r, entries, "eye_care.items")) if (it := _item(r, entry, i)))
    if eye != "none" and not items:
        items = DEFAULT_ITEMS
    ids = [it.id for it in items]
    if len(set(ids)) != len(ids):
        r.problem("eye_care.items", f"item ids must differ, got {ids}")
    section = ScheduleSection(
        timezone=timezone,
        eye=eye,
        sessions=sessions,
        items=items,
        policy=_policy(r, r.table(raw.get("reminders", {}), "reminders")),
        summary=_summary(r, r.table(raw.get("summary", {}), "summary")),
    )
    return section, r.problems


def _sections_named(r: _Reader, raw: dict[str, Any]) -> None:
    """A top-level name that looks like one of ours but is not ([eye-care], [Reminders]) is a problem."""
    for name in raw:
        if name in OWN_SECTIONS or name in OTHER_SECTIONS:
            continue
        plain = str(name).lower().replace("-", "_").replace(" ", "_")
        near = [s for s in OWN_SECTIONS if s == plain or s == plain + "s"] or difflib.get_close_matches(
            plain, OWN_SECTIONS, n=1, cutoff=0.75
        )
        if near:
            r.problem(str(name), f"unknown section (did you mean [{near[0]}]?); it would be ignored")


def _timezone(r: _Reader, name: Any) -> str:
    try:
        if not isinstance(name, str) or not name:
            raise ValueError(name)
        ZoneInfo(name)
        return name
    except (ZoneInfoNotFoundError, ValueError, OSError):
        r.problem("plan.timezone", f"unknown time zone {name!r}; using UTC")
        return "UTC"


def _tables(r: _Reader, raw: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return _listed(r, raw.get(name, []), name)


def _listed(r: _Reader, value: Any, dotted: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        r.problem(dotted, f"must be a list of [[{dotted}]] tables")
        return []
    return value


def _session(r: _Reader, entry: dict[str, Any], i: int) -> SessionSlot | None:
    where = f"sessions[{i}]"
    r.keys(entry, SESSION_KEYS, where)
    at = r.clock(entry.get("time"), f"{where}.time")
    days = r.days(entry.get("days"), f"{where}.days")
    window = entry.get("window_minutes", 120)
    if not isinstance(window, int) or isinstance(window, bool) or not 10 <= window <= 720:
        r.problem(f"{where}.window_minutes", f"must be a whole number from 10 to 720, got {window!r}")
        window = 120
    if at is None or days is None:
        return None
    return SessionSlot(str(entry.get("id", f"session_{i + 1}")), days, at, window)


def _item(r: _Reader, entry: dict[str, Any], i: int) -> EyeCareItem | None:
    where = f"eye_care.items[{i}]"
    r.keys(entry, ITEM_KEYS, where)
    kind = entry.get("kind", "")
    if kind not in KINDS:
        r.problem(f"{where}.kind", f"must be one of {', '.join(KINDS)} exactly, got {kind!r}")
        return None
    times = _item_times(r, entry, where)
    days = r.days(entry.get("days"), f"{where}.days")
    also = entry.get("also", [])
    if not isinstance(also, list) or any(a not in KINDS for a in also):
        r.problem(f"{where}.also", f"must be a list of kinds from {', '.join(KINDS)}, got {also!r}")
        also = []
    if not times or days is None:
        return None
    night = entry.get("night", kind in NIGHT_KINDS)
    if not isinstance(night, bool):
        r.problem(f"{where}.night", f"must be true or false, got {night!r}")
        night = kind in NIGHT_KINDS
    ident = str(entry.get("id", f"{kind}_{i + 1}"))
    return EyeCareItem(ident, kind, times, days, tuple(also), str(entry.get("say", "")), night)


def _item_times(r: _Reader, entry: dict[str, Any], where: str) -> tuple[time, ...]:
    if "at" in entry:
        values = entry["at"] if isinstance(entry["at"], list) else [entry["at"]]
        found = [r.clock(v, f"{where}.at") for v in values]
        return tuple(sorted({t for t in found if t is not None}))
    every = entry.get("every_hours")
    if (
        not isinstance(every, int | float)
        or isinstance(every, bool)
        or not math.isfinite(every)
        or not 0.5 <= every <= 12
    ):
        r.problem(f"{where}.every_hours", f"needs 'at' or 'every_hours' from 0.5 to 12, got {every!r}")
        return ()
    start = r.clock(entry.get("from", "08:00"), f"{where}.from")
    until = r.clock(entry.get("until", "20:00"), f"{where}.until")
    if start is None or until is None:
        return ()
    first, last, step = start.hour * 60 + start.minute, until.hour * 60 + until.minute, round(every * 60)
    if last < first:
        r.problem(f"{where}.until", "must be later than 'from' on the same day")
        return ()
    return tuple(time(m // 60, m % 60) for m in range(first, last + 1, step))


def _policy(r: _Reader, table: dict[str, Any]) -> ReminderPolicy:
    r.keys(table, tuple(POLICY_LIMITS), "reminders")
    values: dict[str, int] = {}
    for name, (low, high) in POLICY_LIMITS.items():
        if name not in table:
            continue
        value = table[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            r.problem(f"reminders.{name}", f"must be a whole number from {low} to {high}, got {value!r}")
            continue
        values[name] = value
    policy = ReminderPolicy(**values)
    if policy.catch_up_minutes <= policy.caregiver_after_minutes:
        r.problem("reminders.catch_up_minutes", "must be longer than caregiver_after_minutes; defaults used")
        policy = ReminderPolicy(**{k: v for k, v in values.items() if k not in ("catch_up_minutes",)})
        if policy.catch_up_minutes <= policy.caregiver_after_minutes:
            policy = ReminderPolicy()
    return policy


def _summary(r: _Reader, table: dict[str, Any]) -> SummaryTime:
    r.keys(table, SUMMARY_KEYS, "summary")
    every = table.get("every", "weekly")
    if every not in ("daily", "weekly"):
        r.problem("summary.every", f"must be daily or weekly, got {every!r}")
        every = "weekly"
    day = str(table.get("day", "sun")).lower()
    if day not in _DAY_NAMES:
        r.problem("summary.day", f"must be one of {', '.join(DAYS)}, got {table.get('day')!r}")
        day = "sun"
    day = day[:3]
    at = r.clock(table.get("time", "20:00"), "summary.time") or time(20, 0)
    return SummaryTime(every, DAYS.index(day), at)


def _locate(text: str) -> dict[str, int]:
    """Map 'table.key' (arrays as 'sessions[1].time') to the 1-based line where it is written."""
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        if m := re.match(r"^\s*\[\[\s*([A-Za-z0-9_.\-]+)\s*\]\]", raw):
            name = m.group(1)
            counts[name] = counts.get(name, 0) + 1
            table = f"{name}[{counts[name] - 1}]"
            lines.setdefault(table, number)
        elif m := re.match(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]", raw):
            table = m.group(1)
            lines.setdefault(table, number)
        elif m := re.match(r"^\s*([A-Za-z0-9_\-]+)\s*=", raw):
            lines.setdefault(f"{table}.{m.group(1)}" if table else m.group(1), number)
    return lines
