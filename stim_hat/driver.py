"""The HAT driver: gpiozero sub-devices that start off, go off on any doubt, and say what they do.

The board contract (pins, timing, what the board does in hardware) is in stim_hat/README.md.
The driver is the software half of a two-part interlock: it refuses to enable both channels, it
refuses any output while the e-stop is latched or after a cut, and ``all_off`` always tries
every output line before it reports a failure.
"""

from __future__ import annotations

import atexit
import logging
import threading
from typing import Any

from gpiozero import (
    LED,
    MCP3008,
    Button,
    CompositeDevice,
    Device,
    DigitalInputDevice,
    DigitalOutputDevice,
    PWMOutputDevice,
)
from gpiozero.exc import GPIOZeroError

from stim_hat.exc import EStopLatched, HatUnavailable, OutputsInhibited, SafetyViolation
from stim_hat.prescription import device_limits
from stim_hat.settings import HatSettings

log = logging.getLogger(__name__)

SIDES = ("left", "right")
PWM_FREQUENCY_HZ = 1000  # set-point PWM; the board low-pass filters it into a DC reference


def full_scale_ma(hat: HatSettings) -> float:
    """The current the board makes at 100 % set-point (calibration)."""
    return float(hat.amplitude_full_scale_ma)


def ceiling_ma(hat: HatSettings) -> float:
    """The absolute device ceiling in mA: the lower of the setting and the board's full scale."""
    return device_limits(hat).ceiling_ma


