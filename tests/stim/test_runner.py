"""The block runner on the simulated board: pin histories with times, stops, faults, controls."""

from __future__ import annotations

import json
import threading
import time

import pytest

from stim_hat.runner import Surroundings
from tests.stim.conftest import absolute_history, all_clear, clear_all, make_rx, pin, wait_for


def test_a_block_runs_its_cycles_and_ends_normally_ramped_down(make_runner, board, hat, hat_settings, fresh_store):
    # 1 minute block of 5 s cycles (ramp 1, hold 2, ramp 1, off 1) played 30x faster: 12 cycles in ~2 s,
    # with a 100 Hz loop so that each 33 ms rest is seen.
    runner = make_runner(speed=30.0, tick_s=0.01)
    base = clear_all(board, (hat_settings.left_enable_pin, hat_settings.right_enable_pin, hat_settings.amplitude_pin))
    assert runner.start(source="touch", confirmed=True).allowed
    stopped = runner.join(10)
    assert stopped is not None and stopped.normal and stopped.reason == "block finished"
    left = absolute_history(pin(board, hat_settings.left_enable_pin), base)
    rises = [t for (t, level), (_, before) in zip(left[1:], left, strict=False) if level and not before]
    assert 11 <= len(rises) <= 12, left
    assert left[-1][1] == 0.0
    assert [s.state for s in pin(board, hat_settings.right_enable_pin).states] == [0]
    amplitude = [
        level * hat_settings.amplitude_full_scale_ma
        for _, level in absolute_history(pin(board, hat_settings.amplitude_pin), base)
    ]
    assert max(amplitude) <= 2.0 + 1e-6  # the start level; never above it without a confirmed raise
    assert amplitude[-1] == 0.0
    row = list(fresh_store.db["stim_log"].rows)[-1]
    assert row["stop_reason"] == "block finished" and row["side"] == "left" and row["plan_version"] == 3
    assert json.loads(row["sites"]) == ["frontalis", "zygomaticus"]
    assert json.loads(row["parameters"])["pulse_width_us"] == 200
    assert row["max_amplitude_ma"] == pytest.approx(2.0)


def test_ramp_up_is_gradual_on_the_amplitude_pin(make_runner, board, hat_settings):
    # The board's own watchdog cuts the output when the runner misses its heartbeat for 0.2 s of real
    # time. In the full suite a long pause of the test process (a garbage collection over the coach
    # tests' pictures) once did that mid-ramp: the safety design working, tested on its own elsewhere.
    # This test is about the ramp's shape, so it gives up only after three blocks were cut.
    cuts = []
    for _ in range(3):
        runner = make_runner(make_rx(ramp_seconds=2.0, on_seconds=10.0), speed=4.0)
        base = clear_all(board, (hat_settings.amplitude_pin,))
        assert runner.start(source="touch", confirmed=True).allowed
        if wait_for(lambda r=runner: board.current_ma >= 2.0 - 1e-6 or not r.running, 3) and runner.running:
            break
        runner.stop("test")
        stopped = runner.join(2)
        cuts.append(stopped.reason if stopped else "still running, below 2 mA")
    else:
        pytest.fail(f"the ramp never reached 2 mA; the blocks ended with: {cuts}")
    runner.stop("test")
    steps = absolute_history(pin(board, hat_settings.amplitude_pin), base)
    rising = [level for _, level in steps if level > 0]
    assert len(rising) >= 5  # many small steps, not one jump
    assert all(b - a <= 0.1 for a, b in zip(rising, rising[1:], strict=False))  # at most 1 mA (10 %) per step


def test_stop_turns_outputs_off_at_once_and_reports(make_runner, board, hat, hat_settings, fresh_store):
    runner = make_runner(make_rx(on_seconds=30.0))
    assert runner.start(source="touch", confirmed=True).allowed
    assert wait_for(lambda: board.active, 3)
    base = clear_all(board, (hat_settings.left_enable_pin,))
    asked = time.monotonic()
    runner.stop("you said stop")
    left = absolute_history(pin(board, hat_settings.left_enable_pin), base)
    assert left[-1][1] == 0.0 and left[-1][0] - asked < 0.010
    stopped = runner.join(2)
    assert stopped.reason == "you said stop" and not stopped.normal
    assert runner.events.drain() == [stopped]
    assert list(fresh_store.db["stim_log"].rows)[-1]["stop_reason"] == "you said stop"
    assert not runner.running  # it never restarts itself
    time.sleep(0.2)
    assert not hat.armed


