"""What the stimulation package needs from the settings file: the HAT's pins and limits.

``stim_hat`` declares its settings here and the kiosk's settings file supplies them (the
``[hat]`` section of ``kiosk.settings.Settings``), so this package never imports the kiosk.
Pure: dataclasses only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def setting(default: Any, doc: str) -> Any:
    """A dataclass field with a default and a one-line description (read by check-config and the docs)."""
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class HatSettings:
    """Stimulation HAT pins (BCM numbering). See stim_hat/README.md."""

    installed: bool = setting(
        False, "A stimulation board is fitted. Off: the kiosk never drives the HAT pins and stimulation stays off."
    )
    left_enable_pin: int = setting(17, "Enable line of the LEFT channel.")
    right_enable_pin: int = setting(27, "Enable line of the RIGHT channel.")
    amplitude_pin: int = setting(18, "PWM set-point of the amplitude.")
    heartbeat_pin: int = setting(22, "Heartbeat line the board watches (cuts output after 200 ms).")
    estop_pin: int = setting(23, "Emergency-stop button input.")
    output_active_pin: int = setting(24, "Output-active feedback line from the board.")
    status_led_pin: int = setting(25, "Status LED.")
    contact_adc_channel: int = setting(0, "MCP3008 channel of the electrode-contact sense.")
    max_current_ma: float = setting(10.0, "Absolute device ceiling in mA; no plan can exceed it.")
    amplitude_full_scale_ma: float = setting(10.0, "Calibration: current at 100 % set-point, in mA.")
    contact_min_level: float = setting(0.5, "Electrode-contact reading (0 to 1) below which contact counts as lost.")


@dataclass(frozen=True)
class Problem:
    """One problem in a settings (or plan, or content) file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"
