"""Validation on real faces (../shared/data/faces): the four tables of issue 3, computed, not assumed.

Used by ``benchmarks/coach_validate.py`` (prints the tables) and by tests/coach (asserts thresholds).
MediaPipe results are cached per file for the life of the process.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from coach.calibration import calibrate
from coach.face import FaceLandmarks
from coach.metrics import ExerciseScore, score
from kiosk.vision.landmarker import MediaPipeLandmarker
from kiosk.vision.synthetic import one_sided

SYNTHETIC_MAX_RATIO = 0.4


@functools.lru_cache(maxsize=1)
def _static_landmarker() -> MediaPipeLandmarker:
    return MediaPipeLandmarker(static=True, mirror_average=True)


@functools.lru_cache(maxsize=512)
def image(path: Path) -> np.ndarray:
    """A picture from disk (cached)."""
    picture = cv2.imread(str(path))
    if picture is None:
        raise FileNotFoundError(path)
    return picture


@functools.lru_cache(maxsize=512)
def landmarks(path: Path) -> FaceLandmarks:
    """The one face in a picture (FaceLandmarker in image mode, mirror-averaged, cached)."""
    faces = _static_landmarker().detect(image(path))
    if len(faces) != 1:
        raise ValueError(f"{path.name}: expected one face, found {len(faces)}")
    return faces[0]


def pair_score(folder: Path, neutral: str, expression: str, exercise: str) -> ExerciseScore:
    """Score an expression picture against a neutral picture of the same person."""
    return score(exercise, calibrate([landmarks(folder / neutral)]), landmarks(folder / expression))


def manifest(folder: Path) -> list[dict[str, str]]:
    """The rows of MANIFEST.csv."""
    with open(folder / "MANIFEST.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def london_ids(folder: Path) -> list[str]:
    """Ids of the London people with both a neutral and a smiling picture."""
    files = {row["file"] for row in manifest(folder)}
    ids = sorted({m.group(1) for f in files if (m := re.match(r"london_(\d+)_neutral\.jpg$", f))})
    return [i for i in ids if f"london_{i}_smile.jpg" in files]


def yale_subjects(folder: Path) -> list[str]:
    """Yale subjects with normal, sleepy, wink and surprised pictures."""
    files = {row["file"] for row in manifest(folder)}
    subjects = sorted({m.group(1) for f in files if (m := re.match(r"yale_(s\d+)_normal\.png$", f))})
    return [s for s in subjects if all(f"yale_{s}_{e}.png" in files for e in ("sleepy", "wink", "surprised"))]


def wink_truth(folder: Path) -> dict[str, tuple[str, bool]]:
    """Per Yale subject: the closed side per MANIFEST notes, and whether both eyes narrow."""
    truth = {}
    for row in manifest(folder):
        m = re.match(r"yale_(s\d+)_wink\.png$", row["file"])
        if m:
            notes = row["notes"].lower()
            side = "left" if "subject's left" in notes else "right" if "subject's right" in notes else "?"
            truth[m.group(1)] = (side, "both eyes narrowed" in notes)
    return truth


@dataclass(frozen=True)
class Row:
    """One validation case: its name, the numbers found and whether it passed."""

    case: str
    left_mm: float
    right_mm: float
    ratio: float | None
    named: str
    passed: bool
    note: str = ""


def london_rows(folder: Path) -> list[Row]:
    """Table 1: London neutral -> smile; passes when both sides moved and no weaker side is named."""
    rows = []
    for i in london_ids(folder):
        s = pair_score(folder, f"london_{i}_neutral.jpg", f"london_{i}_smile.jpg", "open_smile")
        both = s.left.moved and s.right.moved
        rows.append(
            Row(
                f"london_{i}",
                s.left.excursion_mm,
                s.right.excursion_mm,
                s.symmetry_ratio,
                s.weaker_side,
                both,
                "" if s.weaker_side == "none" else "weaker side named",
            )
        )
    return rows


def yale_rows(folder: Path, expression: str) -> list[Row]:
    """Table 2: Yale sleepy (closure both sides), surprised (brow lift both sides), wink (closed side named)."""
    exercise = "brow_lift" if expression == "surprised" else "gentle_eye_closure"
    truth = wink_truth(folder)
    rows = []
    for subject in yale_subjects(folder):
        s = pair_score(folder, f"yale_{subject}_normal.png", f"yale_{subject}_{expression}.png", exercise)
        if expression == "wink":
            closed = "left" if s.left.percent_of_reference > s.right.percent_of_reference else "right"
            side, both = truth[subject]
            rows.append(
                Row(
                    subject,
                    s.left.excursion_mm,
                    s.right.excursion_mm,
                    s.symmetry_ratio,
                    closed,
                    closed == side,
                    "both eyes narrow" if both else "",
                )
            )
        else:
            rows.append(
                Row(
                    subject,
                    s.left.excursion_mm,
                    s.right.excursion_mm,
                    s.symmetry_ratio,
                    s.weaker_side,
                    s.left.moved and s.right.moved,
                )
            )
    return rows


def synthetic_rows(folder: Path) -> list[Row]:
    """Table 3: London smiles with one side replaced by the neutral; weaker side and ratio <= 0.4."""
    rows = []
    for i in london_ids(folder):
        neutral_path, smile_path = folder / f"london_{i}_neutral.jpg", folder / f"london_{i}_smile.jpg"
        cal = calibrate([landmarks(neutral_path)])
        for weak in ("left", "right"):
            picture = one_sided(
                image(neutral_path), landmarks(neutral_path), image(smile_path), landmarks(smile_path), weak
            )
            faces = _static_landmarker().detect(picture)
            if len(faces) != 1:
                rows.append(Row(f"london_{i}_{weak}_weak", 0, 0, None, "no face", False, "face not found"))
                continue
            s = score("open_smile", cal, faces[0])
            ok = s.weaker_side == weak and s.symmetry_ratio is not None and s.symmetry_ratio <= SYNTHETIC_MAX_RATIO
            rows.append(
                Row(
                    f"london_{i}_{weak}_weak",
                    s.left.excursion_mm,
                    s.right.excursion_mm,
                    s.symmetry_ratio,
                    s.weaker_side,
                    ok,
                )
            )
    return rows


def share(rows: list[Row]) -> float:
    """Fraction of rows that passed."""
    return sum(r.passed for r in rows) / len(rows) if rows else 0.0
