"""Microphone capture with sounddevice (16 kHz mono int16) in its own thread, retried when missing."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

import numpy as np

from kiosk.voice.vad import FRAME, RATE

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


class MicCapture:
    """Puts 10 ms frames on ``frames``; reports 'found' / 'missing' through ``on_state``."""

    def __init__(self, on_state: Callable[[str, str], None], retry_s: float = RETRY_SECONDS) -> None:
        self.frames: queue.Queue[np.ndarray] = queue.Queue(maxsize=1000)
        self.on_state = on_state
        self.retry_s = retry_s
        self.attempts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="microphone", daemon=True)

    def start(self) -> None:
        """Start capturing (returns at once)."""
        self._thread.start()

    def _callback(self, indata: np.ndarray, frames: int, time_info: object, status: object) -> None:
        block = indata[:, 0].copy()
        for i in range(0, len(block) - FRAME + 1, FRAME):
            try:
                self.frames.put_nowait(block[i : i + FRAME])
            except queue.Full:
                return  # the recognizer is behind; dropping audio beats growing without bound

    def _run(self) -> None:
        reported = ""
        while not self._stop.is_set():
            self.attempts += 1
            try:
                import sounddevice

                with sounddevice.InputStream(
                    samplerate=RATE, channels=1, dtype="int16", blocksize=FRAME * 2, callback=self._callback
                ):
                    self.on_state("found", "")
                    reported = "found"
                    while not self._stop.wait(0.5):
                        pass
            except Exception as exc:  # noqa: BLE001 - PortAudio errors vary by platform; all mean "no microphone"
                if reported != "missing":
                    log.warning("microphone: %s", exc)
                    self.on_state("missing", str(exc))
                    reported = "missing"
                self._stop.wait(self.retry_s)

    def close(self) -> None:
        """Stop capturing (idempotent)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)


def wait_frame(frames: queue.Queue, timeout: float = 0.2) -> np.ndarray | None:
    """The next frame, or None after ``timeout`` seconds."""
    try:
        return frames.get(timeout=timeout)
    except queue.Empty:
        return None


def monotonic() -> float:
    """The adapter's clock (kept here so pure modules never read it)."""
    return time.monotonic()
