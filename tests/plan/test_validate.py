"""The one plan validator: each mistake a therapist can make is refused with file:line: field: reason."""

from __future__ import annotations

from datetime import date

import pytest

from content import content_path
from kiosk.plan.loader import LastApplied, evaluate
from kiosk.plan.signing import read_private_key, read_public_key, sign_bytes
from kiosk.session.plan_builder import session_plan_from
from schedules.plan_section import parse_schedule
from stim_hat.prescription import DeviceLimits

TODAY = date(2026, 11, 20)
DEVICE = "fc-test"
SAMPLE = content_path("plans", "sample-therapist.toml").read_text(encoding="utf-8")


def _sample() -> str:
    return SAMPLE.replace('device = "fc-0000-0000-0000-0000"', f'device = "{DEVICE}"').replace(
        "version = 3", "version = 4"
    )


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def _check(keys, text: str, last: LastApplied | None = None, device: str | None = DEVICE):
    data = text.encode()
    private, public = read_private_key(keys[0]), read_public_key(keys[1])
    return evaluate(
        data,
        sign_bytes(data, private).encode(),
        public,
        last=last,
        today=TODAY,
        limits=DeviceLimits(),
        filename="p.toml",
        device=device,
    )


def test_the_sample_plan_for_this_kiosk_passes_and_can_be_run(keys):
    verdict = _check(keys, _sample())
    assert verdict.ok, verdict.reason
    session = session_plan_from(verdict.plan)
    assert [s.id for s in session.steps][:2] == ["face_relaxation", "brow_lift"]
    assert parse_schedule(verdict.plan.raw, _sample())[1] == []


# (what the therapist typed, the text it replaces, what the kiosk must say, where)
CASES = [
    ("version = 9223372036854775808", "version = 4", "plan.version: must be a whole number from 0 to 2147483647"),
    ('hold_seconds = "5 s"', "hold_seconds = 5", "exercises[2].hold_seconds: must be a number, got '5 s'"),
    ("hold_seconds = nan", "hold_seconds = 5", "exercises[2].hold_seconds: must be a finite number, got nan"),
    ("hold_seconds = -10", "hold_seconds = 5", "exercises[2].hold_seconds: must be between 0 and 300, got -10"),
    ("hold_seconds = 1e12", "hold_seconds = 5", "exercises[2].hold_seconds: is far too large (1000000000000.0)"),
    ("reps = 500", "reps = 5", "exercises[2].reps: must be between 1 and 30, got 500"),
    ('eye = "lft"', 'eye = "left"', "eye_care.eye: must be one of left, right, both, none, got 'lft'"),
    ('time = "25:00"', 'time = "10:00"', "sessions[0].time: must be a time like \"08:00\", got '25:00'"),
    ('id = "brow_lfit"', 'id = "brow_lift"', "exercises[2].id: no such exercise 'brow_lfit' in content/exercises"),
    ("repetitions = 5", "reps = 5", "exercises[2].repetitions: unknown key"),
    ("[eye-care]", "[eye_care]", "eye-care: unknown section — did you mean eye_care?"),
    ('timezone = "Europe/Londn"', 'timezone = "Europe/London"', "plan.timezone: unknown time zone 'Europe/Londn'"),
    ("max_amplitude_ma = 40.0", "max_amplitude_ma = 4.0", "stimulation.max_amplitude_ma:"),
    ('every = "hourly"', 'every = "weekly"', "summary.every: must be daily or weekly, got 'hourly'"),
    ('colour = "red"', 'stage = "paresis"', "plan.colour: unknown field"),
]


