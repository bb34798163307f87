"""Reading WAV files for the recognizer: any PCM or float WAV, mixed to mono and resampled to 16 kHz.

Resampling low-passes with a windowed-sinc filter at the lower of the two Nyquist frequencies
(before reducing the rate, so nothing folds back; after raising it, so no images are added).
Audio recorded at 8 kHz or less (telephone, Bluetooth headsets) is resampled but carries nothing
above 4 kHz, which the speech model was trained on: ``Recording.telephone_band`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kiosk.voice.vad import RATE
from kiosk.voice.wav_file import WavFormatError, parse_wav


class AudioFileError(ValueError):
    """A sound file that cannot be heard; the message says why in plain words."""


TELEPHONE_RATE = 8000  # at or below this, speech is telephone-band (nothing above 4 kHz)
TAPS = 127


@dataclass(frozen=True)
class Recording:
    """A file's audio at 16 kHz mono and the rate it was recorded at."""

    samples: np.ndarray
    rate: int

    @property
    def telephone_band(self) -> bool:
        """Whether the recording carries only telephone-band speech (8 kHz or less)."""
        return self.rate <= TELEPHONE_RATE


def low_pass(x: np.ndarray, cutoff: float) -> np.ndarray:
    """Windowed-sinc FIR low-pass; ``cutoff`` is a fraction of the sample rate (0 to 0.5)."""
    n = np.arange(TAPS) - (TAPS - 1) / 2
    taps = 2 * cutoff * np.sinc(2 * cutoff * n) * np.blackman(TAPS)
    return np.convolve(x, taps / taps.sum(), mode="same")


def resample(samples: np.ndarray, rate: int, target: int = RATE) -> np.ndarray:
    """Resample int16 audio to ``target`` Hz with a proper low-pass (no aliasing, no images)."""
    if rate == target or len(samples) == 0:
        return samples
    x = samples.astype(np.float64)
    band = 0.45 * min(rate, target)  # keep 90% of the lower Nyquist band, cut the rest
    if rate > target:
        x = low_pass(x, band / rate)
    n_out = int(len(x) * target / rate)
    y = np.interp(np.arange(n_out) * (rate / target), np.arange(len(x)), x)
    if rate < target:
        y = low_pass(y, band / target)
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)


def read_wav(path: str | Path) -> np.ndarray:
    """The file's audio as 16 kHz mono int16, or AudioFileError."""
    return load_wav(path).samples


def load_wav(path: str | Path) -> Recording:
    """The file's audio as 16 kHz mono int16 with its original rate, or AudioFileError.

    Any PCM or float WAV (kiosk/voice/wav_file.py); channels are mixed to mono.
    """
    p = Path(path)
    if not p.exists():
        raise AudioFileError(f"{p}: no such file")
    if p.is_dir():
        raise AudioFileError(f"{p}: is a folder, not a sound file")
    try:
        audio = parse_wav(p.read_bytes())
    except WavFormatError as exc:
        raise AudioFileError(f"{p}: not a WAV sound file we can read ({exc})") from exc
    except OSError as exc:
        raise AudioFileError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    if audio.rate < 8000:
        raise AudioFileError(f"{p}: sample rate {audio.rate} Hz is too low for speech (need 8000 Hz or more)")
    mono = audio.samples.mean(axis=1)
    samples = np.clip(np.round(mono * 32768.0), -32768, 32767).astype(np.int16)
    return Recording(resample(samples, audio.rate), audio.rate)
