"""Kiosk loop benchmark: a whole demo session on a replayed 640x480 face video, headless.

Measures the main loop's rate, each step's time (input, events, session = camera read + scoring,
draw), how many frames the landmark thread scored per second, CPU and peak memory.
Run:  .venv/bin/python benchmarks/kiosk_benchmark.py [--seconds 60] [--video PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import pygame  # noqa: E402

from kiosk.app import Kiosk  # noqa: E402
from kiosk.demo import DemoPilot  # noqa: E402
from kiosk.devices.factory import SHARED_DEMO_CLIP, build_devices  # noqa: E402
from kiosk.plan.current import current_plan  # noqa: E402
from kiosk.session.camera_movement import open_movement  # noqa: E402
from kiosk.session.plan_builder import session_plan_from  # noqa: E402
from kiosk.settings import Settings, with_overrides  # noqa: E402
from kiosk.store import Store  # noqa: E402


def scaled_copy(video: Path, out: Path) -> Path:
    """The clip re-encoded at 640x480 so the benchmark measures that size."""
    src = cv2.VideoCapture(str(video))
    fps = src.get(cv2.CAP_PROP_FPS) or 25
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, (640, 480))
    while True:
        ok, frame = src.read()
        if not ok:
            break
        writer.write(cv2.resize(frame, (640, 480)))
    src.release()
    writer.release()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--video", type=Path, default=SHARED_DEMO_CLIP)
    args = parser.parse_args()
    if not args.video.exists():
        print(f"No video at {args.video}; pass --video PATH (a face video).")
        return 2
    tmp = Path(tempfile.mkdtemp())
    video = scaled_copy(args.video, tmp / "face640.mp4")
    settings = with_overrides(Settings(), camera={"source": str(video)}, storage={"data_dir": str(tmp)})
    store = Store.open(tmp / "bench.db")
    devices = build_devices(settings, "fake")
    movement = open_movement(devices.camera, "en")
    plan = session_plan_from(current_plan(settings, store, __import__("datetime").datetime.now().astimezone()).plan)
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    kiosk = Kiosk(settings, None, devices, store, surface, session_plan=lambda: plan, movement=movement)
    DemoPilot(kiosk).attach()
    cpu0, wall0 = time.process_time(), time.monotonic()
    kiosk.run(max_seconds=args.seconds)
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    stats = movement.worker.stats if movement else None
    print(
        f"loop: {kiosk.loop.ticks / wall:.1f} ticks/s over {wall:.0f} s (target 30, floor 25); "
        f"overruns {kiosk.loop.overruns}"
    )
    print(kiosk.loop.report())
    if stats:
        print(f"landmarks: {stats.processed / wall:.1f} frames/s scored, {stats.dropped} dropped for a newer frame")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"CPU: {100 * cpu / wall:.0f}% of one core; peak memory {peak_mib:.0f} MiB")
    print(f"screens visited: {', '.join(kiosk.screens_seen)}")
    if movement:
        movement.close()
    devices.close()
    store.close()
    pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