@pytest.mark.parametrize(("typed", "replaces", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_refused_with_file_line_field_and_reason(keys, typed, replaces, expected):
    text = _sample().replace(replaces, typed, 1)
    verdict = _check(keys, text)
    assert not verdict.ok and not verdict.retry
    assert f"p.toml:{_line(text, typed)}: {expected}" in verdict.reason, verdict.reason


def test_an_unknown_exercise_id_suggests_the_nearest(keys):
    verdict = _check(keys, _sample().replace('id = "brow_lift"', 'id = "brow_lfit"', 1))
    assert "brow_lfit' in content/exercises — did you mean brow_lift?" in verdict.reason


def _without(text: str, start: str, end: str) -> str:
    head, _, rest = text.partition(start)
    return head + rest[rest.index(end) :]


@pytest.mark.parametrize("typed", ['eye_care = "left"', 'summary = "weekly"', "reminders = 5", "exercises = 3"])
def test_a_section_of_the_wrong_shape_is_refused_not_a_crash(keys, typed):
    name = typed.split(" ")[0]
    text = _sample()
    cut = {
        "eye_care": ("[eye_care]", "[reminders]"),
        "summary": ("[summary]", None),
        "reminders": ("[reminders]", "[stimulation]"),
    }
    cut["exercises"] = ("[[exercises]]", "[eye_care]")
    start, end = cut[name]
    text = text.partition(start)[0] if end is None else _without(text, start, end)
    verdict = _check(keys, typed + "\n" + text)
    assert not verdict.ok and f"p.toml:1: {name}: must be a" in verdict.reason, verdict.reason


def test_a_plan_without_exercises_is_refused(keys):
    verdict = _check(keys, _without(_sample(), "[[exercises]]", "[eye_care]"))
    assert "exercises: the plan needs at least one [[exercises]] table" in verdict.reason


def test_an_exercise_that_does_not_suit_the_stage_is_refused(keys):
    text = _sample().replace('stage = "paresis"', 'stage = "flaccid"')
    verdict = _check(keys, text)
    assert not verdict.ok and "does not suit the flaccid stage" in verdict.reason


def test_a_plan_for_another_device_is_refused(keys):
    verdict = _check(keys, _sample(), device="fc-another-kiosk")
    assert not verdict.ok
    assert verdict.reason == f"This plan is for the kiosk {DEVICE}, but this kiosk is fc-another-kiosk."


def test_a_signed_plan_must_name_its_device(keys):
    verdict = _check(keys, _sample().replace(f'device = "{DEVICE}"', 'device = "any"'))
    assert not verdict.ok and "does not name the kiosk it is for" in verdict.reason


def test_a_plan_for_another_patient_is_refused(keys):
    in_force = LastApplied(3, "sha", True, SAMPLE)  # a signed plan for P-7F3A is in force
    verdict = _check(keys, _sample().replace('"P-7F3A"', '"P-SOMEONE-ELSE"'), last=in_force)
    assert not verdict.ok
    assert verdict.reason == "This plan is for patient P-SOMEONE-ELSE, but this kiosk is set up for patient P-7F3A."
    assert _check(keys, _sample(), last=in_force).ok, "the same patient's next plan passes"


def test_the_unsigned_starter_binds_no_patient(keys):
    starter = content_path("plans", "starter.toml").read_text(encoding="utf-8")
    assert _check(keys, _sample(), last=LastApplied(0, "sha", False, starter)).ok


def test_a_patient_name_with_spaces_is_refused(keys):
    verdict = _check(keys, _sample().replace('"P-7F3A"', '"Jane Smith"'))
    assert "plan.patient: must be 1 to 40 letters, digits" in verdict.reason


def test_a_future_plan_is_good_but_waits_for_its_date(keys):
    text = _sample().replace("valid_from = 2026-11-01", "valid_from = 2026-11-23")
    verdict = _check(keys, text)
    assert not verdict.ok and verdict.starts == date(2026, 11, 23) and verdict.plan is not None
    assert "This plan starts on 2026-11-23; until then the plan in force stays." == verdict.reason


def _in_force(store, text: str, version: int) -> None:
    """A plan applied by an older kiosk version (its checks were looser)."""
    store.db["plan_versions"].insert(
        {"version": version, "sha256": "old", "received_at": "2026-11-01T09:00:00+00:00",
         "applied_at": "2026-11-01T09:00:00+00:00", "status": "applied", "reason": "signed", "text": text}
    )  # fmt: skip


def _load(keys, store, text: str, tmp_path):
    from datetime import datetime

    from kiosk.plan.loader import load_plan

    path = tmp_path / "plan.toml"
    path.write_text(text)
    (tmp_path / "plan.toml.sig").write_text(sign_bytes(text.encode(), read_private_key(keys[0])))
    now = datetime(2026, 11, 20, 9, 0)
    return load_plan(path, store=store, public_key=keys[1], today=TODAY, now=now, limits=DeviceLimits(), device=DEVICE)


def test_an_old_plan_in_force_that_now_fails_is_not_run(keys, fresh_store, tmp_path):
    _in_force(fresh_store, SAMPLE.replace("hold_seconds = 5", 'hold_seconds = "5 s"', 1), 3)
    result = _load(keys, fresh_store, _sample().replace("version = 4", "version = 2"), tmp_path)
    assert result.plan is None and "fails the checks too" in result.reason and "hold_seconds" in result.reason
    assert session_plan_from(result.plan).steps, "the safe session (relaxation, massage) runs instead of a crash"


def test_an_old_signed_plan_without_a_device_is_kept_until_a_new_one_comes(keys, fresh_store, tmp_path):
    old = SAMPLE.replace('device = "fc-0000-0000-0000-0000"', "").replace("version = 3", "version = 2")
    _in_force(fresh_store, old, 2)
    result = _load(keys, fresh_store, old, tmp_path)  # the same plan, read again at the next session
    assert not result.accepted and "does not name the kiosk it is for" in result.reason
    assert result.plan is not None and result.plan.version == 2 and "keeps the plan it had" in result.reason
    assert _load(keys, fresh_store, _sample(), tmp_path).accepted, "the therapist's next plan (with device) is taken"


VALUES = [
    '"x"',
    "5",
    "-1",
    "nan",
    "inf",
    "1e300",
    "true",
    "[]",
    "{}",
    '[1, "a"]',
    "{a = 1}",
    "2026-11-01",
    '"25:00"',
    '""',
]


def test_no_plan_that_passes_crashes_the_kiosk_later():
    """Random typos in the sample plan: each is refused, or the session and the schedule can be built from it."""
    import random
    import re

    lines = _sample().replace("enabled = true", "enabled = false").replace(f'"{DEVICE}"', '"any"').splitlines()
    keys = [i for i, line in enumerate(lines) if re.match(r"^\s*\w+\s*=", line)]
    rnd, passed = random.Random(18), 0
    for _ in range(400):
        mutated = list(lines)
        for i in rnd.sample(keys, rnd.randint(1, 3)):
            mutated[i] = mutated[i].split("=")[0] + "= " + rnd.choice(VALUES)
        data = "\n".join(mutated).encode()
        verdict = evaluate(data, None, None, last=None, today=TODAY, limits=DeviceLimits())
        if verdict.ok:
            passed += 1
            session = session_plan_from(verdict.plan)
            assert session.steps and all(s.reps >= 1 and 0 <= s.hold_seconds <= 300 for s in session.steps)
            assert parse_schedule(verdict.plan.raw, data.decode())[1] == []
    assert 0 < passed < 400
