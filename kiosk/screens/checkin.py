"""After a session: two questions with big answer buttons, then thanks or "contact your doctor".

Every answer is a button of its own (no typing, no sliders); "Not now" leaves without answering.
The closing page after an eye problem stays until OK is touched, so it is not missed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from content.i18n import DEFAULT_LANGUAGE, phrase
from kiosk.checkin import QUESTIONS, action
from kiosk.ui import theme
from kiosk.ui.painter import Painter

PHRASE_KEYS = (
    "comfort.feel_comfortable",
    "comfort.feel_tiring",
    "comfort.feel_painful",
    "comfort.eye_none",
    "comfort.eye_gritty",
    "comfort.eye_red",
    "comfort.eye_painful",
    "comfort.eye_blurred",
    "comfort.feel_title",
    "comfort.eye_title",
    "comfort.feel_spoken",
    "comfort.eye_spoken",
)
PER_ROW = 3


@dataclass(frozen=True)
class CheckinModel:
    """The question on screen (feel | eye), or the closing page when ``question`` is None."""

    question: str | None
    lang: str = DEFAULT_LANGUAGE
    closing_title: str = ""
    closing_words: str = ""
    warning: bool = False  # the closing page tells the patient to contact the doctor


class CheckinScreen:
    """Big answer buttons, three to a row; Not now; the closing page has one OK button."""

    name = "checkin"

    def draw(self, p: Painter, model: CheckinModel) -> None:
        if model.question is None:
            self._closing(p, model)
            return
        p.clear()
        w, h = p.size
        m = p.px(16)
        p.label(
            phrase(f"comfort.{model.question}_title", model.lang), "heading", pygame.Rect(m, m, w - 2 * m, p.px(64))
        )
        answers = QUESTIONS[model.question]
        rows = (len(answers) + PER_ROW - 1) // PER_ROW
        bh = p.px(theme.TOUCH_MIN_PX + 40)
        gap = p.px(16)
        bw = (w - 2 * m - (PER_ROW - 1) * gap) // PER_ROW
        top = p.px(100)
        for i, answer in enumerate(answers):
            row, col = divmod(i, PER_ROW)
            rect = pygame.Rect(m + col * (bw + gap), top + row * (bh + gap), bw, bh)
            p.button(phrase(f"comfort.{model.question}_{answer}", model.lang), rect, action(model.question, answer))
        skip_w, skip_h = p.px(200), p.px(theme.TOUCH_MIN_PX + 8)
        skip_top = max(top + rows * (bh + gap), h - skip_h - m)
        p.button(
            phrase("comfort.not_now", model.lang),
            pygame.Rect(w - skip_w - m, skip_top, skip_w, skip_h),
            "home",
            theme.BACKGROUND,
            theme.TEXT,
            role="body",
        )

    @staticmethod
    def _closing(p: Painter, model: CheckinModel) -> None:
        paper = theme.WARNING_BG if model.warning else theme.BACKGROUND
        ink = theme.WARNING_TEXT if model.warning else theme.TEXT
        p.clear(paper)
        w, h = p.size
        m = p.px(24)
        p.label(model.closing_title, "heading", pygame.Rect(m, m, w - 2 * m, p.px(64)), ink=ink, paper=paper)
        bw, bh = p.px(240), p.px(theme.TOUCH_MIN_PX + 16)
        area = pygame.Rect(m, p.px(100), w - 2 * m, h - p.px(100) - bh - 2 * m)
        p.paragraph(model.closing_words, "body", area, ink, paper)
        ok = pygame.Rect((w - bw) // 2, h - bh - m, bw, bh)
        p.button(
            phrase("comfort.ok", model.lang),
            ok,
            "home",
            theme.BACKGROUND if model.warning else theme.BUTTON,
            theme.TEXT if model.warning else theme.BUTTON_TEXT,
        )
