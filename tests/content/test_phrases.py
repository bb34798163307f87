"""Every phrase key the code uses exists in English and in every language that says it is complete."""

from __future__ import annotations

import tomllib

import pytest

from content import content_path
from content.check import check_content
from content.check_lang import ENGLISH, phrase_leaves
from content.i18n import phrase
from content.keys import keys_in_source, matches, used_phrase_keys

LANGUAGES = sorted(p.name for p in content_path("lang").iterdir() if p.is_dir())


def language_info(code: str) -> dict:
    return tomllib.loads(content_path("lang", code, "language.toml").read_text(encoding="utf-8"))


def phrase_keys_of(code: str) -> set[str]:
    return set(phrase_leaves(tomllib.loads(content_path("lang", code, "phrases.toml").read_text(encoding="utf-8"))))


def test_there_is_english_and_a_second_language():
    assert ENGLISH in LANGUAGES and "de" in LANGUAGES
    assert language_info(ENGLISH)["complete"] is True


def test_the_scan_finds_calls_run_time_keys_and_phrase_key_tuples():
    source = (
        "from content.i18n import phrase\n"
        "import content.i18n as i18n\n"
        "PHRASE_KEYS = ('feedback.a', 'feedback.b')\n"
        "x = phrase('home.start', lang)\n"
        "y = i18n.phrase('home.stop')\n"
        "z = phrase(f'reminder.eye_{eye}', lang)\n"
        "w = other('not.a.phrase')\n"
    )
    assert sorted(k for k, _ in keys_in_source(source)) == [
        "feedback.a",
        "feedback.b",
        "home.start",
        "home.stop",
        "reminder.eye_*",
    ]
    assert matches("reminder.eye_*", {"reminder.eye_left"}) and not matches("reminder.ear_*", {"reminder.eye_left"})


def test_the_code_uses_phrase_keys():
    used = used_phrase_keys()
    assert used, "no phrase(...) call found in the sources: the scan is broken"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_key_the_code_uses_is_in_each_complete_language(code):
    if code != ENGLISH and not language_info(code)["complete"]:
        pytest.skip(f"{code} declares itself incomplete; English is used for its missing phrases")
    have = phrase_keys_of(code)
    missing = {key: uses[0] for key, uses in used_phrase_keys().items() if not matches(key, have)}
    assert not missing, f"content/lang/{code}/phrases.toml lacks keys the code uses: {missing}"


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != ENGLISH])
def test_a_complete_translation_has_every_english_phrase(code):
    if not language_info(code)["complete"]:
        pytest.skip(f"{code} declares itself incomplete")
    assert phrase_keys_of(ENGLISH) - phrase_keys_of(code) == set()


def test_phrase_lookup_in_german_fills_placeholders():
    assert phrase("home.next_session", "de", when="10:00") == "Nächste Übung: 10:00"
    assert phrase("home.next_session", "xx", when="10:00") == "Next session: 10:00"


def test_shipped_phrase_and_voice_files_have_no_problems():
    problems = [
        p
        for p in check_content().problems
        if p.file.endswith(("phrases.toml", "voice.toml", "language.toml")) and "the code uses it" not in p.message
    ]
    assert problems == []


def test_shipped_content_has_no_problems_except_missing_phrases():
    """Schema and rules of every data file; missing phrase keys are the test above."""
    problems = [p for p in check_content().problems if "the code uses it" not in p.message]
    assert [str(p) for p in problems] == []
