"""Home screen: the time, the date, what comes next, one big Start button, device status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pygame

from content.i18n import DEFAULT_LANGUAGE, phrase, section
from kiosk.devices.base import DeviceState
from kiosk.ui import theme
from kiosk.ui.painter import Painter

STATUS_ORDER = ("camera", "microphone", "voice", "hat")


@dataclass(frozen=True)
class HomeModel:
    """Everything the home screen shows, as plain values; its words in ``lang`` (content [home])."""

    now: datetime
    next_session: str | None = None
    next_eye_care: str | None = None
    states: dict[str, DeviceState] = field(default_factory=dict)
    notice: str | None = None
    notice_page: int = 0  # a notice longer than its box is shown in turns (the app counts up)
    lang: str = DEFAULT_LANGUAGE

    def word(self, key: str, **values: object) -> str:
        return phrase(f"home.{key}", self.lang, **values)

    def date_words(self) -> str:
        weekdays, months = self.word("weekdays").split(), self.word("months").split()
        return self.word(
            "date", weekday=weekdays[self.now.weekday()], day=self.now.day, month=months[self.now.month - 1]
        )

    def lines(self) -> list[str]:
        """The words on the screen, in reading order (also used for speech and tests)."""
        none = self.word("none_planned")
        out = [
            self.now.strftime("%H:%M"),
            self.date_words(),
            self.word("next_session", when=self.next_session or none),
            self.word("next_eye_care", when=self.next_eye_care or none),
        ]
        if self.notice:
            out.append(self.notice)
        out.append(self.word("start"))
        out.extend(self.status_words())
        return out

    def status_words(self) -> list[str]:
        words = []
        home = section("home", self.lang)
        for key in STATUS_ORDER:
            state = self.states.get(key)
            if state is not None:
                label, said = home[f"status_{key}"], home.get(f"state_{state.state}", state.state)
                words.append(f"{label}: {said}")
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
        p.button(model.word("start"), pygame.Rect(w - p.px(290) - m, bottom, p.px(290), bh), "start_session")
        p.button(model.word("progress"), pygame.Rect(m, bottom, p.px(210), bh), "progress", role="body")
        caregiver = pygame.Rect(m + p.px(226), bottom, p.px(210), bh)
        p.button(model.word("caregiver"), caregiver, "caregiver", theme.MUTED, role="body")

    @staticmethod
    def action_for_key(key: str) -> str | None:
        return {
            "return": "start_session",
            "space": "start_session",
            "enter": "start_session",
            "p": "progress",
            "c": "caregiver",
        }.get(key)
