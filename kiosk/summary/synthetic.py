"""Realistic synthetic rows for N weeks (demos, benchmarks): a left-sided palsy slowly recovering.

Deterministic for a seed. The data go through the same builder and renderers as real rows and
every summary built from them says ``"synthetic": true``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from kiosk.summary.model import EventRow, ExerciseRow, Period, PlanRow, ReminderRow, Rows, SessionRow, StimRow

# Healthy-side movement in mm per exercise (typical landmark excursions at kiosk distance).
HEALTHY_MM = {"brow_lift": 8.0, "gentle_eye_closure": 9.0, "open_smile": 12.0, "snarl": 5.0, "lip_pucker": 6.0}
SESSION_TIMES = (time(10, 0), time(17, 0))
DROPS_HOURS = range(8, 21, 2)
REJECT_REASONS = ("no_face", "head_turned", "too_dark", "blurred")


@dataclass
class _Builder:
    rng: random.Random
    tz: tzinfo
    rows: dict[str, list] = field(default_factory=lambda: {k: [] for k in ("s", "e", "r", "st", "ev")})

    def at(self, day: date, t: time, jitter_min: float = 0.0) -> datetime:
        return datetime.combine(day, t, tzinfo=self.tz) + timedelta(minutes=jitter_min)

    def next_id(self, key: str) -> int:
        return len(self.rows[key]) + 1


def _recovery(progress: float) -> float:
    """Symmetry ratio of the weak side over the healthy side, 0.3 at the start towards 0.8."""
    return 0.3 + 0.5 * (1 - (1 - progress) ** 2)


def _session(b: _Builder, day: date, when: time, progress: float) -> None:
    roll = b.rng.random()
    status = "done" if roll < 0.82 else "partial" if roll < 0.9 else "missed"
    sid = b.next_id("s")
    start = b.at(day, when, b.rng.uniform(0, 40))
    n_ex = len(HEALTHY_MM) if status == "done" else 2 if status == "partial" else 0
    minutes = round(n_ex * b.rng.uniform(2.2, 3.2), 1)
    notes = "cheek feels sore today" if status == "partial" and b.rng.random() < 0.2 else ""
    b.rows["s"].append(
        SessionRow(
            sid,
            b.at(day, when),
            None if status == "missed" else start,
            None if status == "missed" else start + timedelta(minutes=minutes),
            status,
            3,
            minutes,
            notes,
        )
    )
    if status != "missed":  # the relaxed face at the start of the session: resting items for either side
        left = {"rest_eye": int(progress < 0.6), "rest_cheek": int(progress < 0.8), "rest_mouth": 1}
        items = {"left": left, "right": {"rest_eye": 0, "rest_cheek": 0, "rest_mouth": 0}}
        b.rows["ev"].append(EventRow(b.next_id("ev"), start, "resting_symmetry_estimated", {"items": items}))
    ratio = _recovery(progress)
    for i, (exercise, healthy) in enumerate(list(HEALTHY_MM.items())[:n_ex]):
        r = min(1.0, max(0.05, ratio + b.rng.gauss(0, 0.05)))
        right = healthy * b.rng.uniform(0.92, 1.08)
        left = right * r
        frames = b.rng.randint(250, 350)
        rejected = {k: b.rng.randint(0, 12) for k in REJECT_REASONS if b.rng.random() < 0.5}
        syn = ("eye_narrowing",) if exercise == "open_smile" and progress > 0.5 and b.rng.random() < 0.3 else ()
        hold = round(b.rng.uniform(3.5, 5.5), 1)
        b.rows["e"].append(
            ExerciseRow(
                b.next_id("e"),
                sid,
                exercise,
                start + timedelta(minutes=3 * i),
                5,
                5 if status == "done" else 3,
                hold,
                round(left, 2),
                round(right, 2),
                round(100 * left / (healthy * 0.3), 1),
                round(100 * right / healthy, 1),
                round(r, 3),
                "left",
                syn,
                "good" if hold >= 4.5 else "fair",
                {"frames": frames, "rejected": rejected, "hold_target_seconds": 5},
            )
        )


def _reminders(b: _Builder, day: date) -> None:
    items = [("day_drops", "drops", time(h, 0)) for h in DROPS_HOURS] + [("night_routine", "ointment", time(22, 0))]
    for item_id, kind, t in items:
        due = b.at(day, t)
        roll = b.rng.random()
        if roll < 0.03:
            b.rows["r"].append(
                ReminderRow(b.next_id("r"), item_id, kind, due, "missed", 3, due + timedelta(minutes=15))
            )
            continue
        late = b.rng.uniform(0, 10) * 60 if roll < 0.9 else b.rng.uniform(16, 50) * 60
        level = 0 if late < 180 else 1 if late < 900 else 2
        alerted = due + timedelta(minutes=15) if late >= 900 else None
        via = b.rng.choice(("voice", "touch", "button"))
        b.rows["r"].append(
            ReminderRow(
                b.next_id("r"),
                item_id,
                kind,
                due,
                "acknowledged",
                level,
                alerted,
                due + timedelta(seconds=late),
                via,
                round(late, 0),
            )
        )


def _stimulation(b: _Builder, day: date) -> None:
    start = b.at(day, time(14, 0), b.rng.uniform(0, 30))
    too_strong = b.rng.random() < 0.1
    length = b.rng.uniform(2, 5) if too_strong else 10.0
    b.rows["st"].append(
        StimRow(
            b.next_id("st"),
            start,
            start + timedelta(minutes=length),
            "left",
            ("frontalis", "zygomaticus"),
            {"pulse_width_us": 200, "frequency_hz": 30, "on_seconds": 5, "off_seconds": 10},
            round(b.rng.uniform(2.5, 4.0), 1),
            "too strong" if too_strong else "completed",
            3,
        )
    )
    if too_strong:
        b.rows["ev"].append(
            EventRow(
                b.next_id("ev"),
                start + timedelta(minutes=length),
                "voice_command",
                {"intent": "too_strong", "transcript": "too strong"},
            )
        )


def synthetic_rows(weeks: int, end: date, seed: int = 7, tz: tzinfo = UTC) -> tuple[Rows, Period]:
    """Rows for ``weeks`` whole weeks ending on ``end`` and the matching period."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    b = _Builder(random.Random(seed), tz)
    period = Period(end - timedelta(days=7 * weeks - 1), end)
    for i in range(period.days):
        day = period.start + timedelta(days=i)
        progress = i / max(1, period.days - 1)
        for when in SESSION_TIMES:
            _session(b, day, when, progress)
        _reminders(b, day)
        if i >= 14 and day.weekday() in (0, 2, 4):
            _stimulation(b, day)
        if i == 0 or b.rng.random() < 0.08:
            b.rows["ev"].append(EventRow(b.next_id("ev"), b.at(day, time(7, 30)), "kiosk_started", {"mode": "real"}))
            if b.rng.random() < 0.7 and i > 0:
                b.rows["ev"].insert(-1, EventRow(b.next_id("ev"), b.at(day, time(7, 20)), "kiosk_stopped", {}))
    plans = (PlanRow(3, b.at(period.start, time(9, 0)), b.at(period.start, time(9, 5)), "applied", "", "0" * 64),)
    rows = Rows(
        tuple(b.rows["s"]),
        tuple(b.rows["e"]),
        tuple(b.rows["r"]),
        tuple(b.rows["st"]),
        tuple(sorted(b.rows["ev"], key=lambda e: e.at)),
        plans,
    )
    return rows, period
