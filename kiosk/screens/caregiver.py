"""Caregiver settings behind a PIN: volume, speech rate, camera view, language; and the deliberate
reset of a latched emergency stop. With no PIN yet, the first visit asks the caregiver to choose
one (typed twice) instead of staying locked.

Never the stimulation or eye-care plan: only the therapist's signed plan changes those, and this
screen says so. While the emergency stop is latched the screen shows only that, with its Reset
button (the app asks the stimulation control, which refuses while the button is still pressed).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace

import pygame

from content.i18n import DEFAULT_LANGUAGE, language_name, phrase
from kiosk.caregiver_alerts import channel_words, topic_of
from kiosk.caregiver_prefs import CaregiverPrefs
from kiosk.ui import theme
from kiosk.ui.painter import Painter

MAX_ATTEMPTS = 5
PIN_DIGITS = (4, 8)  # shortest and longest PIN


@dataclass
class CaregiverState:
    """PIN entry and the preferences being edited (pure; the app saves them)."""

    pin: str
    prefs: CaregiverPrefs
    languages: tuple[str, ...] = ("en",)
    entered: str = ""
    unlocked: bool = False
    attempts: int = 0
    message: str = ""
    estop_latched: bool = False
    estop_words: str = ""  # what the emergency-stop panel says (the pressed words, then any refusal)
    reset_label: str = "Reset emergency stop"
    plan_status: str = ""  # a new plan waiting (for its date or its signature), in plain words
    lang: str = DEFAULT_LANGUAGE
    chosen: str = ""  # first-run set-up: the new PIN typed once, waiting to be typed again
    alert_command: str = ""  # the settings file's local alert command (shown and tested, not edited here)
    page: str = "settings"  # settings | alerts
    photo_consent: bool = False  # standard photos for the therapist (kiosk/photos.py); the app records changes

    @property
    def locked_out(self) -> bool:
        return self.attempts >= MAX_ATTEMPTS

    @property
    def setting_up(self) -> bool:
        """No PIN yet: the keypad chooses one instead of checking one."""
        return not self.pin and not self.unlocked

    def say(self, key: str, **values: object) -> str:
        """A caregiver-screen phrase in the screen's language."""
        return phrase(f"caregiver.{key}", self.lang, **values)

    def act(self, action: str) -> None:
        """Apply one touch action."""
        if not self.unlocked:
            self._pin_action(action)
            return
        p = self.prefs
        changes = {
            "volume_down": {"volume": round(max(0.3, p.volume - 0.1), 2)},
            "volume_up": {"volume": round(min(1.0, p.volume + 0.1), 2)},
            "rate_down": {"speech_rate_wpm": max(90, p.speech_rate_wpm - 10)},
            "rate_up": {"speech_rate_wpm": min(180, p.speech_rate_wpm + 10)},
            "camera_toggle": {"show_camera": not p.show_camera},
            "language_next": {"language": self._next_language()},
        }.get(action)
        if action in ("show_alerts", "show_settings"):
            self.page, self.message = action.removeprefix("show_"), ""
        if changes:
            self.prefs = replace(p, **changes)
            self.lang = self.prefs.language  # the screen itself switches language at once

    def _next_language(self) -> str:
        langs = self.languages or ("en",)
        i = langs.index(self.prefs.language) if self.prefs.language in langs else -1
        return langs[(i + 1) % len(langs)]

    def _pin_action(self, action: str) -> None:
        if self.locked_out:
            self.message = self.say("too_many")
            return
        if action.startswith("digit:") and len(self.entered) < PIN_DIGITS[1]:
            self.entered += action.split(":", 1)[1]
        elif action == "clear":
            self.entered = ""
        elif action == "enter_pin" and self.setting_up:
            self._choose_pin()
        elif action == "enter_pin":
            if hmac.compare_digest(self.entered, self.pin):
                self.unlocked, self.message = True, ""
            else:
                self.attempts += 1
                self.message = self.say("wrong_pin")
            self.entered = ""

    def _choose_pin(self) -> None:
        """First use: the PIN typed twice becomes the caregiver's PIN (the app keeps it on disk)."""
        typed, self.entered = self.entered, ""
        if not self.chosen:
            if not PIN_DIGITS[0] <= len(typed) <= PIN_DIGITS[1]:
                self.message = self.say("pin_too_short")
                return
            self.chosen, self.message = typed, ""
        elif hmac.compare_digest(typed, self.chosen):
            self.pin, self.chosen, self.unlocked = typed, "", True
            self.prefs = replace(self.prefs, pin=typed)
            self.message = self.say("pin_saved")
        else:
            self.chosen, self.message = "", self.say("pin_mismatch")

    def keypad_title(self) -> str:
        if not self.setting_up:
            return self.say("pin_title")
        return self.say("confirm_pin_title" if self.chosen else "choose_pin_title")


