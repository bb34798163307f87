"""A command said over the television (issue 21: "TV news underneath a command: 0/10").

No TV recording is available here: the "broadcast" is continuous real human speech, the Debian
Asterisk prompts in English and French one after the other (tests/voice/broadcast.py), going on
before, during and after the command at -6 dB and -12 dB below it. Commands: ten espeak-ng
phrases and the real recorded "pause". Everything goes through the kiosk's streaming pipeline.

What a patient needs (the issue's targets): commands heard as in a quiet room, the broadcast
alone giving no command. Neither is met (docs/voice.md, "Voice activity"): the asserted figures
are the measured ones, as regression guards, named next to the need. Rejecting speech that is
not addressed to the kiosk needs the recogniser (grammar, rejection), not the voice-activity
detector: a detector rightly calls a presenter's voice speech.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.voice import broadcast, realspeech

COMMANDS = (
    ("stop", "stop"),
    ("start session", "start_session"),
    ("pause", "pause"),
    ("next exercise", "next"),
    ("repeat that", "repeat"),
    ("slow down", "slower"),
    ("i took my drops", "drops_taken"),
    ("too strong", "too_strong"),
    ("what time is it", "what_time"),
    ("i need help", "help"),
)
LEAD_S, AFTER_S = 1.5, 4.0
LEVELS_DB = (-6.0, -12.0)
ALONE = 10  # broadcast-only stretches of 8 s
ALONE_LEVEL = 1500.0  # int16 RMS of the presenter's speech, about as loud as the espeak commands

# Measured with the default detector (docs/voice.md): heard 0/11 at both levels (the need: 11/11);
# another command acted on 9/11 at -6 dB, 7/11 at -12 dB; the TV alone 7/10 (the need: 0).
# Regression ceilings, one or two above the measured figures; the misses are the recogniser's.
OTHER_AT_MOST = {-6.0: 10, -12.0: 9}
ALONE_AT_MOST = 8


@pytest.fixture(scope="module")
def files():
    message = f"real speech recordings are missing: apt-get install {realspeech.PACKAGES} (setup.sh --test)"
    broadcast.require(realspeech.available(), message)
    return broadcast.broadcast_files()


@pytest.fixture(scope="module")
def commands(speech, files):
    from kiosk.voice.audio import read_wav

    out = [(read_wav(speech(text)), intent) for text, intent in COMMANDS]
    pause = next(r for r in realspeech.recordings() if r.intent == "pause")
    return out + [(read_wav(pause.path), "pause")]


@pytest.fixture(scope="module")
def pipeline(sphinx, table):
    from kiosk.voice.pipeline import Pipeline

    return Pipeline(sphinx, table)


def over_tv(pipeline, commands, files, relative_db: float) -> list[tuple[str, str | None]]:
    """(expected, acted on) for each command said over the broadcast."""
    from kiosk.voice.evaluate import hear_utterance

    seconds = LEAD_S + AFTER_S + max(len(c) for c, _ in commands) / broadcast.RATE
    out = []
    for i, (cmd, intent) in enumerate(commands):
        track = broadcast.broadcast(seconds, start=7 * i, files=files)
        audio = broadcast.under_broadcast(cmd, track, relative_db, LEAD_S)
        out.append((intent, hear_utterance(pipeline, audio, ("yes", "no"), lead_s=0.0, tail_s=0.0).intent_id))
    return out


def test_the_broadcast_is_mixed_at_the_level_asked(commands, files):
    cmd, _ = commands[0]
    track = broadcast.broadcast(8.0, start=0, files=files)
    lead = int(LEAD_S * broadcast.RATE)
    mixed = broadcast.under_broadcast(cmd, track, -12.0, LEAD_S).astype(np.float64)
    before = broadcast.active_rms(mixed[:lead].astype(np.int16))
    assert 20 * np.log10(broadcast.active_rms(cmd) / before) == pytest.approx(12.0, abs=3.0)
    assert broadcast.active_rms(mixed[-lead:].astype(np.int16)) > 0.1 * before  # the TV goes on after


def test_the_same_commands_without_the_tv_are_heard(pipeline, commands):
    # The control: the commands and their mixing are sound, so what follows is the television's doing.
    from kiosk.voice.evaluate import hear_utterance

    heard = [hear_utterance(pipeline, cmd, ("yes", "no")).intent_id == intent for cmd, intent in commands]
    assert sum(heard) >= len(commands) - 2, heard


@pytest.mark.parametrize("relative_db", LEVELS_DB)
def test_commands_over_tv_speech(pipeline, commands, files, relative_db):
    results = over_tv(pipeline, commands, files, relative_db)
    heard = sum(expected == got for expected, got in results)
    other = sum(got not in (None, expected) for expected, got in results)
    figures = f"heard {heard}/{len(results)}, another command acted on {other}: {results}"
    assert other <= OTHER_AT_MOST[relative_db], figures  # need: none, and all 11 heard (issue: 0/10)


def test_tv_speech_alone(pipeline, files):
    from kiosk.voice.evaluate import hear_utterance

    fired = []
    for i in range(ALONE):
        track = broadcast.scaled(broadcast.broadcast(8.0, start=11 * i, files=files), ALONE_LEVEL)
        outcome = hear_utterance(pipeline, track, (), lead_s=0.0, tail_s=0.0)
        fired += [h.decision.intent_id for h in outcome.heard if h.decision.intent is not None][:1]
    assert len(fired) <= ALONE_AT_MOST, fired  # need: 0 of 10
