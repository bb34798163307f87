"""The rejection model: recognised words against a free phone loop (kiosk/voice/fit.py), pure and on real audio."""

from __future__ import annotations

import math

import pytest

from kiosk.voice.fit import UNDERFLOW, Span, log_units, phrase_fit, score_over
from tests.voice import realspeech


def test_scores_come_back_from_the_probabilities_the_python_api_gives():
    assert log_units(1.0001**-2500, left_shifted=False) == pytest.approx(-2500)
    # grammar word segments carry the score shifted left by 10 bits: back to the searches' units
    assert log_units(1.0001 ** (-2500 * 1024), left_shifted=True) == pytest.approx(-2500, rel=1e-6)
    assert log_units(0.0, left_shifted=True) == UNDERFLOW  # underflowed: worse than anything measurable
    assert math.isfinite(log_units(5e-324, left_shifted=True))


def test_the_phone_loop_score_over_a_word_counts_cut_phones_pro_rata():
    phones = [Span("SIL", 0, 9, -100), Span("AH", 10, 19, -400), Span("L", 20, 29, -600)]
    assert score_over(phones, 10, 19) == pytest.approx(-400)
    assert score_over(phones, 15, 24) == pytest.approx(-200 - 300)
    assert score_over(phones, 40, 50) == 0.0


def test_a_forced_phrase_fits_far_worse_than_free_phones_over_the_same_frames():
    phones = [Span("SIL", 0, 9, -50), Span("AH", 10, 19, -200), Span("L", 20, 29, -200)]
    said = [Span("all", 10, 29, -380)]  # fits better than free phones: +1 per frame
    forced = [Span("all", 10, 19, -190), Span("louder", 20, 29, -900)]  # (-1090 + 400) / 20 frames
    assert phrase_fit(said, phones) == pytest.approx(1.0)  # the silence before it does not count
    assert phrase_fit(forced, phones) == pytest.approx(-34.5)
    assert phrase_fit([], phones) is None


@pytest.fixture(scope="module")
def pipeline(sphinx, table):
    from kiosk.voice.pipeline import Pipeline

    return Pipeline(sphinx, table)


def hear(pipeline, path, asked=()):
    from kiosk.voice.audio import read_wav
    from kiosk.voice.evaluate import hear_utterance

    return hear_utterance(pipeline, read_wav(path), asked)


def test_a_real_prompt_forced_onto_a_command_is_rejected_and_real_commands_are_not(pipeline, sphinx):
    if not realspeech.available():
        pytest.skip(f"real speech recordings are missing: apt-get install {realspeech.PACKAGES}")
    from kiosk.voice.sphinx import FIT_FLOOR

    # dev part: this prompt came out as "what time is it" with every frame covered
    prompt = hear(pipeline, realspeech.ENGLISH / "conf-extended.wav")
    assert prompt.intent_id is None and prompt.counted.decision.reason == "low confidence"
    assert prompt.counted.decision.transcript == "what time is it"
    assert sphinx.last_fit is not None and sphinx.last_fit < FIT_FLOOR
    pause = hear(pipeline, realspeech.ENGLISH / "dictate" / "pause.wav")
    assert pause.intent_id == "pause" and sphinx.last_fit > -30


def test_clean_synthetic_commands_still_fit(speech, pipeline, sphinx):
    for text, intent in (("louder", "louder"), ("i took my drops", "drops_taken"), ("next exercise", "next")):
        assert hear(pipeline, speech(text)).intent_id == intent, text
        assert sphinx.last_fit is not None
