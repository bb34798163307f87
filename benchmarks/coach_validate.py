"""Print issue 3's validation tables on the real faces in ../shared/data/faces (Markdown).

Run: .venv/bin/python benchmarks/coach_validate.py [--rows] [--replay]
(--replay adds the README's replay counts: reps per exercise found by `facecoach replay` in each clip)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.vision import validation as v  # noqa: E402

FACES = REPO.parent / "shared" / "data" / "faces"
REPLAY_CLIPS = ("d0", "d19", "d3", "d9", "d12", "d13")  # the README's replay table, in its order


def pct(hits: int, total: int) -> str:
    return f"{hits}/{total} ({100 * hits / total:.0f}%)" if total else "n/a"


def main(argv: list[str]) -> int:
    if not (FACES / "MANIFEST.csv").exists():
        print(f"no face data at {FACES}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    london = v.london_rows(FACES)
    sleepy, wink, surprised = (v.yale_rows(FACES, e) for e in ("sleepy", "wink", "surprised"))
    synthetic = v.synthetic_rows(FACES)
    one_eye = [r for r in wink if not r.note]
    ratios = sorted(r.ratio for r in synthetic if r.ratio is not None)
    side_ok = sum(r.named == r.case.split("_")[2] for r in synthetic)
    print("| check | threshold | result |\n|---|---|---|")
    print(f"| London smile: movement on both sides | >= 95% | {pct(sum(r.passed for r in london), len(london))} |")
    print(f'| London smile: weaker side "none" | >= 85% | {pct(sum(r.named == "none" for r in london), len(london))} |')
    print(f"| Yale sleepy: closure on both sides | >= 90% | {pct(sum(r.passed for r in sleepy), len(sleepy))} |")
    print(f"| Yale wink: closed side named (all) | >= 90% | {pct(sum(r.passed for r in wink), len(wink))} |")
    print(f"| Yale wink: one eye only | >= 90% | {pct(sum(r.passed for r in one_eye), len(one_eye))} |")
    both = [r for r in wink if r.note]
    print(f"| Yale wink: both eyes narrow (reported apart) | - | {pct(sum(r.passed for r in both), len(both))} |")
    print(
        "| Yale surprised: brow lift on both sides | >= 90% | "
        f"{pct(sum(r.passed for r in surprised), len(surprised))} |"
    )
    print(f"| Synthetic weakness: weaker side named | >= 90% | {pct(side_ok, len(synthetic))} |")
    print(
        "| Synthetic weakness: side named and ratio <= 0.4 | >= 90% | "
        f"{pct(sum(r.passed for r in synthetic), len(synthetic))} |"
    )
    print(f"| Synthetic weakness: median symmetry ratio | <= 0.4 | {ratios[len(ratios) // 2]:.2f} |")
    if "--rows" in argv:
        for name, rows in (
            ("london", london),
            ("sleepy", sleepy),
            ("wink", wink),
            ("surprised", surprised),
            ("synthetic", synthetic),
        ):
            print(f"\n{name}: case, left mm, right mm, ratio, named, passed, note")
            for r in rows:
                print(f"  {r.case} {r.left_mm:.2f} {r.right_mm:.2f} {r.ratio} {r.named} {r.passed} {r.note}")
    if "--replay" in argv:
        print_replay_counts()
    print(f"\n({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


def print_replay_counts() -> None:
    """Reps per exercise (README order: brow lift / eye closure / smile / pucker / cheek puff) per clip."""
    from kiosk.vision.analyse import REPLAY_EXERCISES, replay

    print("\n| clip | replay (" + " / ".join(REPLAY_EXERCISES) + ") |\n|---|---|")
    for clip in REPLAY_CLIPS:
        result = replay(FACES / f"liveportrait_{clip}.mp4")
        counts = "/".join(str(result["exercises"][ex]["reps"]) for ex in REPLAY_EXERCISES)
        print(f"| {clip} | {counts} |")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
