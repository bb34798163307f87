"""Camera sources behind kiosk.devices.base.Camera: USB (OpenCV), Pi camera (picamera2), file replay.

Every source returns Frames stamped with a monotonic time (file replay: the frame's time in the
video, so replays are repeatable). ``RetryingCamera`` wraps any source: when frames stop it
reopens the camera after a pause, reports each change of state, and never raises to the caller.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from kiosk.devices.base import Camera, DeviceState, Frame

log = logging.getLogger(__name__)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")


class CameraError(RuntimeError):
    """A camera or file could not be opened; the message is plain words."""


class UsbCamera:
    """A USB webcam through cv2.VideoCapture."""

    def __init__(self, index: int = 0, width: int = 640, height: int = 480) -> None:
        self.name = f"usb camera {index}"
        self._cap = cv2.VideoCapture(index)
        if not self._cap.isOpened():
            self._cap.release()
            raise CameraError(f"No camera found at number {index}. Check the cable.")
        self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)

    def read(self) -> Frame | None:
        """The newest frame, or None when the camera gave nothing."""
        ok, image = self._cap.read()
        return Frame(image=image, t=time.monotonic()) if ok and image is not None else None

    def close(self) -> None:
        self._cap.release()


class PiCamera:
    """The Raspberry Pi camera module through picamera2 (only when it is installed)."""

    def __init__(self, width: int = 640, height: int = 480) -> None:
        if importlib.util.find_spec("picamera2") is None:
            raise CameraError("The Pi camera software (picamera2) is not installed.")
        from picamera2 import Picamera2  # heavy and Pi-only: imported here

        self.name = "pi camera"
        try:
            self._cam = Picamera2()
            config = self._cam.create_video_configuration(main={"size": (width, height), "format": "BGR888"})
            self._cam.configure(config)
            self._cam.start()
        except (RuntimeError, IndexError, OSError) as exc:
            raise CameraError(f"The Pi camera did not start ({exc}). Check the ribbon cable.") from exc

    def read(self) -> Frame | None:
        """The newest frame."""
        image = self._cam.capture_array("main")
        return Frame(image=np.ascontiguousarray(image), t=time.monotonic()) if image is not None else None

    def close(self) -> None:
        self._cam.stop()
        self._cam.close()


class FileCamera:
    """Replays a video file (frame times from its frame rate) or serves one still image, then ends."""

    def __init__(self, path: str | Path, loop: bool = False) -> None:
        self.path = Path(path)
        self.name = f"file {self.path.name}"
        self.loop = loop
        self.ended = False
        self.index = 0
        if not self.path.is_file():
            raise CameraError(f"There is no file at {self.path}.")
        self._still: np.ndarray | None = None
        self._cap = None
        if self.path.suffix.lower() in IMAGE_SUFFIXES:
            self._still = cv2.imread(str(self.path))
            if self._still is None:
                raise CameraError(f"{self.path.name} is not a picture this program can read.")
            self.fps = 1.0
        else:
            self._cap = cv2.VideoCapture(str(self.path))
            ok, first = self._cap.read() if self._cap.isOpened() else (False, None)
            if not ok or first is None:
                self._cap.release()
                raise CameraError(f"{self.path.name} is not a video this program can read (damaged or unknown type).")
            self._first: np.ndarray | None = first
            self.fps = self._cap.get(cv2.CAP_PROP_FPS) or 30.0

    @property
    def is_still(self) -> bool:
        """True for a single picture, False for a video."""
        return self._still is not None

    def read(self) -> Frame | None:
        """The next frame, or None at the end (or forever again from the start when looping)."""
        if self.ended:
            return None
        if self._still is not None:
            self.ended = not self.loop
            self.index += 1
            return Frame(image=self._still, t=(self.index - 1) / self.fps)
        image = self._next_video_image()
        if image is None:
            self.ended = True
            return None
        self.index += 1
        return Frame(image=image, t=(self.index - 1) / self.fps)

    def _next_video_image(self) -> np.ndarray | None:
        if self._first is not None:
            image, self._first = self._first, None
            return image
        ok, image = self._cap.read()
        if (not ok or image is None) and self.loop:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._cap.read()
        return image if ok else None

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()


class RetryingCamera:
    """Wraps a camera factory: a camera that stops giving frames is closed and reopened after a pause.

    ``report`` is called with a DeviceState whenever the state changes (found / missing). ``clock``
    is injectable for tests. ``read`` never raises for a lost camera; it returns None meanwhile.
    """

    def __init__(
        self,
        opener: Callable[[], Camera],
        report: Callable[[DeviceState], None] | None = None,
        lost_after: int = 30,
        retry_every_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._opener, self._report = opener, report or (lambda state: None)
        self.lost_after, self.retry_every_s, self._clock = lost_after, retry_every_s, clock
        self._camera: Camera | None = None
        self._misses = 0
        self._next_try = 0.0
        self.state = "missing"
        self.reopened = 0
        self.name = "camera"
        self._try_open()

    def _set_state(self, state: str, detail: str = "", hint: str = "") -> None:
        if state != self.state:
            self.state = state
            self._report(DeviceState("camera", state, detail, hint))

    def _try_open(self) -> None:
        self._next_try = self._clock() + self.retry_every_s
        try:
            self._camera = self._opener()
        except CameraError as exc:
            log.warning("camera: %s", exc)
            self._camera = None
            self._set_state("missing", str(exc), "Plug in the camera; the kiosk keeps trying.")
            return
        self.name = self._camera.name
        self._misses = 0
        self._set_state("found", self._camera.name)

    def read(self) -> Frame | None:
        """A frame, or None while there is none (the camera is being retried in the background)."""
        if self._camera is None:
            if self._clock() >= self._next_try:
                self.reopened += 1
                self._try_open()
            return None
        frame = self._camera.read()
        if frame is not None:
            self._misses = 0
            return frame
        self._misses += 1
        if self._misses >= self.lost_after:
            log.warning("camera: no frames from %s; reopening", self._camera.name)
            self._camera.close()
            self._camera = None
            self._next_try = self._clock() + self.retry_every_s
            self._set_state("missing", "the camera stopped sending pictures", "Check the camera cable.")
        return None

    def close(self) -> None:
        if self._camera is not None:
            self._camera.close()
            self._camera = None
