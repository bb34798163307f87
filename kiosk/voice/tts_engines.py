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
# A sentence whose word count is known, to measure a voice's own speed once at start. A rate in
# FaceCoach means words a minute as measured in the sound (first to last loud sample), so the
# literature's figure holds for either engine: espeak-ng's own -s 150 measured 182 here.
# Short sentences like the kiosk's own (a long one alone measured 15 % slow on the phrase file).
_CALIBRATION = {
    "en": (
        "Time for your eye drops.",
        "Close your eyes gently.",
        "Thank you. Your drops are noted.",
        "Lift your eyebrows gently and hold them there.",
        "When you have done it, say: done. Or touch the screen.",
    ),
    "de": (
        "Zeit für Ihre Augentropfen.",
        "Schließen Sie die Augen sanft.",
        "Danke. Ihre Tropfen sind notiert.",
        "Heben Sie die Augenbrauen sanft an und halten Sie sie.",
        "Wenn Sie es getan haben, sagen Sie: fertig. Oder berühren Sie den Bildschirm.",
    ),
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

    @property
    def speech_seconds(self) -> float:
        """From the first to the last sample above 1 % of full scale (leading and trailing silence left out)."""
        loud = np.flatnonzero(np.abs(self.samples.astype(np.int32)) > 327)
        return (loud[-1] - loud[0]) / self.rate if len(loud) else 0.0

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
        """16-bit WAV bytes (first channel); raises TtsError for anything else or a damaged file."""
        try:
            with wave.open(io.BytesIO(data), "rb") as w:
                if w.getsampwidth() != 2:
                    raise TtsError(f"expected 16-bit WAV, got {8 * w.getsampwidth()}-bit")
                frames = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
                if w.getnchannels() > 1:
                    frames = frames.reshape(-1, w.getnchannels())[:, 0]
                return Audio(frames.astype(np.int16), w.getframerate())
        except (wave.Error, EOFError, ValueError) as exc:
            raise TtsError(f"not a readable WAV: {exc}") from exc


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
        self.speed_factor = 1.0
        self.speed_factor = measured_wpm(self, language, _ESPEAK_REFERENCE) / _ESPEAK_REFERENCE

    def synthesize(self, sentence: str, rate_wpm: int) -> Audio:
        """The sentence at ``rate_wpm`` measured words a minute (espeak's -s corrected by its measured speed)."""
        speed = max(80, min(450, round(rate_wpm / self.speed_factor)))
        cmd = [self.binary, "-v", self.language, "-s", str(speed), "--stdout", sentence]
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
        # Length scale stretches the sounds but not every pause, so speech time is a + b * scale:
        # measured at scale 1 and 2 on the calibration sentences, solved for the rate asked.
        self._scale: float | None = 1.0
        self._words, one = calibration_time(self, language, 0)
        self._scale = 2.0
        _, two = calibration_time(self, language, 0)
        self._scale = None
        self._per_scale = max(1e-3, two - one)
        self._fixed = one - self._per_scale
        self.natural_wpm = self._words / one * 60

    def _raw(self, sentence: str, length_scale: float) -> Audio:
        try:
            chunks = list(self._voice.synthesize(sentence, self._config(length_scale=length_scale)))
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types; the caller falls back
            raise TtsError(f"Piper failed: {exc}") from exc
        if not chunks:
            raise TtsError(f"Piper made no sound for {sentence!r}")
        return Audio(np.concatenate([c.audio_int16_array for c in chunks]), chunks[0].sample_rate)

    def length_scale(self, rate_wpm: int) -> float:
        """Piper's length scale that gives ``rate_wpm`` words a minute on the calibration sentences."""
        wanted = self._words * 60 / rate_wpm
        return min(4.0, max(0.25, (wanted - self._fixed) / self._per_scale))

    def synthesize(self, sentence: str, rate_wpm: int) -> Audio:
        """The sentence at ``rate_wpm`` words a minute (0 while calibrating: the scale being measured)."""
        scale = self._scale if self._scale is not None else self.length_scale(rate_wpm)
        return self._raw(sentence, scale)


_ESPEAK_REFERENCE = 150


def calibration_time(synth: Synth, language: str, rate_wpm: int) -> tuple[int, float]:
    """Words in the calibration sentences and seconds of sound ``synth`` takes for them at ``rate_wpm``."""
    words, seconds = 0, 0.0
    for sentence in _CALIBRATION.get(language, _CALIBRATION["en"]):
        words += len(sentence.split())
        seconds += synth.synthesize(sentence, rate_wpm).speech_seconds
    if seconds <= 0:
        raise TtsError(f"{synth.voice} made no audible sound")
    return words, seconds


def measured_wpm(synth: Synth, language: str, rate_wpm: int) -> float:
    """Words a minute of the calibration sentences as ``synth`` says them at ``rate_wpm``."""
    words, seconds = calibration_time(synth, language, rate_wpm)
    return words / seconds * 60


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
