"""Real speech end to end: espeak-ng voices -> WAV -> engine -> verified intent, with the targets."""

from __future__ import annotations

import os
from collections import defaultdict

import pytest

from kiosk.voice.recognizer import decide, decode
from tests.voice import corpus

CLEAN_TARGET = 0.90
NOISY_TARGET = 0.75
EVERYDAY_TARGET = 0.90


def score(samples, recognizer, table, min_confidence=0.6):
    """Share of correct outcomes per kind (clean, noisy, everyday) and the misses."""
    results: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for s in samples:
        decision = decide(table, decode(recognizer, corpus.read_pcm(s.path)), recognizer.engine, min_confidence)
        kind = "everyday" if s.intent is None else ("noisy" if s.noisy else "clean")
        ok = decision.intent_id == s.intent
        results[kind].append(ok)
        if not ok:
            misses.append(f"{kind} {s.voice} {s.text!r} -> {decision.transcript!r} ({decision.reason})")
    return {k: sum(v) / len(v) for k, v in results.items()}, {k: len(v) for k, v in results.items()}, misses


def check_targets(rates, counts, misses):
    report = f"{rates} over {counts}; misses:\n" + "\n".join(misses)
    assert counts["clean"] >= 3 * 40 and counts["everyday"] >= 3 * 20, report
    assert rates["clean"] >= CLEAN_TARGET, report
    assert rates["noisy"] >= NOISY_TARGET, report
    assert rates["everyday"] >= EVERYDAY_TARGET, report


@pytest.fixture(scope="session")
def samples(audio_dir, table):
    return corpus.build_corpus(audio_dir, {i.id: list(i.phrases) for i in table.intents})


def test_corpus_covers_every_phrase_in_three_voices_and_twenty_everyday_sentences(samples, table):
    phrases = {p for i in table.intents for p in i.phrases}
    voices = {s.voice for s in samples}
    assert len(voices) >= 3
    assert {s.text for s in samples if s.intent} == phrases
    assert len({s.text for s in samples if s.intent is None}) >= 20
    assert any(s.noisy for s in samples)


@pytest.mark.slow
def test_pocketsphinx_meets_the_accuracy_targets(samples, sphinx, table):
    check_targets(*score(samples, sphinx, table))


@pytest.mark.slow
def test_vosk_meets_the_accuracy_targets(samples, table):
    model = os.environ.get("FACECOACH_VOSK_MODEL", "")
    if not model:
        pytest.skip("set FACECOACH_VOSK_MODEL to a vosk model folder to run the audio suite against vosk")
    from kiosk.voice.vosk_engine import VoskRecognizer

    check_targets(*score(samples, VoskRecognizer(table, model), table))
