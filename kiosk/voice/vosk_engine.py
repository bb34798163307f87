"""vosk engine: a KaldiRecognizer restricted to the command phrases plus "[unk]".

The model is a folder installed on the device (docs/voice.md says how); nothing is downloaded
at run time. A missing or broken folder raises VoiceError with a plain message, and the engine
chooser falls back to pocketsphinx.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from kiosk.voice.grammar import vosk_grammar_json
from kiosk.voice.intents import IntentTable
from kiosk.voice.recognizer import Hypothesis, VoiceError

# Files every vosk model folder has (small and big models alike).
MODEL_MARKERS = ("am/final.mdl", "conf/mfcc.conf")


def check_model_dir(path: str | Path) -> Path:
    """The model folder, or VoiceError saying what is wrong with it."""
    folder = Path(path).expanduser()
    if not str(path).strip():
        raise VoiceError("no vosk model folder is set (voice.vosk_model)")
    if not folder.exists():
        raise VoiceError(f"the vosk model folder {folder} does not exist")
    if not folder.is_dir():
        raise VoiceError(f"the vosk model path {folder} is a file, not a folder")
    missing = [m for m in MODEL_MARKERS if not (folder / m).exists()]
    if missing:
        raise VoiceError(f"the folder {folder} is not a vosk model (missing {', '.join(missing)})")
    return folder


def _load_model(folder: Path):  # noqa: ANN202 - vosk.Model, imported lazily
    try:
        import vosk
    except ImportError as exc:
        raise VoiceError("vosk is not installed; reinstall FaceCoach") from exc
    vosk.SetLogLevel(-1)
    try:
        return vosk.Model(str(folder))
    except Exception as exc:  # noqa: BLE001 - vosk raises bare Exception for a model it cannot load
        raise VoiceError(f"the vosk model in {folder} could not be loaded ({exc}); is it complete?") from exc


def unknown_words(model, table: IntentTable) -> list[str]:  # noqa: ANN001 - vosk.Model, imported lazily
    """The command words (phrases, polite words, fillers) the model's vocabulary lacks."""
    return sorted(w for w in table.words() if model.vosk_model_find_word(w) < 0)


class VoskRecognizer:
    """A vosk grammar recognizer for one language's command phrases."""

    engine = "vosk"

    def __init__(self, table: IntentTable, model_dir: str | Path) -> None:
        self.model_dir = check_model_dir(model_dir)
        self.table = table
        self.grammar = vosk_grammar_json(table)
        self._model = _load_model(self.model_dir)
        unknown = unknown_words(self._model, table)
        if unknown:
            # vosk silently drops grammar phrases with words its model lacks: say so at start-up.
            raise VoiceError(
                f"the vosk model in {self.model_dir} does not know these command words: {', '.join(unknown)}"
            )
        self._rec = None
        self._partial_words: list[dict] = []

    def start(self, asked: Iterable[str] = ()) -> None:
        """Begin an utterance; ``asked``: the answers (yes, no, "tiring") the kiosk has just asked for."""
        import vosk

        self.grammar = vosk_grammar_json(self.table, asked)
        self._rec = vosk.KaldiRecognizer(self._model, 16000, self.grammar)
        self._rec.SetWords(True)
        self._rec.SetPartialWords(True)
        self._partial_words = []

    def feed(self, samples: np.ndarray) -> str:
        """Hear more of the utterance; returns the partial transcript."""
        if self._rec is None:
            self.start()
        if self._rec.AcceptWaveform(np.asarray(samples, dtype=np.int16).tobytes()):
            result = json.loads(self._rec.Result())
            self._partial_words = result.get("result") or []
            return result.get("text", "")
        partial = json.loads(self._rec.PartialResult())
        self._partial_words = partial.get("partial_result") or []
        return partial.get("partial", "")

    def so_far(self) -> Hypothesis:
        """The live partial result with its lowest word confidence ("[unk]" counts as 0)."""
        text = " ".join(w.get("word", "") for w in self._partial_words)
        return Hypothesis(text, word_confidence(self._partial_words))

    def ahead(self, quiet_heard_ms: int, quiet_to_come_ms: int) -> Hypothesis | None:
        """vosk's final result ends its utterance, so it cannot be taken ahead: None (the pipeline waits)."""
        return None

    def drop(self) -> None:
        """End the utterance without a result."""
        self._rec = None

    def finish(self) -> Hypothesis:
        """End the utterance; confidence is the lowest word confidence ("[unk]" counts as 0)."""
        if self._rec is None:
            return Hypothesis("", 0.0)
        result = json.loads(self._rec.FinalResult())
        self._rec = None
        return hypothesis_from_result(result)


def hypothesis_from_result(result: dict) -> Hypothesis:
    """Turn a vosk result (with word confidences) into a Hypothesis."""
    return Hypothesis(result.get("text", ""), word_confidence(result.get("result") or []))


def word_confidence(words: list[dict]) -> float:
    """The lowest confidence among vosk's words; "[unk]" (not a command word) counts as 0."""
    if not words:
        return 0.0
    return min(0.0 if w.get("word") == "[unk]" else float(w.get("conf", 0.0)) for w in words)