class StimHat(CompositeDevice):
    """The stimulation HAT as named gpiozero sub-devices; every output starts off."""

    def __init__(self, hat: HatSettings, *, pin_factory: Any = None) -> None:
        self._lock = threading.RLock()
        self._closed_once = False
        self._estop_latched = False
        self._inhibit: str | None = None
        self._hat = hat
        devices: dict[str, Any] = {}
        if pin_factory is not None and Device.pin_factory is None:
            # gpiozero's software SPI bus asks for a default factory even when given one.
            Device.pin_factory = pin_factory
        try:
            # Outputs first, each created in its off state, so no line is ever driven high at start.
            devices["left"] = DigitalOutputDevice(hat.left_enable_pin, initial_value=False, pin_factory=pin_factory)
            devices["right"] = DigitalOutputDevice(hat.right_enable_pin, initial_value=False, pin_factory=pin_factory)
            devices["amplitude"] = PWMOutputDevice(
                hat.amplitude_pin, initial_value=0.0, frequency=PWM_FREQUENCY_HZ, pin_factory=pin_factory
            )
            devices["heartbeat"] = DigitalOutputDevice(hat.heartbeat_pin, initial_value=False, pin_factory=pin_factory)
            devices["led"] = LED(hat.status_led_pin, initial_value=False, pin_factory=pin_factory)
            devices["estop"] = Button(hat.estop_pin, pull_up=True, pin_factory=pin_factory)
            devices["feedback"] = DigitalInputDevice(hat.output_active_pin, pull_up=False, pin_factory=pin_factory)
            devices["contact"] = MCP3008(channel=hat.contact_adc_channel, pin_factory=pin_factory)
            super().__init__(
                _order=("left", "right", "amplitude", "heartbeat", "led", "estop", "feedback", "contact"),
                pin_factory=pin_factory,
                **devices,
            )
        except (GPIOZeroError, OSError, RuntimeError) as exc:
            self._closed_once = True
            for device in devices.values():
                device.close()
            raise HatUnavailable(f"The stimulation board cannot be opened: {exc}") from exc
        self.estop.when_pressed = self._on_estop
        if self.estop.is_pressed:
            self._on_estop()
        atexit.register(self.close)

    # ----- state -------------------------------------------------------------------------
    @property
    def ceiling_ma(self) -> float:
        """The absolute device ceiling in mA."""
        return ceiling_ma(self._hat)

    @property
    def amplitude_ma(self) -> float:
        """The amplitude set-point in mA."""
        return 0.0 if self._closed_once else float(self.amplitude.value) * full_scale_ma(self._hat)

    @property
    def enabled_side(self) -> str | None:
        """'left', 'right' or None (both enables off)."""
        if self._closed_once:
            return None
        on = [side for side in SIDES if self._named[side].value]
        return on[0] if len(on) == 1 else None if not on else "both"

    @property
    def armed(self) -> bool:
        """True while a channel's enable line is on."""
        return self.enabled_side is not None

    @property
    def estop_latched(self) -> bool:
        """True from an e-stop press until ``reset_estop``."""
        return self._estop_latched

    @property
    def inhibited(self) -> str | None:
        """Why outputs are cut until ``rearm`` (None when they may be used)."""
        return self._inhibit

    @property
    def output_active(self) -> bool:
        """The board's own report that current is flowing."""
        return bool(self.feedback.value)

    def contact_level(self) -> float:
        """Electrode-contact sense, 0 to 1 (the board maps good contact to a high reading)."""
        return float(self.contact.value)

    def side_ma(self, side: str) -> float:
        """The current commanded on one side."""
        return self.amplitude_ma if self.enabled_side == side else 0.0

    def __repr__(self) -> str:
        if self._closed_once:
            return "<StimHat closed>"
        return f"<StimHat left={self.side_ma('left'):.1f}mA right={self.side_ma('right'):.1f}mA armed={self.armed}>"

    # ----- commands ----------------------------------------------------------------------
    def set_output(self, side: str, ma: float) -> None:
        """Enable one side at ``ma`` (0 allowed); refuses anything the interlock forbids."""
        if side not in SIDES:
            raise SafetyViolation(f"Unknown side {side!r}; use left or right.")
        if not 0.0 <= ma <= self.ceiling_ma:
            raise SafetyViolation(f"{ma:.2f} mA is outside 0 to {self.ceiling_ma:.1f} mA (the device ceiling).")
        with self._lock:
            self._check_may_output()
            other = self._named["right" if side == "left" else "left"]
            if other.value:
                raise SafetyViolation("The other side is still on; both sides are never on together.")
            self.amplitude.value = ma / full_scale_ma(self._hat)
            self._named[side].on()
            self.led.on()

    def set_amplitude(self, ma: float) -> None:
        """Change the set-point only (lowering is always allowed, even after a cut)."""
        if not 0.0 <= ma <= self.ceiling_ma:
            raise SafetyViolation(f"{ma:.2f} mA is outside 0 to {self.ceiling_ma:.1f} mA (the device ceiling).")
        with self._lock:
            if ma > self.amplitude_ma:
                self._check_may_output()
            self.amplitude.value = ma / full_scale_ma(self._hat)

    def lower_to(self, ma: float) -> None:
        """Bring the set-point down to at most ``ma``; never raises it, allowed in any state (after a cut too)."""
        with self._lock:
            if 0.0 <= ma < self.amplitude_ma:
                self.amplitude.value = ma / full_scale_ma(self._hat)

    def toggle_heartbeat(self) -> None:
        """One heartbeat edge; only the runner's safety loop calls this, after its checks pass."""
        with self._lock:
            self._check_may_output()
            self.heartbeat.toggle()

    def all_off(self) -> None:
        """Amplitude to zero and both enables off; tries every line, then re-raises the first failure."""
        with self._lock:
            if self._closed_once:
                return
            failures: list[BaseException] = []
            for action in (self.left.off, self.right.off, self._zero_amplitude, self.led.off):
                try:
                    action()
                except Exception as exc:  # noqa: BLE001 - keep turning the other lines off, then re-raise
                    log.critical("could not turn a stimulation line off: %s", exc)
                    failures.append(exc)
            if failures:
                raise failures[0]

    def cut(self, reason: str) -> None:
        """Turn everything off and refuse output until ``rearm``."""
        with self._lock:
            if self._inhibit is None:
                self._inhibit = reason
            self.all_off()

    def rearm(self) -> None:
        """Allow output again after a cut; never clears a latched e-stop."""
        with self._lock:
            if self._estop_latched:
                raise EStopLatched("The emergency stop was pressed; reset it deliberately first.")
            self._inhibit = None

    def reset_estop(self) -> None:
        """The deliberate reset of a latched e-stop (the button must be released first)."""
        with self._lock:
            if self.estop.is_pressed:
                raise EStopLatched("The emergency stop button is still pressed; release it first.")
            self._estop_latched = False

    def close(self) -> None:
        """All outputs off, then release the pins (idempotent)."""
        with self._lock:
            if self._closed_once:
                return
            try:
                self.all_off()
            finally:
                self._closed_once = True
                atexit.unregister(self.close)
                super().close()

    # ----- internals ---------------------------------------------------------------------
    def _zero_amplitude(self) -> None:
        self.amplitude.value = 0.0

    def _check_may_output(self) -> None:
        if self._closed_once:
            raise OutputsInhibited("The stimulation board is closed.")
        if self._estop_latched:
            raise EStopLatched("The emergency stop was pressed; outputs stay off until it is reset.")
        if self._inhibit is not None:
            raise OutputsInhibited(f"Outputs were cut ({self._inhibit}); start a new block to use them.")

    def _on_estop(self) -> None:
        # Runs in the pin's callback thread: off first, then the latch, then the log.
        self._estop_latched = True
        self.cut("emergency stop")
        log.warning("emergency stop pressed: outputs off, latched")


def force_all_off(hat: HatSettings, *, pin_factory: Any = None) -> list[str]:
    """Drive both enables low and the amplitude to zero without the rest of the HAT (``hat-off``).

    Returns the lines it set, for the caller to print. Raises HatUnavailable when the pins cannot
    be opened (for example because the kiosk holds them: stop the kiosk, whose own close turns
    outputs off, then run this again).
    """
    done: list[str] = []
    devices: list[Any] = []
    try:
        for name, pin in (("left enable", hat.left_enable_pin), ("right enable", hat.right_enable_pin)):
            devices.append(DigitalOutputDevice(pin, initial_value=False, pin_factory=pin_factory))
            done.append(f"{name} (GPIO{pin}) off")
        amp = PWMOutputDevice(hat.amplitude_pin, initial_value=0.0, pin_factory=pin_factory)
        devices.append(amp)
        done.append(f"amplitude (GPIO{hat.amplitude_pin}) 0 mA")
    except (GPIOZeroError, OSError, RuntimeError) as exc:
        raise HatUnavailable(f"Could not reach the stimulation pins: {exc}") from exc
    finally:
        for device in devices:
            device.close()
    return done
