"""Fixtures for plan tests: a therapist key pair, a second key, and a plan file written per test."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def keys(tmp_path):
    from kiosk.plan.signing import keygen

    return keygen(tmp_path / "therapist")


@pytest.fixture
def other_keys(tmp_path):
    from kiosk.plan.signing import keygen

    return keygen(tmp_path / "intruder")


@pytest.fixture
def plan_text() -> str:
    return (FIXTURES / "stim_plan.toml").read_text()


@pytest.fixture
def write_plan(tmp_path):
    def write(text: str, name: str = "plan.toml", sign_with: Path | None = None) -> Path:
        from kiosk.plan.signing import sign_file

        path = tmp_path / name
        path.write_text(text)
        if sign_with is not None:
            sign_file(path, sign_with)
        return path

    return write
