"""Choose real or fake devices: ``FACECOACH_HARDWARE`` = real | fake | auto (or ``--demo``).

- ``fake``: every device family is a fake (demo, tests, laptops); the HAT runs on gpiozero's
  MockFactory.
- ``real``: real adapters; a missing device is reported, never replaced.
- ``auto``: real where the device is found, fake where it is not, and the status says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.devices.base import Camera, DeviceState, Listener, Speaker
from kiosk.hat_pins import remember_pins
from kiosk.settings import Settings

ENV_HARDWARE = "FACECOACH_HARDWARE"
ENV_DEMO_VIDEO = "FACECOACH_DEMO_VIDEO"
SHARED_DEMO_CLIP = Path(__file__).resolve().parents[3] / "shared" / "data" / "faces" / "liveportrait_d9.mp4"
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
    board: Any = None  # the simulated stimulation board in fake mode (stim_hat.board_sim)
    states: dict[str, DeviceState] = field(default_factory=dict)

    def close(self) -> None:
        """Close every device (idempotent); the HAT first, so outputs go off before anything else."""
        for device in (self.hat, self.board, self.listener, self.camera, self.speaker):
            if device is not None:
                device.close()


def demo_video(settings: Settings, environ: dict[str, str] | None = None) -> Path | None:
    """A face video to replay as the demo camera: camera.source when it is a file, then
    FACECOACH_DEMO_VIDEO, then a clip from ../shared/data/faces beside a source checkout."""
    env = os.environ if environ is None else environ
    candidates = [settings.camera.source, env.get(ENV_DEMO_VIDEO, ""), str(SHARED_DEMO_CLIP)]
    for candidate in candidates:
        if candidate and candidate not in ("auto", "usb", "picamera") and Path(candidate).expanduser().is_file():
            return Path(candidate).expanduser()
    return None


def active_engine_name(settings: Settings, mode: str) -> str:
    """Which speech recogniser listens (for the status line)."""
    if mode == "fake":
        return "demo voice"
    from kiosk.voice import active_engine

    return str(active_engine(settings))


def build_devices(settings: Settings, mode: str) -> Devices:
    """Build the devices for ``mode``; each family reports what it found."""
    from kiosk.vision.factory import open_camera

    states: dict[str, DeviceState] = {}
    video = demo_video(settings) if mode == "fake" else None
    if video is not None:
        from kiosk.vision.camera import FileCamera

        camera: Camera | None = FileCamera(video, loop=True)
        states["camera"] = DeviceState("camera", "fake", f"replaying {video.name}")
    else:
        camera, states["camera"] = open_camera(settings, mode)
    from kiosk.voice import open_listener, open_speaker

    listener, states["microphone"] = open_listener(settings, mode)
    speaker, states["speaker"] = open_speaker(settings, mode)
    states["voice"] = DeviceState("voice", "fake" if mode == "fake" else "found", active_engine_name(settings, mode))
    hat, board, states["hat"] = open_hat(settings, mode)
    return Devices(mode=mode, camera=camera, speaker=speaker, listener=listener, hat=hat, board=board, states=states)


def open_hat(settings: Settings, mode: str) -> tuple[Any, Any, DeviceState]:
    """The stimulation HAT driver (all outputs off), the simulated board behind it in fake mode, and its status.

    Real mode drives the pins only when ``hat.installed`` says a board is fitted. The board is used
    only through stim_hat's runner, and only when a signed plan enables stimulation.
    """
    from stim_hat.driver import StimHat
    from stim_hat.exc import HatUnavailable

    if mode == "fake":
        from stim_hat.board_sim import BoardSim

        board = BoardSim(settings.hat)
        try:
            hat = StimHat(settings.hat, pin_factory=board.factory)
        except HatUnavailable:
            board.close()
            raise
        return hat, board, DeviceState("hat", "fake", "simulated board (gpiozero MockFactory)")
    if not settings.hat.installed:
        return None, None, DeviceState("hat", "missing", "", "No stimulation board fitted: stimulation stays off.")
    try:
        hat = StimHat(settings.hat)
        remember_pins(settings.hat)  # hat-off drives exactly these if the settings break later
        return hat, None, DeviceState("hat", "found", "stimulation board")
    except HatUnavailable as exc:
        return None, None, DeviceState("hat", "missing", "", f"{exc} Stimulation stays off.")
