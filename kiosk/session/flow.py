"""The session flow as a pure state machine: commands and time in, effects and a view out.

greeting -> camera check -> neutral calibration -> for each exercise: explain -> (move -> hold
-> relax) x reps -> rest -> next ... -> [the prescribed stimulation block, when a signed plan has
one: see stim_flow.py] -> summary. Pause, resume, stop, repeat, slower and next
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
from kiosk.session.effects import (
    Calibrate,
    ChecklistDone,
    CheckStimulation,
    Effect,
    ExerciseDone,
    LowerStimulation,
    Measure,
    RaiseStimulation,
    Say,
    SessionEnded,
    SpeechRate,
    StartStimulation,
    StopStimulation,
)
from kiosk.session.exercise_record import ExerciseTally
from kiosk.session.steps import SESSION_WORDS, ExerciseStep, Measurement, RepRecord, SessionPlan
from kiosk.session.stim_flow import StimStage, StimulationPart

__all__ = [
    "Calibrate",
    "ChecklistDone",
    "Effect",
    "ExerciseDone",
    "LowerStimulation",
    "Measure",
    "Phase",
    "RaiseStimulation",
    "Say",
    "SessionEnded",
    "SessionFlow",
    "SessionView",
    "SpeechRate",
    "StartStimulation",
    "StopStimulation",
]


class Phase(Enum):
    GREETING = "greeting"
    CAMERA_CHECK = "camera check"
    CALIBRATION = "calibration"
    EXPLAIN = "explain"
    MOVE = "move"
    HOLD = "hold"
    RELAX = "relax"
    REST = "rest"
    STIMULATION = "stimulation"
    SUMMARY = "summary"
    DONE = "done"


# Seconds each spoken phase lasts at normal speed (speech of ~130 words per minute plus a pause).
GREETING_S = 6.0
RAISE_CONFIRM_S = 8.0  # "one step stronger?" left unanswered this long is taken as no
CAMERA_CHECK_MAX_S = 10.0
CAMERA_OK_S = 1.0
CALIBRATION_S = 4.0
MOVE_S = 2.5
RELAX_S = 4.0
WORDS_PER_SECOND = 130 / 60
SLOWER_FACTOR = 1.3
MAX_SLOWNESS = 2.0
STOP_REPORT_WAIT_S = 2.0  # after a stop, how long the flow waits for the runner's report
SYNKINESIS_REPS = 2  # holds with co-movement in most frames before the session flags it


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
    stim_stage: str = ""  # checklist | offer | running | ended, in the stimulation phase
    question: str = ""  # the checklist question on screen
    question_number: int = 0
    questions: int = 0
    confirm_raise: bool = False
    stim_blocked: bool = False  # the rules refuse a block now: the offer shows the reason, no Start
    notice: str = ""  # a refusal or stop reason in plain words


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
    stim: StimulationPart | None = None
    stop_asked_at: float | None = None
    raise_asked_at: float | None = None  # when "one step stronger?" was put on screen
    synkinesis_reps: int = 0
    explain_marks: tuple[tuple[float, str], ...] = ()  # (seconds left when said, sentence)
    tally: ExerciseTally = field(default_factory=ExerciseTally)  # frames of the exercise running now
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
        if self.phase in (Phase.MOVE, Phase.HOLD, Phase.RELAX):
            self.tally.add(measurement)
        if self.phase is Phase.HOLD and measurement is not None and measurement.usable and self.records:
            rec = self.records[-1]
            rec.left.append(measurement.left_pct)
            rec.right.append(measurement.right_pct)
            rec.synkinesis.append(measurement.synkinesis)
            rec.flags.append(measurement.flags)
            if measurement.left_mm is not None and measurement.right_mm is not None:
                rec.left_mm.append(measurement.left_mm)
                rec.right_mm.append(measurement.right_mm)
        if self.phase is Phase.STIMULATION:
            self._stimulation_tick(now)
            return self._flush()
        if self.phase is Phase.CAMERA_CHECK:
            self._camera_check(now, measurement)
        if now >= self.phase_until:
            self._advance(now)
        return self._flush()

    # ---- commands (voice, touch, keys) --------------------------------------------------------
    def command(self, intent: str, now: float, source: str = "voice") -> list[Effect]:
        """stop, pause, resume, repeat, slower, next, and the stimulation actions (stim_flow.py).

        ``source`` is touch, button, key or voice: the stimulation part accepts starting,
        checklist answers and "stronger" only from a touch or the button.
        """
        if self.phase is Phase.STIMULATION and self.stim is not None and self._for_stimulation(intent):
            self._from_stim(self.stim.command(intent, source))
            self.raise_asked_at = (self.raise_asked_at or now) if self.stim.confirm_raise else None
            if intent == "stop":
                self.stopped_early = True
                self.stop_asked_at = now
            if self.stim.over:
                self._end(now)
        elif intent == "stop":
            self._stop(now)
        elif intent == "pause" and not self.paused and self.phase not in (Phase.SUMMARY, Phase.DONE):
            self.paused = True
            self._frozen_left = max(0.0, self.phase_until - now)
            self._say(self.word("paused"))
        elif intent == "resume" and self.paused:
            self.paused = False
            self._thaw(now)
            self._say(self.word("carry_on"))
        elif intent == "repeat" and self.last_instruction:
            self._pending.append(Say(self.last_instruction))
        elif intent == "slower":
            if self.slowness * SLOWER_FACTOR <= MAX_SLOWNESS + 1e-9:
                self.slowness *= SLOWER_FACTOR
                self._pending.append(SpeechRate(1 / SLOWER_FACTOR))
                self._say(self.word("slower"))
            else:
                self._say(self.word("slowest"))
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
                    self._say(self.word("thanks_carry_on"))
        return self._flush()

    # ---- the stimulation runner's answers ------------------------------------------------------
    def stim_precheck_answer(self, allowed: bool, reason: str) -> list[Effect]:
        """What the rules say before anything is asked: offer the block, or say why not (no questions)."""
        if self.stim is not None and self.stim.stage is StimStage.CHECKLIST and not self.stim.answers:
            self._from_stim(self.stim.begin() if allowed else self.stim.not_possible(reason))
        return self._flush()

    def stim_start_answer(self, allowed: bool, reason: str) -> list[Effect]:
        if self.stim is not None:
            self._from_stim(self.stim.start_answer(allowed, reason))
        return self._flush()

    def stim_raise_answer(self, allowed: bool, reason: str) -> list[Effect]:
        if self.stim is not None:
            self._from_stim(self.stim.raise_answer(allowed, reason))
        return self._flush()

    def stim_ended(self, reason: str, normal: bool, now: float) -> list[Effect]:
        """The runner's report: the block is over and its outputs are off."""
        if self.stim is not None and self.phase is Phase.STIMULATION:
            self._from_stim(self.stim.block_ended(reason, normal))
            if not normal:
                self.stopped_early = True
            if self.stim.over:
                self._end(now)
        return self._flush()

    @property
    def stimulating(self) -> bool:
        """A block is running (reminders are shown, not spoken, until it ramps down)."""
        return self.phase is Phase.STIMULATION and self.stim is not None and self.stim.stage is StimStage.RUNNING

    @property
    def synkinesis_seen(self) -> bool:
        """The camera saw co-movement in most frames of at least SYNKINESIS_REPS holds this session."""
        return self.synkinesis_reps >= SYNKINESIS_REPS

    def finish_summary(self) -> None:
        """The summary screen was closed."""
        self.phase = Phase.DONE

    # ---- the view --------------------------------------------------------------------------
    def view(self, now: float) -> SessionView:
        step = self.step
        left = self._frozen_left if (self.paused or self.interrupted) and self._frozen_left is not None else None
        seconds_left = left if left is not None else max(0.0, self.phase_until - now)
        m = self.measurement
        stim = self.stim if self.phase is Phase.STIMULATION else None
        title = step.name if step and self.phase in (Phase.EXPLAIN, Phase.MOVE, Phase.HOLD, Phase.RELAX) else ""
        stim_title = "safety_questions" if stim and stim.stage is StimStage.CHECKLIST else "stimulation"
        title_key = {
            Phase.GREETING: "greeting",
            Phase.CAMERA_CHECK: "camera_check",
            Phase.CALIBRATION: "calibration",
            Phase.REST: "rest",
            Phase.STIMULATION: stim_title,
            Phase.SUMMARY: "done",
            Phase.DONE: "done",
        }.get(self.phase)
        title = title or (self.word(f"title_{title_key}") if title_key else "")
        # Feedback chosen for another phase (the camera scored the frame before the phase changed)
        # is not shown: the relax phase never says "Hold it there".
        feedback = m.feedback if m and (not m.phase or m.phase == self.phase.value) else ""
        return SessionView(
            phase=self.phase,
            title=title,
            instruction=self._instruction_now(seconds_left),
            exercise_id=step.id if step else "",
            metric=step.metric if step else "none",
            rep=self.rep,
            reps=step.reps if step else 0,
            seconds_left=seconds_left,
            left_pct=m.left_pct if m and m.usable else 0.0,
            right_pct=m.right_pct if m and m.usable else 0.0,
            hint=(m.hint if m and not m.usable else feedback),
            paused=self.paused,
            interrupted=self.interrupted,
            progress=self.word(
                "title_progress", number=str(min(self.index + 1, len(self.plan.steps))), total=str(len(self.plan.steps))
            ),
            animation=step.animation if step else None,
            stim_stage=stim.stage.value if stim else "",
            question=stim.current_question if stim else "",
            question_number=stim.question + 1 if stim else 0,
            questions=len(stim.offer.checklist) if stim else 0,
            confirm_raise=bool(stim and stim.confirm_raise),
            stim_blocked=bool(stim and stim.blocked),
            notice=stim.notice if stim else "",
        )

    def _instruction_now(self, seconds_left: float) -> str:
        """During an explanation, the sentence being spoken now; otherwise the last instruction."""
        if self.phase is not Phase.EXPLAIN or not self.explain_marks:
            return self.last_instruction
        said = [sentence for left, sentence in self.explain_marks if seconds_left <= left + 1e-9]
        return said[-1] if said else self.explain_marks[0][1]

    # ---- internals -------------------------------------------------------------------------
    def word(self, key: str, **values: str) -> str:
        """The session sentence ``key`` in the plan's language (English when it has none)."""
        text = self.plan.words.get(key) or SESSION_WORDS[key]
        return text.format(**values) if values else text

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
                    self.word("camera_check"),
                )
            else:
                self._start_exercise(now)
        elif phase is Phase.CAMERA_CHECK:
            if self.camera_ok_since is None:
                self._say(self.word("camera_not_seen"))
            self._pending.append(Calibrate(True))
            self._enter(Phase.CALIBRATION, now, CALIBRATION_S, self.word("calibrate"))
        elif phase is Phase.CALIBRATION:
            self._pending.append(Calibrate(False))
            self._start_exercise(now)
        elif phase is Phase.EXPLAIN or phase is Phase.RELAX:
            self._next_rep(now)
        elif phase is Phase.MOVE:
            step = self.step
            assert step is not None
            words = self.word("hold") if step.metric != "none" else self.word("keep_going")
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
        self.tally = ExerciseTally()
        self._pending.append(Measure(step.metric if step.metric != "none" else None))
        sentences = [s for s in step.explain if s.strip()] or [step.name]
        lengths = [speech_seconds(s) * self.slowness for s in sentences]
        total = sum(lengths)
        self._enter(Phase.EXPLAIN, now, total / self.slowness)
        marks, left = [], total
        for sentence, length in zip(sentences, lengths, strict=True):
            marks.append((left, sentence))
            self._pending.append(Say(sentence))  # one at a time, so the screen can follow the voice
            left -= length
        self.explain_marks = tuple(marks)
        self.last_instruction = " ".join(sentences)

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
        self.synkinesis_reps += sum(
            1 for r in self.records[:done] if r.synkinesis and sum(r.synkinesis) * 2 >= len(r.synkinesis)
        )
        self._pending.append(
            ExerciseDone(
                exercise=step.id,
                reps_planned=step.reps,
                reps_done=done,
                hold_seconds=step.hold_seconds,
                measurable=step.metric != "none",
                **self.tally.numbers(self.records[:done]),
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
                self.word("rest_next", name=self.step.name),
            )

    def _stop(self, now: float) -> None:
        if self.phase in (Phase.SUMMARY, Phase.DONE):
            return
        self.paused = self.interrupted = False
        self._frozen_left = None
        if self.step is not None and self.phase in (Phase.EXPLAIN, Phase.MOVE, Phase.HOLD, Phase.RELAX):
            self._record_exercise()
        self.stopped_early = True
        self._pending.append(Say(self.word("stopped"), PRIORITY_SAFETY))
        self.last_instruction = self.word("stopped")
        self._end(now)

    def _stimulation_tick(self, now: float) -> None:
        stim = self.stim
        assert stim is not None
        waited = self.stop_asked_at is not None and now - self.stop_asked_at >= STOP_REPORT_WAIT_S
        if waited and stim.stage is StimStage.RUNNING:
            stim.outcome = "stopped"
        if stim.confirm_raise and self.raise_asked_at is not None and now - self.raise_asked_at >= RAISE_CONFIRM_S:
            self._from_stim(stim.command("cancel_stronger", "timeout"))  # an unanswered "stronger?" means no
            self.raise_asked_at = None
        if stim.over or waited:
            self._end(now)  # a stop whose report is late still ends the session (outputs are already cut)

    def _for_stimulation(self, intent: str) -> bool:
        assert self.stim is not None
        if self.stim.stage is StimStage.RUNNING:
            return intent not in ("repeat", "slower")
        return intent not in ("pause", "resume", "repeat", "slower")

    def _from_stim(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, Say):
                self.last_instruction = effect.text
            self._pending.append(effect)

    def _end(self, now: float) -> None:
        offer = self.plan.stimulation
        if offer is not None and self.stim is None and not self.stopped_early:
            self.stim = StimulationPart(offer)
            self.phase, self.phase_until = Phase.STIMULATION, now
            self._pending.append(Measure(None))
            self._pending.append(CheckStimulation())  # the answer comes back as stim_precheck_answer
            return
        minutes = (now - self.started_at) / 60
        status = "partial" if self.stopped_early else "done"
        self.phase = Phase.SUMMARY
        self.phase_until = now
        stimulation = self.stim.outcome if self.stim is not None else ""
        self._pending.append(SessionEnded(status, round(minutes, 2), stimulation))
