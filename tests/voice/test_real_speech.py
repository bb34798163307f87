"""Real human recordings (Debian's Asterisk prompts) through the streaming pipeline.

The issue's target: at most 5% of everyday real speech gives a command other than stop. With
pocketsphinx's grammar decoding and its phone-loop rejection it is NOT met (about 12%, from about
30% without the rejection; docs/voice.md has the figures): the asserted ceilings catch
regressions and are named next to the target.
"""

from __future__ import annotations

import os

import pytest

from tests.voice import realspeech

TARGET = 0.05
# measured 10.4%, 12.9%, 9.7% (31.5%, 27.3%, 28.1% before the phone-loop rejection): target NOT met
CEILINGS = {"dev": 0.14, "held-out": 0.14, "french": 0.14}


@pytest.fixture(scope="module")
def recordings():
    if not realspeech.available():
        message = f"real speech recordings are missing: apt-get install {realspeech.PACKAGES} (setup.sh --test)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return realspeech.recordings()


@pytest.fixture(scope="module")
def pipeline(sphinx, table):
    from kiosk.voice.pipeline import Pipeline

    return Pipeline(sphinx, table)


def test_the_held_out_part_is_a_fixed_third_and_apart_from_the_dev_part(recordings):
    english = [r for r in recordings if r.part != "french"]
    held = {r.name for r in english if r.part == "held-out"}
    dev = {r.name for r in english if r.part == "dev"}
    assert not held & dev and 0.25 < len(held) / len(english) < 0.42
    assert {r.intent for r in english if r.intent} == {"pause", "no"}
    assert len([r for r in recordings if r.part == "french"]) > 300


def test_the_real_commands_are_heard(recordings, pipeline):
    from kiosk.voice.audio import read_wav
    from kiosk.voice.evaluate import hear_utterance

    for r in (r for r in recordings if r.intent):
        assert hear_utterance(pipeline, read_wav(r.path), ("yes", "no")).intent_id == r.intent, r.name


def test_a_real_no_is_not_taken_unless_the_kiosk_asked(recordings, pipeline):
    from kiosk.voice.audio import read_wav
    from kiosk.voice.evaluate import hear_utterance

    (no,) = [r for r in recordings if r.intent == "no"]
    outcome = hear_utterance(pipeline, read_wav(no.path))
    assert outcome.intent_id is None and outcome.counted.decision.reason == "not asked"


@pytest.mark.slow
@pytest.mark.parametrize("part", ["dev", "held-out", "french"])
def test_everyday_real_speech_rarely_gives_a_command(recordings, pipeline, part):
    from kiosk.voice.audio import read_wav
    from kiosk.voice.evaluate import hear_utterance

    heard = [
        (r.name, hear_utterance(pipeline, read_wav(r.path)).intent_id)
        for r in recordings
        if r.part == part and r.intent is None
    ]
    false = [(name, got) for name, got in heard if got not in (None, "stop")]
    share = len(false) / len(heard)
    assert share <= CEILINGS[part], f"{part}: {len(false)}/{len(heard)} = {share:.1%} (target {TARGET:.0%}): {false}"
