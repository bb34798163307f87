"""The plan's ``[stimulation]`` section, parsed into a frozen dataclass (pure: dict in, values out).

A half-understood section is never used: any problem gives a disabled prescription plus the list
of problems (file, line, field, plain message). Values beyond the device's limits are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from stim_hat.settings import HatSettings, Problem

SECTION = "stimulation"

# Facial sites a therapist may prescribe (patient's own anatomical side).
KNOWN_SITES = (
    "frontalis",
    "corrugator",
    "nasalis",
    "levator_labii",
    "zygomaticus",
    "risorius",
    "buccinator",
    "orbicularis_oris",
    "depressor_anguli_oris",
    "depressor_labii",
    "mentalis",
)
# Places electrodes must never go; named so the refusal can say why.
FORBIDDEN_SITES = {
    "eye": "never on the eyes or eyelids",
    "eyelid": "never on the eyes or eyelids",
    "orbicularis_oculi": "never on the eyes or eyelids",
    "neck": "never over the front of the neck",
    "anterior_neck": "never over the front of the neck",
    "carotid": "never over the front of the neck",
    "platysma": "never over the front of the neck",
    "across_head": "never across the head",
    "temple": "never across the head",
}


@dataclass(frozen=True)
class DeviceLimits:
    """What the device allows whatever a plan says (see stim_hat/README.md)."""

    ceiling_ma: float = 10.0
    max_pulse_width_us: int = 300
    min_frequency_hz: float = 1.0
    max_frequency_hz: float = 100.0
    min_ramp_seconds: float = 1.0


def device_limits(hat: HatSettings) -> DeviceLimits:
    """The limits of the installed board: the ceiling is the lower of the setting and the board's full scale."""
    return DeviceLimits(ceiling_ma=min(float(hat.max_current_ma), float(hat.amplitude_full_scale_ma)))


@dataclass(frozen=True)
class Prescription:
    """Everything about stimulation the therapist prescribed; disabled unless the plan enables it."""

    enabled: bool = False
    side: str = "left"
    sites: tuple[str, ...] = ()
    max_amplitude_ma: float = 0.0
    start_amplitude_ma: float = 0.0
    step_ma: float = 0.5
    pulse_width_us: int = 200
    frequency_hz: float = 30.0
    on_seconds: float = 5.0
    off_seconds: float = 10.0
    ramp_seconds: float = 3.0
    block_minutes: float = 10.0
    minutes_per_side_per_day: float = 10.0
    minutes_per_day: float = 20.0
    rest_between_blocks_minutes: float = 60.0
    require_face_visible: bool = True
    synkinesis_cleared: bool = False


# field: (type, low, high); fields named in _bounds take (some) bounds from the device limits.
_NUMBERS: dict[str, tuple[type, float, float]] = {
    "max_amplitude_ma": (float, 0.1, 0),
    "start_amplitude_ma": (float, 0.0, 0),
    "step_ma": (float, 0.1, 2.0),
    "pulse_width_us": (int, 20, 0),
    "frequency_hz": (float, 0, 0),
    "on_seconds": (float, 1, 60),
    "off_seconds": (float, 1, 600),
    "ramp_seconds": (float, 0, 30),
    "block_minutes": (float, 1, 60),
    "minutes_per_side_per_day": (float, 1, 120),
    "minutes_per_day": (float, 1, 120),
    "rest_between_blocks_minutes": (float, 0, 1440),
}
_BOOLS = ("enabled", "require_face_visible", "synkinesis_cleared")


def _bounds(name: str, limits: DeviceLimits) -> tuple[float, float]:
    _tp, low, high = _NUMBERS[name]
    device = {
        "max_amplitude_ma": (low, limits.ceiling_ma),
        "start_amplitude_ma": (low, limits.ceiling_ma),
        "pulse_width_us": (low, limits.max_pulse_width_us),
        "frequency_hz": (limits.min_frequency_hz, limits.max_frequency_hz),
        "ramp_seconds": (limits.min_ramp_seconds, high),
    }
    return device.get(name, (low, high))


