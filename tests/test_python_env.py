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


def wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> Path:
    """A minimal pure-Python wheel, made by hand (no build tools, no network)."""
    import base64
    import hashlib
    import zipfile

    dist = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": "",
        f"{dist}/METADATA": "Metadata-Version: 2.1\nName: {}\nVersion: {}\n{}".format(
            name, version, "".join(f"Requires-Dist: {r}\n" for r in requires)
        ),
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    files[f"{dist}/RECORD"] = "\n".join([*record, f"{dist}/RECORD,,"]) + "\n"
    path = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for member, text in files.items():
            zf.writestr(member, text)
    return path


def test_updating_a_venv_to_a_new_lock_prints_no_false_dependency_error(tmp_path):
    # The venv holds FaceCoach built against the old lock (it pinned dep 1.0); the new lock pins
    # dep 2.0. pip used to print "ERROR: ... facecoach 0.1.0 requires dep==1.0" while the new
    # lock went in, although FaceCoach was installed again right after.
    import hashlib

    wheels = tmp_path / "wheels"
    wheels.mkdir()
    old_dep, new_dep = wheel(wheels, "dep", "1.0"), wheel(wheels, "dep", "2.0")
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old_app = wheel(tmp_path / "old", "facecoach", "0.1.0", ("dep==1.0",))
    new_app = wheel(tmp_path / "new", "facecoach", "0.1.0", ("dep==2.0",))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    quiet = ["-q", "--no-index", "--disable-pip-version-check"]
    subprocess.run([python, "-m", "pip", "install", *quiet, str(old_dep), str(old_app)], check=True)
    lock = tmp_path / "new.lock"
    digest = hashlib.sha256(new_dep.read_bytes()).hexdigest()
    lock.write_text(f"--no-index\n--find-links {wheels}\ndep==2.0 --hash=sha256:{digest}\n")
    result = subprocess.run(
        ["bash", "-c", f'. scripts/python-env.sh && install_locked "{python}" "{lock}" "{new_app}"'],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INDEX": "1"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stdout + result.stderr, result.stderr
    shown = subprocess.run([python, "-m", "pip", "show", "dep"], capture_output=True, text=True).stdout
    assert "Version: 2.0" in shown, shown
    check = subprocess.run([python, "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_the_test_set_up_asks_for_node_only_where_the_release_has_20_or_newer(tmp_path):
    import shutil

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("awk", "sed"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    function = subprocess.run(
        ["sed", "-n", "/^test_node_packages()/,/^}/p", "scripts/setup.sh"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert function, "test_node_packages is not in scripts/setup.sh"

    def asked_for(candidate: str, node: bool = False) -> str:
        (bin_dir / "apt-cache").write_text(f"#!/bin/sh\necho 'nodejs:'\necho '  Candidate: {candidate}'\n")
        (bin_dir / "apt-cache").chmod(0o755)
        (bin_dir / "node").unlink(missing_ok=True)
        if node:
            (bin_dir / "node").write_text("#!/bin/sh\n")
            (bin_dir / "node").chmod(0o755)
        result = subprocess.run(
            ["/bin/bash", "-c", f"{function}\ntest_node_packages"],
            env={"PATH": str(bin_dir)},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert asked_for("20.19.2+dfsg-1+deb13u3") == "nodejs npm"  # Debian 13
    assert asked_for("18.19.0+dfsg-6~deb12u2") == ""  # Debian 12: too old, the FHIR test skips
    assert asked_for("(none)") == ""
    assert asked_for("20.19.2+dfsg-1", node=True) == ""  # a node is there already (e.g. NodeSource)


def test_the_test_set_up_installs_the_real_speech_recordings():
    # They went missing from setup.sh once (a merge); the real-speech tests then fail in CI on a fresh OS.
    from tests.voice.realspeech import PACKAGES

    assert f'[ "$want_test" = 0 ] || echo {PACKAGES}' in (ROOT / "scripts" / "setup.sh").read_text()
