"""scripts/python-env.sh: which Python and venv the set-up picks, and Debian package names per release."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shell(command: str, **env: str) -> str:
    """Run bash with python-env.sh sourced; its standard output, stripped."""
    result = subprocess.run(
        ["bash", "-c", f". scripts/python-env.sh && {command}"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def fake_python(tmp_path: Path, minor: str) -> Path:
    """A stand-in interpreter that reports the given version."""
    path = tmp_path / f"python{minor}"
    path.write_text(f"#!/bin/sh\necho {minor}\n")
    path.chmod(0o755)
    return path


def test_a_chosen_supported_python_gets_its_own_venv():
    minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert shell("facecoach_python", FACECOACH_PYTHON=sys.executable) == sys.executable
    assert shell("facecoach_venv", FACECOACH_PYTHON=sys.executable) == f".venv-{minor}"
    assert shell("facecoach_venv") == ".venv"
    assert shell("facecoach_venv", FACECOACH_PYTHON=sys.executable, FACECOACH_VENV="/tmp/v") == "/tmp/v"


def test_an_unsupported_python_is_not_chosen(tmp_path):
    assert shell("facecoach_python", FACECOACH_PYTHON=str(fake_python(tmp_path, "3.10"))) == ""
    assert shell("facecoach_python", FACECOACH_PYTHON=str(fake_python(tmp_path, "3.14"))) == ""
    assert shell("facecoach_python", FACECOACH_PYTHON=str(fake_python(tmp_path, "3.13"))).endswith("python3.13")


def test_the_newest_supported_python_on_the_path_wins(tmp_path):
    for minor in ("3.11", "3.13"):
        fake_python(tmp_path, minor)
    path = f"{tmp_path}:/usr/bin:/bin"
    assert shell("facecoach_python", PATH=path) == str(tmp_path / "python3.13")


def test_setup_refuses_an_unsupported_python_in_plain_words(tmp_path):
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup.sh")],
        env={"PATH": os.environ["PATH"], "FACECOACH_PYTHON": str(fake_python(tmp_path, "3.10"))},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "FaceCoach needs Python 3.11, 3.12 or 3.13" in result.stderr and "3.10" not in result.stdout


def test_debian_names_prefer_what_is_installed_then_what_apt_knows():
    assert shell("debian_name no-such-package-t64 dpkg") == "dpkg"  # dpkg is installed on every Debian
    assert shell("debian_name no-such-package-t64 no-such-package") == "no-such-package"
    names = shell("debian_runtime_packages").split()
    assert {"espeak-ng", "libportaudio2", "libgl1", "python3-venv"} <= set(names)
    assert any(n.startswith("libglib2.0-0") for n in names)
