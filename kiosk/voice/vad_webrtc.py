"""WebRTC voice-activity detector (webrtcvad-wheels: MIT, a small C library, no model file).

It classifies each 10 ms frame of 16 kHz audio directly; ``aggressiveness`` 0..3 trades missed
speech for fewer noise frames called speech.
"""

from __future__ import annotations

import numpy as np

RATE = 16000


def available() -> bool:
    """Whether webrtcvad (from webrtcvad-wheels) is installed."""
    try:
        import webrtcvad  # noqa: F401
    except ImportError:
        return False
    return True


class WebrtcDetector:
    """Speech or not for each 10 ms frame, from the WebRTC detector."""

    name = "webrtc"

    def __init__(self, aggressiveness: int = 3) -> None:
        import webrtcvad

        self.aggressiveness = aggressiveness
        self._vad = webrtcvad.Vad(aggressiveness)

    def is_speech(self, frame: np.ndarray, in_speech: bool) -> bool:
        """Whether ``frame`` is speech (the detector has its own smoothing; ``in_speech`` unused)."""
        return bool(self._vad.is_speech(np.asarray(frame, dtype=np.int16).tobytes(), RATE))

    def reset(self) -> None:
        """Start a fresh detector (its noise estimate is forgotten)."""
        import webrtcvad

        self._vad = webrtcvad.Vad(self.aggressiveness)

    def __repr__(self) -> str:
        return f"<WebrtcDetector aggressiveness={self.aggressiveness}>"
