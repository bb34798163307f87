"""Choose real or fake devices: ``FACECOACH_HARDWARE`` = real | fake | auto (or ``--demo``).

- ``fake``: every device family is a fake (demo, tests, laptops); the HAT runs on gpiozero's
  MockFactory.
- ``real``: real adapters; a missing device is reported, never replaced.
- ``auto``: real where the device is found, fake where it is not, and the status says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from kiosk.devices.base import Camera, DeviceState, Listener, Speaker
from kiosk.devices.fakes import FakeCamera, FakeListener, FakeSpeaker
from kiosk.settings import Settings

ENV_HARDWARE = "FACECOACH_HARDWARE"
MODES = ("real", "fake", "auto")


class HardwareModeError(ValueError):
    """FACECOACH_HARDWARE holds something other than real, fake or auto."""


def hardware_mode(demo: bool = False, environ: dict[str, str] | None = None) -> str:
    """The mode in force: --demo wins, then the environment, then 'real'."""
    if demo:
        return "fake"
    env = os.environ if environ is None else environ
    mode = env.get(ENV_HARDWARE, "real").strip().lower() or "real"
    if mode not in MODES:
        raise HardwareModeError(f"{ENV_HARDWARE}={mode!r} is not one of {', '.join(MODES)}")
    return mode


@dataclass
class Devices:
    """Everything the kiosk talks to, plus what the status screen says about each."""

    mode: str
    camera: Camera | None
    speaker: Speaker
    listener: Listener | None
    hat: Any = None
    states: dict[str, DeviceState] = field(default_factory=dict)

    def close(self) -> None:
        """Close every device (idempotent); the HAT first, so outputs go off before anything else."""
        for device in (self.hat, self.listener, self.camera, self.speaker):
            if device is not None:
                device.close()


def build_devices(settings: Settings, mode: str) -> Devices:
    """Build the devices for ``mode``. Real adapters are added by their own modules."""
    states: dict[str, DeviceState] = {}
    camera: Camera | None = FakeCamera(width=settings.camera.width, height=settings.camera.height)
    states["camera"] = DeviceState("camera", "fake", "demo pictures")
    listener: Listener | None = FakeListener()
    states["microphone"] = DeviceState("microphone", "fake", "demo voice")
    speaker: Speaker = FakeSpeaker()
    states["speaker"] = DeviceState("speaker", "fake", "speech shown as text")
    states["hat"] = DeviceState("hat", "fake", "simulated board (gpiozero MockFactory)")
    if mode == "real":
        # Until a real adapter is present for a family it is reported missing, never faked.
        camera, listener = None, None
        states["camera"] = DeviceState("camera", "missing", "", "Plug in the camera and restart.")
        states["microphone"] = DeviceState("microphone", "missing", "", "Plug in a microphone; touch still works.")
        states["hat"] = DeviceState("hat", "missing", "", "No stimulation board: stimulation stays off.")
    return Devices(mode=mode, camera=camera, speaker=speaker, listener=listener, states=states)
