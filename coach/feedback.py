"""Feedback as pure decisions: metrics, synkinesis and repetition phase in, phrase keys out.

Stage-aware (the plan's stage): in "flaccid" and "paresis" a weak side may be encouraged a little;
in "synkinesis" the aim is relaxation and control, so it never asks for more movement.
The words for each key live in content/lang/<language>/phrases.toml under [feedback].
"""

from __future__ import annotations

from coach.metrics import ExerciseScore
from coach.synkinesis import Synkinesis

STAGES = ("flaccid", "paresis", "synkinesis")
PHRASE_KEYS: tuple[str, ...] = (
    "feedback.gentler",
    "feedback.hold",
    "feedback.relax_fully",
    "feedback.keep_eye_soft",
    "feedback.both_sides_moving",
    "feedback.try_a_little_more",
    "feedback.small_and_slow",
    "feedback.well_done",
)
PUSHING_KEYS = frozenset({"feedback.try_a_little_more"})
# Effort: above this share of the typical healthy excursion the movement is bigger than gentle exercise asks.
TOO_BIG_PERCENT = {"flaccid": 120.0, "paresis": 100.0, "synkinesis": 60.0}
MAX_KEYS = 2  # one or two short phrases at a time; more is noise for the patient


def _very_uneven(score: ExerciseScore) -> bool:
    return score.weaker_side != "none" and (score.symmetry_ratio or 0.0) < 0.3


def decide(
    stage: str,
    phase: str,
    score: ExerciseScore | None,
    synkinesis: Synkinesis | None = None,
    hold_s: float = 0.0,
    hold_target_s: float = 5.0,
    last_rep_returned: bool = True,
) -> tuple[str, ...]:
    """The phrase keys to say now, most important first (at most ``MAX_KEYS``)."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; known: {', '.join(STAGES)}")
    keys: list[str] = []
    flags = synkinesis.flags if synkinesis else ()
    if any(f.startswith("eye_narrowing") for f in flags):
        keys.append("feedback.keep_eye_soft")
    if any(f.startswith(("mass_movement", "mouth_movement")) for f in flags):
        keys.append("feedback.gentler")
    if score is not None and phase in ("move", "hold"):
        strongest = max(score.left.percent_of_reference, score.right.percent_of_reference)
        if strongest > TOO_BIG_PERCENT[stage]:
            keys.append("feedback.small_and_slow" if stage == "synkinesis" else "feedback.gentler")
    if phase == "hold" and hold_s < hold_target_s:
        keys.append("feedback.hold")
    if phase == "rest" and not last_rep_returned:
        keys.append("feedback.relax_fully")
    pushing_allowed = stage != "synkinesis" and not flags
    if score is not None and phase in ("move", "hold") and pushing_allowed and _very_uneven(score):
        keys.append("feedback.try_a_little_more")
    if score is not None and phase == "hold" and score.left.moved and score.right.moved and score.weaker_side == "none":
        keys.append("feedback.both_sides_moving")
    if phase == "relax" and hold_s >= hold_target_s:
        keys.append("feedback.well_done")
    unique = list(dict.fromkeys(keys))
    if stage == "synkinesis":
        unique = [k for k in unique if k not in PUSHING_KEYS]
    return tuple(unique[:MAX_KEYS])
