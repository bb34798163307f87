import tomllib
from datetime import time

from schedules.escalation import ReminderPolicy
from schedules.plan_section import DEFAULT_ITEMS, default_section, parse_schedule

PLAN = """\
[plan]
timezone = "Europe/London"

[[sessions]]
id = "morning"
days = ["mon", "wed", "fri"]
time = "10:00"

[[sessions]]
id = "evening"
time = "25:00"

[eye_care]
eye = "left"

[[eye_care.items]]
id = "day_drops"
kind = "drops"
every_hours = 2
from = "08:00"
until = "20:00"

[[eye_care.items]]
id = "night_routine"
kind = "ointment"
at = "22:00"
also = ["taping"]

[[eye_care.items]]
id = "mystery"
kind = "glue"
at = "12:00"

[reminders]
repeat_every_minutes = 5
caregiver_after_minutes = 99
snooze_minutes = 5
max_snoozes = 2
"""


def parse(text):
    return parse_schedule(tomllib.loads(text), text, "plan.toml")


def test_full_plan_is_read_with_problems_named_by_line_and_field():
    section, problems = parse(PLAN)
    assert section.timezone == "Europe/London" and section.eye == "left"
    assert [s.id for s in section.sessions] == ["morning"]
    assert section.sessions[0].days == (0, 2, 4) and section.sessions[0].at == time(10)
    drops, night = section.items
    assert drops.times == tuple(time(h) for h in (8, 10, 12, 14, 16, 18, 20))
    assert night.night and night.also == ("taping",) and not drops.night
    assert section.policy == ReminderPolicy(repeat_every_minutes=5, snooze_minutes=5, max_snoozes=2)
    text = [str(p) for p in problems]
    assert any(t.startswith("plan.toml:11: sessions[1].time: must be a time") for t in text), text
    assert any(t.startswith("plan.toml:31: eye_care.items[2].kind: must be one of") for t in text), text
    assert any(t.startswith("plan.toml:36: reminders.caregiver_after_minutes: must be a whole number") for t in text)
    assert len(problems) == 3


def test_empty_plan_has_no_eye_care_and_safe_policy():
    section, problems = parse("")
    assert problems == [] and section.items == () and section.eye == "none"
    assert section.policy.caregiver_after_minutes == 15 and section.policy.snooze_minutes == 0


def test_eye_that_needs_care_without_items_gets_the_safe_defaults():
    section, problems = parse('[eye_care]\neye = "right"\n')
    assert problems == [] and section.items == DEFAULT_ITEMS


def test_broken_items_fall_back_to_defaults_and_bad_timezone_to_utc():
    section, problems = parse('[plan]\ntimezone = "Mars/Olympus"\n[eye_care]\n[[eye_care.items]]\nkind = "drops"\n')
    assert section.timezone == "UTC" and section.items == DEFAULT_ITEMS
    assert {p.field for p in problems} == {"plan.timezone", "eye_care.items[0].every_hours"}


def test_catch_up_must_outlast_caregiver_alert():
    section, problems = parse("[reminders]\ncaregiver_after_minutes = 30\ncatch_up_minutes = 20\n")
    assert section.policy.catch_up_minutes > section.policy.caregiver_after_minutes
    assert problems and problems[0].field == "reminders.catch_up_minutes"


def test_default_section_and_summary():
    section = default_section("Europe/London")
    assert [i.id for i in section.items] == ["day_drops", "night_routine"]
    section, _ = parse('[summary]\nevery = "daily"\ntime = "19:30"\n')
    assert section.summary.every == "daily" and section.summary.at == time(19, 30)