class CaregiverScreen:
    """Keypad until the PIN is right (or chosen), then big +/- controls."""

    name = "caregiver"

    def draw(self, p: Painter, state: CaregiverState) -> None:
        p.clear()
        w, h = p.size
        m = p.px(16)
        bh = p.px(theme.TOUCH_MIN_PX)
        p.button(state.say("home"), pygame.Rect(w - p.px(180) - m, h - bh - m, p.px(180), bh), "home", role="body")
        if not state.unlocked:
            self._keypad(p, state)
            return
        if state.estop_latched:
            self._estop(p, state)
            return
        if state.page == "alerts":
            self._alerts(p, state)
            return
        prefs = state.prefs
        p.label(state.say("title"), "heading", pygame.Rect(m, m, w - 2 * m, p.px(60)))
        rows = (
            (state.say("volume", percent=round(prefs.volume * 100)), "volume_down", "volume_up"),
            (state.say("speech", rate=prefs.speech_rate_wpm), "rate_down", "rate_up"),
        )
        y = p.px(80)
        photos_w = p.px(220)  # the photo consent button sits at the end of the volume row (issue 23)
        photos = phrase("photos.consent_on" if state.photo_consent else "photos.consent_off", state.lang)
        p.button(photos, pygame.Rect(w - m - photos_w, y, photos_w, bh), "photo_consent", role="body")
        for i, (label, down, up) in enumerate(rows):
            p.button("-", pygame.Rect(m, y, bh, bh), down)
            p.button("+", pygame.Rect(m + bh + p.px(12), y, bh, bh), up)
            beside = photos_w + m if i == 0 else 0
            words = pygame.Rect(m + 2 * bh + p.px(32), y, w - 2 * bh - p.px(64) - beside, bh)
            p.label(label, "body", pygame.Rect(words.x, words.y + p.px(8), words.width, words.height - p.px(16)))
            y += bh + p.px(8)
        bw = (w - 4 * m) // 3
        camera = state.say("camera_on" if prefs.show_camera else "camera_off")
        p.button(camera, pygame.Rect(m, y, bw, bh), "camera_toggle", role="body")
        language = state.say("language", name=language_name(prefs.language))
        p.button(language, pygame.Rect(2 * m + bw, y, bw, bh), "language_next", role="body")
        p.button(state.say("alerts_button"), pygame.Rect(3 * m + 2 * bw, y, bw, bh), "show_alerts", role="body")
        note = state.message or state.plan_status or state.say("plan_note")
        p.paragraph(note, "small", pygame.Rect(m, y + bh + p.px(8), w - p.px(220), h - y - bh - p.px(16)), theme.MUTED)

    @staticmethod
    def _alerts(p: Painter, state: CaregiverState) -> None:
        """The alert channel: what is set up, the topic to subscribe to, set up phone alerts, test."""
        w, h = p.size
        m = p.px(16)
        bh = p.px(theme.TOUCH_MIN_PX)
        p.label(state.say("alerts_title"), "heading", pygame.Rect(m, m, w - 2 * m, p.px(60)))
        ntfy = state.prefs.ntfy_url
        channel = channel_words(ntfy, state.alert_command, state.lang)
        p.label(channel, "small", pygame.Rect(m, p.px(80), w - 2 * m, p.px(74)))
        if ntfy:
            subscribe = state.say("alert_subscribe", topic=topic_of(ntfy))
            p.paragraph(subscribe, "small", pygame.Rect(m, p.px(158), w - 2 * m, p.px(76)), theme.TEXT)
        bw = (w - 3 * m) // 2
        y = p.px(240)
        p.button(state.say("alert_setup"), pygame.Rect(m, y, bw, bh), "alert_setup", role="body")
        p.button(state.say("test_alert"), pygame.Rect(2 * m + bw, y, bw, bh), "test_alert", role="body")
        small_w = p.px(180)
        words = pygame.Rect(m, h - bh - m, w - 2 * small_w - 4 * m, bh)
        p.paragraph(state.message or state.say("alert_how"), "small", words, theme.MUTED)
        back = pygame.Rect(w - 2 * small_w - 2 * m, h - bh - m, small_w, bh)
        p.button(state.say("back"), back, "show_settings", role="body")

    @staticmethod
    def _estop(p: Painter, state: CaregiverState) -> None:
        w, h = p.size
        m = p.px(16)
        bh = p.px(theme.TOUCH_MIN_PX)
        box = pygame.Rect(m, m, w - 2 * m, h - 2 * bh - 4 * m)
        pygame.draw.rect(p.surface, theme.WARNING_BG, box, border_radius=p.px(8))
        inner = box.inflate(-p.px(16), -p.px(12))
        p.paragraph(state.estop_words, "body", inner, theme.WARNING_TEXT, theme.WARNING_BG)
        p.button(state.reset_label, pygame.Rect(m, h - 2 * bh - 2 * m, p.px(420), bh), "estop_reset", role="body")

    @staticmethod
    def _keypad(p: Painter, state: CaregiverState) -> None:
        m = p.px(16)
        size, gap = p.px(theme.TOUCH_MIN_PX), p.px(8)
        x0 = p.size[0] - 3 * (size + gap) - p.px(210)
        # The words stay left of the keypad: the heading on two lines, then the stars, then the message.
        p.label(state.keypad_title(), "heading", pygame.Rect(m, m, x0 - 2 * m, p.px(130)))
        p.text("*" * len(state.entered) or "-", "heading", topleft=(m, p.px(150)))
        message = state.message or (state.say("choose_pin") if state.setting_up and not state.chosen else "")
        if message:
            p.paragraph(message, "small", pygame.Rect(m, p.px(220), x0 - 2 * m, p.size[1] - p.px(236)), theme.MUTED)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "OK"]
        for i, key in enumerate(keys):
            rect = pygame.Rect(x0 + (i % 3) * (size + gap), p.px(16) + (i // 3) * (size + gap), size, size)
            action = {"C": "clear", "OK": "enter_pin"}.get(key, f"digit:{key}")
            p.button(key, rect, action, role="body" if len(key) > 1 else "heading")
