"""`facecoach hat-off`: force every stimulation HAT output low. The last line of defence.

systemd runs it after the kiosk stops for any reason (ExecStopPost=) and before it starts. It
deliberately uses gpiozero directly and nothing of the full driver in stim_hat/, so it has few
moving parts. Each output is handled on its own, so one bad pin cannot keep the others on. It
never guesses which pins: it drives the pins recorded when the HAT was last opened
(``kiosk/hat_pins.py``) and those of a settings file that loads cleanly; when neither is known
(a broken settings file and no record) it drives every output pin any settings named (the
defaults, the last good copy, the numbers still readable in the broken file) and says so. It
never raises: problems are printed in plain words and told by the exit code.

Exit codes: 0 every output is low; 2 some output could not be set; 3 no GPIO on this computer;
4 the outputs are low but the board still reports its output as active.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.hat_pins import remembered_pins
from kiosk.settings import Settings
from kiosk.settings_files import LoadedSettings, candidate_paths, load_settings
from stim_hat.settings import HatSettings

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


@dataclass(frozen=True)
class PinChoice:
    """The output lines to force low (a name may have several pins), the feedback pin, and why these."""

    outputs: tuple[tuple[str, int], ...]
    feedback: int
    note: str


def outputs_of(*hats: HatSettings) -> tuple[tuple[str, int], ...]:
    """Every (name, pin) of the given pin sets, each pair once, in order."""
    seen: dict[tuple[str, int], None] = {}
    for hat in hats:
        for name, attr in OUTPUTS:
            seen.setdefault((name, getattr(hat, attr)), None)
    return tuple(seen)


def salvaged_pins(path: Path) -> HatSettings | None:
    """The pin numbers still readable in the [hat] section of a settings file that does not load."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    values: dict[str, int] = {}
    section = ""
    for line in text.splitlines():
        if header := re.match(r"\s*\[([^\]]+)\]", line):
            section = header.group(1).strip()
        elif section == "hat" and (m := re.match(r"\s*(\w+_pin)\s*=\s*(\d+)\s*(#.*)?$", line)):
            values[m.group(1)] = int(m.group(2))
    known = {k: v for k, v in values.items() if k in HatSettings.__dataclass_fields__}
    return dataclasses.replace(HatSettings(), **known) if known else None


def choose_pins(loaded: LoadedSettings, remembered: HatSettings | None, files: list[Path]) -> PinChoice:
    """Which pins to drive: the recorded and the cleanly configured ones, else every pin any settings named."""
    known: list[tuple[str, HatSettings]] = []
    if remembered is not None:
        known.append(("recorded when the HAT was last opened", remembered))
    if not loaded.problems:
        known.append((f"from {loaded.source}", loaded.settings.hat))
    if known:
        hats = [hat for _, hat in known]
        return PinChoice(
            outputs_of(*hats), hats[0].output_active_pin, "Pins " + " and ".join(w for w, _ in known) + "."
        )
    hats = [loaded.settings.hat, HatSettings()]
    hats += [hat for path in files if path.exists() and (hat := salvaged_pins(path)) is not None]
    return PinChoice(
        outputs_of(*hats),
        loaded.settings.hat.output_active_pin,
        "The settings file has problems and no HAT pins were recorded, so every output pin any "
        "settings named was turned off.",
    )


def force_off(hat: HatSettings | tuple[tuple[str, int], ...], factory: Any = None) -> list[PinResult]:
    """Drive every HAT output low; ``factory`` None means gpiozero's default (the real GPIO)."""
    from gpiozero.exc import BadPinFactory, GPIOZeroError, PinUnknownPi

    outputs = hat if isinstance(hat, tuple) else outputs_of(hat)
    results: list[PinResult] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gpiozero warns while it looks for a pin library
        for name, pin in outputs:
            try:
                results.append(PinResult(name, pin, _force_low(pin, factory)))
            except (BadPinFactory, PinUnknownPi) as exc:
                raise NoGpioError(str(exc)) from exc
            except (GPIOZeroError, OSError, RuntimeError, ValueError) as exc:
                results.append(PinResult(name, pin, None, f"{type(exc).__name__}: {exc}"))
    return results


