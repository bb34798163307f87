"""Load exercises and education in a language, falling back to English file by file.

The language-neutral part of an exercise (kind, metric, stages, dose, animation) lives in
content/exercises/<id>.toml; its words in content/lang/<code>/exercises/<id>.toml. A missing or
broken translation falls back to English (logged); a broken English or neutral file is a
ContentError listing every problem, because the kiosk cannot coach from it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from content import content_path
from content.reading import Checked, check_file, toml_files
from content.rules import exercise_rules
from content.schema import EDUCATION, EXERCISE, EXERCISE_TEXT
from kiosk.settings import Problem

log = logging.getLogger(__name__)
ENGLISH = "en"


class ContentError(ValueError):
    """Content the kiosk cannot use; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]) + (" ..." if len(problems) > 5 else ""))
        self.problems = problems


@dataclass(frozen=True)
class Keyframe:
    """A pose at a time: named face parts with amounts from 0 (rest) to 1."""

    at: float
    pose: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Animation:
    """How the on-screen face shows one repetition."""

    seconds: float
    keyframes: tuple[Keyframe, ...]
    hands: str = "none"
    hand_motion: str = "still"

    def pose_at(self, t: float) -> dict[str, float]:
        """The pose ``t`` seconds into the cycle (looping), moving linearly between keyframes."""
        t = t % self.seconds if self.seconds else 0.0
        after = next((k for k in self.keyframes if k.at >= t), None)
        before = max((k for k in self.keyframes if k.at <= t), key=lambda k: k.at, default=self.keyframes[0])
        if after is None or after.at == before.at:
            return dict(before.pose)
        share = (t - before.at) / (after.at - before.at)
        a, b = dict(before.pose), dict(after.pose)
        return {part: a.get(part, 0.0) + share * (b.get(part, 0.0) - a.get(part, 0.0)) for part in {*a, *b}}


@dataclass(frozen=True)
class Exercise:
    """One exercise with its words in one language (``lang`` says which were used)."""

    id: str
    kind: str
    metric: str
    stages: tuple[str, ...]
    reps: int
    hold_seconds: float
    rest_seconds: float
    effort: int
    animation: Animation
    lang: str
    name: str
    summary: str
    intro: tuple[str, ...]
    move: tuple[str, ...]
    relax: tuple[str, ...]
    cautions: tuple[str, ...]
    synkinesis_tip: tuple[str, ...] = ()
    finish: tuple[str, ...] = ()

    def suits(self, stage: str) -> bool:
        """True when the exercise is meant for this recovery stage."""
        return stage in self.stages

    def spoken_intro(self, stage: str) -> tuple[str, ...]:
        """What to say before the first repetition: intro, cautions, and the synkinesis tip in that stage."""
        tip = self.synkinesis_tip if stage == "synkinesis" else ()
        return self.intro + self.cautions + tip


@dataclass(frozen=True)
class Page:
    """One page of an education topic."""

    heading: str
    screen: tuple[str, ...]
    spoken: tuple[str, ...]
    warning: bool = False


@dataclass(frozen=True)
class Education:
    """An education topic (eye care, articulation, recovery) in one language."""

    id: str
    topic: str
    title: str
    pages: tuple[Page, ...]
    lang: str


def load_exercises(lang: str = ENGLISH, root: Path | None = None) -> dict[str, Exercise]:
    """Every exercise by id, with words in ``lang`` where translated, else English."""
    return dict(_exercises(lang, root or content_path()))


def load_exercise(exercise_id: str, lang: str = ENGLISH, root: Path | None = None) -> Exercise:
    """One exercise; KeyError with a plain message when there is none."""
    library = load_exercises(lang, root)
    if exercise_id not in library:
        raise KeyError(f"no exercise {exercise_id!r} in content/exercises (known: {', '.join(sorted(library))})")
    return library[exercise_id]


def exercises_for_stage(stage: str, lang: str = ENGLISH, root: Path | None = None) -> list[Exercise]:
    """The exercises that suit a stage, in id order."""
    return [ex for _, ex in sorted(load_exercises(lang, root).items()) if ex.suits(stage)]


def load_education(lang: str = ENGLISH, root: Path | None = None) -> dict[str, Education]:
    """Every education topic by id, in ``lang`` where translated, else English."""
    return dict(_education(lang, root or content_path()))


@lru_cache(maxsize=16)
def _exercises(lang: str, root: Path) -> tuple[tuple[str, Exercise], ...]:
    out: list[tuple[str, Exercise]] = []
    problems: list[Problem] = []
    for path in toml_files(root / "exercises"):
        neutral = check_file(path, EXERCISE, lambda d, stem=path.stem: exercise_rules(d, stem))
        words, used = _words(root, lang, "exercises", path.stem, EXERCISE_TEXT)
        problems += neutral.problems + words.problems
        if neutral.data is not None and not neutral.problems and words.data is not None and not words.problems:
            out.append((path.stem, _exercise(neutral.data, words.data, used)))
    if problems:
        raise ContentError(problems)
    return tuple(out)


@lru_cache(maxsize=16)
def _education(lang: str, root: Path) -> tuple[tuple[str, Education], ...]:
    out: list[tuple[str, Education]] = []
    problems: list[Problem] = []
    for path in toml_files(root / "lang" / ENGLISH / "education"):
        checked, used = _words(root, lang, "education", path.stem, EDUCATION)
        problems += checked.problems
        if checked.data is not None and not checked.problems:
            out.append((path.stem, _topic(checked.data, used)))
    if problems:
        raise ContentError(problems)
    return tuple(out)


def _words(root: Path, lang: str, kind: str, stem: str, schema: dict) -> tuple[Checked, str]:
    """The translated file when it is there and valid, else the English one."""
    if lang != ENGLISH:
        path = root / "lang" / lang / kind / f"{stem}.toml"
        if path.exists():
            checked = check_file(path, schema)
            if checked.data is not None and not checked.problems:
                return checked, lang
            log.warning("using English for %s: %s", path, "; ".join(map(str, checked.problems)))
    path = root / "lang" / ENGLISH / kind / f"{stem}.toml"
    if not path.exists():
        return Checked(
            path, None, [Problem(str(path), 1, "(file)", "missing (English words are required)")], {}
        ), ENGLISH
    return check_file(path, schema), ENGLISH


def _exercise(data: dict[str, Any], words: dict[str, Any], lang: str) -> Exercise:
    anim = data["animation"]
    frames = tuple(
        Keyframe(float(k["at"]), tuple((p, float(v)) for p, v in k.items() if p != "at")) for k in anim["keyframes"]
    )
    return Exercise(
        id=data["id"],
        kind=data["kind"],
        metric=data["metric"],
        stages=tuple(data["stages"]),
        reps=data["reps"],
        hold_seconds=float(data["hold_seconds"]),
        rest_seconds=float(data["rest_seconds"]),
        effort=data["effort"],
        animation=Animation(
            float(anim["seconds"]), frames, anim.get("hands", "none"), anim.get("hand_motion", "still")
        ),
        lang=lang,
        name=words["name"],
        summary=words["summary"],
        **{
            key: tuple(words.get(key, ())) for key in ("intro", "move", "relax", "cautions", "synkinesis_tip", "finish")
        },
    )


def _topic(data: dict[str, Any], lang: str) -> Education:
    pages = tuple(
        Page(p["heading"], tuple(p["screen"]), tuple(p["spoken"]), bool(p.get("warning", False))) for p in data["pages"]
    )
    return Education(data["id"], data["topic"], data["title"], pages, lang)
