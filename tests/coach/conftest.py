"""Coach fixtures: saved landmark fixtures, and real Face Mesh results cached for the whole session."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.vision.landmarker import load_fixture

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "landmarks"


def fixture_face(name: str):
    """The one face saved in tests/fixtures/landmarks/<name>.json."""
    faces = load_fixture(FIXTURES / f"{name}.json")
    assert len(faces) == 1
    return faces[0]


@pytest.fixture(scope="session")
def validation():
    """The validation module; its MediaPipe results are cached per file for the session."""
    from kiosk.vision import validation

    return validation
