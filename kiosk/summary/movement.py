"""Per-exercise movement, symmetry, hold quality, synkinesis and Sunnybrook-style estimates (pure)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from coach.sunnybrook import period_symmetry, symmetry_ratio, synkinesis_share_score, voluntary_score
from kiosk.summary.model import ExerciseRow, Period
from kiosk.summary.stats import by_day, count_by, ends, iso, mean, rounded, slope_per_week

# The five Sunnybrook voluntary-movement expressions and the coach metric that measures each.
SUNNYBROOK_EXPRESSIONS: dict[str, str] = {
    "brow_lift": "forehead wrinkle (brow lift)",
    "gentle_eye_closure": "gentle eye closure",
    "open_smile": "open mouth smile",
    "snarl": "snarl",
    "lip_pucker": "lip pucker",
}
ESTIMATE_LABEL = (
    "Self-tracking estimate from camera landmarks, Sunnybrook-style. Not a clinical grade: "
    "landmark-based grading is only moderately accurate."
)
RECENT_DAYS = 7


def _symmetry(row: ExerciseRow) -> float | None:
    """Weaker over stronger side, 0..1 (coach.sunnybrook.symmetry_ratio; a stored ratio above 1 is inverted)."""
    r = row.symmetry_ratio
    if r is None:
        from_mm = symmetry_ratio(row.left_mm, row.right_mm)
        return from_mm if from_mm is not None else symmetry_ratio(row.left_pct, row.right_pct)
    if r < 0:
        return None
    return 1.0 / r if r > 1 else r


def _daily(rows: list[ExerciseRow]) -> list[dict[str, Any]]:
    series = []
    for day, items in by_day(rows, lambda r: r.at).items():
        series.append(
            {
                "date": day.isoformat(),
                "n": len(items),
                "left_mm": rounded(mean(r.left_mm for r in items)),
                "right_mm": rounded(mean(r.right_mm for r in items)),
                "left_pct": rounded(mean(r.left_pct for r in items), 1),
                "right_pct": rounded(mean(r.right_pct for r in items), 1),
                "symmetry_ratio": rounded(period_symmetry([s for r in items if (s := _symmetry(r)) is not None]), 3),
            }
        )
    return series


def _side(series: list[dict[str, Any]], side: str) -> dict[str, Any]:
    mm = [d[f"{side}_mm"] for d in series if d[f"{side}_mm"] is not None]
    pct = [d[f"{side}_pct"] for d in series if d[f"{side}_pct"] is not None]
    mm_start, mm_end = ends(mm)
    pct_start, pct_end = ends(pct)
    return {
        "movement_mm": {"start": rounded(mm_start), "end": rounded(mm_end), "mean": rounded(mean(mm))},
        "pct_of_baseline": {"start": rounded(pct_start, 1), "end": rounded(pct_end, 1), "mean": rounded(mean(pct), 1)},
    }


def _hold(rows: list[ExerciseRow]) -> dict[str, Any]:
    """Holds on target: counted by the kiosk per hold when it stored them, else one per result from its length."""
    held = [r for r in rows if r.hold_seconds is not None]
    counted = [r for r in held if isinstance(r.details.get("holds_measured"), int)]
    older = [r for r in held if r not in counted and isinstance(r.details.get("hold_target_seconds"), int | float)]
    met = [r for r in older if r.hold_seconds >= 0.9 * float(r.details["hold_target_seconds"])]
    return {
        "mean_hold_seconds": rounded(mean(r.hold_seconds for r in held), 1),
        "holds_meeting_target": len(met) + sum(int(r.details.get("holds_on_target") or 0) for r in counted),
        "holds_with_target": len(older) + sum(int(r.details["holds_measured"]) for r in counted),
        "quality_counts": count_by((r for r in rows if r.quality), lambda r: r.quality),
    }


def exercise_section(rows: list[ExerciseRow]) -> list[dict[str, Any]]:
    """One entry per exercise: reps, per-side movement, symmetry trend, hold quality, daily series."""
    groups: dict[str, list[ExerciseRow]] = defaultdict(list)
    for row in rows:
        groups[row.exercise].append(row)
    out = []
    for exercise, items in sorted(groups.items()):
        items.sort(key=lambda r: r.at)
        series = _daily(items)
        sym = [(r.at.date(), s) for r in items if (s := _symmetry(r)) is not None]
        daily_sym = [d["symmetry_ratio"] for d in series if d["symmetry_ratio"] is not None]
        sym_start, sym_end = ends(daily_sym)
        weaker = count_by((r for r in items if r.weaker_side in ("left", "right")), lambda r: r.weaker_side)
        out.append(
            {
                "exercise": exercise,
                "results": len(items),
                "reps_planned": sum(r.reps_planned or 0 for r in items),
                "reps_done": sum(r.reps_done or 0 for r in items),
                "weaker_side_counts": weaker,
                "left": _side(series, "left"),
                "right": _side(series, "right"),
                "symmetry": {
                    "start": rounded(sym_start, 3),
                    "end": rounded(sym_end, 3),
                    "slope_per_week": rounded(slope_per_week(sym), 4),
                },
                "hold": _hold(items),
                "daily": series,
            }
        )
    return out


def synkinesis_section(rows: list[ExerciseRow]) -> list[dict[str, Any]]:
    """Each (exercise, flag) the camera raised: how often, first and last seen."""
    seen: dict[tuple[str, str], list[ExerciseRow]] = defaultdict(list)
    totals = count_by(rows, lambda r: r.exercise)
    for row in rows:
        for flag in row.synkinesis:
            seen[(row.exercise, flag)].append(row)
    return [
        {
            "exercise": exercise,
            "flag": flag,
            "count": len(items),
            "share_of_results": rounded(len(items) / totals[exercise], 3),
            "first_seen": iso(min(r.at for r in items)),
            "last_seen": iso(max(r.at for r in items)),
            "blocked_stimulation": sum(1 for r in items if r.details.get("blocked_stimulation") is True),
        }
        for (exercise, flag), items in sorted(seen.items())
    ]


def movement_score(ratio: float) -> int:
    """Sunnybrook-style voluntary movement score 1-5 from the weaker/stronger ratio (coach.sunnybrook)."""
    return voluntary_score(ratio)


def synkinesis_score(share: float) -> int:
    """Sunnybrook-style synkinesis score 0-3 from the share of results with a flag (coach.sunnybrook)."""
    return synkinesis_share_score(share)


def sunnybrook_estimate(
    rows: list[ExerciseRow],
    period: Period,
    rated_resting: int | None,
    resting: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Sunnybrook-style estimates from the last days of the period, each with its evidence.

    Resting symmetry (0..4): the therapist's rating when one was stored, else the estimate from
    the neutral calibrations (``resting``), which is withheld on thin evidence.
    """
    resting_symmetry = rated_resting if rated_resting is not None else (resting or {}).get("score")
    since = period.end - timedelta(days=RECENT_DAYS - 1)
    expressions = []
    for metric, name in SUNNYBROOK_EXPRESSIONS.items():
        recent = [r for r in rows if r.exercise == metric and since <= r.at.date() <= period.end]
        ratios = [s for r in recent if (s := _symmetry(r)) is not None]
        entry: dict[str, Any] = {"expression": name, "exercise": metric, "results_used": len(ratios)}
        if ratios:
            share = sum(1 for r in recent if r.synkinesis) / len(recent)
            ratio = period_symmetry(ratios) or 0.0
            entry.update(
                voluntary_movement=movement_score(ratio),
                synkinesis=synkinesis_score(share),
                evidence={
                    "median_symmetry_ratio": rounded(ratio, 3),
                    "synkinesis_share": rounded(share, 3),
                    "from": since.isoformat(),
                    "to": period.end.isoformat(),
                },
            )
        expressions.append(entry)
    scored = [e for e in expressions if "voluntary_movement" in e]
    complete = len(scored) == len(SUNNYBROOK_EXPRESSIONS)
    vm = 4 * sum(e["voluntary_movement"] for e in scored) if complete else None
    syn = sum(e["synkinesis"] for e in scored) if complete else None
    composite = vm - 5 * resting_symmetry - syn if complete and resting_symmetry is not None else None
    notes = []
    if not complete:
        notes.append("Not every Sunnybrook expression was measured in the last 7 days; no totals estimated.")
    if rated_resting is None and resting_symmetry is not None:
        notes.append("Resting symmetry is an estimate from the relaxed face at the start of each session.")
    if resting_symmetry is None:
        why = (resting or {}).get("withheld_because") or "no relaxed-face calibration was stored"
        notes.append(f"Resting symmetry withheld: {why}; the composite needs it (or the therapist's rating).")
    return {
        "is_estimate": True,
        "label": ESTIMATE_LABEL,
        "expressions": expressions,
        "voluntary_movement_score": vm,
        "synkinesis_score": syn,
        "resting_symmetry_score": resting_symmetry,
        "resting_symmetry": {**(resting or {}), "source": "therapist" if rated_resting is not None else "camera"},
        "composite_score": composite,
        "notes": notes,
    }
