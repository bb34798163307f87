"""The lock files: every dependency pinned with hashes, the test lock agrees with the run lock, one OpenCV."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OPENCV_WHEELS = {"opencv-python", "opencv-contrib-python", "opencv-python-headless", "opencv-contrib-python-headless"}


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, set[str]]:
    """Package -> pinned versions (a package may have one pin per Python range)."""
    found: dict[str, set[str]] = {}
    for match in re.finditer(r"^([A-Za-z0-9_.-]+)==([^ ;\\\n]+)", (ROOT / "requirements" / lock).read_text(), re.M):
        found.setdefault(normal(match[1]), set()).add(match[2])
    return found


def requirement_names(requirements: list[str]) -> set[str]:
    return {normal(re.match(r"[A-Za-z0-9_.-]+", r)[0]) for r in requirements}


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize(
    ("lock", "wanted"),
    [
        ("run.lock", requirement_names(PROJECT["dependencies"])),
        ("test.lock", requirement_names(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"])),
    ],
)
def test_every_dependency_is_pinned(lock, wanted):
    missing = wanted - set(pins(lock))
    assert not missing, f"{lock} lacks {sorted(missing)}: run scripts/update-lock after changing pyproject.toml"


@pytest.mark.parametrize("lock", ["run.lock", "test.lock"])
def test_every_pin_carries_hashes(lock):
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements" / lock).read_text())
    pinned = [e for e in entries if "==" in e.split("\n")[0]]
    assert pinned and all("--hash=sha256:" in e for e in pinned)


def test_the_test_lock_has_the_run_lock_versions():
    run, test = pins("run.lock"), pins("test.lock")
    assert {name: test.get(name) for name in run} == run


def test_one_opencv_only():
    assert set(pins("test.lock")) & OPENCV_WHEELS == {"opencv-contrib-python"}


def test_python_313_and_numpy_2_are_covered():
    assert PROJECT["requires-python"] == ">=3.11,<3.14"
    assert all(version.startswith("2.") for version in pins("run.lock")["numpy"])
