"""The therapist plan's header, parsed from the file's bytes (pure: bytes in, values out).

Each package parses its own section from ``Plan.raw`` (see docs/plan-format.md); this module
owns ``[plan]``. Problems name file, line and field, in plain words.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.settings import Problem, key_lines, suggest

FORMAT = 1
STAGES = ("flaccid", "paresis", "synkinesis")
MAX_VERSION = 2**31 - 1  # far above any real plan count, and safe for SQLite's 64-bit integers
ANY_DEVICE = "any"  # only an unsigned plan (the starter) may be for any device
_TIMEZONE = re.compile(r"^[A-Za-z_]+(/[A-Za-z0-9_+\-]+)*$|^UTC$")
# A pseudonym or device id: letters, digits, '.', '_' and '-' (no spaces, so no full names).
_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,39}$")
HEADER: dict[str, type] = {
    "format": int,
    "version": int,
    "patient": str,
    "device": str,
    "therapist": str,
    "issued": date,
    "valid_from": date,
    "valid_until": date,
    "stage": str,
    "timezone": str,
}


@dataclass(frozen=True)
class Plan:
    """A parsed plan: the header, the whole decoded TOML, its SHA-256 and whether its signature was verified."""

    format: int
    version: int
    patient: str
    device: str
    therapist: str
    issued: date
    valid_from: date
    valid_until: date
    stage: str
    timezone: str
    raw: dict[str, Any] = field(repr=False, compare=False)
    sha256: str = ""
    signed: bool = False
    lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)


def _decode(data: bytes, filename: str) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, "", [Problem(filename, 1, "(file)", f"is not UTF-8 text ({exc.reason} at byte {exc.start})")]
    try:
        return tomllib.loads(text), text, []
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else 1
        return None, text, [Problem(filename, line, "(file)", f"is not valid TOML: {exc}")]


def _check_header(head: dict[str, Any], problem: Any) -> None:
    for key in head:
        if key not in HEADER:
            problem(key, f"unknown field{suggest(key, HEADER)} (known: {', '.join(HEADER)})")
    for key, tp in HEADER.items():
        value = head.get(key)
        if value is None and key == "device":
            continue  # plans written before the device was named: a signed one is refused by the loader
        if value is None:
            problem(key, "is missing")
        elif tp is int and (isinstance(value, bool) or not isinstance(value, int)):
            problem(key, f"must be a whole number, got {value!r}")
        elif tp is date and (not isinstance(value, date) or hasattr(value, "hour")):
            problem(key, f"must be a date like 2026-11-01 (no quotes), got {value!r}")
        elif not isinstance(value, tp):
            problem(key, f"must be text in quotes, got {value!r}")
    if isinstance(head.get("format"), int) and head["format"] != FORMAT:
        problem("format", f"this kiosk reads plan format {FORMAT}, the file says {head['format']}")
    version = head.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and not 0 <= version <= MAX_VERSION:
        problem("version", f"must be a whole number from 0 to {MAX_VERSION}, got {version}")
    for key in ("patient", "device"):
        if isinstance(head.get(key), str) and not _IDENT.match(head[key]):
            problem(key, f"must be 1 to 40 letters, digits, '.', '_' or '-' (no spaces), got {head[key]!r}")
    if isinstance(head.get("therapist"), str) and not 0 < len(head["therapist"].strip()) <= 80:
        problem("therapist", "must be a name of 1 to 80 characters")
    if isinstance(head.get("stage"), str) and head["stage"] not in STAGES:
        problem("stage", f"must be one of {', '.join(STAGES)}, got {head['stage']!r}")
    if isinstance(head.get("timezone"), str) and not _TIMEZONE.match(head["timezone"]):
        problem("timezone", f"must be a time zone name like Europe/London, got {head['timezone']!r}")
    dates = [head.get(k) for k in ("valid_from", "valid_until")]
    if all(isinstance(d, date) and not hasattr(d, "hour") for d in dates) and dates[0] > dates[1]:
        problem("valid_until", "is before valid_from")


def parse_plan(data: bytes, filename: str = "<plan>") -> tuple[Plan | None, list[Problem]]:
    """The plan in ``data`` (unsigned until a verifier says otherwise), or None and every problem found."""
    raw, text, problems = _decode(data, filename)
    if raw is None:
        return None, problems
    lines = key_lines(text)
    head = raw.get("plan")

    def problem(key: str, message: str) -> None:
        problems.append(Problem(filename, lines.get(f"plan.{key}", lines.get("plan", 1)), f"plan.{key}", message))

    if not isinstance(head, dict):
        return None, [Problem(filename, 1, "plan", "the [plan] section is missing")]
    _check_header(head, problem)
    if problems:
        return None, problems
    plan = Plan(
        format=head["format"],
        version=head["version"],
        patient=head["patient"],
        device=head.get("device", ""),
        therapist=head["therapist"],
        issued=head["issued"],
        valid_from=head["valid_from"],
        valid_until=head["valid_until"],
        stage=head["stage"],
        timezone=head["timezone"],
        raw=raw,
        sha256=hashlib.sha256(data).hexdigest(),
        signed=False,
        lines=lines,
    )
    return plan, []
