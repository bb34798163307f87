"""Therapy rules over decoded content, beyond types: what the kiosk says is the therapy.

Gentle (effort 2-3 of 10), small, slow; hold about 5 s and relax fully; no active exercise while
the face is flaccid; in the synkinesis stage relaxation and inhibition, never strength. Each
function takes plain dicts (already schema-checked) and returns (field path, problem) pairs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from coach.exercises import METRIC_IDS, NOT_MEASURED
from content.schema import FLACCID_KINDS

Finding = tuple[str, str]

# Seconds a hold may last, per kind (movement ~5 s; stretches 10-30 s).
HOLD_LIMITS = {"movement": (3, 10), "stretch": (10, 30), "massage": (20, 120), "relaxation": (30, 300)}
EFFORT_LIMITS = {"movement": (2, 3), "stretch": (1, 2), "massage": (0, 2), "relaxation": (0, 1)}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def exercise_rules(data: dict[str, Any], file_id: str) -> list[Finding]:
    """Rules of one exercise file (language-neutral part)."""
    found: list[Finding] = []
    kind = data["kind"]
    if data["id"] != file_id:
        found.append(("id", f"must equal the file name {file_id!r}, got {data['id']!r}"))
    metric = data["metric"]
    if kind == "movement" and metric not in METRIC_IDS:
        found.append(("metric", f"a movement needs a coach metric ({', '.join(METRIC_IDS)}), got {metric!r}"))
    if kind != "movement" and metric != NOT_MEASURED:
        found.append(("metric", f"a {kind} item is not measured: use {NOT_MEASURED!r}, got {metric!r}"))
    if "flaccid" in data["stages"] and kind not in FLACCID_KINDS:
        found.append(("stages", f"no active exercise while the face is flaccid: a {kind} cannot list 'flaccid'"))
    if not data["stages"]:
        found.append(("stages", "must name at least one stage"))
    found.extend(_within("hold_seconds", data["hold_seconds"], HOLD_LIMITS[kind], kind))
    found.extend(_within("effort", data["effort"], EFFORT_LIMITS[kind], kind))
    found.extend(animation_rules(data["animation"]))
    return found


def _within(name: str, value: float, limits: tuple[float, float], kind: str) -> list[Finding]:
    low, high = limits
    if low <= value <= high:
        return []
    return [(name, f"for a {kind} must be between {low:g} and {high:g}, got {value!r}")]


def animation_rules(animation: dict[str, Any]) -> list[Finding]:
    """Keyframes start at 0, go forward in time, stay in the cycle and show some movement."""
    found: list[Finding] = []
    frames = animation["keyframes"]
    if len(frames) < 2:
        found.append(("animation.keyframes", "needs at least two keyframes"))
    if frames and frames[0]["at"] != 0:
        found.append(("animation.keyframes[1].at", "the first keyframe must be at 0"))
    for number in range(1, len(frames)):
        if frames[number]["at"] <= frames[number - 1]["at"]:
            found.append((f"animation.keyframes[{number + 1}].at", "must be later than the keyframe before"))
    for number, frame in enumerate(frames, start=1):
        if frame["at"] > animation["seconds"]:
            found.append((f"animation.keyframes[{number}].at", f"is after the cycle ends ({animation['seconds']} s)"))
    if not any(len(frame) > 1 for frame in frames):
        found.append(("animation.keyframes", "no keyframe moves any face part"))
    hands = animation.get("hands", "none")
    if (hands == "none") != ("hand_motion" not in animation):
        found.append(("animation.hand_motion", "give hand_motion exactly when hands is a place (not 'none')"))
    return found


def text_rules(text: dict[str, Any], exercise: dict[str, Any], max_words: int, avoid: Iterable[str]) -> list[Finding]:
    """Rules of one exercise's words in one language."""
    found = list(sentence_rules(text, max_words, avoid))
    if exercise["kind"] == "movement" and "synkinesis" in exercise["stages"] and not text.get("synkinesis_tip"):
        found.append(("synkinesis_tip", "a movement for the synkinesis stage needs a tip on keeping the face relaxed"))
    return found


def sentence_rules(tree: Any, max_words: int, avoid: Iterable[str], path: str = "") -> list[Finding]:
    """Every spoken or shown sentence is short and avoids the language's forbidden words."""
    if isinstance(tree, dict):
        return [f for key, value in tree.items() for f in sentence_rules(value, max_words, avoid, _join(path, key))]
    if isinstance(tree, list):
        return [f for n, item in enumerate(tree, 1) for f in sentence_rules(item, max_words, avoid, f"{path}[{n}]")]
    if not isinstance(tree, str):
        return []
    found: list[Finding] = []
    for sentence in _SENTENCE_END.split(tree.strip()):
        if len(sentence.split()) > max_words:
            found.append((path, f"sentence longer than {max_words} words: {sentence!r}"))
    lowered = tree.lower()
    for words in avoid:
        if re.search(rf"\b{re.escape(words.lower())}\b", lowered):
            found.append((path, f"uses {words!r}: keep effort gentle and small"))
    return found


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def plan_exercise_rules(
    items: list[dict[str, Any]], library: dict[str, dict[str, Any]], stage: str | None
) -> list[Finding]:
    """Every planned exercise exists and suits the plan's stage."""
    found: list[Finding] = []
    for number, item in enumerate(items, start=1):
        exercise = library.get(item["id"])
        if exercise is None:
            close = difflib.get_close_matches(item["id"], list(library), n=1, cutoff=0.6)
            hint = f" — did you mean {close[0]}?" if close else ""
            found.append((f"exercises[{number}].id", f"no such exercise {item['id']!r} in content/exercises{hint}"))
        elif stage and stage not in exercise["stages"]:
            found.append(
                (f"exercises[{number}].id", f"{item['id']!r} does not suit the {stage} stage ({exercise['stages']})")
            )
    return found