def read_feedback(pin: int, factory: Any = None) -> int | None:
    """The board's output-active line (1 active), or None when it cannot be read."""
    from gpiozero import DigitalInputDevice
    from gpiozero.exc import GPIOZeroError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            device = DigitalInputDevice(pin, pull_up=False, pin_factory=factory)
        try:
            return int(device.value)
        finally:
            device.close()
    except (GPIOZeroError, OSError, RuntimeError, ValueError) as exc:
        log.warning("cannot read the output-active line: %s", exc)
        return None


def turn_hat_off(hat: HatSettings | PinChoice, factory: Any = None) -> tuple[int, list[str]]:
    """Force every output low and check the feedback; (exit code, lines to print)."""
    choice = hat if isinstance(hat, PinChoice) else PinChoice(outputs_of(hat), hat.output_active_pin, "")
    try:
        results = force_off(choice.outputs, factory)
    except NoGpioError as exc:
        log.debug("no pin factory: %s", exc)
        return EXIT_NO_GPIO, [
            "No GPIO was found on this computer (is it a Raspberry Pi?), so no HAT output can be on. Nothing was done."
        ]
    lines = [choice.note] if choice.note else []
    lines += [
        f"{r.name:<13} GPIO{r.pin:<3} " + ("low" if r.level == 0 else "HIGH" if r.level else f"NOT SET ({r.error})")
        for r in results
    ]
    if any(r.level != 0 for r in results):
        lines.append("Some HAT outputs could not be turned off. Unplug the electrodes and call for help.")
        return EXIT_PIN_FAILED, lines
    feedback = read_feedback(choice.feedback, factory)
    lines.append(f"{FEEDBACK[0]:<13} GPIO{choice.feedback:<3} " + {0: "no", 1: "YES", None: "unknown"}[feedback])
    if feedback == 1:
        lines.append("The board still says its output is on. Unplug the electrodes and call for help.")
        return EXIT_STILL_ACTIVE, lines
    lines.append("All HAT outputs are off.")
    return EXIT_OK, lines


def hat_off(config: str | None, factory: Any = None) -> tuple[int, list[str]]:
    """The whole command: settings, the pin choice, the outputs forced low; never raises."""
    try:
        loaded = load_settings(config)
        choice = choose_pins(loaded, remembered_pins(), candidate_paths(config))
    except Exception as exc:  # noqa: BLE001 - hat-off must still turn pins off: every pin any settings named
        log.error("settings unusable for hat-off: %s", exc)
        loaded = LoadedSettings(Settings(), "the safe defaults", [])
        hats = [h for h in (remembered_pins(), HatSettings()) if h is not None]
        note = f"The settings could not be read ({exc}), so every output pin any settings named was turned off."
        choice = PinChoice(outputs_of(*hats), hats[0].output_active_pin, note)
    notice = [loaded.notice] if loaded.notice else []
    try:
        code, lines = turn_hat_off(choice, factory)
    except Exception as exc:  # noqa: BLE001 - reported with its own exit code, never a traceback
        log.exception("hat-off failed")
        return EXIT_PIN_FAILED, [
            *notice,
            f"Turning the HAT off failed: {exc}. Unplug the electrodes and call for help.",
        ]
    return code, notice + lines


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hat-off", help="force every stimulation HAT output off (run by systemd when the kiosk stops)")
    p.add_argument("--mock", action="store_true", help="use the simulated board (also FACECOACH_HARDWARE=fake)")
    p.add_argument("--config", help="settings file with the HAT pins")
    p.set_defaults(func=cmd_hat_off)


def cmd_hat_off(args: argparse.Namespace) -> int:
    use_mock = args.mock or os.environ.get("FACECOACH_HARDWARE", "").strip().lower() == "fake"
    code, lines = hat_off(args.config, mock_factory() if use_mock else None)
    print("\n".join((["Simulated board (gpiozero MockFactory)."] if use_mock else []) + lines))
    return code
