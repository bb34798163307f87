"""Coach benchmark over a 640x480 replay: landmark time, post-landmark time, ratio, fps, peak memory.

Run: .venv/bin/python benchmarks/coach_benchmark.py [VIDEO] [--frames N]
Default video: ../shared/data/faces/liveportrait_d9.mp4 (a rehab-like routine), scaled to 640x480.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import cv2  # noqa: E402
import psutil  # noqa: E402

from coach.calibration import calibrate  # noqa: E402
from coach.feedback import decide  # noqa: E402
from coach.metrics import score  # noqa: E402
from coach.quality import assess  # noqa: E402
from coach.reps import RepCounter  # noqa: E402
from coach.synkinesis import assess_synkinesis  # noqa: E402
from kiosk.vision.imagestats import face_stats  # noqa: E402
from kiosk.vision.landmarker import MediaPipeLandmarker  # noqa: E402

DEFAULT = REPO.parent / "shared" / "data" / "faces" / "liveportrait_d9.mp4"


def frames(video: Path, limit: int) -> list:
    cap = cv2.VideoCapture(str(video))
    out = []
    while len(out) < limit:
        ok, image = cap.read()
        if not ok:
            break
        out.append(cv2.resize(image, (640, 480)))
    cap.release()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("video", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    images = frames(args.video, args.frames)
    if len(images) < 30:
        print(f"{args.video}: not enough frames", file=sys.stderr)
        return 1
    process = psutil.Process()
    landmarker = MediaPipeLandmarker(static=False)
    infer_ms, post_ms, cal, counter = [], [], None, RepCounter(start_mm=3.6, rest_mm=1.8)
    started = time.perf_counter()
    peak_rss = process.memory_info().rss
    for i, image in enumerate(images):
        t0 = time.perf_counter()
        faces = landmarker.detect(image, i / 30)  # the frame time: video mode tracks by it
        t1 = time.perf_counter()
        if len(faces) == 1:
            quality = assess(faces, *face_stats(image, faces[0]))
            if cal is None:
                cal = calibrate([faces[0]])
            result = score("open_smile", cal, faces[0])
            synk = assess_synkinesis("open_smile", cal, faces[0])
            phase = counter.update(i / 30, max(result.left.excursion_mm, result.right.excursion_mm))
            decide("paresis", phase, result if quality.ok else None, synk, counter.hold_s)
        t2 = time.perf_counter()
        infer_ms.append((t1 - t0) * 1000)
        post_ms.append((t2 - t1) * 1000)
        peak_rss = max(peak_rss, process.memory_info().rss)
    total = time.perf_counter() - started
    landmarker.close()
    infer, post = statistics.median(infer_ms), statistics.median(post_ms)
    print(f"video: {args.video.name} scaled to 640x480, {len(images)} frames, 1 face")
    print(f"landmark inference: median {infer:.1f} ms/frame (p90 {sorted(infer_ms)[int(0.9 * len(infer_ms))]:.1f})")
    print(
        "after landmarks (quality incl. brightness/sharpness, metrics, synkinesis, reps, feedback): "
        f"median {post:.2f} ms/frame"
    )
    print(f"ratio post/inference: {post / infer:.3f} (target <= 0.10)")
    print(f"end-to-end: {len(images) / total:.1f} frames/s (target >= 30)")
    print(f"peak memory (RSS): {peak_rss / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
