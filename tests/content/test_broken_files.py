"""Broken content files: every problem names file, line and field, and check-content exits 1."""

from __future__ import annotations

from pathlib import Path

from content.check import check_content
from kiosk.cli import main
from tests.content.conftest import edit, line_of


def problems_in(root: Path, path: Path) -> list[tuple[int, str, str]]:
    """(line, field, message) of every problem check-content reports for one file."""
    return [(p.line, p.field, p.message) for p in check_content(root).problems if p.file == str(path)]


def test_wrong_type_names_line_and_field(content_copy):
    path = content_copy / "exercises" / "brow_lift.toml"
    line = edit(path, "reps = 5", 'reps = "five"')
    assert problems_in(content_copy, path) == [(line, "reps", "must be a whole number, got 'five'")]


def test_unknown_key_names_line_and_field(content_copy):
    path = content_copy / "exercises" / "frown.toml"
    line = edit(path, "effort = 3\n", 'effort = 3\ncolour = "red"\n') + 1
    [(got_line, field, message)] = problems_in(content_copy, path)
    assert (got_line, field) == (line, "colour") and message.startswith("unknown key")


def test_missing_field_is_named(content_copy):
    path = content_copy / "exercises" / "lip_press.toml"
    edit(path, 'metric = "lip_press"\n', "")
    [(_, field, message)] = problems_in(content_copy, path)
    assert field == "metric" and message.startswith("missing")


def test_bad_toml_names_the_line(content_copy):
    path = content_copy / "exercises" / "cheek_puff.toml"
    line = edit(path, "rest_seconds = 5", "rest_seconds = ")
    [(got_line, field, message)] = problems_in(content_copy, path)
    assert (got_line, field) == (line, "(file)") and "not valid TOML" in message


def test_keyframe_out_of_range_names_the_keyframe_line(content_copy):
    path = content_copy / "exercises" / "brow_lift.toml"
    line = edit(path, "{ at = 2, brows_up = 0.5 }", "{ at = 2, brows_up = 1.5 }")
    [(got_line, field, message)] = problems_in(content_copy, path)
    assert (got_line, field) == (line, "animation.keyframes[2].brows_up") and "between 0 and 1" in message


def test_active_exercise_in_the_flaccid_stage_is_refused(content_copy):
    path = content_copy / "exercises" / "closed_smile.toml"
    line = edit(path, 'stages = ["paresis"', 'stages = ["flaccid", "paresis"')
    [(got_line, field, message)] = problems_in(content_copy, path)
    assert (got_line, field) == (line, "stages") and "flaccid" in message


def test_hard_effort_words_and_long_sentences_are_refused(content_copy):
    path = content_copy / "lang" / "en" / "exercises" / "brow_lift.toml"
    line = edit(path, '"Only a small movement."', '"Raise them as hard as you can."')
    long_line = edit(path, '"Now let them down slowly."', '"Now let them down ' + "very " * 14 + 'slowly."')
    found = problems_in(content_copy, path)
    assert (line, "move[2]", "uses 'as hard as': keep effort gentle and small") in found
    assert any(f == "relax[1]" and ln == long_line and "longer than 14 words" in m for ln, f, m in found)


def test_education_page_item_is_located(content_copy):
    path = content_copy / "lang" / "en" / "education" / "eye_night.toml"
    line = edit(path, '"Squeeze a thin line of ointment inside the lower lid.",', "42,")
    assert problems_in(content_copy, path) == [(line, "pages[1].spoken[3]", "must be text in quotes, got 42")]


def test_plan_with_unknown_or_unsuitable_exercise_is_located(content_copy):
    path = content_copy / "plans" / "sample-therapist.toml"
    line = edit(path, 'id = "nose_wrinkle"', 'id = "jaw_clench"')
    stage_line = edit(path, 'stage = "paresis"', 'stage = "flaccid"')
    found = problems_in(content_copy, path)
    assert (line, "exercises[4].id", "no such exercise 'jaw_clench' in content/exercises") in found
    unsuitable = [f for ln, f, m in found if "does not suit the flaccid stage" in m]
    assert "exercises[2].id" in unsuitable and "exercises[9].id" not in unsuitable  # cheek massage suits
    assert stage_line == line_of(path, 'stage = "flaccid"')


