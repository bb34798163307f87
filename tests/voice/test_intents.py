"""The intent table: the data file, whole-phrase matching, and what voice may only propose."""

from __future__ import annotations

import re

import pytest

from kiosk.voice.grammar import jsgf, vosk_grammar
from kiosk.voice.intents import VoiceDataError, load_intents, normalize, parse_intents
from kiosk.voice.recognizer import Hypothesis, decide

REQUIRED = {
    "start_session", "stop", "pause", "resume", "next", "repeat", "slower", "louder", "quieter", "help",
    "yes", "no", "drops_taken", "ointment_done", "too_strong", "whats_next", "what_time",
}  # fmt: skip


def test_every_required_intent_is_in_the_english_file(table):
    assert REQUIRED <= {i.id for i in table.intents}


def test_only_starting_or_raising_stimulation_needs_touch_confirmation(table):
    needs = {i.id for i in table.intents if i.requires_touch_confirmation}
    assert needs == {"propose_stimulation", "propose_stronger"}
    assert not table.get("too_strong").requires_touch_confirmation  # lowering is always allowed
    assert table.get("stop").safety


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("stop", "stop"),
        ("Stop!", "stop"),
        ("I took my drops", "drops_taken"),
        ("what\u2019s next", "whats_next"),
        ("please stop", None),  # no polite words in the English file: a whole phrase or nothing
        ("the stopwatch is broken", None),
        ("stop the car now", None),
        ("i took my", None),
        ("", None),
    ],
)
def test_whole_phrase_matching(table, said, intent):
    match = table.match(said)
    assert (match.id if match else None) == intent


def test_polite_words_may_surround_a_phrase():
    table = parse_intents('[intents.stop]\nphrases = ["stop"]\n[words]\npolite = ["please"]\n')
    assert table.match("please stop please").id == "stop"
    assert table.match("please") is None


def test_decide_needs_a_whole_phrase_and_enough_confidence(table):
    assert decide(table, Hypothesis("next", 0.9), "x", 0.6).intent_id == "next"
    low = decide(table, Hypothesis("next", 0.3), "x", 0.6)
    assert (low.intent_id, low.reason) == (None, "low confidence")
    assert decide(table, Hypothesis("what's the", 1.0), "x", 0.6).reason == "not a command"
    assert decide(table, Hypothesis("", 0.0), "x", 0.6).reason == "nothing heard"


def test_safety_phrases_are_spotted_in_partial_results(table):
    assert table.spot_safety("stop").id == "stop"
    assert table.spot_safety("too strong").id == "too_strong"
    assert table.spot_safety("next") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[intents", "not valid TOML"),
        ("[words]\npolite = []\n", "needs [intents"),
        ('[intents.stop]\nphrases = "stop"\n', "must be a list"),
        (
            '[intents.stop]\nphrases = ["stop"]\nsafe = true\n',
            'intents.stop: unknown key "safe" (did you mean "safety"?)',
        ),
        (
            '[intents.stop]\nphrases = ["stop"]\nloud = 1\nonly_when_askd = true\n',
            'unknown keys "loud", "only_when_askd" (did',
        ),
        ('[intents.a]\nphrases = ["go"]\n[intents.b]\nphrases = ["go"]\n', "also in intents.a"),
        ('[intents.a]\nphrases = ["go"]\nsafety = "yes"\n', "must be true or false"),
    ],
)
def test_bad_voice_files_are_explained(text, message):
    with pytest.raises(VoiceDataError, match=re.escape(message)):
        parse_intents(text, filename="voice.toml")


def test_a_language_without_a_voice_file_falls_back_to_english():
    assert load_intents("xx").language == "en"


def test_normalize():
    assert normalize("  What\u2019s   NEXT?! ") == "what's next"


def test_grammars_hold_every_command_and_the_answers_only_when_asked(table):
    def phrases_in(grammar: str) -> str:
        return grammar.replace("|", " ").replace(";", " ")

    grammar, asked = jsgf(table), jsgf(table, asked={"tiring", "painful"})
    assert grammar.startswith("#JSGF V1.0;")
    for phrase, intent_id in table.phrases().items():
        intent = table.get(intent_id)
        in_main = f" {phrase} " in phrases_in(grammar)
        assert in_main == (not intent.only_when_asked or intent.always_in_grammar), phrase
        assert (f" {phrase} " in phrases_in(asked)) == (in_main or intent_id in ("tiring", "painful")), phrase
    assert {"tiring", "gritty", "no_problem"} <= table.answers() and not {"yes", "no"} & table.answers()
    words, asked_words = vosk_grammar(table), vosk_grammar(table, {"tiring"})
    assert words[-1] == "[unk]" == asked_words[-1]
    assert set(table.listening_for()) <= set(words) and "tiring" not in words and "no thanks" in words
    assert "tiring" in asked_words and "gritty" not in asked_words


def test_every_word_is_in_the_pocketsphinx_dictionary(table, sphinx):
    from kiosk.voice.recognizer import VoiceError
    from kiosk.voice.sphinx import SphinxRecognizer

    assert all(sphinx._decoder.lookup_word(w) for w in table.words())
    with pytest.raises(VoiceError, match="zorblax"):
        SphinxRecognizer(parse_intents('[intents.x]\nphrases = ["zorblax now"]\n'))
