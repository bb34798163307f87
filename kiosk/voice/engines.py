"""Choose the speech engine: vosk when a usable model folder is set, otherwise pocketsphinx."""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.settings import Settings
from kiosk.voice.intents import IntentTable, load_intents
from kiosk.voice.pipeline import Pipeline
from kiosk.voice.recognizer import Recognizer, VoiceError
from kiosk.voice.vad_select import note as vad_note
from kiosk.voice.vosk_engine import check_model_dir

log = logging.getLogger(__name__)


# The name caregivers read in messages; other codes use the name in content/lang/<code>/language.toml.
LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "ko": "Korean"}


def language_name(code: str) -> str:
    """The language's name in plain English (or its own name, or the code)."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    try:
        import tomllib

        from content import content_path

        return tomllib.loads(content_path("lang", code, "language.toml").read_text(encoding="utf-8"))["name"]
    except (OSError, KeyError, ValueError):
        return code


def no_model_message(code: str) -> str:
    """What to tell a caregiver when the chosen language has no speech model."""
    name = language_name(code)
    return f"voice commands in {name} need the {name} speech model; touch works (see docs/voice.md)"


def language_problem(settings: Settings) -> str:
    """'' when the engine can hear the display language, else a plain sentence saying what is missing.

    pocketsphinx carries only an English model; another language needs a vosk model of that
    language (checked again, word by word, when it is loaded).
    """
    language = settings.display.language
    if language == "en" or active_engine(settings) == "vosk":
        return ""
    return no_model_message(language)


def wants_vosk(settings: Settings) -> bool:
    """Whether the settings ask for vosk (explicitly, or 'auto' with a model folder set)."""
    voice = settings.voice
    return voice.engine == "vosk" or (voice.engine == "auto" and bool(voice.vosk_model.strip()))


def active_engine(settings: Settings) -> str:
    """The engine the kiosk will use, with the reason when vosk was wanted but cannot be used."""
    if not wants_vosk(settings):
        return "pocketsphinx"
    try:
        check_model_dir(settings.voice.vosk_model)
    except VoiceError as exc:
        return f"pocketsphinx ({exc}; using pocketsphinx instead)"
    return "vosk"


def _never() -> bool:
    return False


def open_recognizer(settings: Settings, table: IntentTable | None = None) -> tuple[Recognizer, str]:
    """A ready recognizer and a plain note ('' when the wanted engine is the one used)."""
    table = table or load_intents(settings.display.language)
    note = ""
    if wants_vosk(settings):
        from kiosk.voice.vosk_engine import VoskRecognizer

        try:
            return VoskRecognizer(table, settings.voice.vosk_model), ""
        except VoiceError as exc:
            note = f"{exc}; using pocketsphinx instead"
            log.warning("voice: %s", note)
    if table.language != "en":
        raise VoiceError(no_model_message(table.language))
    from kiosk.voice.sphinx import SphinxRecognizer

    return SphinxRecognizer(table), note


def settings_pipeline(
    settings: Settings, recognizer: Recognizer, table: IntentTable, note: str = "", muted: Callable[[], bool] = _never
) -> tuple[Pipeline, str]:
    """The listening pipeline the voice settings ask for, and ``note`` with the detector's own note added."""
    voice = settings.voice
    pipeline = Pipeline(recognizer, table, voice.min_confidence, voice.end_silence_ms, muted, vad=voice.vad)
    return pipeline, "; ".join(n for n in (note, vad_note(voice.vad)) if n)
