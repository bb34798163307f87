"""pocketsphinx 5 engine: the wheel's bundled en-us model, restricted to the command grammar.

Three things make it dependable on slow, quiet or noisy speech (measured in docs/voice.md):
- a faint noise floor is added to the audio: files and synthetic speech contain exact digital
  silence, which upsets pocketsphinx's noise tracker (a real microphone never gives zeros);
- each utterance starts from the model's own cepstral mean (repeated live updates drift), and is
  decoded twice: the first pass runs live and gives partial results ("stop" spotting), the
  second decodes the whole utterance at once with the mean of that utterance (batch CMN);
- coverage check: a grammar decoder maps any speech onto some phrase, so the confidence is the
  share of the utterance's loud frames that the recognised words actually explain. "What a
  lovely day" forced onto "what now" leaves most of the speech unexplained.
"""

from __future__ import annotations

import os

import numpy as np

from kiosk.voice.grammar import jsgf
from kiosk.voice.intents import IntentTable
from kiosk.voice.recognizer import Hypothesis, VoiceError
from kiosk.voice.vad import FRAME, active_frames

NOISE_FLOOR = 30.0  # int16 RMS, about -60 dBFS
SEARCH = "commands"
# Filler (silence/noise) words are made likely so background noise is not read as words, and a
# lower word insertion penalty keeps short commands from being swallowed (tuned on the test speech).
DECODER_OPTIONS = {"fillprob": 0.1, "silprob": 0.1, "wip": 0.2}


def bundled_model_dir() -> str:
    """The en-us model folder inside the pocketsphinx wheel."""
    from pocketsphinx import get_model_path

    return os.path.join(get_model_path(), "en-us", "en-us")


class SphinxRecognizer:
    """A pocketsphinx decoder for one language's command phrases."""

    engine = "pocketsphinx"

    def __init__(self, table: IntentTable) -> None:
        try:
            from pocketsphinx import Decoder
        except ImportError as exc:
            raise VoiceError("pocketsphinx is not installed; reinstall FaceCoach") from exc
        try:
            self._decoder = Decoder(lm=None, samprate=16000, logfn=os.devnull, **DECODER_OPTIONS)
        except (RuntimeError, ValueError) as exc:
            raise VoiceError(f"pocketsphinx could not load its English model: {exc}") from exc
        unknown = sorted(w for w in table.words() if self._decoder.lookup_word(w) is None)
        if unknown:
            raise VoiceError(f"these command words are not in the pocketsphinx dictionary: {', '.join(unknown)}")
        self._decoder.add_jsgf_string(SEARCH, jsgf(table))
        self._decoder.activate_search(SEARCH)
        self._initial_cmn = self._decoder.get_cmn(False)
        self._rng = np.random.default_rng(7)
        self._audio: list[np.ndarray] = []
        self._open = False

    def _floored(self, samples: np.ndarray) -> np.ndarray:
        noise = self._rng.normal(0.0, NOISE_FLOOR, len(samples))
        return np.clip(samples.astype(np.float64) + noise, -32768, 32767).astype(np.int16)

    def start(self) -> None:
        """Begin an utterance."""
        if self._open:
            self._decoder.end_utt()
        self._audio = []
        # Same start for every utterance (pocketsphinx's own noise tracker still carries over).
        self._rng = np.random.default_rng(7)
        self._decoder.set_cmn(self._initial_cmn)
        self._decoder.start_utt()
        self._open = True

    def feed(self, samples: np.ndarray) -> str:
        """Hear more of the utterance; returns the partial transcript."""
        chunk = self._floored(np.asarray(samples, dtype=np.int16))
        self._audio.append(chunk)
        self._decoder.process_raw(chunk.tobytes(), False, False)
        hyp = self._decoder.hyp()
        return hyp.hypstr if hyp else ""

    def finish(self) -> Hypothesis:
        """End the utterance; second pass over the whole of it (batch CMN), then the coverage check."""
        if self._open:
            self._decoder.end_utt()
            self._open = False
        audio = np.concatenate(self._audio) if self._audio else np.zeros(0, dtype=np.int16)
        self._audio = []
        if len(audio) < FRAME * 10:
            return Hypothesis("", 0.0)
        self._decoder.start_utt()
        self._decoder.process_raw(audio.tobytes(), False, True)
        self._decoder.end_utt()
        hyp = self._decoder.hyp()
        text = hyp.hypstr if hyp else ""
        return Hypothesis(text, self._coverage(audio) if text else 0.0)

    def _coverage(self, audio: np.ndarray) -> float:
        """1 when every loud frame lies inside a recognised word; minus 2 per unexplained share."""
        loud = active_frames(audio)
        if not loud.any():
            return 0.0
        inside = np.zeros(len(loud), dtype=bool)
        for seg in self._decoder.seg() or []:
            if not seg.word.startswith(("<", "[", "+")):
                inside[seg.start_frame : seg.end_frame + 1] = True
        unexplained = float((loud & ~inside[: len(loud)]).sum()) / float(loud.sum())
        return max(0.0, 1.0 - 2.0 * unexplained)

    def close(self) -> None:
        """End any open utterance."""
        if self._open:
            self._decoder.end_utt()
            self._open = False
