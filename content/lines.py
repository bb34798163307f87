"""Find the line of a field path in TOML text, so every problem can name file, line and field.

Builds on ``kiosk.settings.key_lines`` (plain ``[table]`` keys) and adds what content files use:
``[[array]]`` tables (``pages[2].spoken``) and lists written one item per line
(``intro[3]``, ``animation.keyframes[2]``). Positions are 1-based, as in problem messages.
"""

from __future__ import annotations

import re

from kiosk.settings import key_lines

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\-]+)\s*\]\]")
_ANY_HEADER = re.compile(r"^\s*\[")
_OPENS_LIST = re.compile(r"^\s*[A-Za-z0-9_\-]+\s*=\s*\[\s*(#.*)?$")
_STEP = re.compile(r"(\[\d+\]|\.[^.\[]+)$")


def field_lines(text: str) -> dict[str, int]:
    """Map field paths ('a.b', 'items[2].key', 'key[3]') to the 1-based line where they are written."""
    lines = text.splitlines()
    where = dict(key_lines(text))
    _add_array_tables(lines, where)
    _add_list_items(lines, where)
    return where


def line_of(where: dict[str, int], path: str) -> int:
    """The line of ``path``, else of its nearest written parent, else 1."""
    while path:
        if path in where:
            return where[path]
        shorter = _STEP.sub("", path)
        if shorter == path:
            break
        path = shorter
    return 1


def _add_array_tables(lines: list[str], where: dict[str, int]) -> None:
    counts: dict[str, int] = {}
    number = 0
    while number < len(lines):
        match = _ARRAY_HEADER.match(lines[number])
        if not match:
            number += 1
            continue
        name = match.group(1)
        counts[name] = counts.get(name, 0) + 1
        prefix = f"{name}[{counts[name]}]"
        where[prefix] = number + 1
        end = number + 1
        while end < len(lines) and not _ANY_HEADER.match(lines[end]):
            end += 1
        for key, line in key_lines("\n".join(lines[number + 1 : end])).items():
            where[f"{prefix}.{key}"] = number + 1 + line
        number = end


def _add_list_items(lines: list[str], where: dict[str, int]) -> None:
    by_line = {line: path for path, line in where.items()}
    for line, path in sorted(by_line.items()):
        if not _OPENS_LIST.match(lines[line - 1]):
            continue
        item = 0
        for offset, raw in enumerate(lines[line:], start=line + 1):
            stripped = raw.strip()
            if stripped.startswith("]"):
                break
            if stripped and not stripped.startswith("#"):
                item += 1
                where.setdefault(f"{path}[{item}]", offset)
