"""The baseline: the reference session progress is measured against, and plain sentences (pure).

The first measured session with a plan is the baseline; the plan may ask for a new one every N
weeks (``[progress] baseline_every_weeks``). Each exercise and side is compared with it: the
movement in mm when both have mm (the camera's scale), else in % of the patient's own relaxed
face. Every number is a self-tracking estimate. No clock reads: ``now`` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

RECENT_DAYS = 14  # "now" is the mean of the measured results of the last two weeks
TINY = 0.5  # a baseline movement below this (mm or %) is "hardly moved": no ratio is drawn from it
SIDES = ("left", "right")
# (upper bound of now/then, words key): the first bound above the ratio names the change.
CHANGE_WORDS = (
    (0.6, "much_less"),
    (0.85, "less"),
    (1.2, "same"),
    (1.4, "more"),
    (1.75, "half_more"),
    (2.5, "twice"),
    (3.5, "thrice"),
    (float("inf"), "much_more"),
)
PLAN_KEY = "baseline_every_weeks"
EVERY_WEEKS_RANGE = (1, 52)


@dataclass(frozen=True)
class Values:
    """One exercise's movement per side in one session (None: not measured)."""

    left_mm: float | None = None
    right_mm: float | None = None
    left_pct: float | None = None
    right_pct: float | None = None

    def side(self, side: str) -> tuple[float | None, float | None]:
        """(mm, %) of one side."""
        return (self.left_mm, self.left_pct) if side == "left" else (self.right_mm, self.right_pct)

    @property
    def measured(self) -> bool:
        return self.left_pct is not None and self.right_pct is not None


@dataclass(frozen=True)
class SideChange:
    """One side of one exercise: baseline and now, in one unit."""

    side: str
    unit: str  # mm | pct
    then: float
    now: float

    @property
    def ratio(self) -> float | None:
        """now / then; None when the side hardly moved at the baseline."""
        return None if self.then < TINY else self.now / self.then


@dataclass(frozen=True)
class ExerciseChange:
    """One exercise against its baseline: each side, and the weaker side as % of the other."""

    exercise: str
    baseline_day: date
    sides: tuple[SideChange, ...]
    evenness_then: float | None  # weaker / stronger in %, None when unknown
    evenness_now: float | None


@dataclass(frozen=True)
class BaselineMark:
    """Where each side stood at the baseline, in % (the unit of the progress charts)."""

    day: date
    left_pct: float
    right_pct: float


def chart_marks(results: dict[str, Values], day: date) -> dict[str, BaselineMark]:
    """Per exercise measured at the baseline, its two sides in %, for the progress charts' thin lines."""
    return {
        ex: BaselineMark(day, v.left_pct, v.right_pct)
        for ex, v in results.items()
        if v.left_pct is not None and v.right_pct is not None
    }


def baseline_due(last_baseline: datetime | None, every_weeks: int | None, at: datetime) -> bool:
    """Whether a session at ``at`` becomes the baseline: the first one, or the plan's interval has passed."""
    if last_baseline is None:
        return True
    return every_weeks is not None and at - last_baseline >= timedelta(weeks=every_weeks)


def every_weeks_of(raw: dict[str, Any] | None) -> int | None:
    """The plan's ``[progress] baseline_every_weeks`` (None: only the first baseline)."""
    value = ((raw or {}).get("progress") or {}).get(PLAN_KEY)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def progress_problems(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, problem) for the plan's optional ``[progress]`` table; none when it is right or absent."""
    section = raw.get("progress")
    if section is None:
        return []
    if not isinstance(section, dict):
        return [("progress", "must be a [progress] table")]
    found = [(f"progress.{key}", f"unknown key (known: {PLAN_KEY})") for key in section if key != PLAN_KEY]
    value = section.get(PLAN_KEY)
    low, high = EVERY_WEEKS_RANGE
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
        found.append((f"progress.{PLAN_KEY}", f"must be a whole number of weeks from {low} to {high}, got {value!r}"))
    return found


def mean_values(values: list[Values]) -> Values:
    """Each field's mean over the values that have it."""

    def mean(field: str) -> float | None:
        got = [v for v in (getattr(x, field) for x in values) if v is not None]
        return sum(got) / len(got) if got else None

    return Values(mean("left_mm"), mean("right_mm"), mean("left_pct"), mean("right_pct"))


def evenness(values: Values) -> float | None:
    """The weaker side's movement as % of the stronger side's (mm when both have mm)."""
    left, right = (
        (values.left_mm, values.right_mm) if values.left_mm is not None else (values.left_pct, values.right_pct)
    )
    if left is None or right is None or max(left, right) < TINY:
        return None
    return 100 * min(left, right) / max(left, right)


def compare(
    baseline: dict[str, Values], baseline_day: date, recent: list[tuple[str, datetime, Values]], now: datetime
) -> list[ExerciseChange]:
    """Each baseline exercise against the mean of its measured results of the last RECENT_DAYS days."""
    since = now - timedelta(days=RECENT_DAYS)
    out = []
    for exercise, then in sorted(baseline.items()):
        latest = [v for ex, at, v in recent if ex == exercise and since <= at <= now and v.measured]
        if not latest or not then.measured:
            continue
        current = mean_values(latest)
        sides = []
        for side in SIDES:
            (then_mm, then_pct), (now_mm, now_pct) = then.side(side), current.side(side)
            if then_mm is not None and now_mm is not None:
                sides.append(SideChange(side, "mm", then_mm, now_mm))
            elif then_pct is not None and now_pct is not None:
                sides.append(SideChange(side, "pct", then_pct, now_pct))
        out.append(ExerciseChange(exercise, baseline_day, tuple(sides), evenness(then), evenness(current)))
    return out


def change_key(ratio: float) -> str:
    """The words key of a now/then ratio."""
    return next(key for bound, key in CHANGE_WORDS if ratio < bound)


def day_words(day: date, words: dict[str, str]) -> str:
    """A day as people say it: "3 November" / "3. November"."""
    months = words["months"].split()
    return words["date"].format(day=day.day, month=months[day.month - 1])


def sentences(change: ExerciseChange, name: str, words: dict[str, str]) -> list[str]:
    """Plain sentences for one exercise: each side against the baseline, then the two sides' evenness.

    ``words`` is the ``[baseline]`` phrase section of the patient's language plus ``months``.
    """
    when = day_words(change.baseline_day, words)
    out = []
    for side in change.sides:
        side_word = words[f"side_{side.side}"]
        ratio = side.ratio
        if ratio is None:
            key = "from_still" if side.now >= TINY else "still"
            out.append(words[key].format(exercise=name, side=side_word, date=when))
            continue
        change_words = words[f"change_{change_key(ratio)}"]
        out.append(words["side_sentence"].format(exercise=name, side=side_word, change=change_words, date=when))
    if change.evenness_then is not None and change.evenness_now is not None:
        out.append(
            words["evenness"].format(
                exercise=name, now=round(change.evenness_now), then=round(change.evenness_then), date=when
            )
        )
    return out
