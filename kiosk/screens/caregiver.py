"""Caregiver settings behind a PIN: volume, speech rate, camera view, language; and the deliberate
reset of a latched emergency stop.

Never the stimulation or eye-care plan: only the therapist's signed plan changes those, and this
screen says so. While the emergency stop is latched the screen shows only that, with its Reset
button (the app asks the stimulation control, which refuses while the button is still pressed).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace

import pygame

from kiosk.ui import theme
from kiosk.ui.painter import Painter

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class CaregiverPrefs:
    """The four things a caregiver may change."""

    volume: float = 0.9
    speech_rate_wpm: int = 130
    show_camera: bool = False
    language: str = "en"


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

    @property
    def locked_out(self) -> bool:
        return self.attempts >= MAX_ATTEMPTS

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
        if changes:
            self.prefs = replace(p, **changes)

    def _next_language(self) -> str:
        langs = self.languages or ("en",)
        i = langs.index(self.prefs.language) if self.prefs.language in langs else -1
        return langs[(i + 1) % len(langs)]

    def _pin_action(self, action: str) -> None:
        if not self.pin:
            self.message = "No caregiver PIN is set. Set caregiver.pin in the settings file."
            return
        if self.locked_out:
            self.message = "Too many wrong PINs. Restart the kiosk to try again."
            return
        if action.startswith("digit:") and len(self.entered) < 8:
            self.entered += action.split(":", 1)[1]
        elif action == "clear":
            self.entered = ""
        elif action == "enter_pin":
            if hmac.compare_digest(self.entered, self.pin):
                self.unlocked, self.message = True, ""
            else:
                self.attempts += 1
                self.message = "That PIN is not right. Please try again."
            self.entered = ""


class CaregiverScreen:
    """Keypad until the PIN is right, then big +/- controls."""

    name = "caregiver"

    def draw(self, p: Painter, state: CaregiverState) -> None:
        p.clear()
        w, h = p.size
        m = p.px(16)
        bh = p.px(theme.TOUCH_MIN_PX)
        p.button("Home", pygame.Rect(w - p.px(180) - m, h - bh - m, p.px(180), bh), "home", role="body")
        if not state.unlocked:
            self._keypad(p, state)
            return
        if state.estop_latched:
            self._estop(p, state)
            return
        prefs = state.prefs
        p.text("Caregiver settings", "heading", topleft=(m, m))
        rows = (
            (f"Volume {round(prefs.volume * 100)}%", "volume_down", "volume_up"),
            (f"Speech {prefs.speech_rate_wpm} words a minute", "rate_down", "rate_up"),
        )
        y = p.px(80)
        for label, down, up in rows:
            p.button("-", pygame.Rect(m, y, bh, bh), down)
            p.button("+", pygame.Rect(m + bh + p.px(12), y, bh, bh), up)
            p.text(label, "body", topleft=(m + 2 * bh + p.px(32), y + bh // 3))
            y += bh + p.px(8)
        bw = p.px(300)
        p.button(
            f"Camera view: {'on' if prefs.show_camera else 'off'}",
            pygame.Rect(m, y, bw, bh),
            "camera_toggle",
            role="body",
        )
        p.button(
            f"Language: {prefs.language}",
            pygame.Rect(m + bw + p.px(12), y, p.px(250), bh),
            "language_next",
            role="body",
        )
        note = (
            state.message or state.plan_status or "Only the therapist's plan sets exercises, eye care and stimulation."
        )
        p.paragraph(note, "small", pygame.Rect(m, y + bh + p.px(8), w - p.px(220), p.px(80)), theme.MUTED, max_lines=2)

    @staticmethod
    def _estop(p: Painter, state: CaregiverState) -> None:
        w, h = p.size
        m = p.px(16)
        bh = p.px(theme.TOUCH_MIN_PX)
        box = pygame.Rect(m, m, w - 2 * m, h - 2 * bh - 4 * m)
        pygame.draw.rect(p.surface, theme.WARNING_BG, box, border_radius=p.px(8))
        inner = box.inflate(-p.px(16), -p.px(12))
        p.paragraph(state.estop_words, "body", inner, theme.WARNING_TEXT, theme.WARNING_BG, max_lines=4)
        p.button(state.reset_label, pygame.Rect(m, h - 2 * bh - 2 * m, p.px(420), bh), "estop_reset", role="body")

    @staticmethod
    def _keypad(p: Painter, state: CaregiverState) -> None:
        m = p.px(16)
        size, gap = p.px(theme.TOUCH_MIN_PX), p.px(8)
        x0 = p.size[0] - 3 * (size + gap) - p.px(210)
        # The words stay left of the keypad: the heading on two lines, then the stars, then the message.
        p.paragraph("Caregiver PIN", "heading", pygame.Rect(m, m, x0 - 2 * m, p.px(130)), max_lines=2)
        p.text("*" * len(state.entered) or "-", "heading", topleft=(m, p.px(150)))
        if state.message:
            p.paragraph(state.message, "small", pygame.Rect(m, p.px(220), x0 - 2 * m, p.px(200)), theme.MUTED)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "OK"]
        for i, key in enumerate(keys):
            rect = pygame.Rect(x0 + (i % 3) * (size + gap), p.px(16) + (i // 3) * (size + gap), size, size)
            action = {"C": "clear", "OK": "enter_pin"}.get(key, f"digit:{key}")
            p.button(key, rect, action, role="body" if len(key) > 1 else "heading")
