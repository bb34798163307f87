"""Sunnybrook-style estimates from a standard assessment, labelled as estimates, with their evidence.

The Sunnybrook Facial Grading System (Ross et al., 1996) scores the affected side against the
other: resting symmetry (eye, nasolabial fold, mouth; x5), five voluntary movements (1-5 each; x4)
and synkinesis for the same five movements (0-3 each); composite = voluntary - resting - synkinesis.
Here each item is estimated from landmarks. The nasolabial fold cannot be seen in landmarks; its
item uses the nose-wing-to-mouth-corner distance as a proxy. A component is withheld unless every
one of its items had usable evidence; the composite needs all three. Never a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.calibration import Calibration
from coach.face import BY_SIDE
from coach.metrics import ExerciseScore, eye_opening
from coach.synkinesis import EYE_NARROWING_MM, MASS_MOVEMENT_MM, MOUTH_DURING_EYE_CLOSURE_MM, Synkinesis

VOLUNTARY_ITEMS = ("brow_lift", "gentle_eye_closure", "open_smile", "snarl", "lip_pucker")
LABEL = "estimate from camera landmarks, not a clinical grade"
# Voluntary item from the affected/other excursion ratio: below 0.1 -> 1 (unable) ... above 0.85 -> 5.
VOLUNTARY_CUTS = (0.1, 0.3, 0.6, 0.85)
EYE_REST_RATIO = (0.85, 1.15)  # affected/other lid gap outside this: narrow or wide (1 point)
FOLD_PROXY_RATIO = (0.87, 1.15, 1.3)  # more pronounced (1) | less (1) | absent (2)
MOUTH_REST_MM = 2.0  # corner height difference from which the mouth is drooping or pulled up (1 point)


@dataclass(frozen=True)
class SunnybrookEstimate:
    """Estimated Sunnybrook components; None where withheld, with the items and evidence used."""

    affected_side: str
    resting: int | None
    voluntary: int | None
    synkinesis: int | None
    composite: int | None
    items: dict[str, int]
    missing: tuple[str, ...]
    label: str = LABEL

    @property
    def withheld(self) -> bool:
        """True when the composite could not be estimated."""
        return self.composite is None

    def to_json(self) -> dict:
        """A plain dict for the CLI and reports."""
        return {
            "label": self.label,
            "affected_side": self.affected_side,
            "resting": self.resting,
            "voluntary": self.voluntary,
            "synkinesis": self.synkinesis,
            "composite": self.composite,
            "withheld": self.withheld,
            "items": self.items,
            "missing_evidence": list(self.missing),
        }


def symmetry_ratio(left: float | None, right: float | None) -> float | None:
    """THE symmetry ratio: weaker side over stronger side, 0..1 (1 = equal); None without movement.

    Every part that shows symmetry (the kiosk's screens, the stored results, the summary's PDF,
    JSON and FHIR) uses this one definition, on mm when the camera gave mm.
    """
    if left is None or right is None:
        return None
    weak, strong = sorted((max(left, 0.0), max(right, 0.0)))
    return weak / strong if strong > 0 else None


def period_symmetry(ratios: list[float]) -> float | None:
    """The symmetry of a period: the median of the per-result ratios (one odd result moves it least)."""
    values = sorted(r for r in ratios if r is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def voluntary_score(ratio: float) -> int:
    """Sunnybrook-style voluntary movement 1..5 from the affected/other ratio (the VOLUNTARY_CUTS)."""
    return 1 + sum(ratio >= cut for cut in VOLUNTARY_CUTS)


# Synkinesis 0..3 from the share of results with a co-movement flag: none, <25 %, <60 %, more.
SYNKINESIS_SHARE_CUTS = (0.25, 0.6)


def synkinesis_share_score(share: float) -> int:
    """Sunnybrook-style synkinesis 0..3 from the share of results in which the camera flagged co-movement."""
    if share <= 0:
        return 0
    return 1 + sum(share >= cut for cut in SYNKINESIS_SHARE_CUTS)


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def resting_items(cal: Calibration, affected: str) -> dict[str, int]:
    """Resting symmetry items (eye, cheek, mouth) of the neutral face, affected side against the other."""
    pts, other = cal.neutral_mm, _other(affected)
    eye_ratio = eye_opening(pts, affected) / max(eye_opening(pts, other), 1e-6)
    eye = 0 if EYE_REST_RATIO[0] <= eye_ratio <= EYE_REST_RATIO[1] else 1

    def fold(side: str) -> float:
        s = BY_SIDE[side]
        return float(np.linalg.norm(pts[s.nose_ala[0]] - pts[s.mouth_corner]))

    fold_ratio = fold(affected) / max(fold(other), 1e-6)
    low, high, absent = FOLD_PROXY_RATIO
    cheek = 2 if fold_ratio >= absent else 1 if (fold_ratio > high or fold_ratio < low) else 0
    height = pts[BY_SIDE[affected].mouth_corner][1] - pts[BY_SIDE[other].mouth_corner][1]
    mouth = 1 if abs(height) >= MOUTH_REST_MM else 0
    return {"rest_eye": eye, "rest_cheek": cheek, "rest_mouth": mouth}


# Resting symmetry is withheld unless this much evidence was seen: relaxed frames in one calibration,
# and calibrations (sessions) in the period.
MIN_RESTING_FRAMES = 10
MIN_RESTING_CALIBRATIONS = 3


def resting_estimate(cal: Calibration) -> dict | None:
    """Resting-symmetry items of one neutral calibration, for either side as the affected one; None when thin.

    The summary picks the affected side later (the side weaker most often); a calibration with
    fewer than MIN_RESTING_FRAMES relaxed frames is not evidence enough.
    """
    if cal.frames_used < MIN_RESTING_FRAMES:
        return None
    return {
        "frames_used": cal.frames_used,
        "items": {side: resting_items(cal, side) for side in ("left", "right")},
        "label": LABEL,
    }


def resting_score(items: dict[str, int]) -> int:
    """Sunnybrook resting symmetry score (0..20) from the three items (eye, cheek, mouth) x 5."""
    return 5 * sum(items[k] for k in ("rest_eye", "rest_cheek", "rest_mouth"))


def voluntary_item(score: ExerciseScore, affected: str) -> int | None:
    """1..5 from how far the affected side moved compared with the other; None without movement."""
    if score.symmetry_ratio is None:
        return None
    other = score.side(_other(affected)).excursion_mm
    ratio = score.side(affected).excursion_mm / other if other > 0 else 1.0
    return voluntary_score(ratio)


def synkinesis_item(exercise: str, synk: Synkinesis) -> int:
    """0..3 from the strongest co-movement indicator, in multiples of its threshold."""
    worst = 0.0
    if synk.eye_narrowing_mm:
        worst = max(worst, max(synk.eye_narrowing_mm.values()) / EYE_NARROWING_MM.get(exercise, 0.77))
    if synk.mouth_movement_mm:
        worst = max(worst, max(synk.mouth_movement_mm.values()) / MOUTH_DURING_EYE_CLOSURE_MM)
    if synk.mass_movement_mm:
        worst = max(worst, max(synk.mass_movement_mm.values()) / MASS_MOVEMENT_MM)
    return int(min(max(np.floor(worst), 0), 3))


def affected_side(scores: dict[str, ExerciseScore]) -> str:
    """The side named weaker most often across the movements, or "none"."""
    votes = [s.weaker_side for s in scores.values() if s.weaker_side != "none"]
    if not votes:
        return "none"
    left, right = votes.count("left"), votes.count("right")
    return "none" if left == right else ("left" if left > right else "right")


def estimate(
    cal: Calibration, scores: dict[str, ExerciseScore], synk: dict[str, Synkinesis], affected: str | None = None
) -> SunnybrookEstimate:
    """Estimate the Sunnybrook components from a neutral face and the five standard movements."""
    side = affected or affected_side(scores)
    reference = side if side != "none" else "left"  # symmetric face: either side, items then read 0 / 5
    items: dict[str, int] = resting_items(cal, reference)
    missing: list[str] = []
    for name in VOLUNTARY_ITEMS:
        value = voluntary_item(scores[name], reference) if name in scores else None
        if value is None:
            missing.append(f"voluntary_{name}")
        else:
            items[f"voluntary_{name}"] = value
        if name in synk:
            items[f"synkinesis_{name}"] = synkinesis_item(name, synk[name])
        else:
            missing.append(f"synkinesis_{name}")
    resting = resting_score(items)
    has_voluntary = all(f"voluntary_{n}" in items for n in VOLUNTARY_ITEMS)
    has_synkinesis = all(f"synkinesis_{n}" in items for n in VOLUNTARY_ITEMS)
    voluntary = 4 * sum(items[f"voluntary_{n}"] for n in VOLUNTARY_ITEMS) if has_voluntary else None
    synkinesis = sum(items[f"synkinesis_{n}"] for n in VOLUNTARY_ITEMS) if has_synkinesis else None
    composite = None if voluntary is None or synkinesis is None else voluntary - resting - synkinesis
    return SunnybrookEstimate(side, resting, voluntary, synkinesis, composite, items, tuple(missing))
