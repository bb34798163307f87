"""A simulated HAT on gpiozero mock pins that does in "hardware" what the real board must do.

- cuts output when the heartbeat line has not changed for more than 200 ms;
- refuses both channels at once (cuts, latched);
- cuts on the e-stop button (wired to the board as well as to the Pi);
- once cut, stays cut until both enable lines are low again (re-arm), so a heartbeat that comes
  back can never re-energise an electrode by itself;
- reports what it does on the output-active feedback line, and serves the electrode-contact
  reading through a simulated MCP3008 on the SPI pins.

The board's watchdog runs in its own thread and waits on an Event between checks (5 ms), so it
keeps working while the process that drives the pins is stalled.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gpiozero.pins.mock import MockFactory, MockPWMPin, MockSPIDevice

from stim_hat.settings import HatSettings

HEARTBEAT_TIMEOUT_S = 0.2
WATCHDOG_POLL_S = 0.005
SPI_PINS = {"clock": 11, "mosi": 10, "miso": 9, "select": 8}  # gpiozero's defaults (SPI0, CE0)


class SimPin(MockPWMPin):
    """A mock pin (PWM-capable) that tells its factory's listeners about every change."""

    def _change_state(self, value: Any) -> bool:
        changed = super()._change_state(value)
        if changed:
            for listener in list(getattr(self.factory, "listeners", ())):
                listener(self, value)
        return changed


class SimFactory(MockFactory):
    """A MockFactory whose pins are SimPins and whose existing pins are reused whatever their class."""

    def __init__(self) -> None:
        super().__init__(pin_class=SimPin)
        self.listeners: list[Callable[[Any, Any], None]] = []

    def pin(self, name: Any, pin_class: Any = None, **kwargs: Any) -> Any:
        """The existing pin for ``name`` or a new one (SPI mock pins keep their own classes)."""
        for _header, info in self.board_info.find_pin(name):
            if info in self.pins:
                return self.pins[info]
            break
        return super().pin(name, pin_class=pin_class, **kwargs)


class SimMCP3008(MockSPIDevice):
    """The slave side of an MCP3008 on mock SPI pins; ``levels`` holds each channel, 0 to 1."""

    def __init__(self, factory: MockFactory) -> None:
        super().__init__(SPI_PINS["clock"], SPI_PINS["mosi"], SPI_PINS["miso"], SPI_PINS["select"], pin_factory=factory)
        self.levels = [0.0] * 8
        self._stage = "idle"

    def on_start(self) -> None:
        super().on_start()
        self._stage = "idle"

    def on_bit(self) -> None:
        # Protocol: a start 1 bit, single/differential bit, three channel bits, then 12 bits out
        # (a don't-care bit, a null bit and the 10-bit result).
        if self._stage == "idle" and self.rx_buf[-1]:
            self._stage, self.rx_buf = "mode", []
        elif self._stage == "mode":
            self._stage, self.rx_buf = "channel", []
        elif self._stage == "channel" and len(self.rx_buf) == 3:
            channel = int("".join("1" if bit else "0" for bit in self.rx_buf), 2)
            level = min(1.0, max(0.0, self.levels[channel]))
            self.tx_word(round(level * 1023), 12)
            self._stage = "result"


@dataclass(frozen=True)
class Trip:
    """One time the board cut its output by itself."""

    at: float
    reason: str


