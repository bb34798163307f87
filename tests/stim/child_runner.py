"""Run a stimulation block in this process on pins wired to a board in the parent (SIGKILL test).

Usage: python tests/stim/child_runner.py PORT. Prints 'running' once the block has started, then
waits forever (the parent kills it).
"""

from __future__ import annotations

import sys
import threading
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
warnings.filterwarnings("ignore")

from kiosk.events import EventQueue  # noqa: E402
from kiosk.settings import HatSettings  # noqa: E402
from kiosk.stim_ledger import StoreLedger  # noqa: E402
from kiosk.store import Store  # noqa: E402
from stim_hat.board_link import link_pins_to_socket  # noqa: E402
from stim_hat.driver import StimHat  # noqa: E402
from stim_hat.prescription import DeviceLimits  # noqa: E402
from stim_hat.runner import BlockRunner  # noqa: E402
from tests.stim.conftest import FastClock, all_clear, make_plan, make_rx  # noqa: E402


def main() -> None:
    hat_settings = HatSettings()
    factory, _conn = link_pins_to_socket(hat_settings, int(sys.argv[1]))
    hat = StimHat(hat_settings, pin_factory=factory)
    clock = FastClock(1.0)
    runner = BlockRunner(
        hat,
        make_plan(make_rx(on_seconds=60.0, block_minutes=5.0)),
        DeviceLimits(),
        EventQueue().put,
        StoreLedger(Store.memory()),
        all_clear,
        clock=clock.monotonic,
        wall=clock.wall,
    )
    decision = runner.start(source="touch", confirmed=True)
    print("running" if decision.allowed else f"refused {decision.reason}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