def _number(name: str, value: Any, limits: DeviceLimits) -> tuple[float | int | None, str | None]:
    tp = _NUMBERS[name][0]
    if isinstance(value, bool) or not isinstance(value, int | float) or (tp is int and isinstance(value, float)):
        return None, f"must be {'a whole number' if tp is int else 'a number'}, got {value!r}"
    low, high = _bounds(name, limits)
    if not low <= value <= high:
        beyond = " (beyond the device limit)" if name in ("max_amplitude_ma", "pulse_width_us", "frequency_hz") else ""
        return None, f"must be between {low:g} and {high:g}{beyond}, got {value!r}"
    return tp(value), None


def _sites(value: Any) -> tuple[tuple[str, ...], str | None]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return (), "must be a list of one or more site names in quotes"
    for site in value:
        if site in FORBIDDEN_SITES:
            return (), f"{site!r} is not allowed: electrodes go {FORBIDDEN_SITES[site]}"
        if site not in KNOWN_SITES:
            return (), f"unknown site {site!r} (known: {', '.join(KNOWN_SITES)})"
    return tuple(value), None


def parse_prescription(
    raw: dict[str, Any],
    limits: DeviceLimits,
    *,
    filename: str = "<plan>",
    lines: dict[str, int] | None = None,
) -> tuple[Prescription, list[Problem]]:
    """The prescription in ``raw['stimulation']`` and its problems (disabled when there are any)."""
    lines = lines or {}
    section = raw.get(SECTION)
    if section is None:
        return Prescription(), []
    where = lines.get(SECTION, 1)
    if not isinstance(section, dict):
        return Prescription(), [Problem(filename, where, SECTION, "must be a [stimulation] table")]
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    known = {f.name for f in fields(Prescription)}

    def problem(key: str, message: str) -> None:
        problems.append(Problem(filename, lines.get(f"{SECTION}.{key}", where), f"{SECTION}.{key}", message))

    for key, value in section.items():
        if key not in known:
            problem(key, f"unknown field (known: {', '.join(sorted(known))})")
        elif key in _BOOLS:
            if isinstance(value, bool):
                values[key] = value
            else:
                problem(key, f"must be true or false, got {value!r}")
        elif key == "side":
            if value in ("left", "right"):
                values[key] = value
            else:
                problem(key, f"must be left or right (one side per plan), got {value!r}")
        elif key == "sites":
            sites, message = _sites(value)
            values[key] = sites
            if message:
                problem(key, message)
        else:
            number, message = _number(key, value, limits)
            if message:
                problem(key, message)
            else:
                values[key] = number
    if not values.get("enabled", False):
        return Prescription(), problems
    for required in ("side", "sites", "max_amplitude_ma"):
        if required not in values and not any(p.field == f"{SECTION}.{required}" for p in problems):
            problem(required, "is required when stimulation is enabled")
    if problems:
        return Prescription(), problems
    rx = Prescription(**values)
    problems.extend(_consistency(rx, filename, lines, where))
    if "start_amplitude_ma" not in values:
        rx = _with_start(rx)
    return (Prescription(), problems) if problems else (rx, [])


def _with_start(rx: Prescription) -> Prescription:
    start = max(rx.step_ma, round((rx.max_amplitude_ma / 2) / rx.step_ma) * rx.step_ma)
    return replace(rx, start_amplitude_ma=min(start, rx.max_amplitude_ma))


def _consistency(rx: Prescription, filename: str, lines: dict[str, int], where: int) -> list[Problem]:
    out: list[Problem] = []

    def add(key: str, message: str) -> None:
        out.append(Problem(filename, lines.get(f"{SECTION}.{key}", where), f"{SECTION}.{key}", message))

    if rx.start_amplitude_ma > rx.max_amplitude_ma:
        add("start_amplitude_ma", "must not be above max_amplitude_ma")
    if rx.minutes_per_side_per_day < rx.block_minutes:
        add("minutes_per_side_per_day", "must be at least block_minutes")
    if rx.minutes_per_day < rx.minutes_per_side_per_day:
        add("minutes_per_day", "must be at least minutes_per_side_per_day")
    if rx.block_minutes * 60 < 2 * rx.ramp_seconds + rx.on_seconds + rx.off_seconds:
        add("block_minutes", "is shorter than one on/off cycle with its ramps")
    return out
