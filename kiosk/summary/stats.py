"""Small number helpers for the summary (pure): means, medians, daily series, trend slopes."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are present, or None."""
    present = [float(v) for v in values if v is not None]
    return statistics.fmean(present) if present else None


def median(values: Iterable[float | None]) -> float | None:
    """Median of the values that are present, or None."""
    present = [float(v) for v in values if v is not None]
    return statistics.median(present) if present else None


def rounded(value: float | None, digits: int = 2) -> float | None:
    """Round for output; None stays None."""
    return None if value is None else round(value, digits)


def by_day(items: Iterable[T], when: Callable[[T], datetime]) -> dict[date, list[T]]:
    """Group items by the local day of ``when(item)``, days in order."""
    groups: dict[date, list[T]] = defaultdict(list)
    for item in items:
        groups[when(item).date()].append(item)
    return dict(sorted(groups.items()))


def slope_per_week(points: Sequence[tuple[date, float]]) -> float | None:
    """Least-squares slope of value against time, in units per week; None with fewer than 2 days."""
    if len({d for d, _ in points}) < 2:
        return None
    origin = points[0][0]
    xs = [(d - origin).days / 7.0 for d, _ in points]
    ys = [v for _, v in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def ends(values: Sequence[float], n: int = 3) -> tuple[float | None, float | None]:
    """Mean of the first n and of the last n values (the start and end of a trend)."""
    if not values:
        return None, None
    return statistics.fmean(values[:n]), statistics.fmean(values[-n:])


def iso(moment: datetime | date | None) -> str | None:
    """ISO text of a moment, or None."""
    return None if moment is None else moment.isoformat()


def count_by(items: Iterable[Any], key: Callable[[Any], str]) -> dict[str, int]:
    """Counts per key, keys sorted."""
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[key(item)] += 1
    return dict(sorted(counts.items()))
