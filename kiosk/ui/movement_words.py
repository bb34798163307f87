"""A side's movement in plain words instead of a bare percentage (which can pass 100 %)."""

from __future__ import annotations

from content.i18n import DEFAULT_LANGUAGE, phrase

# Upper bounds (% of a typical healthy movement) of each band, in order. Gentle exercise aims for
# about half; above TOO_MUCH_PCT the coach already asks for less (coach.feedback.TOO_BIG_PERCENT).
BANDS = ((10.0, "move_none"), (40.0, "move_little"), (80.0, "move_good"), (120.0, "move_full"))
TOO_MUCH_PCT = 120.0
PHRASE_KEYS = ("screen.move_none", "screen.move_little", "screen.move_good", "screen.move_full", "screen.move_over")


def movement_key(pct: float) -> str:
    """The [screen] phrase key that describes ``pct`` per cent of a typical movement."""
    for upper, key in BANDS:
        if pct < upper:
            return key
    return "move_over"


def movement_words(pct: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """E.g. 'about the same as your relaxed face' for 3 %, 'more than needed: gentler' for 171 %."""
    return phrase(f"screen.{movement_key(pct)}", lang)
