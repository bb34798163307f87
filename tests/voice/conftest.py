"""Voice fixtures: the English intents, one pocketsphinx decoder, and synthesized speech (cached)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.voice import corpus

CACHE_ENV = "FACECOACH_VOICE_AUDIO_CACHE"


@pytest.fixture(scope="session")
def table():
    from kiosk.voice.intents import load_intents

    return load_intents("en")


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory) -> Path:
    """Where synthesized speech goes: a session folder, or a reusable one named by the env variable."""
    if not corpus.have_tools():
        pytest.skip("espeak-ng and sox are needed to make test speech (scripts/setup.sh --test installs them)")
    folder = os.environ.get(CACHE_ENV)
    return Path(folder) if folder else tmp_path_factory.mktemp("voice-audio")


@pytest.fixture(scope="session")
def sphinx(table):
    from kiosk.voice.sphinx import SphinxRecognizer

    return SphinxRecognizer(table)


@pytest.fixture(scope="session")
def speech(audio_dir):
    """A function: text -> 16 kHz WAV path (en-us voice at a slow rate)."""

    def make(text: str, voice: str = "en-us", rate: int = 120) -> Path:
        return corpus.synthesize(text, voice, rate, audio_dir)

    return make
