"""Runs a SessionFlow against the real world: speech, the camera pipeline and the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from kiosk.devices.base import Speaker
from kiosk.screens.overlays import SummaryLine, SummaryModel
from kiosk.session.effects import CheckStimulation
from kiosk.session.flow import (
    Calibrate,
    ChecklistDone,
    Effect,
    ExerciseDone,
    LowerStimulation,
    Measure,
    Phase,
    RaiseStimulation,
    Say,
    SessionEnded,
    SessionFlow,
    SessionView,
    SpeechRate,
    StartStimulation,
    StopStimulation,
)
from kiosk.session.results import result_row
from kiosk.session.slot_ledger import SlotLedger
from kiosk.session.steps import Measurement, SessionPlan
from kiosk.store import Store


class MovementSource(Protocol):
    """The camera pipeline as the session sees it."""

    stage: str  # the plan's recovery stage: feedback follows it
    lang: str  # the patient's language for spoken feedback

    def preview(self) -> tuple[object, object] | None:
        """The newest camera picture and its landmarks, for the caregiver's camera view (None: none)."""
        ...

    def latest(self, now: float, phase: Phase) -> Measurement | None: ...

    def set_metric(self, metric: str | None) -> None: ...

    def calibrate(self, start: bool) -> dict | None:
        """Start or finish the neutral calibration; finishing may give resting-symmetry evidence."""
        ...


class StimPort(Protocol):
    """The stimulation block as the session sees it (kiosk.stim_control.StimControl)."""

    def start(self, source: str) -> tuple[bool, str]: ...

    def stop(self, reason: str) -> None: ...

    def lower(self, source: str) -> None: ...

    def stronger(self, source: str) -> tuple[bool, str]: ...

    def record_checklist(self, cleared: bool, answers: tuple[tuple[str, bool], ...]) -> None: ...

    def precheck(self) -> tuple[bool, str]: ...


class NoStimulation:
    """No board or no plan: every start is refused with a plain reason; stop and lower do nothing."""

    reason = "The stimulation board is not connected."

    def start(self, source: str) -> tuple[bool, str]:
        return False, self.reason

    def stop(self, reason: str) -> None:
        return None

    def lower(self, source: str) -> None:
        return None

    def stronger(self, source: str) -> tuple[bool, str]:
        return False, self.reason

    def precheck(self) -> tuple[bool, str]:
        return False, self.reason

    def record_checklist(self, cleared: bool, answers: tuple[tuple[str, bool], ...]) -> None:
        return None


class NoMovement:
    """No camera: every exercise runs unmeasured."""

    stage: str = ""
    lang: str = ""

    def preview(self) -> tuple[object, object] | None:
        return None

    def latest(self, now: float, phase: Phase) -> Measurement | None:
        return None

    def set_metric(self, metric: str | None) -> None:
        return None

    def calibrate(self, start: bool) -> dict | None:
        return None


