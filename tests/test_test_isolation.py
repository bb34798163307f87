"""The test suite keeps away from the real user's FaceCoach files (tests/conftest.py)."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

from kiosk.settings import Settings
from kiosk.settings_files import load_settings, state_dir
from tests.conftest import TEST_HOME


def test_home_state_and_data_folders_are_the_runs_own(tmp_path):
    real_home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    assert Path.home() == TEST_HOME != real_home
    assert state_dir().is_relative_to(TEST_HOME)
    assert Path(Settings().storage.data_dir).expanduser().is_relative_to(TEST_HOME)
    # what once leaked: a settings file that loads is kept as the last good copy
    good = tmp_path / "settings.toml"
    good.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n')
    assert not load_settings(good).problems
    assert (state_dir() / "settings.last-good.toml").is_relative_to(TEST_HOME)
    assert (state_dir() / "settings.last-good.toml").exists()
    started = subprocess.run(
        [sys.executable, "-c", "from pathlib import Path; print(Path.home())"], capture_output=True, text=True
    )
    assert started.stdout.strip() == str(TEST_HOME)  # processes a test starts inherit it
