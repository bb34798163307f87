"""Home screen: the time, the date, what comes next, one big Start button, device status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pygame

from kiosk.devices.base import DeviceState
from kiosk.ui import theme
from kiosk.ui.draw import Button, text, wrap

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

    def lines(self) -> list[str]:
        """The words on the screen, in reading order (also used for speech and tests)."""
        out = [self.now.strftime("%H:%M"), self.now.strftime("%A %d %B").replace(" 0", " ")]
        out.append(f"Next session: {self.next_session or 'none planned'}")
        out.append(f"Next eye care: {self.next_eye_care or 'none planned'}")
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
    """Draws a HomeModel; a touch on Start (or Enter/space) gives the action 'start_session'."""

    name = "home"

    def __init__(self) -> None:
        self.buttons: list[Button] = []

    def layout(self, size: tuple[int, int]) -> None:
        width, height = size
        scale = theme.Scale(width, height)
        bw, bh = scale.px(300), scale.px(theme.TOUCH_MIN_PX + 8)
        rect = pygame.Rect(width - bw - scale.px(24), height - bh - scale.px(64), bw, bh)
        self.buttons = [Button("Start", rect, "start_session")]

    def action_for_touch(self, x: int, y: int) -> str | None:
        return next((b.action for b in self.buttons if b.hit(x, y)), None)

    @staticmethod
    def action_for_key(key: str) -> str | None:
        return "start_session" if key in ("return", "space", "enter") else None

    def draw(self, surface: pygame.Surface, model: HomeModel) -> None:
        width, height = surface.get_size()
        scale = theme.Scale(width, height)
        if not self.buttons:
            self.layout((width, height))
        surface.fill(theme.BACKGROUND)
        margin = scale.px(24)
        body, heading = scale.px(theme.BODY_PX), scale.px(theme.HEADING_PX)
        clock_rect = text(
            surface, model.now.strftime("%H:%M"), scale.px(theme.CLOCK_PX), theme.TEXT, topleft=(margin, margin)
        )
        date_rect = text(
            surface, model.lines()[1], heading, theme.TEXT, topleft=(margin, clock_rect.bottom + scale.px(4))
        )
        y = date_rect.bottom + scale.px(16)
        for line in (model.lines()[2], model.lines()[3]):
            y = text(surface, line, body, theme.TEXT, topleft=(margin, y)).bottom + scale.px(8)
        if model.notice:
            self._draw_notice(surface, model.notice, scale, y)
        for button in self.buttons:
            button.draw(surface, heading)
        status = "   ".join(model.status_words())
        text(surface, status, scale.px(theme.SMALL_PX), theme.MUTED, topleft=(margin, height - scale.px(44)))

    @staticmethod
    def _draw_notice(surface: pygame.Surface, notice: str, scale: theme.Scale, y: int) -> None:
        px = scale.px(theme.SMALL_PX)
        width = surface.get_width() - scale.px(48) - scale.px(330)
        lines = wrap(notice, px, width)[:3]
        box = pygame.Rect(scale.px(16), y, width + scale.px(16), len(lines) * (px + 4) + scale.px(12))
        pygame.draw.rect(surface, theme.WARNING_BG, box, border_radius=scale.px(8))
        for i, line in enumerate(lines):
            text(
                surface, line, px, theme.WARNING_TEXT, topleft=(box.x + scale.px(8), box.y + scale.px(6) + i * (px + 4))
            )
