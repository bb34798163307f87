"""Real test speech: espeak-ng voices, resampled to 16 kHz mono with sox, optional noise at ~10 dB SNR.

Files are cached by a hash of (text, voice, rate, noise), so a folder can be reused between
runs; nothing is committed. Shared by the tests and benchmarks/voice_benchmark.py.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 16000
SNR_DB = 10.0

# Three voices/speeds at least: a US male at a slow rate, a British voice, a slow female voice.
VOICES: tuple[tuple[str, int], ...] = (("en-us", 120), ("en-gb", 140), ("en-us+f3", 100))

# Everyday sentences that are not commands; some share words or sounds with commands on purpose.
EVERYDAY = (
    "what a lovely day",
    "the stopwatch is broken",
    "pass the salt please",
    "i would like a cup of tea",
    "the dog wants to go out",
    "my daughter is coming on sunday",
    "have you seen my glasses",
    "the bus was late this morning",
    "it looks like rain",
    "put the kettle on",
    "where did i leave the remote",
    "the garden needs watering",
    "shall we have soup for lunch",
    "the news is on at six",
    "my back hurts a little",
    "the cat is asleep on the chair",
    "open the window for me",
    "that was a good film",
    "the doctor phoned yesterday",
    "we need more milk and bread",
    "the flowers look beautiful",
    "turn on the radio",
    "i am going to the shop",
    "the weather is cold today",
)


@dataclass(frozen=True)
class Sample:
    """One synthesized utterance and what it should mean (intent None: not a command)."""

    path: Path
    text: str
    intent: str | None
    voice: str
    noisy: bool
    kind: str = ""  # clean | noisy | far | elderly for commands; everyday for non-commands


def have_tools() -> bool:
    """Whether espeak-ng and sox are installed."""
    return bool(shutil.which("espeak-ng") and shutil.which("sox"))


def _key(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def read_pcm(path: Path) -> np.ndarray:
    """16-bit mono samples of a WAV file."""
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)


def _active_rms(samples: np.ndarray) -> float:
    """RMS over the 20 ms frames that carry speech (within 30 dB of the loudest frame)."""
    x = samples.astype(np.float64)
    frames = x[: len(x) // 320 * 320].reshape(-1, 320)
    rms = np.sqrt((frames**2).mean(axis=1))
    active = rms[rms > rms.max() * 10 ** (-30 / 20)]
    return float(np.sqrt((active**2).mean()))


def synthesize(text: str, voice: str, rate: int, folder: Path) -> Path:
    """Speak ``text`` with espeak-ng and convert to 16 kHz mono 16-bit with silence around it."""
    out = folder / f"{_key(text, voice, rate)}.wav"
    if out.exists():
        return out
    raw = folder / f"{out.stem}.raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(raw), text], check=True)
    tmp = folder / f"{out.stem}.tmp.wav"
    subprocess.run(
        ["sox", "-R", "-V1", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(tmp), "pad", "0.3", "0.3"],
        check=True,
    )
    raw.unlink()
    tmp.replace(out)
    return out


def add_noise(clean: Path, folder: Path, snr_db: float = SNR_DB) -> Path:
    """Mix pink noise into ``clean`` with sox so the speech is ``snr_db`` above the noise."""
    out = folder / f"{clean.stem}.noise{snr_db:g}.wav"
    if out.exists():
        return out
    samples = read_pcm(clean)
    seconds = len(samples) / RATE
    noise = folder / f"{out.stem}.n.wav"
    subprocess.run(
        [
            "sox",
            "-R",
            "-V1",
            "-n",
            "-r",
            str(RATE),
            "-c",
            "1",
            "-b",
            "16",
            str(noise),
            "synth",
            f"{seconds:.3f}",
            "pinknoise",
        ],
        check=True,
    )
    gain = _active_rms(samples) / 10 ** (snr_db / 20) / max(float(np.sqrt((read_pcm(noise) ** 2.0).mean())), 1.0)
    tmp = folder / f"{out.stem}.tmp.wav"
    subprocess.run(
        ["sox", "-R", "-V1", "-m", "-v", "1", str(clean), "-v", f"{gain:.5f}", str(noise), str(tmp)], check=True
    )
    noise.unlink()
    tmp.replace(out)
    return out


def add_effect(clean: Path, folder: Path, kind: str) -> Path:
    """A room or speaker variant of ``clean`` made with sox (see ``EFFECTS``)."""
    out = folder / f"{clean.stem}.{kind}.wav"
    if not out.exists():
        tmp = folder / f"{out.stem}.tmp.wav"
        subprocess.run(["sox", "-R", "-V1", str(clean), str(tmp), *EFFECTS[kind]], check=True)
        tmp.replace(out)
    return out


# far: 12 dB quieter (a few metres away) in a reverberant room (sox reverb, 50% reverberance);
# elderly: slower (tempo 0.85), lower (pitch -100 cents) with a 6 Hz voice tremor.
EFFECTS: dict[str, tuple[str, ...]] = {
    "far": ("gain", "-12", "reverb", "50", "50", "100", "pad", "0", "0.5"),
    "elderly": ("tempo", "0.85", "pitch", "-100", "tremolo", "6", "25"),
}


def build_corpus(folder: Path, commands: dict[str, list[str]], noisy: bool = True) -> list[Sample]:
    """Every command phrase in every voice (clean and, if asked, noisy) plus the everyday sentences."""
    folder.mkdir(parents=True, exist_ok=True)
    samples: list[Sample] = []
    for intent, phrases in commands.items():
        for text in phrases:
            for voice, rate in VOICES:
                clean = synthesize(text, voice, rate, folder)
                samples.append(Sample(clean, text, intent, voice, False, "clean"))
                if noisy:
                    samples.append(Sample(add_noise(clean, folder), text, intent, voice, True, "noisy"))
                    for kind in EFFECTS:
                        samples.append(Sample(add_effect(clean, folder, kind), text, intent, voice, False, kind))
    for text in EVERYDAY:
        for voice, rate in VOICES:
            samples.append(Sample(synthesize(text, voice, rate, folder), text, None, voice, False, "everyday"))
    return samples


def asked_for(intent: str | None) -> tuple[str, ...]:
    """The answers the kiosk has asked for when ``intent`` is said: its own question's, else none.

    Commands are heard as most of the time in the kiosk (nothing asked); an answer (yes, no,
    "tiring", "my eye is red") right after its question, when its grammar is in force.
    """
    from kiosk.checkin import VOICE_ANSWERS

    for answers in ({"yes": "", "no": ""}, *VOICE_ANSWERS.values()):
        if intent in answers:
            return tuple(sorted(answers))
    return ()


def score(samples: list[Sample], pipeline) -> tuple[dict, dict, list[str]]:
    """Stream each sample through the pipeline on its own; share correct per kind, counts and misses.

    Each command is heard with the question asked that it answers (``asked_for``); everyday
    speech with nothing asked, as in the kiosk most of the time.
    """
    from kiosk.voice.audio import read_wav
    from kiosk.voice.evaluate import hear_utterance

    results: dict[str, list[bool]] = {}
    misses = []
    for s in samples:
        outcome = hear_utterance(pipeline, read_wav(s.path), asked_for(s.intent))
        ok = outcome.intent_id == s.intent
        results.setdefault(s.kind, []).append(ok)
        if not ok:
            d = outcome.counted.decision if outcome.counted else None
            said = f"{d.transcript!r} ({d.reason})" if d else "nothing"
            misses.append(f"{s.kind} {s.voice} {s.text!r} -> {said}")
    return {k: sum(v) / len(v) for k, v in results.items()}, {k: len(v) for k, v in results.items()}, misses
