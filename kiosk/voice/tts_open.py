"""Builds the speech engine the settings ask for, and says which one it is.

Piper or espeak-ng rendered sentence by sentence through the sound card, with the fixed phrases
from the cache (``<data_dir>/speech``); when no sound output can be opened for that, the plain
pyttsx3 engine (espeak-ng speaking by itself) as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from content.i18n import phrases
from kiosk.settings import Settings
from kiosk.voice.speaker import Pyttsx3Engine, RenderedEngine, SpeechEngine
from kiosk.voice.tts_cache import PhraseCache
from kiosk.voice.tts_engines import PIPER_VOICE_DIR, Choice, EspeakSynth, TtsError, open_synth
from kiosk.voice.tts_sink import AudioSink, SoundDeviceSink
from kiosk.voice.tts_text import fixed_sentences

log = logging.getLogger(__name__)


def cache_dir(settings: Settings) -> Path:
    """Where rendered phrases are kept (beside the kiosk's data, so one user owns it)."""
    return Path(settings.storage.data_dir).expanduser() / "speech"


def choose(settings: Settings, folder: str = PIPER_VOICE_DIR) -> Choice:
    """The synthesiser for the settings' language; raises TtsError when espeak-ng is missing."""
    voice = settings.voice
    return open_synth(voice.tts, settings.display.language, voice.piper_voice, folder)


def engine_factory(
    settings: Settings,
    sink_factory: Callable[[], AudioSink] = SoundDeviceSink,
    folder: str = PIPER_VOICE_DIR,
) -> tuple[Callable[[], SpeechEngine], str]:
    """A factory for the speaker's worker thread and a note for the status screen."""
    lang = settings.display.language
    try:
        choice = choose(settings, folder)
        sink = sink_factory()
    except TtsError as exc:
        log.warning("speech out: %s; speaking through pyttsx3", exc)
        return (lambda: Pyttsx3Engine(lang)), f"pyttsx3 ({exc})"
    fallback = None if isinstance(choice.synth, EspeakSynth) else EspeakSynth(lang)
    engine = RenderedEngine(
        choice.synth, sink, PhraseCache(cache_dir(settings)), fallback, fixed_sentences(phrases(lang))
    )
    return (lambda: engine), choice.note
