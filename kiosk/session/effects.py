"""What the session flow asks the world to do (plain values; the controller carries them out)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.devices.base import PRIORITY_COACHING


@dataclass(frozen=True)
class Say:
    """Speak these words."""

    text: str
    priority: int = PRIORITY_COACHING


@dataclass(frozen=True)
class SpeechRate:
    """Multiply the speaking rate by ``factor`` for the rest of the session."""

    factor: float


@dataclass(frozen=True)
class Calibrate:
    """Start (True) or finish (False) collecting the relaxed, neutral face."""

    start: bool


@dataclass(frozen=True)
class Measure:
    """Tell the camera pipeline which metric to compute now (None: none)."""

    metric: str | None


@dataclass(frozen=True)
class ExerciseDone:
    """One exercise finished (or was cut short): what to store."""

    exercise: str
    reps_planned: int
    reps_done: int
    hold_seconds: float
    left_pct: float | None
    right_pct: float | None
    measured: bool
    left_mm: float | None = None  # mean of each repetition's largest excursion, mm
    right_mm: float | None = None
    holds_on_target: int = 0  # holds the camera saw kept steady (see flow.hold_on_target)
    holds_measured: int = 0  # holds with enough usable frames to judge
    frames_used: int = 0  # camera frames scored while the exercise ran
    frames_refused: tuple[tuple[str, int], ...] = ()  # (reason, frames) refused while it ran
    co_movement: tuple[str, ...] = ()  # indicators seen in most frames of at least one hold
    co_movement_holds: int = 0  # holds with co-movement in most of their frames
    measurable: bool = True  # False for exercises the camera does not measure (massage, relaxation)


@dataclass(frozen=True)
class SessionEnded:
    """The session is over: 'done' or 'partial' (stopped early)."""

    status: str
    minutes: float
    stimulation: str = ""  # the stimulation block's outcome; "" when the plan has none


@dataclass(frozen=True)
class ChecklistDone:
    """The stimulation safety checklist was answered by touch; ``cleared`` when every answer was no."""

    cleared: bool
    answers: tuple[tuple[str, bool], ...]  # (question key, answered yes)


@dataclass(frozen=True)
class CheckStimulation:
    """Before the safety questions and the offer: would the rules refuse a block now anyway?"""


@dataclass(frozen=True)
class StartStimulation:
    """The patient touched Start: try to start the prescribed block (the safety rules decide)."""

    source: str  # touch | button: the only sources the stimulation part accepts for a start


@dataclass(frozen=True)
class StopStimulation:
    """Outputs off now and end the block."""

    reason: str


@dataclass(frozen=True)
class LowerStimulation:
    """One step weaker, at once (always allowed)."""

    source: str


@dataclass(frozen=True)
class RaiseStimulation:
    """One step stronger; only ever emitted after a touch on the confirmation button."""

    source: str  # touch | button


Effect = (
    Say
    | SpeechRate
    | Calibrate
    | Measure
    | ExerciseDone
    | SessionEnded
    | ChecklistDone
    | CheckStimulation
    | StartStimulation
    | StopStimulation
    | LowerStimulation
    | RaiseStimulation
)