def test_a_stalled_safety_loop_makes_the_board_cut_within_250ms(make_runner, board, hat_settings):
    stall, released = threading.Event(), threading.Event()

    def surroundings() -> Surroundings:
        if stall.is_set():
            released.wait(2)  # the injected stall: the loop hangs here, so no heartbeat
        return all_clear()

    runner = make_runner(make_rx(on_seconds=30.0), surroundings=surroundings)
    assert runner.start(source="touch", confirmed=True).allowed
    assert wait_for(lambda: board.active, 3)
    base = clear_all(board, (hat_settings.heartbeat_pin, hat_settings.output_active_pin))
    stall.set()
    assert wait_for(lambda: not board.active, 1)
    beats = absolute_history(pin(board, hat_settings.heartbeat_pin), base)
    feedback = absolute_history(pin(board, hat_settings.output_active_pin), base)
    last_beat = beats[-1][0] if len(beats) > 1 else base
    assert feedback[-1][1] == 0.0
    assert feedback[-1][0] - last_beat <= 0.25
    released.set()
    stopped = runner.join(2)
    assert stopped is not None and "board" in stopped.reason
    # The board never switched back on after it cut.
    assert absolute_history(pin(board, hat_settings.output_active_pin), base)[-1][1] == 0.0


def test_an_exception_in_the_loop_cuts_and_reports(make_runner, board, hat):
    calls = {"n": 0}

    def surroundings() -> Surroundings:
        calls["n"] += 1
        if calls["n"] > 10:
            raise RuntimeError("camera thread died")
        return all_clear()

    runner = make_runner(make_rx(on_seconds=30.0), surroundings=surroundings)
    assert runner.start(source="touch", confirmed=True).allowed
    stopped = runner.join(3)
    assert stopped.reason == "fault: camera thread died"
    assert not hat.armed and hat.amplitude_ma == 0.0 and not board.active


def test_estop_during_a_block(make_runner, board, hat):
    runner = make_runner(make_rx(on_seconds=30.0))
    runner.start(source="touch", confirmed=True)
    assert wait_for(lambda: board.active, 3)
    board.press_estop()
    assert not hat.armed
    stopped = runner.join(2)
    assert "emergency stop" in stopped.reason.lower()


def test_lost_electrode_contact_stops_the_block(make_runner, board, hat):
    runner = make_runner(make_rx(on_seconds=30.0))
    runner.start(source="touch", confirmed=True)
    assert wait_for(lambda: board.active, 3)
    board.set_contact(0.1)
    stopped = runner.join(2)
    assert "electrode" in stopped.reason and not hat.armed


def test_too_strong_lowers_one_step_at_once(make_runner, board, hat):
    runner = make_runner(make_rx(on_seconds=30.0, ramp_seconds=1.0), speed=2.0)
    runner.start(source="touch", confirmed=True)
    assert wait_for(lambda: board.current_ma >= 2.0 - 1e-6, 3)
    asked = time.monotonic()
    assert runner.too_strong("voice") == pytest.approx(1.5)
    assert hat.amplitude_ma == pytest.approx(1.5) and time.monotonic() - asked < 0.01
    assert board.current_ma == pytest.approx(1.5)


def test_raising_needs_touch_confirmation_and_stops_at_the_plan_maximum(make_runner, board, hat):
    runner = make_runner(make_rx(on_seconds=30.0), speed=2.0)
    runner.start(source="touch", confirmed=True)
    assert wait_for(lambda: board.active, 3)
    voice = runner.stronger("voice", confirmed=True)
    assert not voice.allowed and "touching the screen" in voice.reason
    assert not runner.stronger("touch", confirmed=False).allowed
    for _ in range(10):
        runner.stronger("touch", confirmed=True)
    assert runner.level == pytest.approx(4.0)
    assert wait_for(lambda: board.current_ma >= 4.0 - 1e-6, 5)
    assert max(s.state for s in board.factory.pin(18).states) * 10.0 <= 4.0 + 1e-6


@pytest.mark.parametrize(
    ("kwargs", "start", "reason"),
    [
        ({"signed": False}, {"source": "touch", "confirmed": True}, "signed"),
        ({}, {"source": "voice", "confirmed": True}, "touching the screen"),
        (
            {"surroundings": lambda: Surroundings(face_visible=True)},
            {"source": "touch", "confirmed": True},
            "checklist",
        ),
    ],
)
def test_refused_start_never_drives_a_pin(make_runner, board, hat_settings, kwargs, start, reason):
    runner = make_runner(**kwargs)
    decision = runner.start(**start)
    assert not decision.allowed and reason in decision.reason
    time.sleep(0.1)
    for number in (hat_settings.left_enable_pin, hat_settings.right_enable_pin, hat_settings.heartbeat_pin):
        assert [s.state for s in pin(board, number).states] == [0]
    assert not runner.running


def test_too_strong_after_the_emergency_stop_never_raises(make_runner, board):
    """Found by the kiosk property test: a 'too strong' right after an e-stop press crashed the loop."""
    runner = make_runner(make_rx(on_seconds=20.0))
    assert runner.start("touch", confirmed=True).allowed
    assert wait_for(lambda: board.current_ma > 0.5)
    board.press_estop()
    assert wait_for(lambda: board.current_ma == 0)
    runner.too_strong("voice")  # the runner has not noticed yet: it must still just lower
    assert board.current_ma == 0
    runner.join(2)
    board.release_estop()
