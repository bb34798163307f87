"""Where rendered speech goes: the sound card (sounddevice/PortAudio), or a recorder for tests and checks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from kiosk.voice.tts_engines import Audio, TtsError


class AudioSink(Protocol):
    """Plays one piece of audio at a volume (0..1) and returns when it has been played."""

    def play(self, audio: Audio, volume: float) -> None: ...

    def close(self) -> None: ...


def scaled(audio: Audio, volume: float) -> np.ndarray:
    """The samples at ``volume`` (0..1), clipped to 16 bits."""
    return np.clip(audio.samples.astype(np.float32) * volume, -32768, 32767).astype(np.int16)


class SoundDeviceSink:
    """The default sound output through sounddevice (PortAudio); raises TtsError when there is none."""

    def __init__(self) -> None:
        try:
            import sounddevice

            sounddevice.check_output_settings(channels=1, dtype="int16", samplerate=22050)
        except Exception as exc:  # noqa: BLE001 - PortAudio missing or no output device: the caller falls back
            raise TtsError(f"no sound output: {exc}") from exc
        self._sd = sounddevice

    def play(self, audio: Audio, volume: float) -> None:
        self._sd.play(scaled(audio, volume), audio.rate, blocking=True)

    def close(self) -> None:
        self._sd.stop()


class RecordingSink:
    """Keeps what would have been played, with the clock time each piece started (no sound card needed)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.played: list[tuple[float, Audio, float]] = []  # (start time, audio, volume)
        self.closed = False
        self._clock = clock

    def play(self, audio: Audio, volume: float) -> None:
        self.played.append((self._clock(), audio, volume))

    def close(self) -> None:
        self.closed = True

    def joined(self) -> Audio:
        """Everything played, one after the other, at the volume it was played."""
        if not self.played:
            return Audio(np.zeros(0, dtype=np.int16), 22050)
        rate = self.played[0][1].rate
        return Audio(np.concatenate([scaled(a, v) for _, a, v in self.played]), rate)
