"""Read a content file and turn every finding into a Problem with file, line and field."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.lines import field_lines, line_of
from content.schema import Schema
from content.validate import Finding, validate
from kiosk.settings import Problem

Rule = Callable[[dict[str, Any]], list[Finding]]


@dataclass
class Checked:
    """A decoded file (None when unreadable) and its problems."""

    path: Path
    data: dict[str, Any] | None
    problems: list[Problem]
    lines: dict[str, int]

    def problem(self, path: str, message: str) -> Problem:
        """A Problem located at the line of ``path`` in this file."""
        return Problem(str(self.path), line_of(self.lines, path), path, message)

    def add(self, findings: list[Finding]) -> None:
        """Record findings as problems of this file."""
        self.problems.extend(self.problem(path, message) for path, message in findings)


def read_toml(path: Path) -> Checked:
    """Decode one TOML file; a bad file is one problem naming its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Checked(path, None, [Problem(str(path), 1, "(file)", f"cannot be read: {exc}")], {})
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else 1
        return Checked(path, None, [Problem(str(path), line, "(file)", f"not valid TOML: {exc}")], {})
    return Checked(path, data, [], field_lines(text))


def check_file(path: Path, schema: Schema, *rules: Rule) -> Checked:
    """Read, validate against ``schema``, then apply ``rules`` only when the types are right."""
    checked = read_toml(path)
    if checked.data is None:
        return checked
    checked.add(validate(checked.data, schema))
    if not checked.problems:
        for rule in rules:
            checked.add(rule(checked.data))
    return checked


def toml_files(folder: Path) -> list[Path]:
    """The .toml files of a folder, sorted; none when it does not exist."""
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []
