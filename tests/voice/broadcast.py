"""Rooms that do not go quiet: steady pink noise, and a "TV news" track of real continuous speech.

No television recording is available here, so the broadcast is made of real human speech: the
Debian Asterisk prompts (tests/voice/realspeech.py), English and Canadian French, one after the
other with 120 ms gaps, as a presenter talks. A command is mixed in at a level relative to the
broadcast (-6 dB: the TV half as loud as the patient; -12 dB: a quarter), measured over the
frames that carry speech, and the broadcast goes on before and after it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from tests.voice import realspeech

RATE = 16000
GAP_S = 0.12


def active_rms(samples: np.ndarray) -> float:
    """RMS over the 10 ms frames within 30 dB of the loudest (the speech, not the pauses)."""
    x = samples.astype(np.float64)
    frames = x[: len(x) // 160 * 160].reshape(-1, 160)
    rms = np.sqrt((frames**2).mean(axis=1))
    active = rms[rms > rms.max() * 10 ** (-30 / 20)]
    return float(np.sqrt((active**2).mean())) if len(active) else 0.0


def pink_noise(n: int, seed: int) -> np.ndarray:
    """``n`` samples of pink (1/f) noise, unit RMS, from a seeded generator."""
    white = np.fft.rfft(np.random.default_rng(seed).normal(size=n))
    f = np.fft.rfftfreq(n, 1 / RATE)
    f[0] = f[1]
    x = np.fft.irfft(white / np.sqrt(f), n)
    return x / np.sqrt((x * x).mean())


def clip16(x: np.ndarray) -> np.ndarray:
    """Float samples to int16, clipped."""
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def in_pink_noise(speech: np.ndarray, snr_db: float, lead_s: float, tail_s: float, seed: int) -> np.ndarray:
    """``speech`` in steady pink noise ``snr_db`` below its speech level, the noise going on before and after."""
    lead, tail = int(lead_s * RATE), int(tail_s * RATE)
    n = lead + len(speech) + tail
    noise = pink_noise(n, seed) * active_rms(speech) / 10 ** (snr_db / 20)
    out = noise.copy()
    out[lead : lead + len(speech)] += speech.astype(np.float64)
    return clip16(out)


def broadcast_files(seed: int = 0) -> list[Path]:
    """The English and French prompts that are not commands, in a fixed shuffled order."""
    files = [r.path for r in realspeech.recordings() if r.intent is None]
    order = np.random.default_rng(seed).permutation(len(files))
    return [files[i] for i in order]


def broadcast(seconds: float, start: int, files: list[Path]) -> np.ndarray:
    """``seconds`` of continuous speech (int16) made of the prompts from ``files[start]`` on."""
    from kiosk.voice.audio import read_wav

    gap = np.zeros(int(GAP_S * RATE), dtype=np.int16)
    parts: list[np.ndarray] = []
    total, i = 0, start
    while total < seconds * RATE:
        clip = read_wav(files[i % len(files)])
        parts += [clip, gap]
        total += len(clip) + len(gap)
        i += 1
    return np.concatenate(parts)[: int(seconds * RATE)]


def under_broadcast(command: np.ndarray, track: np.ndarray, relative_db: float, lead_s: float) -> np.ndarray:
    """``command`` starting ``lead_s`` into ``track``, the track ``relative_db`` (negative) below the command."""
    lead = int(lead_s * RATE)
    assert lead + len(command) <= len(track), "the broadcast must go on after the command"
    gain = active_rms(command) * 10 ** (relative_db / 20) / max(active_rms(track), 1.0)
    out = track.astype(np.float64) * gain
    out[lead : lead + len(command)] += command.astype(np.float64)
    return clip16(out)


def scaled(track: np.ndarray, level: float) -> np.ndarray:
    """``track`` with its speech at ``level`` (int16 RMS over the frames that carry speech)."""
    return clip16(track.astype(np.float64) * level / max(active_rms(track), 1.0))


def require(present: bool, message: str) -> None:
    """Skip the test when ``present`` is false, but fail on CI, where everything must be installed."""
    if present:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)
