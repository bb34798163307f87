"""Accuracy through the real streaming pipeline, one utterance at a time with the decoder reset.

Each recording is streamed frame by frame through Pipeline (endpointer, early spotting, quick
end, second pass) exactly as the kiosk hears the microphone; see kiosk/voice/evaluate.py.
The issue's targets (docs/voice.md) are not all met with pocketsphinx: the asserted figures are
floors that catch regressions, named next to the target they fall short of.
"""

from __future__ import annotations

import os

import pytest

from tests.voice import corpus

# kind: (asserted floor, the target)
# Measured over commands and after-session answers (246 samples a kind): clean 85.0%, noisy 60.2%,
# far 78.0%, elderly 87.8%, everyday 98.6% (deciding at the end instead of taking the final pass
# ahead: 84.1 / 62.6 / 78.5 / 87.4%). The phone-loop rejection (kiosk/voice/fit.py) costs
# espeak-ng's voices most (clean commands 93.3% -> 84.6%); it was chosen for real speech.
FLOORS = {
    "clean": (0.81, 0.95),  # target NOT met: see docs/voice.md
    "noisy": (0.58, 0.85),  # target NOT met
    "far": (0.75, 0.70),
    "elderly": (0.84, 0.90),  # target NOT met
    "everyday": (0.95, 0.95),
}


def check_floors(rates, counts, misses):
    targets = {
        kind: f"target {target:.0%} {'met' if rates[kind] >= target else 'NOT met'}"
        for kind, (_, target) in FLOORS.items()
    }
    report = f"{rates} over {counts}; {targets}; misses:\n" + "\n".join(misses)
    assert counts["clean"] >= 3 * 40 and counts["everyday"] >= 3 * 20, report
    for kind, (floor, _target) in FLOORS.items():
        assert rates[kind] >= floor, f"{kind}: {rates[kind]:.3f} < {floor}\n{report}"


@pytest.fixture(scope="session")
def samples(audio_dir, table):
    return corpus.build_corpus(audio_dir, {i.id: list(i.phrases) for i in table.intents})


def test_corpus_covers_every_phrase_in_three_voices_and_twenty_everyday_sentences(samples, table):
    phrases = {p for i in table.intents for p in i.phrases}
    assert len({s.voice for s in samples}) >= 3
    assert {s.text for s in samples if s.intent} == phrases
    assert len({s.text for s in samples if s.intent is None}) >= 20
    assert {s.kind for s in samples} == {"clean", "noisy", "far", "elderly", "everyday"}


@pytest.mark.slow
def test_pocketsphinx_through_the_pipeline_holds_its_figures(samples, sphinx, table):
    from kiosk.voice.pipeline import Pipeline

    check_floors(*corpus.score(samples, Pipeline(sphinx, table)))


@pytest.mark.slow
def test_vosk_through_the_pipeline_holds_its_figures(samples, table):
    model = os.environ.get("FACECOACH_VOSK_MODEL", "")
    if not model:
        pytest.skip("set FACECOACH_VOSK_MODEL to a vosk model folder to run the audio suite against vosk")
    from kiosk.voice.pipeline import Pipeline
    from kiosk.voice.vosk_engine import VoskRecognizer

    check_floors(*corpus.score(samples, Pipeline(VoskRecognizer(table, model), table)))


def test_a_result_depends_only_on_its_own_audio(speech, sphinx, table):
    from kiosk.voice.audio import read_wav
    from kiosk.voice.evaluate import hear_utterance
    from kiosk.voice.pipeline import Pipeline

    pipeline = Pipeline(sphinx, table)
    nxt, other = read_wav(speech("next", "en-gb", 140)), read_wav(speech("the weather is cold today"))
    alone = hear_utterance(pipeline, nxt).counted.decision
    hear_utterance(pipeline, other)
    after = hear_utterance(pipeline, nxt).counted.decision
    same = (after.transcript, after.intent_id, after.confidence)
    assert same == (alone.transcript, alone.intent_id, alone.confidence)
