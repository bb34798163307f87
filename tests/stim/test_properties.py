"""Property tests over random command sequences: never both sides, never above the limits, off after a stop."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk.events import EventQueue
from kiosk.settings import HatSettings
from kiosk.stim_ledger import StoreLedger
from kiosk.store import Store
from stim_hat.board_sim import BoardSim
from stim_hat.driver import StimHat
from stim_hat.exc import SafetyViolation
from stim_hat.prescription import DeviceLimits
from stim_hat.runner import BlockRunner
from stim_hat.safety import Request, StimState, check
from tests.stim.conftest import FastClock, all_clear, make_plan, make_rx

HAT = HatSettings()
FULL = HAT.amplitude_full_scale_ma

driver_command = st.one_of(
    st.tuples(st.just("set_output"), st.sampled_from(["left", "right", "up"]), st.floats(-1, 15)),
    st.tuples(st.just("set_amplitude"), st.just(""), st.floats(-1, 15)),
    st.tuples(
        st.sampled_from(["all_off", "cut", "rearm", "press", "release", "reset", "beat"]), st.just(""), st.just(0.0)
    ),
)


def _levels(board: BoardSim) -> tuple[float, float, float]:
    pins = board.factory.pin
    return (
        float(pins(HAT.left_enable_pin).state),
        float(pins(HAT.right_enable_pin).state),
        float(pins(HAT.amplitude_pin).state),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(driver_command, max_size=25))
def test_driver_never_both_sides_never_above_ceiling_off_after_every_stop(commands):
    board = BoardSim(HAT)
    hat = StimHat(HAT, pin_factory=board.factory)
    try:
        for name, side, ma in commands:
            try:
                if name == "set_output":
                    hat.set_output(side, ma)
                elif name == "set_amplitude":
                    hat.set_amplitude(ma)
                elif name in ("all_off", "cut"):
                    hat.all_off() if name == "all_off" else hat.cut("test")
                elif name == "rearm":
                    hat.rearm()
                elif name == "press":
                    board.press_estop()
                elif name == "release":
                    board.release_estop()
                elif name == "reset":
                    hat.reset_estop()
                else:
                    hat.toggle_heartbeat()
            except SafetyViolation:
                pass  # refused commands are the point; the invariants below must still hold
            left, right, amplitude = _levels(board)
            assert not (left and right), "both sides enabled"
            assert amplitude * FULL <= hat.ceiling_ma + 1e-9
            if name in ("all_off", "cut", "press"):
                assert (left, right, amplitude) == (0.0, 0.0, 0.0)
            if hat.estop_latched:
                assert not left and not right
    finally:
        hat.close()
        board.close()
        assert _levels(board) == (0.0, 0.0, 0.0)


NOW = datetime(2026, 11, 20, 10, 0)
request = st.builds(
    Request,
    action=st.sampled_from(["start", "continue", "raise", "lower", "bogus"]),
    side=st.sampled_from(["left", "right"]),
    sites=st.sampled_from([("frontalis", "zygomaticus"), ("frontalis",)]),
    amplitude_ma=st.floats(-1, 30, allow_nan=False),
    pulse_width_us=st.sampled_from([200, 300, 500]),
    frequency_hz=st.sampled_from([30.0, 100.0]),
    on_seconds=st.just(2.0),
    off_seconds=st.just(1.0),
    ramp_seconds=st.just(1.0),
    source=st.sampled_from(["runner", "touch", "button", "voice"]),
    confirmed=st.booleans(),
)
state = st.builds(
    StimState,
    estop_latched=st.booleans(),
    contact_ok=st.booleans(),
    contraindications_confirmed=st.booleans(),
    synkinesis_flagged=st.booleans(),
    face_visible=st.booleans(),
    amplitude_ma=st.floats(0, 12),
    amplitude_set_at=st.just(NOW - timedelta(seconds=1)),
    side_minutes_today=st.floats(0, 30),
)


@settings(max_examples=400, deadline=None)
@given(request, state, st.booleans(), st.floats(0.5, 12), st.floats(1, 12))
@example(  # found by Hypothesis: a "lower" above the 0 mA of an off phase was allowed as a rise
    Request("lower", "left", ("frontalis", "zygomaticus"), 1.0, 200, 30.0, 2.0, 1.0, 1.0),
    StimState(
        contact_ok=True,
        contraindications_confirmed=True,
        face_visible=True,
        amplitude_set_at=NOW - timedelta(seconds=1),
    ),
    True,
    6.0,
    12.0,
)
def test_the_rules_never_allow_more_than_the_plan_or_the_device(req, s, signed, plan_max, ceiling):
    plan = make_plan(make_rx(max_amplitude_ma=plan_max), signed=signed)
    decision = check(req, s, plan, DeviceLimits(ceiling_ma=ceiling), NOW)
    if not decision.allowed:
        assert decision.reason
        return
    assert req.amplitude_ma <= min(plan_max, ceiling) + 1e-6 or req.action == "lower"
    assert req.amplitude_ma <= s.amplitude_ma + 1e-6 or req.action != "lower"
    if req.action != "lower":
        assert signed and not s.estop_latched and s.contact_ok and s.contraindications_confirmed
        assert plan_max <= ceiling
    if req.action in ("start", "raise"):
        assert req.source in ("touch", "button") and req.confirmed


control = st.tuples(
    st.sampled_from(["too_strong", "stronger", "wait"]),
    st.sampled_from(["touch", "voice", "button"]),
    st.booleans(),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(control, max_size=8), st.floats(1.0, 6.0), st.floats(2.0, 12.0))
def test_runner_controls_never_exceed_min_of_plan_and_ceiling_and_stop_leaves_all_off(commands, plan_max, ceiling):
    hat_settings = HatSettings(max_current_ma=ceiling)
    board = BoardSim(hat_settings)
    hat = StimHat(hat_settings, pin_factory=board.factory)
    clock = FastClock(4.0)
    rx = make_rx(max_amplitude_ma=plan_max, start_amplitude_ma=min(1.0, plan_max), on_seconds=20.0)
    runner = BlockRunner(
        hat,
        make_plan(rx),
        DeviceLimits(ceiling_ma=hat.ceiling_ma),
        EventQueue().put,
        StoreLedger(Store.memory()),
        all_clear,
        clock=clock.monotonic,
        wall=clock.wall,
    )
    top = min(plan_max, hat.ceiling_ma)
    try:
        assert runner.start(source="touch", confirmed=True).allowed == (plan_max <= hat.ceiling_ma)
        for name, source, confirmed in commands:
            if name == "too_strong":
                runner.too_strong(source)
            elif name == "stronger":
                before = runner.level
                decision = runner.stronger(source, confirmed)
                if source == "voice" or not confirmed:
                    assert not decision.allowed and runner.level == before
            else:
                time.sleep(0.03)
            left, right, amplitude = _levels(board)
            assert not (left and right)
            assert amplitude * FULL <= top + 1e-6
        runner.stop("property test stop")
        assert _levels(board) == (0.0, 0.0, 0.0)
        runner.join(2)
        assert not runner.running and _levels(board) == (0.0, 0.0, 0.0)
        peaks = [float(s.state) * FULL for s in board.factory.pin(hat_settings.amplitude_pin).states]
        assert max(peaks) <= top + 1e-6
    finally:
        runner.stop("teardown")
        runner.join(2)
        hat.close()
        board.close()
