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
    notice_page: int = 0  # a notice longer than its box is shown in turns, a sentence at a time
    session_due: bool = False  # a session of the plan is due now and not yet done
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
        if self.notice_words():
            out.append(self.notice_words())
        out.append(self.word("start"))
        out.extend(self.status_words())
        return out

    def notice_words(self) -> str:
        """What the yellow box says: the session prompt while a session is due, then any notice."""
        prompt = phrase("reminder.session_due", self.lang) if self.session_due else ""
        return " ".join(part for part in (prompt, self.notice or "") if part)

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
        width = w - 2 * m
        clock = p.text(model.now.strftime("%H:%M"), "clock", topleft=(m, p.px(8)))
        date = p.label(model.date_words(), "heading", pygame.Rect(m, clock.bottom, width, p.px(60)))
        y = date.bottom + p.px(10)
        for line in model.lines()[2:4]:
            y = p.label(line, "body", pygame.Rect(m, y, width, p.px(38))).bottom + p.px(4)
        bh = p.px(theme.TOUCH_MIN_PX + 4)
        bottom = h - bh - p.px(10)
        box = pygame.Rect(m, y + p.px(4), width, bottom - y - p.px(12))
        if notice := model.notice_words():
            pygame.draw.rect(p.surface, theme.WARNING_BG, box, border_radius=p.px(8))
            inner = box.inflate(-p.px(12), -p.px(6))
            p.paragraph(notice, "small", inner, theme.WARNING_TEXT, theme.WARNING_BG, page=model.notice_page)
        else:
            # Device status in a grid of two columns, one "Camera: ready" per cell.
            cell_w = (width - p.px(16)) // 2
            for i, words in enumerate(model.status_words()):
                cell = pygame.Rect(m + (i % 2) * (cell_w + p.px(16)), box.y + (i // 2) * p.px(36), cell_w, p.px(34))
                p.label(words, "small", cell, ink=theme.MUTED)
        p.button(model.word("start"), pygame.Rect(w - p.px(290) - m, bottom, p.px(290), bh), "start_session")
        p.button(model.word("progress"), pygame.Rect(m, bottom, p.px(210), bh), "progress", role="body")
        caregiver = pygame.Rect(m + p.px(226), bottom, p.px(210), bh)
        p.button(model.word("caregiver"), caregiver, "caregiver", theme.MUTED, role="body")
