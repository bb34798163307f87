"""The plan's optional [progress] section: the validator knows it and refuses its mistakes."""

from __future__ import annotations

import pytest

from kiosk.baseline import every_weeks_of
from tests.plan.test_validate import _check, _line, _sample


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("baseline_every_weeks = 4", None),
        ("baseline_every_weeks = 0", "progress.baseline_every_weeks: must be a whole number of weeks from 1 to 52"),
        ("every_weeks = 4", "progress.every_weeks: unknown key"),
    ],
)
def test_the_plan_validator_knows_the_progress_section(keys, typed, expected):
    text = _sample() + f"\n[progress]\n{typed}\n"
    verdict = _check(keys, text)
    if expected is None:
        assert verdict.ok, verdict.reason
        assert every_weeks_of(verdict.plan.raw) == 4
    else:
        assert not verdict.ok and f"p.toml:{_line(text, typed)}: {expected}" in verdict.reason, verdict.reason
