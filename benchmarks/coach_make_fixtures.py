"""Regenerate tests/fixtures/landmarks/*.json from ../shared/data/faces (FaceLandmarker, image mode).

The fixtures in the repository were made with Face Mesh 0.10.18 and kept: they test the pure scoring.

Run: .venv/bin/python benchmarks/coach_make_fixtures.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.vision.landmarker import save_fixture  # noqa: E402
from kiosk.vision.synthetic import one_sided  # noqa: E402
from kiosk.vision.validation import _static_landmarker, image, landmarks  # noqa: E402

FACES = REPO.parent / "shared" / "data" / "faces"
OUT = REPO / "tests" / "fixtures" / "landmarks"
# fixture name -> picture
CASES = {
    "neutral_london_020": "london_020_neutral.jpg",
    "smile_london_020": "london_020_smile.jpg",
    "neutral_yale_s02": "yale_s02_normal.png",
    "wink_left_closed_yale_s02": "yale_s02_wink.png",
    "sleepy_yale_s02": "yale_s02_sleepy.png",
    "brow_lift_yale_s02": "yale_s02_surprised.png",
    "head_tilted_lisa3": "webmorph_lisa3.jpg",
}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, picture in CASES.items():
        save_fixture(OUT / f"{name}.json", [landmarks(FACES / picture)], source=picture)
    neutral, smile = FACES / "london_020_neutral.jpg", FACES / "london_020_smile.jpg"
    for weak in ("left", "right"):
        composite = one_sided(image(neutral), landmarks(neutral), image(smile), landmarks(smile), weak)
        faces = _static_landmarker().detect(composite)
        save_fixture(
            OUT / f"smile_{weak}_weak_london_020.json", faces, source=f"synthetic from london_020, {weak} weak"
        )
    print(f"wrote {len(CASES) + 2} fixtures to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
