"""`facecoach hat-off`: force every stimulation HAT output low. The last line of defence.

systemd runs it after the kiosk stops for any reason (ExecStopPost=) and before it starts. It
deliberately uses gpiozero directly with the pins from ``kiosk.settings.HatSettings`` and nothing
of the full driver in stim_hat/, so it has few moving parts. Each output is handled on its own, so
one bad pin cannot keep the others on. It never raises: problems are printed in plain words and
told by the exit code.

Exit codes: 0 every output is low; 2 some output could not be set; 3 no GPIO on this computer;
4 the outputs are low but the board still reports its output as active.
"""

from __future__ import annotations

import argparse
import logging
import os
import warnings
from dataclasses import dataclass
from typing import Any

from kiosk.settings import HatSettings
from kiosk.settings_files import load_settings

log = logging.getLogger(__name__)

# Every line the Pi drives on the HAT (name, HatSettings field). PWM amplitude is driven as plain low.
OUTPUTS = (
    ("left enable", "left_enable_pin"),
    ("right enable", "right_enable_pin"),
    ("amplitude", "amplitude_pin"),
    ("heartbeat", "heartbeat_pin"),
    ("status LED", "status_led_pin"),
)
FEEDBACK = ("output active", "output_active_pin")

EXIT_OK, EXIT_PIN_FAILED, EXIT_NO_GPIO, EXIT_STILL_ACTIVE = 0, 2, 3, 4


@dataclass(frozen=True)
class PinResult:
    """What happened to one line: its level after forcing (0/1), or why it could not be set."""

    name: str
    pin: int
    level: int | None
    error: str = ""


class NoGpioError(RuntimeError):
    """This computer has no GPIO gpiozero can use."""


def mock_factory() -> Any:
    """gpiozero's simulated board (used with --mock or FACECOACH_HARDWARE=fake)."""
    from gpiozero.pins.mock import MockFactory

    return MockFactory()


def _force_low(pin: int, factory: Any) -> int:
    from gpiozero import DigitalOutputDevice

    device = DigitalOutputDevice(pin, initial_value=False, pin_factory=factory)
    try:
        device.off()
        return int(device.value)
    finally:
        device.close()  # the pin becomes an input; the board's pull-downs keep the line off


def force_off(hat: HatSettings, factory: Any = None) -> list[PinResult]:
    """Drive every HAT output low; ``factory`` None means gpiozero's default (the real GPIO)."""
    from gpiozero.exc import BadPinFactory, GPIOZeroError, PinUnknownPi

    results: list[PinResult] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gpiozero warns while it looks for a pin library
        for name, attr in OUTPUTS:
            pin = getattr(hat, attr)
            try:
                results.append(PinResult(name, pin, _force_low(pin, factory)))
            except (BadPinFactory, PinUnknownPi) as exc:
                raise NoGpioError(str(exc)) from exc
            except (GPIOZeroError, OSError, RuntimeError, ValueError) as exc:
                results.append(PinResult(name, pin, None, f"{type(exc).__name__}: {exc}"))
    return results


def read_feedback(hat: HatSettings, factory: Any = None) -> int | None:
    """The board's output-active line (1 active), or None when it cannot be read."""
    from gpiozero import DigitalInputDevice
    from gpiozero.exc import GPIOZeroError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            device = DigitalInputDevice(getattr(hat, FEEDBACK[1]), pull_up=False, pin_factory=factory)
        try:
            return int(device.value)
        finally:
            device.close()
    except (GPIOZeroError, OSError, RuntimeError, ValueError) as exc:
        log.warning("cannot read the output-active line: %s", exc)
        return None


def turn_hat_off(hat: HatSettings, factory: Any = None) -> tuple[int, list[str]]:
    """Force every output low and check the feedback; (exit code, lines to print)."""
    try:
        results = force_off(hat, factory)
    except NoGpioError as exc:
        log.debug("no pin factory: %s", exc)
        return EXIT_NO_GPIO, [
            "No GPIO was found on this computer (is it a Raspberry Pi?), so no HAT output can be on. Nothing was done."
        ]
    lines = [
        f"{r.name:<13} GPIO{r.pin:<3} " + ("low" if r.level == 0 else "HIGH" if r.level else f"NOT SET ({r.error})")
        for r in results
    ]
    if any(r.level != 0 for r in results):
        lines.append("Some HAT outputs could not be turned off. Unplug the electrodes and call for help.")
        return EXIT_PIN_FAILED, lines
    feedback = read_feedback(hat, factory)
    lines.append(
        f"{FEEDBACK[0]:<13} GPIO{getattr(hat, FEEDBACK[1]):<3} " + {0: "no", 1: "YES", None: "unknown"}[feedback]
    )
    if feedback == 1:
        lines.append("The board still says its output is on. Unplug the electrodes and call for help.")
        return EXIT_STILL_ACTIVE, lines
    lines.append("All HAT outputs are off.")
    return EXIT_OK, lines


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hat-off", help="force every stimulation HAT output off (run by systemd when the kiosk stops)")
    p.add_argument("--mock", action="store_true", help="use the simulated board (also FACECOACH_HARDWARE=fake)")
    p.add_argument("--config", help="settings file with the HAT pins")
    p.set_defaults(func=cmd_hat_off)


def cmd_hat_off(args: argparse.Namespace) -> int:
    loaded = load_settings(args.config)
    if loaded.notice:
        print(loaded.notice)
    use_mock = args.mock or os.environ.get("FACECOACH_HARDWARE", "").strip().lower() == "fake"
    factory = mock_factory() if use_mock else None
    code, lines = turn_hat_off(loaded.settings.hat, factory)
    print("\n".join((["Simulated board (gpiozero MockFactory)."] if use_mock else []) + lines))
    return code
