"""scripts/install.sh and scripts/uninstall.sh: the dry run prints the whole plan and changes nothing.

Every call here passes --dry-run (or fails its argument checks first): the real install changes the
whole system and is refused on a computer that is not a Raspberry Pi.
"""

from __future__ import annotations

import os
import pwd
import subprocess
import tomllib
from pathlib import Path

import pytest

from kiosk.settings import parse_settings
from tests.conftest import REPO

INSTALL = REPO / "scripts" / "install.sh"
UNINSTALL = REPO / "scripts" / "uninstall.sh"
KEY = "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(script), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def therapist_key(tmp_path) -> Path:
    path = tmp_path / "therapist.pub"
    path.write_text(KEY + "\n")
    return path


@pytest.fixture
def untouched_system():
    """The dry run must not create the user, the program folder or any unit."""
    before = (
        user_exists("facecoach"),
        Path("/opt/facecoach").exists(),
        Path("/etc/systemd/user/facecoach.service").exists(),
    )
    yield
    after = (
        user_exists("facecoach"),
        Path("/opt/facecoach").exists(),
        Path("/etc/systemd/user/facecoach.service").exists(),
    )
    assert after == before


@pytest.mark.usefixtures("untouched_system")
def test_dry_run_prints_the_full_plan(therapist_key):
    url = "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    result = run(INSTALL, "--dry-run", "--therapist-key", str(therapist_key), "--vosk-model", url)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert result.stderr == ""
    assert "Dry run: the commands are printed, nothing is changed." in out
    sections = [line for line in out.splitlines() if line.startswith("== ")]
    assert [s.split(".")[0] for s in sections] == [f"== {n}" for n in range(1, 10)]
    expected = [
        "+ rsync -a --delete",
        "+ /usr/bin/python3 -m venv --system-site-packages /opt/facecoach/.venv",
        "-m pip install -q --require-hashes -r /opt/facecoach/requirements/run.lock",
        "-m pip install -q --no-deps --no-build-isolation /opt/facecoach",
        "+ install -d -m 0700 -o facecoach -g facecoach /home/facecoach/.local/share/facecoach\n",
        "+ install -d -m 0700 -o facecoach -g facecoach /home/facecoach/.local/share/facecoach/keys",
        f"+ write {KEY} to /home/facecoach/.local/share/facecoach/keys/therapist.pub",
        "+ chmod 0600 /home/facecoach/.local/share/facecoach/keys/therapist.pub",
        'set sync.therapist_key = "/home/facecoach/.local/share/facecoach/keys/therapist.pub"',
        "load_or_create_device_key",
        f"+ curl -fL --retry 3 -o /tmp/facecoach-model.XXXXXX/vosk-model-small-en-us-0.15.zip {url}",
        'set voice.vosk_model = "/home/facecoach/.local/share/facecoach/models/vosk-model-small-en-us-0.15"',
        "+ install -m 0644 /opt/facecoach/systemd/facecoach.service /etc/systemd/user/facecoach.service",
        "+ systemctl --global enable facecoach-sync.timer",
        "+ loginctl enable-linger facecoach",
        "+ systemctl enable facecoach-display.service",
        "facecoach check-config",
        "facecoach hat-off",
    ]
    for text in expected:
        assert text in out, f"missing from the plan: {text}"
    if not user_exists("facecoach"):
        assert "+ useradd --create-home --home-dir /home/facecoach" in out


@pytest.mark.usefixtures("untouched_system")
def test_dry_run_with_the_labwc_desktop(therapist_key):
    result = run(INSTALL, "--dry-run", "--therapist-key", str(therapist_key), "--session", "labwc")
    assert result.returncode == 0, result.stderr
    assert "+ append /opt/facecoach/systemd/labwc-autostart to /home/facecoach/.config/labwc/autostart" in result.stdout
    assert "facecoach-display.service" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "the therapist's public key is needed"),
        (["--therapist-key", "/no/such/file"], "does not exist"),
        (["--therapist-key", "/etc/hostname"], "is not a public key (expected 64 hex characters)"),
        (["--therapist-key", "KEY", "--session", "gnome"], "--session must be cage or labwc"),
        (["--therapist-key", "KEY", "--vosk-model", "/no/model.zip"], "does not exist"),
        (["--frobnicate"], "unknown option '--frobnicate'"),
    ],
)
def test_bad_input_is_named_in_plain_words(therapist_key, args, message):
    args = [str(therapist_key) if a == "KEY" else a for a in args]
    result = run(INSTALL, "--dry-run", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_real_install_is_refused_off_a_raspberry_pi():
    model = Path("/proc/device-tree/model")
    if model.exists() and "Raspberry Pi" in model.read_text(errors="replace"):
        pytest.skip("this is a Raspberry Pi: the real install would run")
    # As an unprivileged user, so that even a broken guard could change nothing.
    command = ["bash", str(INSTALL), "--therapist-key", "/nonexistent"]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "nobody", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "not a Raspberry Pi" in result.stderr and "--dry-run" in result.stderr


def test_set_setting_edits_the_sample_settings(tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text((REPO / "content" / "settings.sample.toml").read_text())
    script = (
        f"source {INSTALL}; "
        f"set_setting {settings} voice vosk_model /models/vosk-small; "
        f"set_setting {settings} sync therapist_key /keys/therapist.pub; "
        f"set_setting {settings} sync therapist_key /keys/therapist.pub"  # again: idempotent
    )
    subprocess.run(["bash", "-c", script], check=True, timeout=30)
    text = settings.read_text()
    data = tomllib.loads(text)
    assert data["voice"]["vosk_model"] == "/models/vosk-small"
    assert data["sync"]["therapist_key"] == "/keys/therapist.pub"
    assert text.count("therapist_key =") == 1
    assert parse_settings(text, str(settings))[1] == []


def test_set_setting_adds_a_missing_section(tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text("[display]\nfps = 20\n")
    subprocess.run(["bash", "-c", f"source {INSTALL}; set_setting {settings} voice vosk_model /m"], check=True)
    assert tomllib.loads(settings.read_text()) == {"display": {"fps": 20}, "voice": {"vosk_model": "/m"}}


@pytest.mark.usefixtures("untouched_system")
def test_uninstall_dry_run_keeps_patient_data_unless_asked():
    kept = run(UNINSTALL, "--dry-run")
    assert kept.returncode == 0, kept.stderr
    assert "+ rm -rf /opt/facecoach" in kept.stdout
    assert "+ systemctl --global disable facecoach-sync.timer" in kept.stdout
    assert "Kept: the user 'facecoach' and the data" in kept.stdout
    assert "userdel" not in kept.stdout
    purged = run(UNINSTALL, "--dry-run", "--purge-data")
    assert purged.returncode == 0, purged.stderr
    assert "+ userdel --remove facecoach" in purged.stdout


def test_scripts_are_executable_and_valid_bash():
    for script in (INSTALL, UNINSTALL):
        assert os.access(script, os.X_OK)
        assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
