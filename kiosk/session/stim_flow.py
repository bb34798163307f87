"""The prescribed stimulation block at the end of a session, as a pure state machine.

checklist (first use with a plan version: one question at a time, Yes/No by touch) -> offer
(Start stimulation / Skip) -> running (STOP, Lower, Stronger with a touch confirmation) -> ended.

This part only decides; the safety rules in ``stim_hat.safety`` have the last word on every start
and raise, and the runner (``stim_hat.runner``) owns the outputs. The kiosk passes commands in
with where they came from: starting, answering the checklist and confirming "stronger" are only
accepted from a touch or the hardware button, never from voice. Stop and lower are accepted from
anything, at once.

Pure: no clock, no I/O; words come from the plan's ``StimOffer.words``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from kiosk.devices.base import PRIORITY_COACHING, PRIORITY_SAFETY
from kiosk.session.effects import (
    ChecklistDone,
    Effect,
    LowerStimulation,
    RaiseStimulation,
    Say,
    StartStimulation,
    StopStimulation,
)
from kiosk.session.steps import StimOffer
from kiosk.stim_reasons import stopped_by_you
from stim_hat.reasons import Reason

TOUCH_SOURCES = ("touch", "button")  # deliberate physical acts; voice and keys never start or raise


class StimStage(Enum):
    CHECKLIST = "checklist"
    OFFER = "offer"
    RUNNING = "running"
    ENDED = "ended"


@dataclass
class StimulationPart:
    """One offer of the prescribed block. ``begin`` it, pass commands and the runner's answers."""

    offer: StimOffer
    stage: StimStage = StimStage.CHECKLIST
    question: int = 0
    answers: list[tuple[str, bool]] = field(default_factory=list)
    notice: str = ""  # the last plain-words reason shown on screen (a refusal, a stop)
    confirm_raise: bool = False  # the "make it stronger?" question is on screen
    outcome: str = "not started"  # not started | skipped | not allowed | finished | stopped
    last_words: str = ""
    blocked: str = ""  # the rules refuse a block now (rest, dose, co-movement…): said and shown, no Start
    _pending: list[Effect] = field(default_factory=list)

    # ---- entering --------------------------------------------------------------------------
    def begin(self) -> list[Effect]:
        if self.offer.checklist:
            self.stage = StimStage.CHECKLIST
            self._say(f"{self.word('checklist_intro')} {self.current_question}")
        else:
            self._to_offer()
        return self._flush()

    def not_possible(self, reason: str) -> list[Effect]:
        """The rules would refuse the block anyway: no safety questions, no Start; the reason instead."""
        reason = self.why(reason)
        self.stage, self.blocked, self.notice, self.outcome = StimStage.OFFER, reason, reason, "not allowed"
        self._say(self.word("refused", reason=reason))
        return self._flush()

    @property
    def current_question(self) -> str:
        """The checklist question on screen now ('' outside the checklist)."""
        if self.stage is not StimStage.CHECKLIST or self.question >= len(self.offer.checklist):
            return ""
        return self.offer.checklist[self.question][1]

    @property
    def over(self) -> bool:
        """The part is finished: the session may go on to its summary."""
        return self.stage is StimStage.ENDED

    # ---- commands --------------------------------------------------------------------------
    def command(self, intent: str, source: str) -> list[Effect]:
        """An action from touch, button, key or voice; what each stage accepts is listed below."""
        if intent == "stop":
            self._stop(stopped_by_you(source))
        elif self.stage is StimStage.CHECKLIST:
            self._checklist(intent, source)
        elif self.stage is StimStage.OFFER:
            self._offered(intent, source)
        elif self.stage is StimStage.RUNNING:
            self._running(intent, source)
        return self._flush()

    def start_answer(self, allowed: bool, reason: str) -> list[Effect]:
        """What the safety rules said to the start request."""
        reason = self.why(reason)
        if self.stage is StimStage.OFFER:
            if allowed:
                self.stage, self.notice = StimStage.RUNNING, ""
                self._say(self.word("started"), PRIORITY_SAFETY)
            else:
                self.notice = reason
                self._say(self.word("refused", reason=reason))
        return self._flush()

    def raise_answer(self, allowed: bool, reason: str) -> list[Effect]:
        """What the safety rules said to a confirmed "stronger"."""
        reason = self.why(reason)
        if self.stage is StimStage.RUNNING:
            self.notice = "" if allowed else reason
            self._say(self.word("raised") if allowed else self.word("not_stronger", reason=reason))
        return self._flush()

    def block_ended(self, reason: str, normal: bool) -> list[Effect]:
        """The runner reported the block over (it has already turned the outputs off)."""
        reason = self.why(reason)
        if self.stage is StimStage.RUNNING:
            self.stage, self.confirm_raise = StimStage.ENDED, False
            self.outcome = "finished" if normal else "stopped"
            self.notice = "" if normal else reason
            self._say(self.word("finished") if normal else self.word("stopped", reason=reason), PRIORITY_SAFETY)
        return self._flush()

    # ---- stages ----------------------------------------------------------------------------
    def _checklist(self, intent: str, source: str) -> None:
        if intent not in ("answer_yes", "answer_no") or source not in TOUCH_SOURCES:
            if intent in ("yes", "no", "answer_yes", "answer_no"):
                self._say(self.current_question)  # spoken answers are not taken: ask for a touch
            return
        key = self.offer.checklist[self.question][0]
        self.answers.append((key, intent == "answer_yes"))
        self.question += 1
        if intent == "answer_yes":
            self._pending.append(ChecklistDone(False, tuple(self.answers)))
            self.stage, self.outcome = StimStage.ENDED, "not allowed"
            self.notice = self.word("not_today")
            self._say(self.notice)
        elif self.question < len(self.offer.checklist):
            self._say(self.current_question)
        else:
            self._pending.append(ChecklistDone(True, tuple(self.answers)))
            self._say(self.word("cleared"))
            self._to_offer()

    def _offered(self, intent: str, source: str) -> None:
        if intent in ("start_stimulation", "propose_stimulation") and self.blocked:
            self._say(self.word("refused", reason=self.blocked))
        elif intent == "start_stimulation" and source in TOUCH_SOURCES:
            self._pending.append(StartStimulation(source))
        elif intent in ("start_stimulation", "propose_stimulation"):
            self._say(self.word("touch_to_start"))
        elif intent in ("skip", "next"):
            self.stage, self.outcome = StimStage.ENDED, "skipped"
            self._say(self.word("skipped"))

    def _running(self, intent: str, source: str) -> None:
        if intent in ("lower", "too_strong"):
            self.confirm_raise = False
            self._pending.append(LowerStimulation(source))
            self._say(self.word("lowered"), PRIORITY_SAFETY)
        elif intent == "pause":
            self._stop(
                Reason("paused_by_you", "Paused by you ({source}).", source=source)
            )  # a block cannot be paused; it is ended safely
        elif intent in ("propose_stronger", "raise"):
            self.confirm_raise = True
            self._say(self.word("touch_to_confirm_raise"))
        elif intent == "confirm_stronger" and self.confirm_raise and source in TOUCH_SOURCES:
            self.confirm_raise = False
            self._pending.append(RaiseStimulation(source))
        elif intent == "cancel_stronger":
            self.confirm_raise = False

    def _stop(self, reason: str) -> None:
        if self.stage is StimStage.RUNNING:
            self._pending.append(StopStimulation(reason))  # the answer comes back as block_ended
        else:
            self.stage = StimStage.ENDED  # nothing was running; a half-answered checklist is not kept

    def _to_offer(self) -> None:
        self.stage = StimStage.OFFER
        minutes = f"{self.offer.block_minutes:g}"
        self._say(self.word("offer", side=self.word(f"side_{self.offer.side}"), minutes=minutes))

    # ---- helpers ---------------------------------------------------------------------------
    def why(self, reason: str) -> str:
        """A refusal or stop reason in the patient's language (the offer's ``explain``)."""
        return self.offer.explain(reason) if self.offer.explain is not None else str(reason)

    def word(self, key: str, **values: str) -> str:
        template = self.offer.words.get(key, key)
        return template.format(**values) if values else template

    def _say(self, text: str, priority: int = PRIORITY_COACHING) -> None:
        self.last_words = text
        self._pending.append(Say(text, priority))

    def _flush(self) -> list[Effect]:
        out, self._pending = self._pending, []
        return out
