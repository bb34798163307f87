"""Exceptions of the stimulation package; screens and the CLI turn them into plain words."""

from __future__ import annotations


class StimError(RuntimeError):
    """Base of every stimulation error; the message is fit to show a caregiver."""


class SafetyViolation(StimError, ValueError):
    """A command broke a safety rule (amplitude, side, interlock); it was not carried out."""


class EStopLatched(SafetyViolation):
    """The emergency stop was pressed; outputs stay off until a deliberate reset."""


class OutputsInhibited(SafetyViolation):
    """Outputs were cut (stop, fault) and stay off until the driver is re-armed."""


class HatUnavailable(StimError):
    """The HAT (pins, SPI ADC) cannot be opened; stimulation stays off."""


class SurroundingsStale(StimError):
    """The kiosk stopped telling the runner what is going on (a hung screen loop): the block ends."""


class BoardFault(StimError):
    """The board's feedback disagrees with what software commanded."""
