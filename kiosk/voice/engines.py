"""Choose the speech engine: vosk when a usable model folder is set, otherwise pocketsphinx."""

from __future__ import annotations

import logging

from kiosk.settings import Settings
from kiosk.voice.intents import IntentTable, load_intents
from kiosk.voice.recognizer import Recognizer, VoiceError
from kiosk.voice.vosk_engine import check_model_dir

log = logging.getLogger(__name__)


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
    from kiosk.voice.sphinx import SphinxRecognizer

    return SphinxRecognizer(table), note