def test_starter_plan_must_not_enable_stimulation(content_copy):
    path = content_copy / "plans" / "starter.toml"
    line = edit(path, "enabled = false", "enabled = true")
    assert (line, "stimulation.enabled", "the unsigned starter plan must have stimulation disabled") in problems_in(
        content_copy, path
    )


def test_translation_with_unknown_key_or_wrong_placeholder(content_copy):
    path = content_copy / "lang" / "de" / "phrases.toml"
    line = edit(path, 'next_session = "Nächste Übung: {when}"', 'next_session = "Nächste Übung: {wann}"')
    edit(path, 'none_planned = "nichts geplant"', 'none_planned = "nichts geplant"\nbogus = "x"')
    found = problems_in(content_copy, path)
    assert (line, "home.next_session", "placeholders must be ['when'], as in English") in found
    assert (line + 3, "home.bogus", "unknown key: not in the English phrases.toml") in found


def test_missing_german_phrase_fails(content_copy):
    path = content_copy / "lang" / "de" / "phrases.toml"
    edit(path, 'again = "Das ist wichtig für Ihr Auge."\n', "")
    found = problems_in(content_copy, path)
    assert any(field == "reminder.again" and "the code uses it" in message for _, field, message in found)


def test_complete_language_without_an_exercise_text_fails(content_copy):
    (content_copy / "lang" / "de" / "exercises" / "lip_press.toml").unlink()
    messages = [p.message for p in check_content(content_copy).problems]
    assert "no words in this complete language: add lang/de/exercises/lip_press.toml" in messages


def test_complete_language_without_an_education_topic_fails(content_copy):
    (content_copy / "lang" / "de" / "education" / "eye_night.toml").unlink()
    found = [(p.file, p.message) for p in check_content(content_copy).problems]
    path = str(content_copy / "lang" / "de" / "education" / "eye_night.toml")
    assert (path, "missing: a complete language has every English topic") in found


def test_partial_language_may_leave_exercises_in_english(content_copy):
    (content_copy / "lang" / "de" / "exercises" / "lip_press.toml").unlink()
    edit(content_copy / "lang" / "de" / "language.toml", "complete = true", "complete = false")
    assert not [p for p in check_content(content_copy).problems if "lip_press" in p.message]


def test_cli_prints_file_line_field_and_exits_1(content_copy, capsys):
    path = content_copy / "exercises" / "brow_lift.toml"
    line = edit(path, "hold_seconds = 5", "hold_seconds = 25")
    assert main(["check-content", "--root", str(content_copy)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{line}: hold_seconds: for a movement must be between 3 and 10, got 25" in out
    assert "5 problems in the content; fix them, then run facecoach check-content again." in out


def test_cli_refuses_a_missing_folder_plainly(tmp_path, capsys):
    assert main(["check-content", "--root", str(tmp_path / "nowhere")]) == 1
    assert "is not a folder" in capsys.readouterr().out


def test_a_placeholder_the_code_never_gives_is_named_in_english_too(content_copy):
    # English is the reference for the other languages, so a typo there was caught only when the
    # phrase was first said (a KeyError); the calls in the code say which names each phrase gets.
    path = content_copy / "lang" / "en" / "phrases.toml"
    line = edit(path, 'today_at = "today at {time}"', 'today_at = "today at {tme}"')
    source = (Path(__file__).parents[2] / "kiosk" / "home_sessions.py").read_text(encoding="utf-8").splitlines()
    call = next(n for n, text in enumerate(source, 1) if 'phrase("home.today_at"' in text)
    found = problems_in(content_copy, path)
    why = f"{{tme}} is not given by the code (kiosk/home_sessions.py:{call} gives time)"
    assert (line, "home.today_at", why) in found


def test_the_scan_knows_the_names_each_call_gives():
    from content.keys import fills_in_source

    source = (
        "a = phrase('home.today_at', lang, time=at)\n"
        "b = phrase('plan.change.dose', lang=lang, reps=3, hold=2.5)\n"
        "c = phrase('stim_reason.rest', lang, **values)\n"  # names known only at run time
        "d = phrase('home.weekdays', lang=lang)\n"  # no values: the text comes back unfilled
        "e = phrase(f'screen.{key}', lang, pct=3)\n"  # a run-time key
    )
    assert fills_in_source(source) == [
        ("home.today_at", frozenset({"time"}), 1),
        ("plan.change.dose", frozenset({"reps", "hold"}), 2),
    ]
