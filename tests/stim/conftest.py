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
