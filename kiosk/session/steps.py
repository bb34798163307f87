"""What a session is made of, as plain values (built from the plan and the content library)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ExerciseStep:
    """One planned exercise with the words the kiosk says for it."""

    id: str
    name: str
    metric: str  # a coach metric id, or "none" when the camera does not measure it
    explain: tuple[str, ...]  # short sentences said before the first repetition
    move: str  # said at the start of each repetition, e.g. "Gently lift your eyebrows."
    relax: str = "And relax. Let your face go soft."
    reps: int = 5
    hold_seconds: float = 5.0
    rest_seconds: float = 10.0
    cautions: tuple[str, ...] = ()
    animation: Any = None  # content.loader.Animation (pose_at(t)); None: drawn from the metric


@dataclass(frozen=True)
class StimOffer:
    """The prescribed stimulation block offered at the end of a session (from a signed plan).

    ``words`` are the phrase templates of ``content/lang/<code>/phrases.toml`` [stimulation];
    ``checklist`` holds the safety questions still to ask, as (key, question); it is empty once
    the checklist was answered with all "no" for this plan version.
    """

    side: str  # the patient's own side: "left" or "right"
    block_minutes: float
    max_ma: float
    words: dict[str, str]
    checklist: tuple[tuple[str, str], ...] = ()
    explain: Callable[[str], str] | None = None  # a refusal/stop reason in the patient's language


# The session's own sentences in English; the plan builder passes the patient's language from
# content/lang/<code>/phrases.toml [session] (these keep the pure flow usable without content).
SESSION_WORDS = {
    "greeting": "Hello. Let us do your face exercises together. Sit comfortably and look at the screen.",
    "camera_check": "Please look at the screen. I am checking that I can see your face.",
    "camera_not_seen": "I cannot see your face well. That is fine: we will do the exercises without measuring.",
    "calibrate": "Now relax your whole face and keep still for a moment.",
    "hold": "Hold it gently.",
    "keep_going": "Keep going, gently and slowly.",
    "paused": "Paused. Say resume, or touch Resume, when you are ready.",
    "carry_on": "Let us carry on.",
    "thanks_carry_on": "Thank you. Let us carry on.",
    "slower": "I will go more slowly.",
    "slowest": "This is already the slowest pace.",
    "rest_next": "Well done. Rest for a moment. Next: {name}.",
    "stopped": "Stopped. Relax your face.",
    # Screen titles between exercises (content [session_titles]).
    "title_greeting": "Welcome",
    "title_camera_check": "Camera check",
    "title_calibration": "Relax your face",
    "title_rest": "Rest",
    "title_stimulation": "Stimulation",
    "title_safety_questions": "Safety questions",
    "title_done": "Well done",
    "title_progress": "Exercise {number} of {total}",
}


@dataclass(frozen=True)
class SessionPlan:
    """The exercises of one session, in order, and who it is for."""

    steps: tuple[ExerciseStep, ...]
    greeting: str = SESSION_WORDS["greeting"]
    camera_needed: bool = True
    stage: str = "paresis"
    plan_version: int = 0
    stimulation: StimOffer | None = None  # None: the plan prescribes none (the usual case)
    words: dict[str, str] = field(default_factory=lambda: dict(SESSION_WORDS))
    lang: str = "en"  # the language of ``words`` (the screens' own words follow it)


@dataclass(frozen=True)
class Measurement:
    """What the camera made of the latest frame (from the coach pipeline), as plain numbers."""

    usable: bool
    hint: str = ""  # plain words when not usable, e.g. "Please move a little closer."
    left_pct: float = 0.0  # movement of the patient's left side, % of the reference movement
    right_pct: float = 0.0
    feedback: str = ""  # a short coaching sentence, already in words
    phase: str = ""  # the Phase value the feedback was chosen for ("" when it fits any phase)
    synkinesis: bool = False  # the coach saw an unwanted co-movement in this frame (an indicator)
    left_mm: float | None = None  # excursion against the neutral face, mm (None: not scored)
    right_mm: float | None = None
    flags: tuple[str, ...] = ()  # the co-movement indicators behind ``synkinesis``
    refused: tuple[str, ...] = ()  # why an unusable frame was refused (coach.quality reasons)
    new_frame: bool = True  # False when the loop sees the same camera frame again


@dataclass
class RepRecord:
    """What was measured during one hold."""

    left: list[float] = field(default_factory=list)
    right: list[float] = field(default_factory=list)
    synkinesis: list[bool] = field(default_factory=list)
    left_mm: list[float] = field(default_factory=list)
    right_mm: list[float] = field(default_factory=list)
    flags: list[tuple[str, ...]] = field(default_factory=list)

    def peak(self) -> tuple[float, float]:
        return (max(self.left, default=0.0), max(self.right, default=0.0))

    def peak_mm(self) -> tuple[float, float] | None:
        """The largest excursion of each side in mm, when the camera gave mm."""
        if not self.left_mm or not self.right_mm:
            return None
        return (max(self.left_mm), max(self.right_mm))
