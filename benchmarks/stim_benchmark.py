"""Stimulation benchmark on mock pins: stop latency (voice, touch, button) and the safety loop's CPU cost.

Run: .venv/bin/python benchmarks/stim_benchmark.py [--repeats 30] [--cpu-seconds 5]

Voice and touch stops travel as events through a 30 Hz loop (as in the kiosk: the main loop
drains the queue and calls ``runner.stop``), so their latency includes waiting for the next tick.
The button is the e-stop: its pin callback cuts the outputs directly.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import threading
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

from kiosk.events import EventQueue, Touched, VoiceCommand  # noqa: E402
from kiosk.settings import HatSettings  # noqa: E402
from kiosk.stim_ledger import StoreLedger  # noqa: E402
from kiosk.store import Store  # noqa: E402
from stim_hat.board_sim import BoardSim  # noqa: E402
from stim_hat.driver import StimHat  # noqa: E402
from stim_hat.prescription import DeviceLimits, Prescription  # noqa: E402
from stim_hat.runner import BlockRunner, Surroundings  # noqa: E402
from stim_hat.safety import StimPlan  # noqa: E402

HAT = HatSettings()
RX = Prescription(
    enabled=True,
    side="left",
    sites=("frontalis",),
    max_amplitude_ma=4.0,
    start_amplitude_ma=2.0,
    on_seconds=60.0,
    off_seconds=1.0,
    ramp_seconds=1.0,
    block_minutes=10.0,
    rest_between_blocks_minutes=0.0,
    minutes_per_side_per_day=120.0,
    minutes_per_day=120.0,
)
PLAN = StimPlan(True, 1, None, None, RX)
CLEAR = Surroundings(contraindications_confirmed=True, face_visible=True)


def new_runner(hat: StimHat, events: EventQueue) -> BlockRunner:
    return BlockRunner(hat, PLAN, DeviceLimits(), events.put, StoreLedger(Store.memory()), lambda: CLEAR)


def wait_active(board: BoardSim) -> None:
    deadline = time.monotonic() + 3
    while not board.active and time.monotonic() < deadline:
        time.sleep(0.002)
    if not board.active:
        raise SystemExit(f"the block did not start: {board.trips}")


def enable_off_time(board: BoardSim) -> float:
    pin = board.factory.pin(HAT.left_enable_pin)
    return pin._last_change  # the monotonic time of the pin's last change (the fall to 0)


def loop_thread(events: EventQueue, runner_box: list, stop: threading.Event) -> threading.Thread:
    """A 30 Hz main loop: drains events and stops the runner on a stop intent or a touch."""

    def run() -> None:
        while not stop.wait(1 / 30):
            for event in events.drain():
                if (isinstance(event, VoiceCommand) and event.intent == "stop") or isinstance(event, Touched):
                    runner_box[0].stop("stop")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def measure(kind: str, repeats: int, board: BoardSim, hat: StimHat) -> list[float]:
    out = []
    events, box, quit_loop = EventQueue(), [None], threading.Event()
    loop_thread(events, box, quit_loop)
    for _ in range(repeats):
        runner = new_runner(hat, EventQueue())
        box[0] = runner
        if not runner.start(source="touch", confirmed=True).allowed:
            raise SystemExit("start refused")
        wait_active(board)
        time.sleep(0.013 * (1 + len(out) % 5))  # start at different points of the loops' ticks
        t0 = time.monotonic()
        if kind == "voice":
            events.put(VoiceCommand(at=t0, intent="stop", transcript="stop", confidence=0.9, engine="bench"))
        elif kind == "touch":
            events.put(Touched(at=t0, x=400, y=240))
        elif kind == "button":
            board.press_estop()
        else:
            runner.stop("stop")
        deadline = time.monotonic() + 2
        while hat.armed and time.monotonic() < deadline:
            time.sleep(0.0005)
        out.append((enable_off_time(board) - t0) * 1000)
        runner.join(2)
        if kind == "button":
            board.release_estop()
            hat.reset_estop()
    quit_loop.set()
    return out


def cpu_cost(seconds: float, board: BoardSim, hat: StimHat) -> tuple[float, float, int]:
    idle0 = time.process_time()
    time.sleep(seconds)
    idle = time.process_time() - idle0
    runner = new_runner(hat, EventQueue())
    ticks = {"n": 0}
    original = hat.toggle_heartbeat

    def counting() -> None:
        ticks["n"] += 1
        original()

    hat.toggle_heartbeat = counting  # count loop ticks (only the loop toggles the heartbeat)
    runner.start(source="touch", confirmed=True)
    busy0 = time.process_time()
    time.sleep(seconds)
    busy = time.process_time() - busy0
    runner.stop("done")
    runner.join(2)
    del hat.toggle_heartbeat
    return idle / seconds * 100, busy / seconds * 100, ticks["n"]


def summary(values: list[float]) -> str:
    q = statistics.quantiles(values, n=20)
    return f"median {statistics.median(values):6.2f}  p95 {q[18]:6.2f}  max {max(values):6.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--cpu-seconds", type=float, default=5.0)
    args = parser.parse_args()
    board = BoardSim(HAT)
    hat = StimHat(HAT, pin_factory=board.factory)
    try:
        print(f"stop latency to enable line low, ms (n={args.repeats} each)")
        for kind in ("voice", "touch", "button", "direct"):
            print(f"  {kind:7s} {summary(measure(kind, args.repeats, board, hat))}")
        idle, busy, ticks = cpu_cost(args.cpu_seconds, board, hat)
        per_tick = (busy - idle) / 100 * args.cpu_seconds / max(ticks, 1) * 1000
        print(f"CPU, one core: board sim alone {idle:.1f} %, with a block running {busy:.1f} %")
        print(f"safety loop: {ticks / args.cpu_seconds:.1f} ticks/s, about {per_tick:.2f} ms CPU per tick")
    finally:
        hat.close()
        board.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
