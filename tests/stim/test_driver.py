"""The driver on the simulated board: off at start, interlock, e-stop latch, close, repr."""

from __future__ import annotations

import time

import pytest
from gpiozero.pins.mock import MockFactory, MockPWMPin

from stim_hat.driver import StimHat, force_all_off
from stim_hat.exc import EStopLatched, OutputsInhibited, SafetyViolation
from tests.stim.conftest import absolute_history, clear_all, pin


def test_everything_is_off_at_start(board, hat_settings):
    hat = StimHat(hat_settings, pin_factory=board.factory)
    try:
        for number in (hat_settings.left_enable_pin, hat_settings.right_enable_pin, hat_settings.amplitude_pin):
            p = pin(board, number)
            assert p.function == "output"
            assert all(not s.state for s in p.states), f"GPIO{number} was driven high at start: {p.states}"
        assert repr(hat) == "<StimHat left=0.0mA right=0.0mA armed=False>"
        assert not board.active and board.current_ma == 0.0
    finally:
        hat.close()


def test_set_output_and_repr(hat, board):
    hat.set_output("left", 2.5)
    hat.toggle_heartbeat()
    assert repr(hat) == "<StimHat left=2.5mA right=0.0mA armed=True>"
    assert board.active and board.side == "left"
    assert board.current_ma == pytest.approx(2.5)
    assert hat.output_active


def test_both_sides_never_together(hat, board, hat_settings):
    hat.set_output("left", 1.0)
    with pytest.raises(SafetyViolation, match="both sides"):
        hat.set_output("right", 1.0)
    assert not pin(board, hat_settings.right_enable_pin).state


def test_amplitude_above_ceiling_refused(hat):
    with pytest.raises(SafetyViolation, match="ceiling"):
        hat.set_output("left", hat.ceiling_ma + 0.1)
    with pytest.raises(SafetyViolation, match="side"):
        hat.set_output("middle", 1.0)


def test_estop_edge_turns_outputs_off_within_10ms_and_latches(hat, board, hat_settings):
    hat.set_output("right", 3.0)
    hat.toggle_heartbeat()
    numbers = (hat_settings.right_enable_pin, hat_settings.amplitude_pin, hat_settings.estop_pin)
    base = clear_all(board, numbers)
    board.press_estop()
    pressed_at = absolute_history(pin(board, hat_settings.estop_pin), base)[-1][0]
    enable = absolute_history(pin(board, hat_settings.right_enable_pin), base)
    amplitude = absolute_history(pin(board, hat_settings.amplitude_pin), base)
    assert enable[0][1] == 1.0 and enable[-1][1] == 0.0
    assert amplitude[-1][1] == 0.0
    assert enable[-1][0] - pressed_at < 0.010
    assert amplitude[-1][0] - pressed_at < 0.010
    assert hat.estop_latched and not board.active
    # Latched: releasing the button does not allow output; only a deliberate reset does.
    board.release_estop()
    with pytest.raises(EStopLatched):
        hat.set_output("right", 1.0)
    with pytest.raises(EStopLatched):
        hat.rearm()
    hat.reset_estop()
    hat.rearm()
    hat.set_output("right", 1.0)
    assert hat.enabled_side == "right"


def test_reset_refused_while_button_held(hat, board):
    board.press_estop()
    with pytest.raises(EStopLatched, match="still pressed"):
        hat.reset_estop()


def test_cut_inhibits_until_rearm_but_lowering_is_allowed(hat):
    hat.set_output("left", 2.0)
    hat.cut("test stop")
    assert hat.amplitude_ma == 0.0 and not hat.armed
    with pytest.raises(OutputsInhibited, match="test stop"):
        hat.set_output("left", 1.0)
    hat.set_amplitude(0.0)  # lowering never refused
    hat.rearm()
    hat.set_output("left", 1.0)


def test_close_is_idempotent_and_leaves_lines_low(board, hat_settings):
    hat = StimHat(hat_settings, pin_factory=board.factory)
    hat.set_output("left", 4.0)
    hat.close()
    hat.close()
    assert repr(hat) == "<StimHat closed>"
    assert not pin(board, hat_settings.left_enable_pin).state
    assert pin(board, hat_settings.amplitude_pin).state == 0


def test_a_stalled_heartbeat_makes_the_board_cut_within_250ms(hat, board, hat_settings):
    hat.set_output("left", 2.0)
    hat.toggle_heartbeat()
    base = clear_all(board, (hat_settings.heartbeat_pin, hat_settings.output_active_pin))
    deadline = time.monotonic() + 1.0
    while board.active and time.monotonic() < deadline:
        time.sleep(0.005)
    history = absolute_history(pin(board, hat_settings.output_active_pin), base)
    assert history[-1][1] == 0.0
    assert history[-1][0] - board.last_beat <= 0.25
    assert board.trips[-1].reason == "heartbeat stopped"


def test_force_all_off_drives_enables_low(hat_settings):
    factory = MockFactory(pin_class=MockPWMPin)
    done = force_all_off(hat_settings, pin_factory=factory)
    assert len(done) == 3
    left = factory.pin(hat_settings.left_enable_pin)
    assert [s.state for s in left.states][-1] == 0
