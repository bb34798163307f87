"""Reading WAV files for the recognizer: 16-bit PCM, mixed to mono and resampled to 16 kHz."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from kiosk.voice.vad import RATE


class AudioFileError(ValueError):
    """A sound file that cannot be heard; the message says why in plain words."""


def resample(samples: np.ndarray, rate: int, target: int = RATE) -> np.ndarray:
    """Resample int16 audio to ``target`` Hz (a short averaging low-pass first when reducing)."""
    if rate == target or len(samples) == 0:
        return samples
    x = samples.astype(np.float64)
    if rate > target:
        width = max(1, round(rate / target))
        x = np.convolve(x, np.ones(width) / width, mode="same")
    n_out = int(len(x) * target / rate)
    positions = np.arange(n_out) * (rate / target)
    return np.clip(np.interp(positions, np.arange(len(x)), x), -32768, 32767).astype(np.int16)


def read_wav(path: str | Path) -> np.ndarray:
    """The file's audio as 16 kHz mono int16, or AudioFileError."""
    p = Path(path)
    if not p.exists():
        raise AudioFileError(f"{p}: no such file")
    if p.is_dir():
        raise AudioFileError(f"{p}: is a folder, not a sound file")
    try:
        with wave.open(str(p), "rb") as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            data = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        raise AudioFileError(f"{p}: not a WAV sound file ({exc})") from exc
    if width != 2:
        raise AudioFileError(f"{p}: must be 16-bit PCM, this file has {8 * width}-bit samples")
    if rate < 8000:
        raise AudioFileError(f"{p}: sample rate {rate} Hz is too low for speech (need 8000 Hz or more)")
    samples = np.frombuffer(data, dtype="<i2")
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1).astype(np.int16)
    return resample(samples, rate)
