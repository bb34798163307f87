"""The starter plan (unsigned, no stimulation, gentle, eye care) and the sample therapist plan."""

from __future__ import annotations

import tomllib

from content import content_path
from content.check import check_plan
from content.loader import load_exercises


def plan(name: str) -> dict:
    return tomllib.loads(content_path("plans", name).read_text(encoding="utf-8"))


def test_starter_plan_is_unsigned_and_never_stimulates():
    starter = plan("starter.toml")
    assert starter["stimulation"]["enabled"] is False
    assert not content_path("plans", "starter.toml.sig").exists()
    assert check_plan(content_path("plans", "starter.toml"), _library()).problems == []


def test_starter_plan_dose_is_gentle_and_suits_its_stage():
    starter = plan("starter.toml")
    library = load_exercises()
    stage = starter["plan"]["stage"]
    for item in starter["exercises"]:
        exercise = library[item["id"]]
        assert exercise.suits(stage), item["id"]
        if exercise.kind == "movement":
            assert item["reps"] <= 5 and 3 <= item["hold_seconds"] <= 6 and item["rest_seconds"] >= 5


def test_starter_plan_guards_the_eye_day_and_night():
    items = {item["kind"]: item for item in plan("starter.toml")["eye_care"]["items"]}
    assert items["drops"]["every_hours"] == 2
    assert items["ointment"]["also"] == ["taping"]


def test_sample_therapist_plan_has_a_stimulation_block_and_known_exercises():
    sample = plan("sample-therapist.toml")
    stim = sample["stimulation"]
    assert stim["enabled"] is True and stim["max_amplitude_ma"] > 0 and stim["side"] in ("left", "right")
    assert sample["plan"]["version"] > plan("starter.toml")["plan"]["version"]
    assert check_plan(content_path("plans", "sample-therapist.toml"), _library()).problems == []


def _library() -> dict:
    from content.check import check_library

    library, problems = check_library(content_path())
    assert problems == []
    return library


def test_both_plans_pass_the_parsers_that_own_their_sections():
    """kiosk.plan reads [plan], schedules reads sessions/eye care/reminders, stim_hat reads [stimulation]."""
    from kiosk.plan.model import parse_plan
    from kiosk.settings import HatSettings
    from schedules.plan_section import parse_schedule
    from stim_hat.prescription import device_limits, parse_prescription

    for name, stimulates in (("starter.toml", False), ("sample-therapist.toml", True)):
        path = content_path("plans", name)
        parsed, problems = parse_plan(path.read_bytes(), str(path))
        assert problems == [] and parsed is not None, name
        schedule, problems = parse_schedule(parsed.raw, path.read_text(encoding="utf-8"), str(path))
        assert problems == [] and schedule.sessions, name
        prescription, problems = parse_prescription(parsed.raw, device_limits(HatSettings()), filename=str(path))
        assert problems == [] and prescription.enabled is stimulates, name


def test_both_plans_pass_the_one_plan_validator():
    """The check plan verify, sync, the inbox and the loader use (kiosk/plan/validate.py)."""
    from kiosk.plan.library import library_stages
    from kiosk.plan.model import parse_plan
    from kiosk.plan.validate import check_plan
    from stim_hat.prescription import DeviceLimits

    for name in ("starter.toml", "sample-therapist.toml"):
        path = content_path("plans", name)
        parsed, problems = parse_plan(path.read_bytes(), str(path))
        assert parsed is not None, problems
        checked = check_plan(parsed, path.read_text(encoding="utf-8"), str(path), DeviceLimits(), library_stages())
        assert checked.problems == [] and checked.schedule is not None, name
    assert plan("starter.toml")["plan"]["device"] == "any", "the unsigned starter serves any kiosk"
