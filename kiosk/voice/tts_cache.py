"""Rendered sentences on disk, so the fixed phrases start without synthesis delay.

One WAV per sentence, named by ``cache_key`` (hash of text, voice and rate): a new voice, rate or
wording simply misses and is rendered again. Writes are atomic (temporary file, then rename), so
a power cut never leaves a half file that would be played.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.voice.tts_engines import Audio, Synth, TtsError
from kiosk.voice.tts_text import cache_key


class PhraseCache:
    """A folder of rendered sentences."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.wav"

    def get(self, key: str) -> Audio | None:
        """The rendered sentence, or None when it is not there or unreadable (then it is rendered again)."""
        try:
            return Audio.from_wav(self._path(key).read_bytes())
        except (OSError, TtsError):
            return None

    def put(self, key: str, audio: Audio) -> None:
        """Store atomically; raises OSError (a full disk must not stop speech: the caller logs it)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self._path(key).with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(audio.to_wav())
        os.replace(tmp, self._path(key))

    def keys(self) -> set[str]:
        """Every key stored."""
        return {p.stem for p in self.folder.glob("*.wav")} if self.folder.is_dir() else set()


@dataclass(frozen=True)
class PrerenderReport:
    """What ``prerender`` did, with the synthesis time it measured."""

    rendered: int
    already: int
    synth_seconds: float
    audio_seconds: float

    @property
    def real_time_factor(self) -> float:
        """Synthesis time divided by the length of the speech made (below 1: faster than speaking)."""
        return self.synth_seconds / self.audio_seconds if self.audio_seconds else 0.0


def prerender(synth: Synth, sentences: Iterable[str], rates: Iterable[int], cache: PhraseCache) -> PrerenderReport:
    """Render every sentence at every rate that is not in the cache yet."""
    present = cache.keys()
    rendered = already = 0
    synth_s = audio_s = 0.0
    for rate in rates:
        for sentence in sentences:
            key = cache_key(sentence, synth.voice, rate)
            if key in present:
                already += 1
                continue
            t0 = time.perf_counter()
            audio = synth.synthesize(sentence, rate)
            synth_s += time.perf_counter() - t0
            audio_s += audio.seconds
            cache.put(key, audio)
            present.add(key)
            rendered += 1
    return PrerenderReport(rendered, already, synth_s, audio_s)