class SessionController:
    """Owns one SessionFlow; applies its effects; writes what happened to the store."""

    def __init__(
        self,
        plan: SessionPlan,
        speaker: Speaker,
        store: Store,
        movement: MovementSource,
        wall_clock: Callable[[], datetime],
        stim: StimPort | None = None,
        slots: SlotLedger | None = None,
    ) -> None:
        self.flow = SessionFlow(plan)
        self.slots = slots
        self.stim: StimPort = stim or NoStimulation()
        self.speaker = speaker
        self.store = store
        self.movement = movement
        self.wall_clock = wall_clock
        self.session_id: int | None = None
        self.results: list[ExerciseDone] = []
        self.summary: SummaryModel | None = None
        self.names = {s.id: s.name for s in plan.steps}

    def start(self, t: float) -> None:
        started = self.wall_clock()
        slot = self.slots.claim(started) if self.slots is not None else None  # None: an extra session
        with self.store.write() as db:
            table = db["sessions"]
            table.insert(
                {
                    "started_at": started.isoformat(),
                    "status": "running",
                    "plan_version": self.flow.plan.plan_version,
                    "slot_id": slot.slot_id if slot else None,
                    "planned_for": slot.planned_for.isoformat() if slot else None,
                }
            )
            self.session_id = int(table.last_pk)  # type: ignore[arg-type]
        self._apply(self.flow.start(t))

    def tick(self, t: float) -> None:
        self._apply(self.flow.tick(t, self.movement.latest(t, self.flow.phase)))

    def command(self, intent: str, t: float, source: str = "voice") -> None:
        self._apply(self.flow.command(intent, t, source))

    def stim_ended(self, reason: str, normal: bool, t: float) -> None:
        """The runner's StimStopped report."""
        self._apply(self.flow.stim_ended(reason, normal, t))
        if self.summary is not None and self.flow.stim is not None:
            self.summary = replace(self.summary, stimulation=self.flow.stim.outcome)

    def interrupt(self, t: float) -> None:
        self._apply(self.flow.interrupt(t))

    def resume(self, t: float) -> None:
        self._apply(self.flow.resume_after_interrupt(t))

    def view(self, t: float) -> SessionView:
        return self.flow.view(t)

    @property
    def ended(self) -> bool:
        return self.summary is not None

    def _apply(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, Say):
                self.speaker.say(effect.text, effect.priority)
            elif isinstance(effect, SpeechRate):
                self.speaker.slower()
            elif isinstance(effect, Measure):
                self.movement.set_metric(effect.metric)
            elif isinstance(effect, Calibrate):
                resting = self.movement.calibrate(effect.start)
                if resting is not None:
                    self.store.log_event(
                        "resting_symmetry_estimated", self.wall_clock(), {**resting, "session_id": self.session_id}
                    )
            elif isinstance(effect, ExerciseDone):
                self._store_result(effect)
            elif isinstance(effect, SessionEnded):
                self._end(effect)
            elif isinstance(effect, StopStimulation):
                self.stim.stop(effect.reason)
            elif isinstance(effect, LowerStimulation):
                self.stim.lower(effect.source)
            elif isinstance(effect, CheckStimulation):
                allowed, reason = self.stim.precheck()
                if not allowed:
                    self._stimulation_refused(reason)  # co-movement that blocks the block is recorded here too
                self._apply(self.flow.stim_precheck_answer(allowed, reason))
            elif isinstance(effect, StartStimulation):
                allowed, reason = self.stim.start(effect.source)
                if not allowed:
                    self._stimulation_refused(reason)
                self._apply(self.flow.stim_start_answer(allowed, reason))
            elif isinstance(effect, RaiseStimulation):
                self._apply(self.flow.stim_raise_answer(*self.stim.stronger(effect.source)))
            elif isinstance(effect, ChecklistDone):
                self.stim.record_checklist(effect.cleared, effect.answers)

    def _store_result(self, done: ExerciseDone) -> None:
        """Store what the exercise measured now, so the therapist's summary reads what happened."""
        self.results.append(done)
        with self.store.write() as db:
            db["exercise_results"].insert(result_row(done, self.session_id, self.wall_clock()))

    def _stimulation_refused(self, reason: str) -> None:
        """A start refused because of co-movement: mark this session's results that showed it."""
        # stim_hat.safety's synkinesis rule gives a Reason keyed "co_movement"; other refusals are not this.
        if not self.flow.synkinesis_seen or getattr(reason, "key", "") != "co_movement" or self.session_id is None:
            return
        now = self.wall_clock()
        with self.store.write() as db:
            for row in list(db["exercise_results"].rows_where("session_id = ?", [self.session_id])):
                details = json.loads(row["details"] or "{}")
                if details.get("co_movement_holds"):
                    details["blocked_stimulation"] = True
                    db["exercise_results"].update(row["id"], {"details": json.dumps(details, sort_keys=True)})
        self.store.log_event(
            "stimulation_blocked", now, {"session_id": self.session_id, "by": "co_movement", "reason": reason}
        )

    def _end(self, ended: SessionEnded) -> None:
        with self.store.critical() as db:
            db["sessions"].update(
                self.session_id,
                {"ended_at": self.wall_clock().isoformat(), "status": ended.status, "minutes": ended.minutes},
            )
        self.summary = SummaryModel(
            ended.status,
            ended.minutes,
            tuple(
                SummaryLine(
                    self.names.get(r.exercise, r.exercise), r.reps_done, r.reps_planned, r.left_pct, r.right_pct
                )
                for r in self.results
            ),
            ended.stimulation,
            words=self.flow.plan.words,
            lang=self.flow.plan.lang,
        )
        self.speaker.say(self.summary.spoken())
