"""Text to sound samples: espeak-ng (always there) and Piper (a neural voice, when one is installed).

Each synthesiser has one method, ``synthesize(sentence, rate_wpm) -> Audio``, and a ``voice`` name
that goes into the cache key. Heavy imports (piper, onnxruntime) stay inside ``PiperSynth``.
``open_synth`` picks one from ``voice.tts`` and says why, so the status screen and selftest can
show it: "auto" takes Piper when the piper package and a voice for the language are installed,
else espeak-ng. Nothing is ever downloaded.
"""

from __future__ import annotations

import glob
import io
import logging
import os
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

# Where a Pi owner puts Piper voices by hand (docs/voice.md): <folder>/<lang>_<REGION>-<name>-<quality>.onnx
PIPER_VOICE_DIR = "/opt/facecoach/piper"
# A sentence whose word count is known, to measure a Piper voice's own speed once at load.
_CALIBRATION = {
    "en": "Lift your eyebrows gently and hold them there for five seconds, then relax.",
    "de": "Heben Sie die Augenbrauen sanft an und halten Sie sie fünf Sekunden lang, dann entspannen Sie.",
}


class TtsError(RuntimeError):
    """Speech could not be made (engine missing, voice broken, synthesis failed)."""


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit samples and their rate."""

    samples: np.ndarray
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    def to_wav(self) -> bytes:
        out = io.BytesIO()
        with wave.open(out, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.rate)
            w.writeframes(self.samples.astype("<i2").tobytes())
        return out.getvalue()

    @staticmethod
    def from_wav(data: bytes) -> Audio:
        with wave.open(io.BytesIO(data), "rb") as w:
            if w.getsampwidth() != 2:
                raise TtsError(f"expected 16-bit WAV, got {8 * w.getsampwidth()}-bit")
            frames = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
            if w.getnchannels() > 1:
                frames = frames.reshape(-1, w.getnchannels())[:, 0]
            return Audio(frames.astype(np.int16), w.getframerate())


class Synth(Protocol):
    """Makes the samples of one sentence at a rate in words per minute."""

    voice: str

    def synthesize(self, sentence: str, rate_wpm: int) -> Audio: ...


class EspeakSynth:
    """espeak-ng through its command line (``--stdout`` WAV): no sound device needed to synthesise."""

    def __init__(self, language: str = "en", binary: str | None = None) -> None:
        self.binary = binary or shutil.which("espeak-ng") or ""
        if not self.binary:
            raise TtsError("espeak-ng is not installed")
        self.language = language
        self.voice = f"espeak-ng:{language}"

    def synthesize(self, sentence: str, rate_wpm: int) -> Audio:
        """The sentence as espeak-ng says it at ``rate_wpm`` (espeak's -s is words per minute)."""
        cmd = [self.binary, "-v", self.language, "-s", str(rate_wpm), "--stdout", sentence]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=30, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            raise TtsError(f"espeak-ng failed: {exc}") from exc
        return Audio.from_wav(done.stdout)


class PiperSynth:
    """A Piper voice (.onnx + .onnx.json) run by the ``piper-tts`` package on the CPU."""

    def __init__(self, model: str | os.PathLike[str], language: str = "en") -> None:
        try:
            from piper import PiperVoice, SynthesisConfig
        except ImportError as exc:
            raise TtsError("the piper-tts package is not installed") from exc
        path = Path(model)
        if not path.is_file() or not Path(f"{path}.json").is_file():
            raise TtsError(f"Piper voice {path} needs both {path.name} and {path.name}.json")
        try:
            self._voice = PiperVoice.load(str(path))
        except Exception as exc:  # noqa: BLE001 - any load failure means: use espeak-ng, and say why
            raise TtsError(f"Piper voice {path.name} does not load: {exc}") from exc
        self._config = SynthesisConfig
        self.voice = f"piper:{path.name}"
        self.natural_wpm = self._measure_wpm(_CALIBRATION.get(language, _CALIBRATION["en"]))

    def _raw(self, sentence: str, length_scale: float) -> Audio:
        try:
            chunks = list(self._voice.synthesize(sentence, self._config(length_scale=length_scale)))
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types; the caller falls back
            raise TtsError(f"Piper failed: {exc}") from exc
        if not chunks:
            raise TtsError(f"Piper made no sound for {sentence!r}")
        return Audio(np.concatenate([c.audio_int16_array for c in chunks]), chunks[0].sample_rate)

    def _measure_wpm(self, sentence: str) -> float:
        """The voice's own speed (words per minute at length scale 1), so a rate means the same as espeak's."""
        audio = self._raw(sentence, 1.0)
        return len(sentence.split()) / audio.seconds * 60

    def synthesize(self, sentence: str, rate_wpm: int) -> Audio:
        """The sentence at ``rate_wpm``: Piper stretches phoneme lengths by natural speed / wanted speed."""
        return self._raw(sentence, self.natural_wpm / max(1, rate_wpm))


def piper_installed() -> bool:
    """Whether the piper-tts package can be imported (without importing onnxruntime yet)."""
    import importlib.util

    return importlib.util.find_spec("piper") is not None


def find_piper_voice(language: str, explicit: str = "", folder: str = PIPER_VOICE_DIR) -> str:
    """The voice file to use: ``explicit`` if given, else the first ``<lang>_*.onnx`` in ``folder``; "" if none."""
    if explicit:
        return explicit
    found = sorted(glob.glob(os.path.join(glob.escape(folder), f"{language}_*.onnx")))
    return found[0] if found else ""


@dataclass(frozen=True)
class Choice:
    """The synthesiser in use, and a sentence for the status screen / selftest about it."""

    synth: Synth
    note: str
    fell_back: bool = False


def open_synth(tts: str, language: str, piper_voice: str = "", folder: str = PIPER_VOICE_DIR) -> Choice:
    """Piper or espeak-ng according to ``tts`` ("auto" | "piper" | "espeak"); espeak-ng when Piper cannot start.

    Raises TtsError only when espeak-ng itself is missing (then nothing can speak).
    """
    reason = ""
    if tts in ("auto", "piper"):
        voice = find_piper_voice(language, piper_voice, folder)
        if not piper_installed():
            reason = "the piper-tts package is not installed"
        elif not voice:
            reason = f"no Piper voice for '{language}' in {folder}"
        else:
            try:
                synth = PiperSynth(voice, language)
                return Choice(synth, f"Piper voice {Path(voice).name}")
            except TtsError as exc:
                reason = str(exc)
    espeak = EspeakSynth(language)
    if tts == "piper" or (tts == "auto" and reason.startswith("Piper voice")):
        log.warning("speech out: %s; using espeak-ng", reason)
        return Choice(espeak, f"espeak-ng ({reason})", fell_back=True)
    return Choice(espeak, "espeak-ng")
