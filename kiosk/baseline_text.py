"""The baseline sentences in the patient's language, for the progress screen and the summary."""

from __future__ import annotations

from datetime import datetime

from content.i18n import phrase, section
from kiosk.baseline import ExerciseChange, sentences
from kiosk.baseline_store import changes_now
from kiosk.store import Store


def baseline_words(lang: str) -> dict[str, str]:
    """The ``[baseline]`` phrases of ``lang`` and its month names."""
    return {**section("baseline", lang), "months": phrase("home.months", lang)}


def exercise_name(exercise: str, names: dict[str, str]) -> str:
    """The exercise's name as the patient knows it (its id in words when the plan no longer has it)."""
    return names.get(exercise) or exercise.replace("_", " ").capitalize()


def change_lines(changes: list[ExerciseChange], names: dict[str, str], lang: str) -> list[str]:
    """Every exercise's sentences, in order."""
    words = baseline_words(lang)
    return [line for c in changes for line in sentences(c, exercise_name(c.exercise, names), words)]


def progress_lines(store: Store, now: datetime, names: dict[str, str], lang: str) -> list[str]:
    """The sentences for the progress screen: the baseline in force against the last two weeks."""
    return change_lines(changes_now(store, now), names, lang)
