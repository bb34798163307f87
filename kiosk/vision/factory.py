"""Choose the camera for a hardware mode: ``open_camera(settings, mode) -> (camera or None, state)``."""

from __future__ import annotations

from pathlib import Path

from kiosk.devices.base import Camera, DeviceState
from kiosk.devices.fakes import FakeCamera
from kiosk.settings import Settings
from kiosk.vision.camera import CameraError, FileCamera, PiCamera, RetryingCamera, UsbCamera

HINT = "Plug in the camera and restart; exercises are not scored without it."


def _opener(settings: Settings):
    source, cam = settings.camera.source, settings.camera
    if source == "usb":
        return lambda: UsbCamera(cam.index, cam.width, cam.height)
    if source == "picamera":
        return lambda: PiCamera(cam.width, cam.height)
    if source == "auto":

        def auto() -> Camera:
            try:
                return PiCamera(cam.width, cam.height)
            except CameraError:
                return UsbCamera(cam.index, cam.width, cam.height)

        return auto
    return lambda: FileCamera(Path(source).expanduser(), loop=True)


def open_camera(settings: Settings, mode: str) -> tuple[Camera | None, DeviceState]:
    """The camera for ``mode`` (real | fake | auto) and what the status screen should say about it."""
    if mode == "fake":
        return FakeCamera(width=settings.camera.width, height=settings.camera.height), DeviceState(
            "camera", "fake", "demo pictures"
        )
    opener = _opener(settings)
    try:
        first = opener()
    except CameraError as exc:
        if mode == "auto":
            fake = FakeCamera(width=settings.camera.width, height=settings.camera.height)
            return fake, DeviceState("camera", "fake", f"no camera ({exc}); demo pictures", HINT)
        return None, DeviceState("camera", "missing", str(exc), HINT)
    opened = iter([first])
    camera = RetryingCamera(lambda: next(opened, None) or opener())
    return camera, DeviceState("camera", "found", first.name)
