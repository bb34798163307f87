"""The session flow as a pure state machine: commands and time in, effects and a view out.

greeting -> camera check -> neutral calibration -> for each exercise: explain -> (move -> hold
-> relax) x reps -> rest -> next ... -> summary. Pause, resume, stop, repeat, slower and next
work from any phase; a protected reminder interrupts and the flow resumes where it was. The
kiosk paces every repetition itself (spoken), so the session never waits for the camera: the
camera only adds live bars, feedback and the measured numbers.

Pure: no clock reads (``now`` is a monotonic time in seconds passed in), no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from kiosk.devices.base import PRIORITY_COACHING, PRIORITY_SAFETY
from kiosk.session.steps import ExerciseStep, Measurement, RepRecord, SessionPlan


class Phase(Enum):
    GREETING = "greeting"
    CAMERA_CHECK = "camera check"
    CALIBRATION = "calibration"
    EXPLAIN = "explain"
    MOVE = "move"
    HOLD = "hold"
    RELAX = "relax"
    REST = "rest"
    SUMMARY = "summary"
    DONE = "done"


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


@dataclass(frozen=True)
class SessionEnded:
    """The session is over: 'done' or 'partial' (stopped early)."""

    status: str
    minutes: float


Effect = Say | SpeechRate | Calibrate | Measure | ExerciseDone | SessionEnded

# Seconds each spoken phase lasts at normal speed (speech of ~130 words per minute plus a pause).
GREETING_S = 6.0
CAMERA_CHECK_MAX_S = 10.0
CAMERA_OK_S = 1.0
CALIBRATION_S = 4.0
MOVE_S = 2.5
RELAX_S = 4.0
WORDS_PER_SECOND = 130 / 60
SLOWER_FACTOR = 1.3
MAX_SLOWNESS = 2.0


def speech_seconds(text: str) -> float:
    """About how long the kiosk takes to say ``text`` at the default rate."""
    return len(text.split()) / WORDS_PER_SECOND + 1.0


@dataclass(frozen=True)
class SessionView:
    """What the session screens show, as plain values."""

    phase: Phase
    title: str
    instruction: str
    exercise_id: str = ""
    metric: str = "none"
    rep: int = 0
    reps: int = 0
    seconds_left: float = 0.0
    left_pct: float = 0.0
    right_pct: float = 0.0
    hint: str = ""
    paused: bool = False
    interrupted: bool = False
    progress: str = ""
    animation: Any = None  # the exercise's content animation, when it has one


@dataclass
class SessionFlow:
    """Runs one session plan. Call ``start``, then ``tick`` every loop, ``command`` on input."""

    plan: SessionPlan
    phase: Phase = Phase.GREETING
    index: int = 0
    rep: int = 0
    phase_until: float = 0.0
    started_at: float = 0.0
    slowness: float = 1.0
    paused: bool = False
    interrupted: bool = False
    last_instruction: str = ""
    measurement: Measurement | None = None
    camera_ok_since: float | None = None
    records: list[RepRecord] = field(default_factory=list)
    stopped_early: bool = False
    _frozen_left: float | None = None
    _pending: list[Effect] = field(default_factory=list)

    # ---- starting and ticking -------------------------------------------------------------
    def start(self, now: float) -> list[Effect]:
        self.started_at = now
        self._enter(Phase.GREETING, now, GREETING_S, self.plan.greeting)
        return self._flush()

    @property
    def step(self) -> ExerciseStep | None:
        return self.plan.steps[self.index] if self.index < len(self.plan.steps) else None

    @property
    def finished(self) -> bool:
        return self.phase is Phase.DONE

    def tick(self, now: float, measurement: Measurement | None = None) -> list[Effect]:
        """Advance by time; ``measurement`` is the latest camera result (or None)."""
        self.measurement = measurement
        if self.paused or self.interrupted or self.phase in (Phase.SUMMARY, Phase.DONE):
            return self._flush()
        if self.phase is Phase.HOLD and measurement is not None and measurement.usable and self.records:
            self.records[-1].left.append(measurement.left_pct)
            self.records[-1].right.append(measurement.right_pct)
        if self.phase is Phase.CAMERA_CHECK:
            self._camera_check(now, measurement)
        if now >= self.phase_until:
            self._advance(now)
        return self._flush()

    # ---- commands (voice, touch, keys) --------------------------------------------------------
    def command(self, intent: str, now: float) -> list[Effect]:
        """stop, pause, resume, repeat, slower, next; anything else is ignored here."""
        if intent == "stop":
            self._stop(now)
        elif intent == "pause" and not self.paused and self.phase not in (Phase.SUMMARY, Phase.DONE):
            self.paused = True
            self._frozen_left = max(0.0, self.phase_until - now)
            self._say("Paused. Say resume, or touch Resume, when you are ready.")
        elif intent == "resume" and self.paused:
            self.paused = False
            self._thaw(now)
            self._say("Let us carry on.")
        elif intent == "repeat" and self.last_instruction:
            self._pending.append(Say(self.last_instruction))
        elif intent == "slower":
            if self.slowness * SLOWER_FACTOR <= MAX_SLOWNESS + 1e-9:
                self.slowness *= SLOWER_FACTOR
                self._pending.append(SpeechRate(1 / SLOWER_FACTOR))
                self._say("I will go more slowly.")
            else:
                self._say("This is already the slowest pace.")
        elif intent == "next" and self.phase is Phase.REST:
            self._start_exercise(now)  # skip the rest, not the exercise
        elif intent == "next" and self.step is not None and self.phase not in (Phase.SUMMARY, Phase.DONE):
            self._finish_exercise(now)
        return self._flush()

    def interrupt(self, now: float) -> list[Effect]:
        """A protected reminder takes over: freeze the flow where it is."""
        if not self.interrupted and self.phase not in (Phase.SUMMARY, Phase.DONE):
            self.interrupted = True
            self._frozen_left = max(0.0, self.phase_until - now)
        return self._flush()

    def resume_after_interrupt(self, now: float) -> list[Effect]:
        """The reminder was dealt with: say where we are and carry on."""
        if self.interrupted:
            self.interrupted = False
            if not self.paused:
                self._thaw(now)
                if self.phase in (Phase.HOLD, Phase.MOVE):
                    # A hold cut by a reminder is started again rather than counted short.
                    self.rep = max(0, self.rep - 1)
                    if self.records:
                        self.records.pop()
                    self._next_rep(now)
                else:
                    self._say("Thank you. Let us carry on.")
        return self._flush()

    def finish_summary(self) -> None:
        """The summary screen was closed."""
        self.phase = Phase.DONE

    # ---- the view --------------------------------------------------------------------------
    def view(self, now: float) -> SessionView:
        step = self.step
        left = self._frozen_left if (self.paused or self.interrupted) and self._frozen_left is not None else None
        seconds_left = left if left is not None else max(0.0, self.phase_until - now)
        m = self.measurement
        title = step.name if step and self.phase in (Phase.EXPLAIN, Phase.MOVE, Phase.HOLD, Phase.RELAX) else ""
        title = title or {
            Phase.GREETING: "Welcome",
            Phase.CAMERA_CHECK: "Camera check",
            Phase.CALIBRATION: "Relax your face",
            Phase.REST: "Rest",
            Phase.SUMMARY: "Well done",
            Phase.DONE: "Well done",
        }.get(self.phase, "")
        return SessionView(
            phase=self.phase,
            title=title,
            instruction=self.last_instruction,
            exercise_id=step.id if step else "",
            metric=step.metric if step else "none",
            rep=self.rep,
            reps=step.reps if step else 0,
            seconds_left=seconds_left,
            left_pct=m.left_pct if m and m.usable else 0.0,
            right_pct=m.right_pct if m and m.usable else 0.0,
            hint=(m.hint if m and not m.usable else (m.feedback if m else "")),
            paused=self.paused,
            interrupted=self.interrupted,
            progress=f"Exercise {min(self.index + 1, len(self.plan.steps))} of {len(self.plan.steps)}",
            animation=step.animation if step else None,
        )

    # ---- internals -------------------------------------------------------------------------
    def _say(self, text: str, priority: int = PRIORITY_COACHING) -> None:
        self.last_instruction = text
        self._pending.append(Say(text, priority))

    def _flush(self) -> list[Effect]:
        out, self._pending = self._pending, []
        return out

    def _enter(self, phase: Phase, now: float, seconds: float, words: str | None = None) -> None:
        self.phase = phase
        self.phase_until = now + seconds * self.slowness
        if words:
            self._say(words)

    def _thaw(self, now: float) -> None:
        if self._frozen_left is not None:
            self.phase_until = now + self._frozen_left
        self._frozen_left = None

    def _camera_check(self, now: float, m: Measurement | None) -> None:
        if m is not None and m.usable:
            self.camera_ok_since = self.camera_ok_since if self.camera_ok_since is not None else now
            if now - self.camera_ok_since >= CAMERA_OK_S:
                self.phase_until = now  # good enough: move on at once
        else:
            self.camera_ok_since = None

    def _advance(self, now: float) -> None:
        phase = self.phase
        if phase is Phase.GREETING:
            if self.plan.camera_needed:
                self._enter(
                    Phase.CAMERA_CHECK,
                    now,
                    CAMERA_CHECK_MAX_S,
                    "Please look at the screen. I am checking that I can see your face.",
                )
            else:
                self._start_exercise(now)
        elif phase is Phase.CAMERA_CHECK:
            if self.camera_ok_since is None:
                self._say("I cannot see your face well. That is fine: we will do the exercises without measuring.")
            self._pending.append(Calibrate(True))
            self._enter(Phase.CALIBRATION, now, CALIBRATION_S, "Now relax your whole face and keep still for a moment.")
        elif phase is Phase.CALIBRATION:
            self._pending.append(Calibrate(False))
            self._start_exercise(now)
        elif phase is Phase.EXPLAIN or phase is Phase.RELAX:
            self._next_rep(now)
        elif phase is Phase.MOVE:
            step = self.step
            assert step is not None
            words = "Hold it gently." if step.metric != "none" else "Keep going, gently and slowly."
            self._enter(Phase.HOLD, now, step.hold_seconds, words)
        elif phase is Phase.HOLD:
            step = self.step
            assert step is not None
            self._enter(Phase.RELAX, now, RELAX_S, step.relax)
        elif phase is Phase.REST:
            self._start_exercise(now)

    def _start_exercise(self, now: float) -> None:
        step = self.step
        if step is None:
            self._end(now)
            return
        self.rep = 0
        self.records = []
        self._pending.append(Measure(step.metric if step.metric != "none" else None))
        words = " ".join(step.explain)
        self._enter(Phase.EXPLAIN, now, speech_seconds(words), words)

    def _next_rep(self, now: float) -> None:
        step = self.step
        assert step is not None
        if self.rep >= step.reps:
            self._finish_exercise(now)
            return
        self.rep += 1
        self.records.append(RepRecord())
        self._enter(Phase.MOVE, now, MOVE_S, step.move)

    def _reps_done(self) -> int:
        """Repetitions completed so far; one still being moved or held does not count."""
        return self.rep if self.phase is Phase.RELAX else max(0, self.rep - 1)

    def _record_exercise(self) -> None:
        step = self.step
        assert step is not None
        done = self._reps_done()
        peaks = [r.peak() for r in self.records[:done] if r.left and r.right]
        self._pending.append(
            ExerciseDone(
                exercise=step.id,
                reps_planned=step.reps,
                reps_done=done,
                hold_seconds=step.hold_seconds,
                left_pct=sum(p[0] for p in peaks) / len(peaks) if peaks else None,
                right_pct=sum(p[1] for p in peaks) / len(peaks) if peaks else None,
                measured=bool(peaks),
            )
        )
        if done < step.reps:
            self.stopped_early = True
        self.index += 1
        self._pending.append(Measure(None))

    def _finish_exercise(self, now: float) -> None:
        self._record_exercise()
        if self.step is None:
            self._end(now)
        else:
            self._enter(
                Phase.REST,
                now,
                self.plan.steps[self.index - 1].rest_seconds,
                f"Well done. Rest for a moment. Next: {self.step.name}.",
            )

    def _stop(self, now: float) -> None:
        if self.phase in (Phase.SUMMARY, Phase.DONE):
            return
        self.paused = self.interrupted = False
        self._frozen_left = None
        if self.step is not None and self.phase in (Phase.EXPLAIN, Phase.MOVE, Phase.HOLD, Phase.RELAX):
            self._record_exercise()
        self.stopped_early = True
        self._pending.append(Say("Stopped. Relax your face.", PRIORITY_SAFETY))
        self.last_instruction = "Stopped. Relax your face."
        self._end(now)

    def _end(self, now: float) -> None:
        minutes = (now - self.started_at) / 60
        status = "partial" if self.stopped_early else "done"
        self.phase = Phase.SUMMARY
        self.phase_until = now
        self._pending.append(SessionEnded(status, round(minutes, 2)))
