"""Shared fixtures: a fresh in-memory store, the shared face data, a headless pygame screen."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

# The tests never touch the FaceCoach files of whoever runs them (a developer, or the kiosk user
# on a Raspberry Pi): a settings file that loads is kept as the last good copy, and the default
# data folder holds the patient's database. Every test, and every process a test starts, gets
# HOME and the XDG folders in a temporary folder of its own run.
TEST_HOME = Path(tempfile.mkdtemp(prefix="facecoach-tests-home-"))
atexit.register(shutil.rmtree, TEST_HOME, True)
for _name, _sub in (
    ("HOME", ""),
    ("XDG_CONFIG_HOME", ".config"),
    ("XDG_DATA_HOME", ".local/share"),
    ("XDG_STATE_HOME", ".local/state"),
    ("XDG_CACHE_HOME", ".cache"),
):
    os.environ[_name] = str(TEST_HOME / _sub)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FACES = SHARED / "data" / "faces"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need_shared_data() -> Path:
    """The faces folder; skipped locally when ../shared is absent, a failure in CI."""
    if not (FACES / "MANIFEST.csv").exists():
        message = f"../shared/data/faces is not beside this checkout (looked in {FACES})"
        if IN_CI:
            pytest.fail(message + "; CI must have ../shared")
        pytest.skip(message)
    return FACES


@pytest.fixture
def faces_dir() -> Path:
    return need_shared_data()


@pytest.fixture
def fresh_store():
    from kiosk.store import Store

    store = Store.memory()
    yield store
    store.close()


@pytest.fixture
def isolated_home(tmp_path, monkeypatch):
    """HOME, XDG folders and FACECOACH_* variables pointed at a temporary folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for name in ("FACECOACH_CONFIG", "FACECOACH_HARDWARE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "home").mkdir()
    return tmp_path


@pytest.fixture
def screen():
    """A headless pygame surface of the kiosk's base size."""
    import pygame

    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    yield surface
    pygame.quit()
