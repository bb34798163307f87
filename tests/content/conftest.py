"""Fixtures for content tests: a writable copy of the shipped content folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from content import content_path


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A copy of content/ (data files only) that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(content_path(), target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace one exact snippet in a file; return the 1-based line where the new text starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not exactly once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def line_of(path: Path, snippet: str) -> int:
    """The 1-based line where ``snippet`` first appears."""
    text = path.read_text(encoding="utf-8")
    return text[: text.index(snippet)].count("\n") + 1
