"""Landmarks in their own thread: the newest frame wins, older waiting frames are dropped (no backlog)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.devices.base import Frame
from kiosk.vision.analyse import Observation, observe
from kiosk.vision.landmarker import Landmarker

log = logging.getLogger(__name__)


@dataclass
class WorkerStats:
    """What the worker did: frames submitted, processed and dropped for a newer one."""

    submitted: int = 0
    processed: int = 0
    dropped: int = 0


class LandmarkWorker:
    """Runs the landmarker on the newest submitted frame; results go to ``on_result`` and ``latest``."""

    def __init__(self, landmarker: Landmarker, on_result: Callable[[Observation], None] | None = None) -> None:
        self._landmarker = landmarker
        self._on_result = on_result or (lambda obs: None)
        self._pending: Frame | None = None
        self._wake = threading.Condition()
        self._stop = False
        self.latest: Observation | None = None
        self.stats = WorkerStats()
        self._thread = threading.Thread(target=self._run, name="landmarks", daemon=True)

    def start(self) -> LandmarkWorker:
        """Start the thread; returns self."""
        self._thread.start()
        return self

    def submit(self, frame: Frame) -> None:
        """Offer a frame; a frame still waiting is replaced (and counted as dropped)."""
        with self._wake:
            if self._pending is not None:
                self.stats.dropped += 1
            self._pending = frame
            self.stats.submitted += 1
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._stop:
                    self._wake.wait()
                if self._stop:
                    return
                frame, self._pending = self._pending, None
            observation = observe(self._landmarker, frame.image, frame.t)
            self.latest = observation
            self.stats.processed += 1
            self._on_result(observation)

    def idle(self) -> bool:
        """True when no frame is waiting."""
        with self._wake:
            return self._pending is None

    def close(self, timeout: float = 2.0) -> None:
        """Stop the thread (idempotent) and close the landmarker."""
        with self._wake:
            self._stop = True
            self._wake.notify()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._landmarker.close()
