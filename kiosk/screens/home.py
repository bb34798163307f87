"""Home screen: the time, the date, what comes next, one big Start button, device status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pygame

from kiosk.devices.base import DeviceState
from kiosk.ui import theme
from kiosk.ui.painter import Painter

STATE_WORDS = {"found": "ready", "fake": "demo", "missing": "not found", "error": "problem"}
STATUS_ORDER = ("camera", "microphone", "voice", "hat")
STATUS_LABELS = {"camera": "Camera", "microphone": "Microphone", "voice": "Voice", "hat": "Stimulation"}


@dataclass(frozen=True)
class HomeModel:
    """Everything the home screen shows, as plain values."""

    now: datetime
    next_session: str | None = None
    next_eye_care: str | None = None
    states: dict[str, DeviceState] = field(default_factory=dict)
    notice: str | None = None
    notice_page: int = 0  # a notice longer than its box is shown in turns (the app counts up)

    def date_words(self) -> str:
        return self.now.strftime("%A %d %B").replace(" 0", " ")

    def lines(self) -> list[str]:
        """The words on the screen, in reading order (also used for speech and tests)."""
        out = [
            self.now.strftime("%H:%M"),
            self.date_words(),
            f"Next session: {self.next_session or 'none planned'}",
            f"Next eye care: {self.next_eye_care or 'none planned'}",
        ]
        if self.notice:
            out.append(self.notice)
        out.append("Start")
        out.extend(self.status_words())
        return out

    def status_words(self) -> list[str]:
        words = []
        for key in STATUS_ORDER:
            state = self.states.get(key)
            if state is not None:
                words.append(f"{STATUS_LABELS[key]}: {STATE_WORDS.get(state.state, state.state)}")
        return words


class HomeScreen:
    """Draws a HomeModel; Start begins a session; Progress and Caregiver are smaller buttons."""

    name = "home"

    def draw(self, p: Painter, model: HomeModel) -> None:
        p.clear()
        w, h = p.size
        m = p.px(20)
        clock = p.text(model.now.strftime("%H:%M"), "clock", topleft=(m, p.px(8)))
        date = p.text(model.date_words(), "heading", topleft=(m, clock.bottom))
        y = date.bottom + p.px(10)
        for line in model.lines()[2:4]:
            y = p.text(line, "body", topleft=(m, y)).bottom + p.px(4)
        box = pygame.Rect(m, y + p.px(4), w - 2 * m, p.px(76))
        if model.notice:
            pygame.draw.rect(p.surface, theme.WARNING_BG, box, border_radius=p.px(8))
            p.paragraph(
                model.notice,
                "small",
                box.inflate(-p.px(12), -p.px(6)),
                theme.WARNING_TEXT,
                theme.WARNING_BG,
                max_lines=2,
                page=model.notice_page,
            )
        else:
            words = model.status_words()
            half = (len(words) + 1) // 2
            for i, row in enumerate((words[:half], words[half:])):
                p.text("   ".join(row), "small", theme.MUTED, topleft=(m, box.y + i * p.px(36)))
        bh = p.px(theme.TOUCH_MIN_PX + 4)
        bottom = h - bh - p.px(10)
        p.button("Start", pygame.Rect(w - p.px(290) - m, bottom, p.px(290), bh), "start_session")
        p.button("Progress", pygame.Rect(m, bottom, p.px(210), bh), "progress", role="body")
        p.button("Caregiver", pygame.Rect(m + p.px(226), bottom, p.px(210), bh), "caregiver", theme.MUTED, role="body")

    @staticmethod
    def action_for_key(key: str) -> str | None:
        return {
            "return": "start_session",
            "space": "start_session",
            "enter": "start_session",
            "p": "progress",
            "c": "caregiver",
        }.get(key)
