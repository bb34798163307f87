"""The runner's process killed with SIGKILL: the board (in this process) cuts within 250 ms."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.settings import HatSettings
from stim_hat.board_link import BoardServer
from stim_hat.board_sim import BoardSim
from tests.stim.conftest import absolute_history, wait_for

CHILD = Path(__file__).with_name("child_runner.py")


@pytest.mark.slow
def test_sigkill_of_the_runner_process_cuts_the_board_within_250ms():
    hat = HatSettings()
    board = BoardSim(hat)
    server = BoardServer(board)
    child = subprocess.Popen([sys.executable, str(CHILD), str(server.port)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "running"
        assert wait_for(lambda: board.active and board.current_ma > 0.5, 5), board.trips
        time.sleep(0.3)  # a few heartbeats while current flows
        assert board.active
        feedback = board.factory.pin(hat.output_active_pin)
        base = time.monotonic()
        feedback.clear_states()
        killed_at = time.monotonic()
        os.kill(child.pid, signal.SIGKILL)
        assert wait_for(lambda: not board.active, 1.0)
        cut_at = absolute_history(feedback, base)[-1][0]
        assert cut_at - killed_at <= 0.25, f"board cut {1000 * (cut_at - killed_at):.0f} ms after SIGKILL"
        assert board.trips[-1].reason == "heartbeat stopped"
        assert board.current_ma == 0.0
        # The enable line is still high (a dead process cannot lower it): the board alone cut the current.
        assert board.inputs["left"] == 1.0
    finally:
        child.kill()
        child.wait(5)
        server.close()
        board.close()
