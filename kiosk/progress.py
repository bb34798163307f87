"""Weekly movement and symmetry per exercise, from stored exercise results (pure aggregation)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from coach.sunnybrook import period_symmetry, symmetry_ratio


@dataclass(frozen=True)
class WeekPoint:
    """One week's averages for one exercise (estimates from the camera)."""

    week_start: date
    left_pct: float
    right_pct: float
    symmetry: float  # weaker / stronger, 0..1
    sessions: int


def weekly_progress(rows: list[dict[str, Any]], weeks: int, today: date) -> dict[str, list[WeekPoint]]:
    """Group measured results by exercise and ISO week (the last ``weeks`` weeks up to ``today``)."""
    groups: dict[tuple[str, date], list[tuple[float, float, float | None]]] = defaultdict(list)
    for row in rows:
        if row.get("left_pct") is None or row.get("right_pct") is None:
            continue
        day = datetime.fromisoformat(row["at"]).date()
        start = date.fromordinal(day.toordinal() - day.weekday())
        if (today - start).days > weeks * 7:
            continue
        left, right = float(row["left_pct"]), float(row["right_pct"])
        # The one symmetry definition (coach.sunnybrook): the stored per-result ratio, else from the sides.
        ratio = row.get("symmetry_ratio")
        ratio = symmetry_ratio(left, right) if ratio is None else float(ratio)
        groups[(row["exercise"], start)].append((left, right, ratio))
    out: dict[str, list[WeekPoint]] = defaultdict(list)
    for (exercise, start), values in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        left = sum(v[0] for v in values) / len(values)
        right = sum(v[1] for v in values) / len(values)
        ratio = period_symmetry([v[2] for v in values if v[2] is not None])
        out[exercise].append(WeekPoint(start, left, right, 1.0 if ratio is None else ratio, len(values)))
    return dict(out)
