"""Pure rules behind the screens' words: pages start at a sentence, labels are shortened never cut,
plurals and decimal marks per language, movement in words, and a brow lift that visibly moves."""

from __future__ import annotations

import pytest

from content.i18n import fill, number, phrase
from kiosk.ui.face_drawing import brow_y
from kiosk.ui.layout import abbreviate, pages, sentences, wrap
from kiosk.ui.movement_words import movement_words


def chars(text: str) -> int:
    """A measure for tests: one pixel per character."""
    return len(text)


def test_every_page_starts_at_a_sentence_and_nothing_is_lost():
    text = "Now let them down slowly. Relax your forehead fully. Keep your eyes soft and open now."
    got = pages(text, chars, 30, 2)
    starts = {s.split()[0] for s in sentences(text)}
    assert all(page[0].split()[0] in starts for page in got), got
    assert " ".join(" ".join(page) for page in got).split() == text.split()


def test_a_sentence_longer_than_a_page_goes_on_over_pages_without_dropping_words():
    text = "one two three four five six seven eight nine ten eleven twelve."
    got = pages(text, chars, 10, 2)
    assert len(got) > 1 and " ".join(" ".join(page) for page in got).split() == text.split()


def test_a_colon_does_not_end_a_sentence():
    assert sentences("Your left: a small movement. Your right: more.") == [
        "Your left: a small movement.",
        "Your right: more.",
    ]


def test_abbreviation_shortens_the_longest_word_and_keeps_the_last():
    short = abbreviate("Lächeln mit geschlossenem Mund", chars, 25)
    assert len(short) <= 25 and short.endswith("Mund") and short.startswith("Lächeln mit geschl")
    assert wrap("a bb ccc", chars, 4) == ["a bb", "ccc"]


@pytest.mark.parametrize(
    ("lang", "count", "minutes", "expected"),
    [
        ("en", 1, 1, "You did 1 exercise in 1 minute."),
        ("en", 2, 12, "You did 2 exercises in 12 minutes."),
        ("de", 1, 1, "Sie haben 1 Übung in 1 Minute gemacht."),
        ("de", 3, 2, "Sie haben 3 Übungen in 2 Minuten gemacht."),
    ],
)
def test_plural_forms_follow_the_language(lang, count, minutes, expected):
    assert phrase("session.summary_count", lang, count=count, minutes=minutes) == expected


def test_numbers_use_the_languages_decimal_mark():
    assert number(2.5, "de") == "2,5" and number(2.5, "en") == "2.5" and number(4.0, "de") == "4"
    assert fill("{ma} mA", "de", ma=2.5) == "2,5 mA"


def test_movement_is_described_in_words_never_a_bare_number_over_100():
    assert movement_words(3) == "about the same as your relaxed face"
    assert movement_words(171) == "more than needed: gentler"
    assert movement_words(171, "de") == "mehr als nötig: sanfter"
    assert "%" not in movement_words(250)


def test_a_gentle_brow_lift_moves_the_brows_visibly():
    r, eye = 100.0, 0.0
    moved = brow_y(eye, r, 0.0) - brow_y(eye, r, 0.5)  # a gentle lift is half the drawing's range
    assert moved >= 0.15 * r, "the brows move at least 15 % of the face radius (was 6 %)"


def test_stored_end_times_that_are_naive_or_broken_do_not_stop_home():
    from kiosk.home_sessions import ended_times

    got = ended_times(["2026-11-21T10:05:00+00:00", "2026-11-21T10:05:00", "yesterday"])
    assert len(got) == 2 and all(t.tzinfo is not None for t in got)