class BoardSim:
    """The simulated board. Attach it to a SimFactory (same process) or feed it pin changes."""

    def __init__(
        self,
        hat: HatSettings,
        factory: SimFactory | None = None,
        *,
        full_scale_ma: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hat = hat
        self.factory = factory or SimFactory()
        self.clock = clock
        self.full_scale_ma = float(full_scale_ma if full_scale_ma is not None else hat.amplitude_full_scale_ma)
        self._lock = threading.RLock()
        self._names = {
            hat.left_enable_pin: "left",
            hat.right_enable_pin: "right",
            hat.amplitude_pin: "amplitude",
            hat.heartbeat_pin: "heartbeat",
            hat.estop_pin: "estop",
        }
        self.inputs: dict[str, float] = {"left": 0.0, "right": 0.0, "amplitude": 0.0, "heartbeat": 0.0, "estop": 1.0}
        self.last_beat = -1e9  # no heartbeat seen yet
        self.enabled_at = -1e9
        self.tripped: str | None = None
        self.trips: list[Trip] = []
        self.on_output: list[Callable[[bool], None]] = []
        self.adc = SimMCP3008(self.factory)
        self.adc.levels[hat.contact_adc_channel] = 0.9
        self.feedback_pin = self.factory.pin(hat.output_active_pin)
        self.estop_pin = self.factory.pin(hat.estop_pin)
        self.estop_pin.drive_high()  # the button is open (pull-up): not pressed
        self.active = False
        self.factory.listeners.append(self._pin_changed)
        self._stop = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, name="board-watchdog", daemon=True)
        self._watchdog.start()

    # ----- what a test (or the demo) does to the physical board ---------------------------
    def press_estop(self) -> None:
        """Press the emergency-stop button (the line goes low)."""
        self.estop_pin.drive_low()

    def release_estop(self) -> None:
        """Release the emergency-stop button."""
        self.estop_pin.drive_high()

    def set_contact(self, level: float) -> None:
        """The electrode-contact reading the ADC will return (0 to 1)."""
        self.adc.levels[self.hat.contact_adc_channel] = level

    @property
    def current_ma(self) -> float:
        """The current the board delivers now."""
        return self.inputs["amplitude"] * self.full_scale_ma if self.active else 0.0

    @property
    def side(self) -> str | None:
        """The side that receives current now, if any."""
        if not self.active:
            return None
        return "left" if self.inputs["left"] else "right"

    # ----- inputs ------------------------------------------------------------------------
    def feed(self, name: str, level: float) -> None:
        """A line changed (used directly when the driving process is elsewhere)."""
        with self._lock:
            if name == "heartbeat" and float(level) != self.inputs["heartbeat"]:
                self.last_beat = self.clock()
            if name in ("left", "right") and level and not self._any_enabled():
                self.enabled_at = self.clock()  # the watchdog window starts when a channel is enabled
            self.inputs[name] = float(level)
            self._evaluate()

    def _pin_changed(self, pin: Any, value: Any) -> None:
        name = self._names.get(_gpio_number(pin.info.name))
        if name is not None:
            self.feed(name, float(value))

    # ----- the board's logic -------------------------------------------------------------
    def _evaluate(self) -> None:
        with self._lock:
            now = self.clock()
            both = bool(self.inputs["left"]) and bool(self.inputs["right"])
            if not self.inputs["estop"]:
                self._trip(now, "emergency stop")
            elif both:
                self._trip(now, "both channels enabled")
            elif self._beat_age(now) > HEARTBEAT_TIMEOUT_S and self._any_enabled():
                self._trip(now, "heartbeat stopped")
            if self.tripped and not self._any_enabled() and self.inputs["estop"]:
                self.tripped = None  # re-armed: both enables low and the button released
            active = (
                self.tripped is None
                and self._any_enabled()
                and self.inputs["amplitude"] > 0.0
                and self._beat_age(now) <= HEARTBEAT_TIMEOUT_S
            )
            self._set_active(active)

    def _beat_age(self, now: float) -> float:
        return now - max(self.last_beat, self.enabled_at)

    def _any_enabled(self) -> bool:
        return bool(self.inputs["left"]) or bool(self.inputs["right"])

    def _trip(self, now: float, reason: str) -> None:
        if self.tripped is None:
            self.tripped = reason
            self.trips.append(Trip(now, reason))

    def _set_active(self, active: bool) -> None:
        if active == self.active:
            return
        self.active = active
        if active:
            self.feedback_pin.drive_high()
        else:
            self.feedback_pin.drive_low()
        for callback in list(self.on_output):
            callback(active)

    def _watch(self) -> None:
        while not self._stop.wait(WATCHDOG_POLL_S):
            self._evaluate()

    def close(self) -> None:
        """Stop the watchdog thread and detach from the pins (idempotent)."""
        self._stop.set()
        if self._pin_changed in self.factory.listeners:
            self.factory.listeners.remove(self._pin_changed)
        if self._watchdog.is_alive() and self._watchdog is not threading.current_thread():
            self._watchdog.join(timeout=1)
        self.adc.close()


def _gpio_number(name: str) -> int:
    return int(name[4:]) if name.startswith("GPIO") and name[4:].isdigit() else -1
