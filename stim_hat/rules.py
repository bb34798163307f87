"""The shape of one block and the patient's intensity controls (pure: numbers in, numbers out).

A block is whole cycles of: ramp up, hold for ``on_seconds``, ramp down, rest for
``off_seconds``. It always ends at the end of a cycle, so a normal end has already ramped down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from stim_hat.prescription import Prescription

EPSILON_MA = 1e-6


@dataclass(frozen=True)
class Phase:
    """Where a block is at ``elapsed`` seconds: the phase name, the set-point and the on-phase time."""

    name: str  # ramp_up | hold | ramp_down | off | done
    amplitude_ma: float
    output_on: bool
    on_phase_seconds: float


def cycle_seconds(rx: Prescription) -> float:
    """One cycle: ramp up, hold, ramp down, rest."""
    return 2 * rx.ramp_seconds + rx.on_seconds + rx.off_seconds


def cycles_in_block(rx: Prescription) -> int:
    """Whole cycles that fit in the prescribed block (at least one)."""
    return max(1, math.floor(rx.block_minutes * 60 / cycle_seconds(rx)))


def block_seconds(rx: Prescription) -> float:
    """The length of a whole block."""
    return cycles_in_block(rx) * cycle_seconds(rx)


def profile(rx: Prescription, level_ma: float, elapsed: float) -> Phase:
    """The set-point at ``elapsed`` seconds into a block played at ``level_ma``."""
    if elapsed < 0 or elapsed >= block_seconds(rx):
        return Phase("done", 0.0, False, 0.0)
    t = elapsed % cycle_seconds(rx)
    ramp, on = rx.ramp_seconds, rx.on_seconds
    if t < ramp:
        return Phase("ramp_up", level_ma * t / ramp, True, t)
    if t < ramp + on:
        return Phase("hold", level_ma, True, t)
    if t < 2 * ramp + on:
        return Phase("ramp_down", level_ma * (2 * ramp + on - t) / ramp, True, t)
    return Phase("off", 0.0, False, 0.0)


def lower_one_step(level_ma: float, rx: Prescription) -> float:
    """'Too strong': one step down, never below zero."""
    return max(0.0, level_ma - rx.step_ma)


def raise_one_step(level_ma: float, rx: Prescription, ceiling_ma: float) -> float:
    """One step up, never above the plan's maximum nor the device ceiling."""
    return min(level_ma + rx.step_ma, rx.max_amplitude_ma, ceiling_ma)


def max_ramp_rate(rx: Prescription) -> float:
    """The fastest rise the plan allows, in mA per second."""
    return rx.max_amplitude_ma / rx.ramp_seconds
