"""Which phrase keys the code uses: ``phrase("a.b")`` calls and ``PHRASE_KEYS`` tuples.

Scanned from the Python sources (never imported), so a language can be checked against the
code without running it. A key built at run time (``phrase(f"reminder.eye_{eye}")``) is reported
as its literal start with a ``*`` (``reminder.eye_*``): some phrase must start that way. Code that
needs exact run-time keys checked lists them in a ``PHRASE_KEYS`` tuple.

A call with a literal key and named values (``phrase("plan.change.dose", lang, reps=3)``) also
tells which ``{placeholders}`` that phrase may have: one the call does not give would stop the
kiosk with a KeyError the first time the phrase is said (``scan_sources``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

WILDCARD = "*"
PACKAGES = ("kiosk", "coach", "stim_hat", "schedules", "content")
Use = tuple[str, int]  # (file, line)
Fill = tuple[frozenset[str], str, int]  # (the names a call gives, file, line)


def source_root() -> Path:
    """The folder that holds the FaceCoach packages."""
    return Path(__file__).resolve().parent.parent


def scan_sources(
    root: Path | None = None, packages: tuple[str, ...] = PACKAGES
) -> tuple[dict[str, list[Use]], dict[str, list[Fill]]]:
    """Every phrase key the code uses, and the names each literal-key call gives: one read of each file."""
    root = root or source_root()
    used: dict[str, list[Use]] = {}
    fills: dict[str, list[Fill]] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            where = str(path.relative_to(root))
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for key, line in _keys_in(tree):
                used.setdefault(key, []).append((where, line))
            for key, names, line in _fills_in(tree):
                fills.setdefault(key, []).append((names, where, line))
    return used, fills


def used_phrase_keys(root: Path | None = None, packages: tuple[str, ...] = PACKAGES) -> dict[str, list[Use]]:
    """Every phrase key the code uses, with where it is used."""
    return scan_sources(root, packages)[0]


def keys_in_source(source: str, filename: str = "<source>") -> list[tuple[str, int]]:
    """(key, line) for each literal key in one module."""
    return _keys_in(ast.parse(source, filename=filename))


def fills_in_source(source: str, filename: str = "<source>") -> list[tuple[str, frozenset[str], int]]:
    """(key, names given, line) for each ``phrase("a.b", ..., name=value)`` call in one module."""
    return _fills_in(ast.parse(source, filename=filename))


def _keys_in(tree: ast.AST) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_phrase_call(node) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((first.value, first.lineno))
            elif isinstance(first, ast.JoinedStr):
                found.append((_literal_start(first) + WILDCARD, first.lineno))
        elif isinstance(node, ast.Assign | ast.AnnAssign) and _assigns_phrase_keys(node):
            found.extend(_literal_strings(node.value))
    return found


def _fills_in(tree: ast.AST) -> list[tuple[str, frozenset[str], int]]:
    found: list[tuple[str, frozenset[str], int]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _is_phrase_call(node) and node.args):
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        if any(k.arg is None for k in node.keywords):
            continue  # **values: the names are known only at run time
        names = frozenset(k.arg for k in node.keywords if k.arg and k.arg != "lang")
        if names:  # without values the text comes back unfilled, to be filled by the caller
            found.append((first.value, names, first.lineno))
    return found


def _literal_start(value: ast.JoinedStr) -> str:
    start = ""
    for part in value.values:
        if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
            break
        start += part.value
    return start


def matches(key: str, available: Iterable[str]) -> bool:
    """True when ``key`` (or, for 'prefix*', some key with that start) is among ``available``."""
    if key.endswith(WILDCARD):
        return any(k.startswith(key[:-1]) for k in available)
    return key in available


def _is_phrase_call(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "phrase") or (
        isinstance(func, ast.Attribute) and func.attr == "phrase"
    )


def _assigns_phrase_keys(node: ast.Assign | ast.AnnAssign) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return any(isinstance(t, ast.Name) and t.id == "PHRASE_KEYS" for t in targets)


def _literal_strings(value: ast.expr | None) -> list[tuple[str, int]]:
    if value is None:
        return []
    if isinstance(value, ast.Call) and value.args:  # frozenset({...}), tuple([...])
        return _literal_strings(value.args[0])
    if isinstance(value, ast.Dict):
        return [(k.value, k.lineno) for k in value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    if isinstance(value, ast.Tuple | ast.List | ast.Set):
        return [(e.value, e.lineno) for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []
