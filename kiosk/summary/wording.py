"""Plain words for the PDF and the terminal: every number with its unit, never "None", long periods in rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

NO_DATA = "no data"
DAY_ROWS_MAX = 62  # up to two months the eye-care timeline has a row per day
WEEK_ROWS_MAX_DAYS = 371  # up to a year a row per week; longer periods get a row per month
CALENDAR_WEEKS_PER_CHART = 40  # 40 weeks of calendar fit one A4 page


def num(value: float | int | None, unit: str, digits: int = 1, missing: str = NO_DATA) -> str:
    """A number with its unit ("4.2 mm"), or words when there is none."""
    if value is None:
        return missing
    text = f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    return f"{text} {unit}".strip() if unit != "%" else f"{text} %"


def share(value: float | None, missing: str = NO_DATA) -> str:
    """A 0..1 share as a percentage."""
    return missing if value is None else f"{100 * value:.0f} %"


def span(start: float | None, end: float | None, unit: str, digits: int = 1) -> str:
    """A start and end value: "3.1 mm to 4.0 mm", or "not measured"."""
    if start is None and end is None:
        return "not measured"
    return f"{num(start, unit, digits)} to {num(end, unit, digits)}"


def signed(value: float | None, unit: str, digits: int = 3) -> str:
    """A trend with its sign and unit: "+0.020 per week"."""
    return NO_DATA if value is None else f"{value:+.{digits}f} {unit}".strip()


def count(n: int, one: str, many: str | None = None) -> str:
    """ "1 session", "3 sessions"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def grain(days: int) -> str:
    """How the eye-care timeline is cut for a period of ``days``: day, week or month rows."""
    if days <= DAY_ROWS_MAX:
        return "day"
    return "week" if days <= WEEK_ROWS_MAX_DAYS else "month"


def _bucket(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def eye_care_rows(reminders: list[dict[str, Any]], unit: str) -> list[list[str]]:
    """One table row per week or month: reminders due, on time, late, missed, still open."""
    groups: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in reminders:
        day = date.fromisoformat(r["due_at"][:10])
        g = groups[_bucket(day, unit)]
        if r["outcome"] != "upcoming":
            g["due"] += 1
            g[r["outcome"]] += 1
    header = ["Week of" if unit == "week" else "Month", "Due", "On time", "Late", "Missed", "Open"]
    rows = [header]
    for start, g in sorted(groups.items()):
        label = start.isoformat() if unit == "week" else start.strftime("%Y-%m")
        rows.append([label] + [count(g[k], "reminder") for k in ("due", "on_time", "late", "missed", "open")])
    return rows


def calendar_chunks(calendar: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The adherence calendar cut into pieces of at most half a year, each starting on a Monday."""
    chunks: list[list[dict[str, Any]]] = []
    for day in calendar:
        monday = date.fromisoformat(day["date"]).weekday() == 0
        full = chunks and len(chunks[-1]) >= 7 * CALENDAR_WEEKS_PER_CHART - 6 and monday
        if not chunks or full:
            chunks.append([])
        chunks[-1].append(day)
    return chunks


def day_chunks(days: list[str]) -> list[list[str]]:
    """Days cut into pieces of at most DAY_ROWS_MAX (one timeline drawing each)."""
    return [days[i : i + DAY_ROWS_MAX] for i in range(0, len(days), DAY_ROWS_MAX)]


def windows_text(windows: list[dict[str, Any]], listed: int = 4) -> str:
    """Days with data per 30-day window: each window for a short period, the thinnest ones for a long one."""

    def one(w: dict[str, Any]) -> str:
        return f"{w['from']} to {w['to']}: {w['days_with_data']} of {count(w['days'], 'day')}"

    if len(windows) <= listed:
        return "; ".join(one(w) for w in windows)
    thinnest = sorted(windows, key=lambda w: (w["days_with_data"] / w["days"], w["from"]))[:3]
    full = sum(1 for w in windows if w["days_with_data"] == w["days"])
    return f"{count(len(windows), 'window')}, {full} with data every day; fewest: " + "; ".join(
        one(w) for w in sorted(thinnest, key=lambda w: w["from"])
    )
