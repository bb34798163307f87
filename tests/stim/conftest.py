"""Fixtures for the HAT tests: a simulated board on mock pins and a driver attached to it."""

from __future__ import annotations

import time
import warnings

import pytest

from kiosk.settings import HatSettings

warnings.filterwarnings("ignore", module="gpiozero")


@pytest.fixture
def hat_settings() -> HatSettings:
    return HatSettings()


@pytest.fixture
def board(hat_settings):
    from stim_hat.board_sim import BoardSim

    sim = BoardSim(hat_settings)
    yield sim
    sim.close()


@pytest.fixture
def hat(board, hat_settings):
    from stim_hat.driver import StimHat

    device = StimHat(hat_settings, pin_factory=board.factory)
    yield device
    device.close()


def pin(board, number: int):
    """The mock pin with this GPIO number."""
    return board.factory.pin(number)


def absolute_history(p, base: float) -> list[tuple[float, float]]:
    """(monotonic time, level) of every change since ``clear_states`` was called at ``base``."""
    out, t = [], base
    for state in p.states:
        t += state.timestamp
        out.append((t, float(state.state)))
    return out


def clear_all(board, numbers) -> float:
    """Clear the histories of these pins; returns the base time of the new histories."""
    base = time.monotonic()
    for number in numbers:
        pin(board, number).clear_states()
    return base


class FastClock:
    """Monotonic and wall clocks that run ``speed`` times faster than real time."""

    def __init__(self, speed: float = 1.0) -> None:
        import datetime as _dt

        self.speed = speed
        self.real0 = time.monotonic()
        self.wall0 = _dt.datetime(2026, 11, 20, 10, 0, 0)

    def monotonic(self) -> float:
        return (time.monotonic() - self.real0) * self.speed

    def wall(self):
        import datetime as _dt

        return self.wall0 + _dt.timedelta(seconds=self.monotonic())


def make_rx(**changes):
    from stim_hat.prescription import Prescription

    values = dict(
        enabled=True,
        side="left",
        sites=("frontalis", "zygomaticus"),
        max_amplitude_ma=4.0,
        start_amplitude_ma=2.0,
        step_ma=0.5,
        pulse_width_us=200,
        frequency_hz=30.0,
        on_seconds=2.0,
        off_seconds=1.0,
        ramp_seconds=1.0,
        block_minutes=1.0,
        minutes_per_side_per_day=10.0,
        minutes_per_day=20.0,
        rest_between_blocks_minutes=0.0,
        require_face_visible=True,
        synkinesis_cleared=False,
    )
    values.update(changes)
    return Prescription(**values)


def make_plan(rx=None, signed=True):
    import datetime as _dt

    from stim_hat.safety import StimPlan

    return StimPlan(signed, 3, _dt.date(2026, 11, 1), _dt.date(2027, 2, 1), rx or make_rx())


def all_clear():
    from stim_hat.runner import Surroundings

    return Surroundings(
        contraindications_confirmed=True, synkinesis_flagged=False, session_paused=False, face_visible=True
    )


@pytest.fixture
def make_runner(hat, fresh_store):
    """Build a BlockRunner on the simulated board; stops any still running at the end."""
    from kiosk.events import EventQueue
    from kiosk.stim_ledger import StoreLedger
    from stim_hat.prescription import DeviceLimits
    from stim_hat.runner import BlockRunner

    made = []

    def build(rx=None, *, speed=1.0, surroundings=all_clear, signed=True, tick_s=0.05):
        clock = FastClock(speed)
        events = EventQueue()
        runner = BlockRunner(
            hat,
            make_plan(rx, signed),
            DeviceLimits(ceiling_ma=hat.ceiling_ma),
            events.put,
            StoreLedger(fresh_store),
            surroundings,
            clock=clock.monotonic,
            wall=clock.wall,
            tick_s=tick_s,
        )
        runner.events = events  # what it reported, for the tests
        made.append(runner)
        return runner

    yield build
    for runner in made:
        if runner.running:
            runner.stop("test teardown")
            runner.join(2)


def wait_for(predicate, timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.002)
    return predicate()
