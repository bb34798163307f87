"""Stop latency through the real kiosk: every stop input -> the LEFT enable line low, in ms.

The whole Kiosk (app, 30 Hz MainLoop, StimControl/BlockRunner on the simulated board, the real
reminder service and SQLite) is brought to a running block; then the loop runs in real time and
one stop input is put on its queue at a random moment of the tick. Measured for voice, touch,
the stop key and the hardware button, in three conditions: a plain running block, a block with an
eye-care card beside STOP, and a block while another process holds the database write lock.
Figures are measured here, never computed from constants.

    .venv/bin/python benchmarks/stop_latency.py --repeats 15
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)  # the reminder service logs the test clock's jumps

from kiosk.events import ButtonPressed, KeyPressed, Touched, VoiceCommand  # noqa: E402
from kiosk.settings import HatSettings  # noqa: E402
from kiosk.store import Store  # noqa: E402
from tests.test_stop_wins import build, button, reminder_due, state_running  # noqa: E402

LOCKER = (
    "import sqlite3, sys, time\n"
    "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(float(sys.argv[2]))\n"
)


def stop_event(kind: str, k, at: float):  # noqa: ANN001, ANN201
    if kind == "voice":
        return VoiceCommand(at=at, intent="stop", transcript="stop")
    if kind == "touch":
        b = button(k, "stop")
        return Touched(at=at, x=b.rect.centerx, y=b.rect.centery)
    if kind == "key":
        return KeyPressed(at=at, key="s")
    return ButtonPressed(at=at, button="stop")


def one(kind: str, condition: str, db_path: Path) -> float:
    """One block, one stop: milliseconds from the input to the enable line low."""
    store = Store.open(db_path)
    k = build(store)
    locker = None
    try:
        state_running(k)
        if condition == "reminder card":
            reminder_due(k)
        k.loop.clock = time.monotonic  # from here the real 30 Hz loop runs in real time
        runner = threading.Thread(target=k.loop.run, daemon=True)
        runner.start()
        if condition == "database locked":
            locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(db_path), "15"], stdout=subprocess.PIPE)
            assert locker.stdout is not None and locker.stdout.readline().strip() == b"locked"
        time.sleep(0.2 + random.random() / 30)  # a random moment of the tick
        pin = k.devices.board.factory.pin(HatSettings().left_enable_pin)
        assert pin.state, "the block was not running"
        t0 = time.monotonic()
        k.events.put(stop_event(kind, k, t0))
        deadline = t0 + 5
        while pin.state and time.monotonic() < deadline:
            time.sleep(0.0002)
        took = (pin._last_change - t0) * 1000
        k.loop.stop()
        runner.join(5)
        return took
    finally:
        if locker is not None:
            locker.kill()
            locker.wait()
        k.stim.close()
        k.devices.close()
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(f"stop -> enable line low through the real kiosk loop, ms (n={args.repeats} each)")
    with tempfile.TemporaryDirectory() as tmp:
        for condition in ("plain", "reminder card", "database locked"):
            for kind in ("voice", "touch", "key", "button"):
                values = [one(kind, condition, Path(tmp) / f"{condition[0]}{kind}{i}.db") for i in range(args.repeats)]
                p99 = statistics.quantiles(values, n=100, method="inclusive")[98] if len(values) > 1 else values[0]
                print(
                    f"  {condition:15s} {kind:6s} median {statistics.median(values):6.1f}"
                    f"  p99 {p99:6.1f}  max {max(values):6.1f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
