"""Check decoded TOML against a schema from content.schema: (field path, problem) pairs.

Paths are dotted, with 1-based list positions: ``animation.keyframes[2].brows_up``.
"""

from __future__ import annotations

from typing import Any

from content.schema import Field, Schema

Finding = tuple[str, str]


def validate(data: dict[str, Any], schema: Schema, prefix: str = "") -> list[Finding]:
    """Every missing field, unknown key, wrong type and out-of-range value in ``data``."""
    found: list[Finding] = []
    for name, spec in schema.items():
        if spec.required and name not in data:
            found.append((prefix + name, f"missing (required: {spec.doc})"))
    for name, value in data.items():
        path = prefix + name
        spec = schema.get(name)
        if spec is None:
            found.append((path, f"unknown key (known: {', '.join(schema)})"))
            continue
        found.extend(check_value(path, value, spec))
    return found


def check_value(path: str, value: Any, spec: Field) -> list[Finding]:
    """Problems of one value against its field spec (recursing into tables)."""
    if spec.type == "table":
        if not isinstance(value, dict):
            return [(path, f"must be a table, got {_show(value)}")]
        return validate(value, spec.fields or {}, path + ".")
    if spec.type == "table list":
        if not isinstance(value, list) or not value:
            return [(path, "must be a list of one or more tables")]
        found: list[Finding] = []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                found.append((f"{path}[{number}]", f"must be a table, got {_show(item)}"))
            else:
                found.extend(validate(item, spec.fields or {}, f"{path}[{number}]."))
        return found
    if spec.type == "text list":
        return _check_text_list(path, value, spec)
    problem = _scalar_problem(value, spec)
    return [(path, problem)] if problem else []


def _check_text_list(path: str, value: Any, spec: Field) -> list[Finding]:
    if not isinstance(value, list):
        return [(path, f"must be a list of texts in quotes, got {_show(value)}")]
    if spec.required and not value:
        return [(path, "must not be empty")]
    found: list[Finding] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            found.append((f"{path}[{number}]", f"must be text in quotes, got {_show(item)}"))
        elif not item.strip():
            found.append((f"{path}[{number}]", "must not be empty"))
        elif spec.choices and item not in spec.choices:
            found.append((f"{path}[{number}]", f"must be one of {', '.join(spec.choices)}, got {item!r}"))
    return found


def _scalar_problem(value: Any, spec: Field) -> str | None:
    if not _has_type(value, spec.type):
        return f"must be {_describe(spec.type)}, got {_show(value)}"
    if spec.type == "text" and not value.strip():
        return "must not be empty"
    if spec.choices and value not in spec.choices:
        return f"must be one of {', '.join(spec.choices)}, got {value!r}"
    if spec.low is not None and spec.high is not None and not spec.low <= value <= spec.high:
        return f"must be between {spec.low:g} and {spec.high:g}, got {value!r}"
    return None


def _has_type(value: Any, type_name: str) -> bool:
    if type_name == "text":
        return isinstance(value, str)
    if type_name == "true or false":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if type_name == "whole number":
        return isinstance(value, int)
    if type_name == "number":
        return isinstance(value, int | float)
    raise ValueError(f"unknown schema type {type_name!r}")


def _describe(type_name: str) -> str:
    return {"text": "text in quotes", "whole number": "a whole number", "number": "a number"}.get(type_name, type_name)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)
