"""The caregiver screen's actions: open it, act on its buttons, keep its choices.

What the caregiver may do behind the PIN (kiosk/screens/caregiver.py draws it): change volume,
speech rate, camera view and language (kept in caregiver.toml and applied at once), choose the
PIN at first use, set up phone alerts and send a test alert, give or withdraw consent to standard
photos, and reset a latched emergency stop by a touch. Never the therapist's plan.

A part of ``kiosk.app.Kiosk`` (it inherits these methods), kept apart so that the kiosk's loop and
the caregiver's choices change for their own reasons; the names below are the kiosk's state it uses.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from content.i18n import phrase
from kiosk.caregiver_alerts import new_topic_url, start_test_alert
from kiosk.caregiver_prefs import CaregiverPrefs, apply_prefs, languages, prefs_of, save_prefs
from kiosk.devices.base import PRIORITY_REMINDER
from kiosk.photos import consent_given, photo_folder, set_consent
from kiosk.plan.inbox import waiting_plans
from kiosk.screens.caregiver import CaregiverState

if TYPE_CHECKING:
    from kiosk.devices.factory import Devices
    from kiosk.events import EventQueue
    from kiosk.reminders import ReminderBridge
    from kiosk.settings import Settings
    from kiosk.stim_control import StimControl
    from kiosk.store import Store

log = logging.getLogger("kiosk.app")


class CaregiverActions:
    """The caregiver screen's side of the kiosk (mixed into ``Kiosk``)."""

    settings: Settings
    devices: Devices
    store: Store
    events: EventQueue
    stim: StimControl | None
    reminders: ReminderBridge | None
    reminder: Any  # the kiosk's ActiveReminder on screen, or None
    movement: Any
    wall_clock: Callable[[], datetime]
    caregiver: CaregiverState | None
    photo_dir: Path | None
    notice: str | None
    mode: str

    go_home: Callable[[], None]  # the kiosk's methods it calls
    step_estop: Callable[[float], None]
    reminder_model: Callable[[str], Any]

    def on_caregiver(self, action: str, t: float, via: str) -> None:
        if self.caregiver is None:
            return
        if action in ("home", "primary", "stop"):
            if self.caregiver.unlocked:
                self.keep_caregiver_prefs(self.caregiver.prefs)
            self.go_home()
        elif action == "estop_reset":
            self.reset_estop(t, via)
        elif action == "photo_consent":
            self.toggle_photo_consent(via)
        elif action in ("alert_setup", "test_alert"):
            self.caregiver_alert_action(action)
        else:
            self.caregiver.act(action)
            if self.caregiver.unlocked and self.caregiver.prefs.pin != self.settings.caregiver.pin:
                self.keep_caregiver_prefs(self.caregiver.prefs)  # a PIN chosen at first use is kept at once

    def open_caregiver(self) -> None:
        lang = self.settings.display.language
        self.caregiver = CaregiverState(
            self.settings.caregiver.pin,
            prefs_of(self.settings),
            languages(),
            estop_latched=self.stim is not None and self.stim.estop_latched,
            estop_words=phrase("stimulation.estop_pressed", lang),
            reset_label=phrase("stimulation.estop_reset_button", lang),
            plan_status=waiting_plans(self.store),
            photo_consent=consent_given(self.store),
            lang=lang,
            alert_command=self.settings.caregiver.alert_command,
        )
        problem = self.reminders.problem(lang) if self.reminders is not None else None
        if problem:  # storage or caregiver alerts need help: the caregiver sees it first
            self.caregiver.message = problem
        self.mode = "caregiver"

    def toggle_photo_consent(self, via: str) -> None:
        """Consent to standard photos, given or withdrawn by a touch on the unlocked caregiver screen (issue 23)."""
        assert self.caregiver is not None
        if not self.caregiver.unlocked or via != "touch":
            return
        given = not self.caregiver.photo_consent
        lang = self.caregiver.lang
        try:
            deleted = set_consent(self.store, self.photos_folder(), given, via, self.wall_clock())
        except (sqlite3.Error, OSError) as exc:  # said where the caregiver looks; the old choice stands
            log.error("photo consent not changed: %s", exc)
            self.caregiver.message = phrase("photos.not_changed", lang)
            return
        self.caregiver.photo_consent = given
        words = phrase("photos.given", lang) if given else phrase("photos.withdrawn", lang, count=deleted)
        self.caregiver.message = words

    def photos_folder(self) -> Path:
        """Where sealed standard photos are kept (run.py may point it elsewhere)."""
        return self.photo_dir or photo_folder(Path(self.settings.storage.data_dir))

    def caregiver_alert_action(self, action: str) -> None:
        """Set up phone alerts (a new ntfy topic, kept at once) or send a test alert (off the loop)."""
        assert self.caregiver is not None
        if not self.caregiver.unlocked:
            return
        prefs = self.caregiver.prefs
        if action == "alert_setup":
            self.caregiver.prefs = replace(prefs, ntfy_url=new_topic_url(prefs.ntfy_url))
            self.keep_caregiver_prefs(self.caregiver.prefs)
            self.caregiver.message = ""
            return
        self.caregiver.message = phrase("caregiver.test_alert_sending", self.caregiver.lang)
        alert_command = self.settings.caregiver.alert_command
        start_test_alert(self.events, self.store, prefs.ntfy_url, alert_command, self.caregiver.lang)

    def reset_estop(self, t: float, via: str) -> None:
        """The caregiver's Reset (a touch on the unlocked caregiver screen only; never voice or a button)."""
        assert self.caregiver is not None
        if via != "touch" or not self.caregiver.unlocked or self.stim is None:
            log.warning("emergency stop reset ignored: came by %s", via)
            return
        done, words = self.stim.reset_estop(via, self.settings.display.language)
        if done:
            self.caregiver.message = words
        else:
            self.caregiver.estop_words = words
        self.devices.speaker.say(words, PRIORITY_REMINDER)
        self.step_estop(t)

    def keep_caregiver_prefs(self, prefs: CaregiverPrefs) -> None:
        """Apply the caregiver's choices now and keep them on disk; a failed save is said, not hidden."""
        if prefs == prefs_of(self.settings):
            return
        self.settings = apply_prefs(self.settings, prefs)
        self.follow_choices(prefs.language)
        self.devices.speaker.volume, self.devices.speaker.rate = prefs.volume, prefs.speech_rate_wpm
        try:
            save_prefs(self.settings, prefs)
            self.notice = None
        except OSError as exc:
            log.error("caregiver choices not saved: %s", exc)
            self.notice = phrase("caregiver.not_saved", prefs.language)

    def follow_choices(self, lang: str) -> None:
        """Caregiver choices take effect at once: the language of reminders (shown and spoken) and coaching
        feedback, and phone alerts set up on the screen."""
        if self.reminders is not None:
            self.reminders.service.lang = lang
            notifier = self.reminders.service.notifier
            notifier.ntfy_url = self.settings.caregiver.ntfy_url or notifier.ntfy_url  # phone alerts set up now
            if self.reminder is not None:
                waiting = {a.reminder_id: a.text for a in self.reminders.service.waiting()}
                text = waiting.get(self.reminder.reminder_id, self.reminder.model.instruction)
                self.reminder = replace(self.reminder, model=self.reminder_model(text))
        self.movement.lang = lang
