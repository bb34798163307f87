"""open_listener / open_speaker for each hardware mode, and the engine named for selftest."""

from __future__ import annotations

from kiosk.devices.fakes import FakeListener, FakeSpeaker
from kiosk.settings import Settings, with_overrides
from kiosk.voice import active_engine, open_listener, open_speaker
from kiosk.voice.listener import VoiceListener
from kiosk.voice.speaker import QueuedSpeaker


def test_fake_mode_gives_fakes():
    listener, state = open_listener(Settings(), "fake")
    assert isinstance(listener, FakeListener) and state.state == "fake"
    speaker, sstate = open_speaker(Settings(), "fake")
    assert isinstance(speaker, FakeSpeaker) and sstate.state == "fake"


def test_real_mode_without_a_microphone_still_listens_and_says_it_is_missing():
    listener, state = open_listener(Settings(), "real")
    assert isinstance(listener, VoiceListener)
    assert listener.engine == "pocketsphinx"
    assert state.state in ("missing", "found")
    if state.state == "missing":
        assert "touch still works" in state.hint
    listener.close()


def test_auto_mode_without_a_microphone_uses_the_fake():
    listener, state = open_listener(Settings(), "auto")
    if state.state != "found":
        assert isinstance(listener, FakeListener) and state.state == "fake"
    listener.close()


def test_voice_turned_off_gives_no_listener():
    listener, state = open_listener(with_overrides(Settings(), voice={"enabled": False}), "real")
    assert listener is None and state.state == "missing"


def test_the_real_speaker_starts_with_the_settings():
    speaker, state = open_speaker(with_overrides(Settings(), voice={"speech_rate_wpm": 110, "volume": 0.7}), "real")
    assert isinstance(speaker, QueuedSpeaker) and state.state == "found"
    assert (speaker.rate, speaker.volume) == (110, 0.7)
    speaker.close()


def test_active_engine_for_selftest(tmp_path):
    assert active_engine(Settings()) == "pocketsphinx"
    missing = with_overrides(Settings(), voice={"vosk_model": str(tmp_path / "vosk-model")})
    assert active_engine(missing).startswith("pocketsphinx (the vosk model folder")


def test_a_language_without_a_speech_model_is_said_plainly(capsys, isolated_home, tmp_path):
    from kiosk.cli import main
    from kiosk.selftest import check_speech_in
    from kiosk.settings import Settings, with_overrides
    from kiosk.voice import open_listener

    german = with_overrides(Settings(), display={"language": "de"})
    wanted = "voice commands in German need the German speech model; touch works"
    check = check_speech_in(german)
    assert check.state == "missing" and wanted[1:] in check.hint
    listener, state = open_listener(german, "real")
    assert listener is None and wanted in state.detail and "Reinstall" not in state.hint
    config = tmp_path / "settings.toml"
    config.write_text('[display]\nlanguage = "de"\n')
    assert main(["hear", "--config", str(config), str(tmp_path / "any.wav")]) == 2
    assert wanted in capsys.readouterr().err
