"""`facecoach score-image` and `facecoach replay`: score pictures and videos from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coach.exercises import METRIC_IDS
from kiosk.summary.wording import count
from kiosk.vision.native_log import quiet_native_log


def register(sub: argparse._SubParsersAction) -> None:
    """Add the score-image and replay subcommands."""
    p = sub.add_parser("score-image", help="score one exercise picture against a relaxed picture (an estimate)")
    p.add_argument("--exercise", required=True, help=f"one of: {', '.join(METRIC_IDS)}")
    p.add_argument("--neutral", required=True, type=Path, help="a picture of the same face, relaxed")
    p.add_argument("image", type=Path, help="the picture of the exercise")
    p.add_argument("--json", action="store_true", help="print JSON (schema in docs/coach.md)")
    p.set_defaults(func=run_score_image)
    r = sub.add_parser("replay", help="count repetitions in a video that starts with a relaxed face")
    r.add_argument("video", type=Path)
    r.add_argument("--exercise", help="only this exercise (default: brow lift, eye closure, smile, pucker, cheek puff)")
    r.add_argument("--hold", type=float, default=5.0, help="hold time to reach, seconds (default 5)")
    r.add_argument("--json", action="store_true", help="print JSON (schema in docs/coach.md)")
    r.set_defaults(func=run_replay)


def _fail(error: Exception, as_json: bool) -> int:
    print(f"facecoach: {error}", file=sys.stderr)
    if as_json:
        reason = getattr(error, "reason", "unreadable")
        face_found = reason not in ("no_face", "unreadable", "usage")
        print(json.dumps({"schema_version": 1, "face_found": face_found, "error": reason, "message": str(error)}))
    return 1


def run_score_image(args: argparse.Namespace) -> int:
    """Print the score of one picture; exit 1 with a plain message when it cannot be scored."""
    from kiosk.vision.analyse import VisionInputError, score_image  # OpenCV and MediaPipe: only when used

    try:
        with quiet_native_log():
            result = score_image(args.neutral, args.image, args.exercise)
    except VisionInputError as exc:
        return _fail(exc, args.json)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['exercise']} (estimate)")
    for side in ("left", "right"):
        s = result[side]
        print(f"  {side:5s} side moved {s['excursion_mm']:.1f} mm ({s['percent_of_reference']:.0f}% of typical)")
    ratio = result["symmetry_ratio"]
    print(f"  symmetry {'n/a' if ratio is None else f'{ratio:.2f}'}; weaker side: {result['weaker_side']}")
    if result["residual_eye_opening_mm"]:
        gap = result["residual_eye_opening_mm"]
        print(f"  eye gap left open: left {gap['left']:.1f} mm, right {gap['right']:.1f} mm")
    if result["synkinesis"]["flags"]:
        print(f"  co-movement: {', '.join(result['synkinesis']['flags'])}")
    return 0


def run_replay(args: argparse.Namespace) -> int:
    """Print the repetitions found in a video; exit 1 with a plain message when it cannot be read."""
    from kiosk.vision.analyse import REPLAY_EXERCISES, VisionInputError, replay

    exercises = (args.exercise,) if args.exercise else REPLAY_EXERCISES
    try:
        with quiet_native_log():
            result = replay(args.video, exercises, hold_target_s=args.hold)
    except VisionInputError as exc:
        return _fail(exc, args.json)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    q = result["quality"]
    print(f"{result['video']}: {result['duration_s']:.1f} s, {q['frames_usable']}/{q['frames_seen']} frames usable")
    print("  repetitions seen by the camera (estimates):")
    for exercise, found in result["exercises"].items():
        holds = ", ".join(f"{r['hold_s']:.1f}s" for r in found["per_rep"])
        print(f"  {exercise}: {count(found['reps'], 'repetition')}" + (f" (holds {holds})" if holds else ""))
    return 0
