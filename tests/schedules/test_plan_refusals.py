"""Each schedule mistake a therapist can make is a problem with file, line, field and reason; none crashes."""

import math
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schedules.plan_section import DEFAULT_ITEMS, parse_schedule

GOOD = """\
[plan]
timezone = "Europe/London"

[[sessions]]
id = "morning"
time = "10:00"

[eye_care]
eye = "left"

[[eye_care.items]]
id = "night_routine"
kind = "ointment"
at = "22:00"

[reminders]
repeat_every_minutes = 3

[summary]
every = "weekly"
"""


def problems_of(text, raw=None):
    raw = tomllib.loads(text) if raw is None else raw
    section, problems = parse_schedule(raw, text, "plan.toml", "UTC")
    return section, [str(p) for p in problems]


def test_the_good_plan_has_no_problems():
    section, problems = problems_of(GOOD)
    assert problems == [] and section.items[0].kind == "ointment"


MISTAKES = [
    # (what is wrong, replace this, with this, the problem expected)
    (
        "kind with a space",
        'kind = "ointment"',
        'kind = "Ointment "',
        "plan.toml:13: eye_care.items[0].kind: must be one of",
    ),
    (
        "time like 10pm",
        'at = "22:00"',
        'at = "10pm"',
        "plan.toml:14: eye_care.items[0].at: must be a time like \"08:00\", got '10pm'",
    ),
    ("hour 25", 'at = "22:00"', 'at = "25:00"', "plan.toml:14: eye_care.items[0].at: must be a time like"),
    (
        "misspelt zone",
        'timezone = "Europe/London"',
        'timezone = "Europe/Londn"',
        "plan.toml:2: plan.timezone: unknown time zone 'Europe/Londn'",
    ),
    (
        "every 0 hours",
        'at = "22:00"',
        "every_hours = 0",
        "plan.toml:14: eye_care.items[0].every_hours: needs 'at' or 'every_hours' from 0.5 to 12, got 0",
    ),
    (
        "every -2 hours",
        'at = "22:00"',
        "every_hours = -2",
        "plan.toml:14: eye_care.items[0].every_hours: needs 'at' or 'every_hours' from 0.5 to 12, got -2",
    ),
    (
        "every nan hours",
        'at = "22:00"',
        "every_hours = nan",
        "plan.toml:14: eye_care.items[0].every_hours: needs 'at' or 'every_hours' from 0.5 to 12, got nan",
    ),
    (
        "every inf hours",
        'at = "22:00"',
        "every_hours = inf",
        "plan.toml:14: eye_care.items[0].every_hours: needs 'at' or 'every_hours' from 0.5 to 12, got inf",
    ),
    (
        "hyphen in section",
        "[eye_care]",
        "[eye-care]",
        "plan.toml:8: eye-care: unknown section (did you mean [eye_care]?)",
    ),
    (
        "unknown key in sessions",
        'time = "10:00"',
        'time = "10:00"\nduration = 30',
        "plan.toml:7: sessions[0].duration: unknown key",
    ),
    (
        "unknown key in eye_care",
        'eye = "left"',
        'eye = "left"\nside = "left"',
        "plan.toml:10: eye_care.side: unknown key",
    ),
    (
        "unknown key in an item",
        'at = "22:00"',
        'at = "22:00"\ntime = "22:00"',
        "plan.toml:15: eye_care.items[0].time: unknown key",
    ),
    (
        "unknown key in reminders",
        "repeat_every_minutes = 3",
        "repeat_every_minute = 3",
        'plan.toml:17: reminders.repeat_every_minute: unknown key (did you mean "repeat_every_minutes"?)',
    ),
    (
        "a misspelt day",
        'time = "10:00"',
        'time = "10:00"\ndays = ["mon", "Tues", "thurs", "someday"]',
        "plan.toml:7: sessions[0].days: must be a list of days from mon, tue, wed, thu, fri, sat, sun, got "
        "['mon', 'Tues', 'thurs', 'someday']: \"Tues\" is not a day (did you mean \"tue\"?); "
        '"thurs" is not a day (did you mean "thu"?); "someday" is not a day',
    ),
    (
        "unknown key in summary",
        'every = "weekly"',
        'evry = "weekly"',
        'plan.toml:20: summary.evry: unknown key (did you mean "every"?)',
    ),
]


@pytest.mark.parametrize(("what", "old", "new", "expected"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_a_problem_with_its_line_and_reason(what, old, new, expected):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    section, problems = problems_of(text)
    assert any(p.startswith(expected) for p in problems), (what, problems)
    assert section.items, "what runs meanwhile still guards the eye"


WRONG_TYPES = [
    ("eye_care", "left", "plan.toml:1: eye_care: must be a table [eye_care], got 'left'"),
    ("summary", "weekly", "plan.toml:1: summary: must be a table [summary], got 'weekly'"),
    ("reminders", 5, "plan.toml:1: reminders: must be a table [reminders], got 5"),
    ("sessions", "daily", "plan.toml:1: sessions: must be a list of [[sessions]] tables"),
]


@pytest.mark.parametrize(("name", "value", "expected"), WRONG_TYPES, ids=[w[0] for w in WRONG_TYPES])
def test_a_top_level_value_of_the_wrong_type_is_a_problem_not_a_crash(name, value, expected):
    text = f"{name} = {value!r}\n".replace("'", '"')
    section, problems = problems_of(text)
    assert problems == [expected]
    if name == "eye_care":
        assert section.items == DEFAULT_ITEMS, "the eye still gets drops and the night routine"


def test_nan_interval_is_not_a_number_the_parser_uses():
    section, problems = problems_of(GOOD.replace('at = "22:00"', "every_hours = nan"))
    assert problems and all(not any(math.isnan(t.hour) for t in i.times) for i in section.items)


toml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
keys = st.sampled_from(["plan", "sessions", "eye_care", "reminders", "summary", "eye-care", "items"])


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        keys,
        toml_values
        | st.dictionaries(
            st.sampled_from(["eye", "items", "timezone", "kind", "at", "every", "day", "time"]), toml_values
        ),
        max_size=5,
    )
)
def test_no_plan_whatever_its_shape_crashes_the_parser(raw):
    section, problems = parse_schedule(raw, "", "plan.toml", "UTC")
    assert section.eye == "none" or section.items, "an eye that needs care is never left without reminders"
    assert all(str(p).startswith("plan.toml:") for p in problems)
