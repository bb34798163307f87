"""Voice in and out: grammar-restricted offline recognition, verified intents, queued speech.

The kiosk's device factory calls ``open_listener`` and ``open_speaker``; selftest and the
status screen call ``active_engine``.
"""

from __future__ import annotations

import logging

from kiosk.devices.base import DeviceState, Listener, Speaker
from kiosk.settings import Settings
from kiosk.voice.engines import active_engine

log = logging.getLogger(__name__)

__all__ = ["open_listener", "open_speaker", "active_engine"]


def _input_device() -> str | None:
    """The name of the first microphone, or None."""
    try:
        import sounddevice

        devices = [d for d in sounddevice.query_devices() if d["max_input_channels"] > 0]
    except Exception:  # noqa: BLE001 - PortAudio missing or broken means no microphone
        return None
    return devices[0]["name"] if devices else None


def open_listener(settings: Settings, mode: str) -> tuple[Listener | None, DeviceState]:
    """The microphone listener for ``mode`` (real | fake | auto) and what the status screen says."""
    from kiosk.devices.fakes import FakeListener

    if mode == "fake":
        return FakeListener(), DeviceState("microphone", "fake", "demo voice")
    if not settings.voice.enabled:
        return None, DeviceState("microphone", "missing", "voice commands are turned off", "Set voice.enabled.")
    from kiosk.voice.engines import language_problem, open_recognizer, settings_pipeline
    from kiosk.voice.intents import VoiceDataError
    from kiosk.voice.listener import PushToTalk, VoiceListener
    from kiosk.voice.recognizer import VoiceError
    from kiosk.voice.speaker import speaking_now

    mic = _input_device()
    if mic is None and mode == "auto":
        return FakeListener(), DeviceState("microphone", "fake", "no microphone found", "Plug in a microphone.")
    problem = language_problem(settings)
    if problem:
        return None, DeviceState("microphone", "missing", problem, problem[0].upper() + problem[1:] + ".")
    try:
        recognizer, note = open_recognizer(settings)
    except (VoiceError, VoiceDataError) as exc:
        return None, DeviceState("microphone", "error", str(exc), "Reinstall FaceCoach; touch still works.")
    voice = settings.voice
    pipeline, note = settings_pipeline(settings, recognizer, recognizer_table(settings), note, speaking_now)
    ptt = PushToTalk(voice.push_to_talk_pin) if voice.push_to_talk_pin else None
    listener = VoiceListener(pipeline, push_to_talk=ptt)
    detail = f"{mic or 'no microphone yet'}; {recognizer.engine}"
    if mic is None:
        return listener, DeviceState("microphone", "missing", detail, "Plug in a microphone; touch still works.")
    return listener, DeviceState("microphone", "found", detail, note)


def recognizer_table(settings: Settings):  # noqa: ANN201 - IntentTable, imported lazily
    """The intents of the display language."""
    from kiosk.voice.intents import load_intents

    return load_intents(settings.display.language)


def open_speaker(settings: Settings, mode: str) -> tuple[Speaker, DeviceState]:
    """Speech output for ``mode``; when speech cannot start, a fake that shows the words instead."""
    from kiosk.devices.fakes import FakeSpeaker

    if mode == "fake":
        return FakeSpeaker(), DeviceState("speaker", "fake", "speech shown as text")
    from kiosk.voice.speaker import QueuedSpeaker
    from kiosk.voice.tts_open import engine_factory

    factory, note = engine_factory(settings)
    try:
        speaker = QueuedSpeaker(factory, settings.voice.speech_rate_wpm, settings.voice.volume, note)
    except RuntimeError as exc:
        log.warning("speech out: %s", exc)
        state = "fake" if mode == "auto" else "missing"
        return FakeSpeaker(), DeviceState("speaker", state, str(exc), "Install espeak-ng; words are shown on screen.")
    return speaker, DeviceState("speaker", "found", f"{note}, {settings.voice.speech_rate_wpm} words a minute")
