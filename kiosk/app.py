"""The kiosk application: input -> events -> screens -> drawing, on the fixed-rate loop.

Only the main loop changes what is on screen or in the session; devices and timers put events
on the queue. Screens: home, session (with rest and the stimulation block), summary, progress,
caregiver, and the reminder overlay that sits on top of everything until it is acknowledged
(during a stimulation block it is a card beside STOP instead). The caregiver screen's actions
are in kiosk/caregiver_actions.py (``Kiosk`` inherits them).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pygame

from content.i18n import phrase
from kiosk.baseline import BaselineMark
from kiosk.baseline_store import baseline_marks
from kiosk.baseline_text import progress_lines
from kiosk.caregiver_actions import CaregiverActions
from kiosk.checkin import VOICE_ANSWERS
from kiosk.checkin_control import CheckinControl
from kiosk.checkin_prompt import ALL_QUESTIONS, NOT_SHOWN, CheckinOwed, record_unanswered
from kiosk.devices.base import PRIORITY_REMINDER
from kiosk.devices.factory import Devices
from kiosk.events import (
    ButtonPressed,
    Event,
    EventQueue,
    KeyPressed,
    Notice,
    QuitRequested,
    ReminderDue,
    StimStopped,
    Touched,
    VoiceCommand,
)
from kiosk.home_sessions import DONE_STATUSES, SessionStatus, ended_times, session_status, when_words
from kiosk.input_routes import (
    OPEN_SCREENS,
    REMINDER_INTENTS,
    SAFETY_ACTIONS,
    SCREEN_ACTIONS,
    SESSION_ACTIONS,
    key_action,
)
from kiosk.loop import MainLoop
from kiosk.progress import WeekPoint, weekly_progress
from kiosk.reminders import ReminderBridge
from kiosk.screens.caregiver import CaregiverScreen, CaregiverState
from kiosk.screens.checkin import CheckinScreen
from kiosk.screens.home import HomeModel, HomeScreen
from kiosk.screens.overlays import ReminderModel, ReminderOverlay, SummaryScreen
from kiosk.screens.progress import ProgressScreen
from kiosk.screens.session import SessionScreen
from kiosk.screens.stimulation import StimChecklistScreen, StimOfferScreen, StimulationModel, StimulationScreen
from kiosk.session.controller import MovementSource, NoMovement, SessionController
from kiosk.session.flow import Phase
from kiosk.session.slot_ledger import SlotLedger
from kiosk.session.steps import SessionPlan
from kiosk.settings import Settings
from kiosk.stim_control import StimControl
from kiosk.stim_reasons import stopped_by_you
from kiosk.store import Store
from kiosk.ui.painter import Painter
from schedules import policy as pol

log = logging.getLogger(__name__)

NOTICE_PAGE_S = 5.0  # a Home notice longer than its two lines shows its next lines every 5 s
CHECKIN_ANSWER_S = 30.0  # a spoken after-session answer counts this long after its question (spoken itself, ~6 s)


def local_now() -> datetime:
    """The wall clock, timezone-aware (the only place the app reads it)."""
    return datetime.now().astimezone()


@dataclass
class ActiveReminder:
    """A reminder on screen until acknowledged."""

    reminder_id: int
    model: ReminderModel


class Kiosk(CaregiverActions):
    """Owns the screen, the queue and the loop; reacts to events one tick at a time."""

    def __init__(
        self,
        settings: Settings,
        notice: str | None,
        devices: Devices,
        store: Store,
        surface: pygame.Surface,
        session_plan: Callable[[], SessionPlan],
        movement: MovementSource | None = None,
        wall_clock: Callable[[], datetime] = local_now,
        on_acknowledge: Callable[[int, str], str | None] | None = None,
        reminders: ReminderBridge | None = None,
        stim: StimControl | None = None,
    ) -> None:
        self.settings = settings
        self.devices = devices
        self.store = store
        self.painter = Painter(surface)
        self.wall_clock = wall_clock
        self.session_plan = session_plan
        self.movement = movement or NoMovement()
        self.on_acknowledge = on_acknowledge
        self.reminders = reminders
        self.stim = stim
        self.after_stimulation: list[str] = []  # reminder words to say once the block has ramped down
        self.events = EventQueue()
        self.notice = notice
        self.mode = "home"
        self.session: SessionController | None = None
        self.slots: SlotLedger | None = None  # the plan's session slots (run.py sets it); None: not tied
        self.reminder: ActiveReminder | None = None
        self.home, self.session_screen = HomeScreen(), SessionScreen()
        self.summary_screen, self.reminder_overlay = SummaryScreen(), ReminderOverlay()
        self.stim_screen, self.stim_offer_screen = StimulationScreen(), StimOfferScreen()
        self.stim_checklist_screen = StimChecklistScreen()
        self.progress_screen, self.caregiver_screen = ProgressScreen(), CaregiverScreen()
        self.caregiver: CaregiverState | None = None
        self.checkin: CheckinControl | None = None  # the two questions after a session (issue 23)
        self.checkin_screen = CheckinScreen()
        self.checkin_owed = CheckinOwed()  # the ended session whose questions have not come yet
        self.photo_dir: Path | None = None  # sealed standard photos (None: <data_dir>/photos)
        self.estop_announced = False  # the latched emergency stop has been said and shown
        self._asked_raise = False  # "one step stronger?" is on screen (the listener was told)
        self.exercise_names: dict[str, str] = {}
        self.home_sessions, self.home_sessions_at = SessionStatus(None, False), None
        self.progress_data: dict[str, list[WeekPoint]] = {}
        self.baseline_lines: tuple[str, ...] = ()  # progress against the baseline, in sentences (issue 23)
        self.baseline_marks: dict[str, BaselineMark] = {}  # and as thin lines on the charts
        self.actions: list[str] = []
        self.screens_seen: list[str] = []
        self.screenshot_dir: Path | None = None
        self.now = 0.0
        self.loop = MainLoop(rate_hz=self.settings.display.fps)
        self.loop.add_step("input", self.step_input)
        self.loop.add_step("events", self.step_events)
        self.loop.add_step("estop", self.step_estop)
        self.loop.add_step("reminders", self.step_reminders)
        self.loop.add_step("session", self.step_session)
        self.loop.add_step("checkin", self.step_checkin)
        self.loop.add_step("draw", self.step_draw)
        if devices.listener is not None:
            devices.listener.start(self.events)

    # ---- steps ---------------------------------------------------------------------------
    def step_input(self, t: float) -> None:
        """Turn pygame input into typed events."""
        self.now = t
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                self.events.put(QuitRequested(at=t, reason="window closed"))
            elif event.type == pygame.KEYDOWN:
                self.events.put(KeyPressed(at=t, key=pygame.key.name(event.key)))
            elif event.type == pygame.MOUSEBUTTONDOWN:
                self.events.put(Touched(at=t, x=event.pos[0], y=event.pos[1]))

    def step_events(self, t: float) -> None:
        """Act on every waiting event."""
        self.now = t
        for event in self.events.drain():
            self.handle(event)

    def step_estop(self, t: float) -> None:
        """Say once, and show on Home and the caregiver screen, that the emergency stop is latched.

        The outputs are already off (the board and the driver cut them); this only tells people.
        """
        latched = self.stim is not None and self.stim.estop_latched
        if self.caregiver is not None:
            self.caregiver.estop_latched = latched
        if latched == self.estop_announced:
            return
        self.estop_announced = latched
        lang = self.settings.display.language
        notice = phrase("stimulation.estop_notice", lang)  # short: it fits the Home notice box
        if latched:
            words = phrase("stimulation.estop_pressed", lang)
            self.notice = notice
            if self.mode == "session" and self.session is not None and not self.session.ended:
                self.act_safety("stop", t, "emergency stop")  # the big red button stops the session too
            if self.caregiver is not None:
                self.caregiver.estop_words = words
            self.devices.speaker.say(words, PRIORITY_REMINDER)
            try:
                self.store.log_event("estop_pressed", self.wall_clock())
            except (sqlite3.Error, OSError) as exc:  # the outputs are off either way; the log says why
                log.error("emergency stop not recorded in the event log: %s", exc)
        elif self.notice == notice:
            self.notice = None

    def activity(self) -> str:
        """What the patient is doing, for reminder routing: idle | coaching | stimulating."""
        if self.mode != "session" or self.session is None or self.session.ended:
            return "idle"
        return "stimulating" if self.session.flow.stimulating else "coaching"

    def step_reminders(self, t: float, force: bool = False) -> None:
        if self.reminders is not None:
            self.apply_reminder_decisions(self.reminders.poll(t, self.activity(), force), t)

    def apply_reminder_decisions(self, decisions: list, t: float) -> None:
        """Carry out what the reminder service decided (schedules.policy)."""
        for d in decisions:
            if isinstance(d, pol.SpeakAfterStimulation):
                if self.activity() == "stimulating":
                    self.after_stimulation.append(d.text)
                else:
                    self.devices.speaker.say(d.text, PRIORITY_REMINDER)
            elif isinstance(d, pol.Speak | pol.Confirm | pol.Explain):
                self.devices.speaker.say(d.text, PRIORITY_REMINDER)
                if isinstance(d, pol.Explain):
                    self.notice = d.text
            elif isinstance(d, pol.Show | pol.ShowNow):
                self.reminder = ActiveReminder(d.reminder_id, self.reminder_model(d.text))
            elif isinstance(d, pol.Hide) and self.reminder is not None and self.reminder.reminder_id == d.reminder_id:
                self.reminder = None
                waiting = self.reminders.service.waiting() if self.reminders else []
                if waiting:
                    self.reminder = ActiveReminder(waiting[0].reminder_id, self.reminder_model(waiting[0].text))
            elif isinstance(d, pol.Interrupt) and self.session is not None and self.mode == "session":
                self.session.interrupt(t)
            elif isinstance(d, pol.ResumeCoaching) and self.session is not None and self.mode == "session":
                self.session.resume(t)
            elif isinstance(d, pol.SessionDue) and self.mode == "home":
                self.home_sessions_at = None  # Home shows the prompt while the session is due and not done
                if self.home_session_status().due_now:  # not when it was already done early
                    self.devices.speaker.say(d.text)

    def reminder_model(self, text: str) -> ReminderModel:
        """The reminder card for words the reminder service chose, in the patient's language."""
        lang = self.settings.display.language
        return ReminderModel(phrase("screen.eye_care", lang), text, lang=lang)

    def step_session(self, t: float) -> None:
        if self.session is not None and self.mode == "session":
            self.session.tick(t)
            self._update_stim()
            self._tell_listener_what_was_asked()
            if self.session.ended:
                self.mode = "summary"
                self.home_sessions_at = None  # a finished session may end the Home prompt
                self.checkin_owed.owe(self.session.session_id, t)  # done, stopped or run out: the questions follow

    def step_checkin(self, t: float) -> None:
        """The questions come by themselves after the summary has been shown a while, never over a safety state."""
        if self.mode == "summary" and self.checkin_owed.due(t, self._safe_for_questions()):
            self.open_checkin()

    def _safe_for_questions(self) -> bool:
        """No reminder on screen and no latched emergency stop: the questions wait for those."""
        return self.reminder is None and not (self.stim is not None and self.stim.estop_latched)

    def _tell_listener_what_was_asked(self) -> None:
        """Spoken yes/no count only right after a question (kiosk/voice): say when one is on screen."""
        asked = self.session is not None and self.session.flow.raise_asked_at is not None
        if asked and not self._asked_raise and self.devices.listener is not None:
            self.devices.listener.expect({"yes", "no"})
        self._asked_raise = asked

    def _update_stim(self) -> None:
        """Tell the stimulation runner what the session knows (it stops the block if this stops coming)."""
        if self.stim is None or self.session is None:
            return
        flow = self.session.flow
        m = flow.measurement
        self.stim.update(
            paused=flow.paused or flow.interrupted,
            face_visible=m is not None and m.usable,
            synkinesis=flow.synkinesis_seen,
        )

    def step_draw(self, t: float) -> None:
        self.draw(t)
        pygame.display.flip()

    # ---- events ----------------------------------------------------------------------------
    def handle(self, event: Event) -> None:
        if isinstance(event, QuitRequested):
            log.info("quitting: %s", event.reason)
            self.settle_checkin()
            self.loop.stop()
        elif isinstance(event, KeyPressed):
            if event.key == "escape" and self._idle_home() and not self.settings.display.fullscreen:
                self.loop.stop()  # a windowed demo closes with Esc on Home; the kiosk itself never does
            elif (action := key_action(event.key)) is not None:
                self.act(action, event.at, via="key")
        elif isinstance(event, Touched):
            if (action := self.painter.hit(event.x, event.y)) is not None:
                self.act(action, event.at, via="touch")
        elif isinstance(event, ButtonPressed):
            self.act("primary" if event.button == "ok" else event.button, event.at, via="button")
        elif isinstance(event, VoiceCommand):
            self.voice(event)
        elif isinstance(event, ReminderDue):
            if self.reminders is not None:
                self.step_reminders(event.at, force=True)
            else:
                self.show_reminder(event)
        elif isinstance(event, StimStopped):
            self.stimulation_stopped(event)
        elif isinstance(event, Notice) and self.mode == "caregiver" and self.caregiver is not None:
            self.caregiver.message = event.text  # e.g. the test alert's outcome, where the caregiver is looking
        elif isinstance(event, Notice):
            self.notice = event.text
            if event.speak:
                self.devices.speaker.say(event.text, PRIORITY_REMINDER)

    def stimulation_stopped(self, event: StimStopped) -> None:
        """The runner's report: outputs are off. Say what was held back, then let the flow go on."""
        log.info("stimulation block over: %s (normal=%s)", event.reason, event.normal)
        if self.session is not None:
            self.session.stim_ended(event.reason, event.normal, self.now)
        for text in self.after_stimulation:
            self.devices.speaker.say(text, PRIORITY_REMINDER)
        self.after_stimulation = []

    def _in_stimulation(self) -> bool:
        return self.mode == "session" and self.session is not None and self.session.flow.phase is Phase.STIMULATION

    def _card_beside_stop(self) -> bool:
        """A block is running: a due reminder is a card beside STOP, not a full screen."""
        return self._in_stimulation() and self.activity() == "stimulating"

    def _idle_home(self) -> bool:
        return self.mode == "home" and self.reminder is None

    def voice(self, command: VoiceCommand) -> None:
        """A spoken intent: safety first, then reminders, then the same table as a touch."""
        intent, at = command.intent, command.at
        if intent in SAFETY_ACTIONS:
            self.act(intent, at, via="voice")
            return
        if self.reminders is not None:
            decisions = self.reminders.intent(intent, self.activity())
            if decisions is not None:
                self.apply_reminder_decisions(decisions, at)
                return
        if self.mode == "checkin" and self.checkin is not None and self.checkin.voice(intent):
            self._listen_for_checkin_answers()
            return
        if intent in REMINDER_INTENTS and self.reminder is not None:
            self.act("acknowledge", at, via="voice")
        elif intent == "start_session":
            self.act("start_session", at, via="voice")
        elif intent in SESSION_ACTIONS and self.mode == "session":
            self.act(intent, at, via="voice")
        elif intent == "next" and self.mode == "progress":
            self.act("next", at, via="voice")
        elif intent == "louder":
            self.devices.speaker.louder()
        elif intent == "quieter":
            self.devices.speaker.quieter()
        elif intent == "what_time":
            lang = self.settings.display.language
            self.devices.speaker.say(phrase("screen.it_is", lang, time=self.wall_clock().strftime("%H:%M")))

    # ---- the input table (kiosk/input_routes.py) ------------------------------------------
    def act(self, action: str, t: float, via: str) -> None:
        """One action from any input (touch, key, button, voice), routed by the layers in order."""
        self.actions.append(action)
        if action in SAFETY_ACTIONS:
            self.act_safety(action, t, via)
        elif self.reminder is not None and self.act_reminder(action, t, via):
            return
        else:
            self.act_screen(action, t, via)

    def act_safety(self, action: str, t: float, via: str) -> None:
        """Stop and lower: the outputs first, in this thread, then the session; in every state."""
        if action == "stop":
            if self.stim is not None:
                self.stim.stop(stopped_by_you(via))  # outputs off before anything else
            self.devices.speaker.drop_coaching()  # nothing queued keeps coaching after a stop
        in_session = self.mode == "session" and self.session is not None and not self.session.ended
        if action != "stop" and self.stim is not None and not in_session:
            self.stim.lower(via)  # in a session the flow lowers it, in this same call (LowerStimulation)
        if in_session:
            assert self.session is not None
            self.session.command(action, t, via)
        elif (
            action == "stop" and self.mode in ("summary", "progress", "caregiver", "checkin") and self.reminder is None
        ):
            self.act_screen("stop", t, via)  # nothing runs here: stop means leave this screen
        elif action == "stop" and self.reminders is not None and self.reminder is not None:
            # Nothing was running, so the patient means the reminder: say it cannot be switched off.
            decisions = self.reminders.intent("stop", self.activity())
            if decisions:
                self.apply_reminder_decisions(decisions, t)

    def act_reminder(self, action: str, t: float, via: str) -> bool:
        """The reminder layer; True when it took the action."""
        if action in ("acknowledge", "primary"):
            self.acknowledge(t, via)
            return True
        return not self._card_beside_stop()  # a full-screen card takes everything else; the card beside STOP does not

    def act_screen(self, action: str, t: float, via: str) -> None:
        """The screen layer: the handler of the screen on show (``screen_handlers``) takes the action."""
        handler = self.screen_handlers().get(self.mode)
        if handler is not None and (action in SCREEN_ACTIONS.get(self.mode, frozenset()) or self.mode in OPEN_SCREENS):
            handler(action, t, via)

    def screen_handlers(self) -> dict[str, Callable[[str, float, str], None]]:
        """One handler per screen: a new screen is a new entry here and in input_routes.SCREEN_ACTIONS."""
        return {
            "home": self.on_home,
            "session": self.on_session,
            "summary": self.on_summary,
            "checkin": self.on_summary,
            "progress": self.on_progress,
            "caregiver": self.on_caregiver,
        }

    def on_home(self, action: str, t: float, via: str) -> None:
        if action in ("start_session", "primary"):
            self.start_session(t)
        elif action == "progress":
            self.open_progress()
        elif action == "caregiver":
            self.open_caregiver()

    def on_session(self, action: str, t: float, via: str) -> None:
        if self.session is None or action == "primary":
            return  # Enter never starts stimulation or answers a safety question
        if action == "pause" and self.session.flow.paused:
            action = "resume"  # Space and the button toggle
        self.session.command(action, t, via)

    def on_summary(self, action: str, t: float, via: str) -> None:
        """The end-of-session summary, then the two after-session questions (kiosk/checkin_control.py)."""
        if not self.act_checkin(action, via) and action in ("home", "primary", "stop"):
            self.go_home()

    def on_progress(self, action: str, t: float, via: str) -> None:
        if action in ("home", "primary", "stop"):
            self.go_home()
        elif action in ("next", "previous", "next_chart", "previous_chart"):
            self.progress_screen.act({"next": "next_chart", "previous": "previous_chart"}.get(action, action))

    def go_home(self) -> None:
        self.mode, self.caregiver = "home", None

    def act_checkin(self, action: str, via: str) -> bool:
        """Leaving the summary opens the two questions; on them, an answer or leaving. True: taken.

        Stop on the summary (or leaving it while the emergency stop is latched) skips them: they are
        stored as not answered. Leaving the questions stores the unanswered ones the same way."""
        if self.mode == "summary":
            if action not in ("home", "primary", "stop") or not self.checkin_owed.owed:
                return False
            if action == "stop" or not self._safe_for_questions():
                self.settle_checkin()
                return False
            self.open_checkin()
            return True
        if self.checkin is not None and self.checkin.act(action, via):
            self._listen_for_checkin_answers()
            return True
        if action in ("home", "stop") or (action == "primary" and self.checkin is not None and self.checkin.finished):
            self.settle_checkin()
            self.mode = "home"
        return True

    def open_checkin(self) -> None:
        """Ask the owed session's two questions (kiosk/checkin_control.py), by voice as well as touch."""
        lang = self.settings.display.language
        session_id = self.checkin_owed.take()
        self.checkin = CheckinControl(session_id, self.store, self.devices.speaker, lang, self.wall_clock)
        self.mode = "checkin"
        self.checkin.begin()
        self._listen_for_checkin_answers()

    def settle_checkin(self) -> None:
        """Questions left or never shown are kept as not answered (kiosk/checkin_prompt.py)."""
        if self.checkin is not None:
            self.checkin.leave()
            self.checkin = None
        if self.checkin_owed.owed:
            record_unanswered(self.store, self.checkin_owed.take(), ALL_QUESTIONS, NOT_SHOWN, self.wall_clock())

    def _listen_for_checkin_answers(self) -> None:
        """The question just asked aloud: its spoken answers ("tiring", "my eye is red") count while it stands."""
        question = self.checkin.state.question if self.checkin is not None else None
        if question is not None and self.devices.listener is not None:
            self.devices.listener.expect(VOICE_ANSWERS[question], CHECKIN_ANSWER_S)

    def open_progress(self) -> None:
        self.progress_screen.index = 0
        self.exercise_names = {s.id: s.name for s in self.session_plan().steps}
        rows = list(self.store.db.query("select exercise, at, left_pct, right_pct from exercise_results"))
        self.progress_data = weekly_progress(rows, 12, self.wall_clock().date())
        self.baseline_lines = self.progress_against_baseline()
        self.mode = "progress"

    def progress_against_baseline(self) -> tuple[str, ...]:
        """The sentences comparing now with the baseline (issue 23); none when they cannot be read."""
        try:
            lines = progress_lines(self.store, self.wall_clock(), self.exercise_names, self.settings.display.language)
            self.baseline_marks = baseline_marks(self.store, self.wall_clock())
        except (sqlite3.Error, ValueError) as exc:  # the charts still show; the log says why the sentences do not
            log.error("progress against the baseline not shown: %s", exc)
            self.baseline_marks = {}
            return ()
        return tuple(lines)

    def home_session_status(self) -> SessionStatus:
        """The plan's next session and whether one is due and not done (worked out at most every 30 s)."""
        now = self.wall_clock()
        if self.home_sessions_at is not None and abs((now - self.home_sessions_at).total_seconds()) < 30:
            return self.home_sessions
        self.home_sessions_at = now
        section = self.reminders.service.section if self.reminders is not None else None
        if section is None or not section.sessions:
            self.home_sessions = SessionStatus(None, False)
            return self.home_sessions
        since = (now - timedelta(days=1)).isoformat()
        marks = ", ".join("?" * len(DONE_STATUSES))
        query = f"select ended_at from sessions where ended_at >= ? and status in ({marks})"
        ended = ended_times([row["ended_at"] for row in self.store.db.query(query, [since, *DONE_STATUSES])])
        self.home_sessions = session_status(section, now, ended)
        return self.home_sessions

    def start_session(self, t: float) -> None:
        plan = self.session_plan()
        self.movement.stage = plan.stage  # feedback follows the plan's recovery stage
        self.movement.lang = self.settings.display.language
        self.session = SessionController(
            plan, self.devices.speaker, self.store, self.movement, self.wall_clock, stim=self.stim, slots=self.slots
        )
        self.mode = "session"
        self.session.start(t)

    def show_reminder(self, due: ReminderDue) -> None:
        """A reminder from an event alone (no reminder service): the card and the words in the patient's language."""
        lang = self.settings.display.language
        eye = phrase("reminder.eye_none", lang)
        words = {
            "drops": (phrase("reminder.drops", lang, eye=eye), phrase("reminder.how_to_answer_drops", lang)),
            "ointment": (phrase("reminder.ointment", lang, eye=eye), phrase("reminder.how_to_answer_night", lang)),
        }.get(due.kind, (phrase("reminder.custom", lang, say=""), phrase("reminder.how_to_answer", lang)))
        instruction = " ".join(w.strip() for w in words)
        self.reminder = ActiveReminder(
            due.reminder_id, ReminderModel(phrase("screen.eye_care", lang), instruction, level=due.level, lang=lang)
        )
        if self.session is not None and self.mode == "session":
            self.session.interrupt(due.at)
        self.devices.speaker.say(instruction, PRIORITY_REMINDER)

    def acknowledge(self, t: float, via: str) -> None:
        """The reminder is done: record it durably first, then confirm aloud and carry on."""
        assert self.reminder is not None
        if self.reminders is not None:
            self.apply_reminder_decisions(
                self.reminders.acknowledge(self.reminder.reminder_id, via, self.activity()), t
            )
            return
        reply = self.on_acknowledge(self.reminder.reminder_id, via) if self.on_acknowledge else None
        self.reminder = None
        thanks = phrase("reminder.confirmed", self.settings.display.language)
        self.devices.speaker.say(reply or thanks, PRIORITY_REMINDER)
        if self.session is not None and self.mode == "session":
            self.session.resume(t)

    # ---- drawing -------------------------------------------------------------------------
    def screen_key(self) -> str:
        if self._in_stimulation() and (self.reminder is None or self._card_beside_stop()):
            assert self.session is not None and self.session.flow.stim is not None
            reminder = "-reminder" if self.reminder is not None else ""
            return f"session-stimulation-{self.session.flow.stim.stage.value}{reminder}"
        if self.reminder is not None:
            return "reminder"
        if self.mode == "session" and self.session is not None:
            return f"session-{self.session.flow.phase.value.replace(' ', '-')}"
        return self.mode

    def draw(self, t: float) -> None:
        p = self.painter
        if self._in_stimulation() and (self.reminder is None or self._card_beside_stop()):
            self.draw_stimulation(t)
        elif self.reminder is not None:
            self.reminder_overlay.draw(p, self.reminder.model)
        elif self.mode == "session" and self.session is not None:
            preview = self.movement.preview if self.settings.display.show_camera else None
            self.session_screen.draw(
                p, self.session.view(t), t, preview() if preview else None, self.settings.display.language
            )
        elif self.mode == "summary" and self.session is not None and self.session.summary is not None:
            self.summary_screen.draw(p, self.session.summary, int(t // NOTICE_PAGE_S))
        elif self.mode == "progress":
            lang = self.settings.display.language
            self.progress_screen.draw(
                p, self.progress_data, self.exercise_names, lang, self.baseline_lines, self.baseline_marks
            )
        elif self.mode == "caregiver" and self.caregiver is not None:
            self.caregiver_screen.draw(p, self.caregiver)
        elif self.mode == "checkin" and self.checkin is not None:
            self.checkin_screen.draw(p, self.checkin.model())
        else:
            self.mode = "home"
            self.home.draw(p, self.home_model())
        self._remember_screen()

    def draw_stimulation(self, t: float) -> None:
        """The checklist, the offer or the running block; a reminder is a card beside STOP."""
        assert self.session is not None
        view = self.session.view(t)
        if view.stim_stage == "checklist":
            self.stim_checklist_screen.draw(self.painter, view, self.session.flow.plan.lang)
            return
        model = self.stim_model(view.notice, view.confirm_raise)
        if view.stim_stage == "offer":
            self.stim_offer_screen.draw(self.painter, model)
        else:
            self.stim_screen.draw(self.painter, model)

    def stim_model(self, notice: str, confirm_raise: bool) -> StimulationModel:
        assert self.session is not None and self.session.flow.plan.stimulation is not None
        offer = self.session.flow.plan.stimulation
        if self.stim is not None:
            model = self.stim.model(notice, confirm_raise)
        else:
            model = StimulationModel(offer.side, 0.0, offer.max_ma, offer.block_minutes * 60, "waiting", notice)
        reminder = self.reminder.model.instruction if self.reminder is not None else ""
        return replace(
            model,
            reminder=reminder,
            block_minutes=offer.block_minutes,
            lang=self.session.flow.plan.lang,
            blocked=self.session.view(self.now).stim_blocked,
            page=int(self.now // NOTICE_PAGE_S),
        )

    def announce_plan(self, words: str) -> bool:
        """Show on Home and say once that the plan changed; False while busy (the plan watch asks again)."""
        if self.mode != "home" or self.reminder is not None or self.estop_announced:
            return False
        self.notice = words
        self.devices.speaker.say(words)
        return True

    def home_model(self) -> HomeModel:
        lang = self.settings.display.language
        eye_care = self.reminders.next_eye_care(lang) if self.reminders is not None else None
        problem = self.reminders.problem(lang) if self.reminders is not None else None  # storage, alerts
        now = self.wall_clock()
        sessions = self.home_session_status()
        if sessions.due_now:
            next_session: str | None = phrase("home.due_now", lang)
        else:
            next_session = when_words(sessions.next_local, now.date(), lang) if sessions.next_local else None
        return HomeModel(
            now=now,
            next_session=next_session,
            session_due=sessions.due_now,
            next_eye_care=eye_care,
            states=self.devices.states,
            notice=" ".join(dict.fromkeys(n for n in (problem, self.notice) if n)) or None,
            notice_page=int(self.now // NOTICE_PAGE_S),
            lang=lang,
        )

    def _remember_screen(self) -> None:
        key = self.screen_key()
        if key in self.screens_seen:
            return
        self.screens_seen.append(key)
        if self.screenshot_dir is not None:
            name = f"{len(self.screens_seen):02d}-{re.sub(r'[^a-z0-9-]', '', key)}.png"
            self.save_screenshot(self.screenshot_dir / name)

    def save_screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.painter.surface, str(path))

    def run(self, max_ticks: int | None = None, max_seconds: float | None = None) -> None:
        if max_seconds is not None:
            deadline = time.monotonic() + max_seconds

            def stop_at_deadline(t: float) -> None:
                if t >= deadline:
                    self.loop.stop()

            self.loop.add_step("deadline", stop_at_deadline)
        self.loop.run(max_ticks=max_ticks)
