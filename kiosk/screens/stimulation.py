"""The stimulation screens: the safety checklist, the offer, and the running block.

STOP is on every one of them, always the biggest button. Starting, answering the checklist and
"stronger" are touch buttons only (voice can ask for them, the screen then waits for a touch).
While a block runs an eye-care reminder is shown in a card on the left; STOP and Lower stay.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from content.i18n import DEFAULT_LANGUAGE, phrase
from kiosk.session.flow import SessionView
from kiosk.ui import theme
from kiosk.ui.painter import Painter


@dataclass(frozen=True)
class StimulationModel:
    """What the stimulation screens show (from the plan and the running block)."""

    side: str  # the patient's side: "left" or "right"
    amplitude_ma: float
    max_ma: float
    seconds_left: float
    state: str = "running"  # running | waiting
    notice: str = ""  # a refusal or stop reason in plain words
    confirm_raise: bool = False  # "make it stronger?" is asked
    reminder: str = ""  # an eye-care reminder shown during the block (Done acknowledges it)
    block_minutes: float = 0.0
    lang: str = DEFAULT_LANGUAGE
    blocked: bool = False  # the rules refuse a block now: the reason is shown, Start is not offered
    page: int = 0  # which page of a long reminder text is shown (the kiosk turns it every few seconds)

    def word(self, key: str, **values: object) -> str:
        """The screen word ``key`` (content [stimulation] screen_*) in the patient's language."""
        return _word(self.lang, key, **values)

    @property
    def side_word(self) -> str:
        return self.word(f"side_{self.side}")


def _word(lang: str, key: str, **values: object) -> str:
    return phrase(f"stimulation.screen_{key}", lang, **values)


def _bottom_button(p: Painter, x: int, width: int, label: str, action: str, **kw: object) -> pygame.Rect:
    w, h = p.size
    bh = p.px(theme.TOUCH_MIN_PX + 8)
    rect = pygame.Rect(x, h - bh - p.px(16), width, bh)
    p.button(label, rect, action, **kw)  # type: ignore[arg-type]
    return rect


def _stop_button(p: Painter, lang: str) -> None:
    w, _ = p.size
    bw = p.px(170)
    _bottom_button(p, w - bw - p.px(16), bw, phrase("screen.stop", lang), "stop", fill=theme.STOP, ink=theme.STOP_TEXT)


class StimChecklistScreen:
    """One safety question at a time, with big Yes and No buttons (touch only)."""

    name = "stimulation-checklist"

    def draw(self, p: Painter, view: SessionView, lang: str = DEFAULT_LANGUAGE) -> None:
        p.clear()
        w, h = p.size
        m = p.px(16)
        p.text(_word(lang, "safety_questions"), "heading", topleft=(m, m))
        number = _word(lang, "question_of", number=view.question_number, total=view.questions)
        p.text(number, "small", theme.MUTED, topleft=(m, p.px(84)))
        p.paragraph(view.question, "body", pygame.Rect(m, p.px(130), w - 2 * m, p.px(200)), max_lines=4)
        bw = p.px(200)
        _bottom_button(p, m, bw, _word(lang, "yes"), "answer_yes", fill=theme.MUTED, ink=theme.BUTTON_TEXT)
        _bottom_button(p, 2 * m + bw, bw, _word(lang, "no"), "answer_no", fill=theme.MUTED, ink=theme.BUTTON_TEXT)
        _stop_button(p, lang)


class StimOfferScreen:
    """The prescribed block, what to do first, and a big Start stimulation button; Skip; STOP."""

    name = "stimulation-offer"

    def draw(self, p: Painter, model: StimulationModel) -> None:
        p.clear()
        w, h = p.size
        m = p.px(16)
        p.label(model.word("title"), "heading", pygame.Rect(m, m, w - 2 * m, p.px(60)))
        side = model.word("offer_side", side=model.side_word, minutes=float(model.block_minutes))
        p.label(side, "body", pygame.Rect(m, p.px(84), w - 2 * m, p.px(40)))
        y = p.paragraph(
            model.word("pads"),
            "body",
            pygame.Rect(m, p.px(130), w - 2 * m, p.px(90)),
            max_lines=2,
        )
        if model.notice:
            p.paragraph(
                model.notice, "small", pygame.Rect(m, y + p.px(8), w - 2 * m, p.px(110)), theme.BUTTON, max_lines=3
            )
        if not model.blocked:
            _bottom_button(p, m, p.px(330), model.word("start"), "start_stimulation", role="body")
        skip = model.word("skip")
        _bottom_button(p, p.px(362), p.px(236), skip, "skip", fill=theme.MUTED, ink=theme.BUTTON_TEXT, role="body")
        _stop_button(p, model.lang)


class StimulationScreen:
    """A huge STOP, the side, the intensity and time left; Lower at once, Stronger only by touch.

    Keys are the kiosk's, the same on every screen (kiosk/input_routes.py).
    """

    name = "stimulation"

    def draw(self, p: Painter, model: StimulationModel) -> None:
        p.clear()
        w, h = p.size
        m = p.px(16)
        p.label(model.word("running_title", side=model.side_word), "heading", pygame.Rect(m, m, w - 2 * m, p.px(60)))
        stop = pygame.Rect(w // 2 + m, p.px(80), w // 2 - 2 * m, h - p.px(100))
        p.button(phrase("screen.stop", model.lang), stop, "stop", theme.STOP, theme.STOP_TEXT, role="clock")
        if model.reminder:
            box = pygame.Rect(m, p.px(80), w // 2 - m, h - p.px(80 + 96 + 48))
            self._reminder(p, model.reminder, box, phrase("screen.done", model.lang), model.page)
        elif model.confirm_raise:
            self._confirm_raise(p, model, pygame.Rect(m, p.px(80), w // 2 - 2 * m, h - p.px(80 + 96 + 40)))
        else:
            # One short line each: the left column is half the screen wide, the STOP button the other half.
            column = w // 2 - 2 * m
            p.label(
                model.word("intensity", ma=float(model.amplitude_ma)),
                "body",
                pygame.Rect(m, p.px(84), column, p.px(40)),
            )
            most = model.word("most", ma=float(model.max_ma))
            p.label(most, "small", pygame.Rect(m, p.px(128), column, p.px(36)), ink=theme.MUTED)
            minutes, seconds = divmod(max(0, math.ceil(model.seconds_left)), 60)
            time_left = model.word("time_left", time=f"{minutes}:{seconds:02d}")
            p.label(time_left, "body", pygame.Rect(m, p.px(170), column, p.px(40)))
            if model.notice:
                box = pygame.Rect(m, p.px(216), w // 2 - m, p.px(110))
                p.paragraph(model.notice, "small", box, theme.BUTTON, max_lines=3)
        # Lower is always there, always in the same place: a patient in pain taps where it was.
        bw = p.px(180)
        _bottom_button(p, m, bw, model.word("lower"), "lower", role="body")
        if not model.reminder and not model.confirm_raise:
            label = model.word("stronger")
            _bottom_button(p, 2 * m + bw, bw, label, "propose_stronger", fill=theme.MUTED, ink=theme.BUTTON_TEXT)

    @staticmethod
    def _confirm_raise(p: Painter, model: StimulationModel, box: pygame.Rect) -> None:
        """ "One step stronger?" in its own green box above Lower, never where Lower is; it times out to no."""
        pygame.draw.rect(p.surface, theme.OK, box, border_radius=p.px(14))
        inner = box.inflate(-2 * p.px(12), -2 * p.px(12))
        bh, gap = p.px(theme.TOUCH_MIN_PX), p.px(8)
        words = pygame.Rect(inner.left, inner.top, inner.width, inner.height - bh - gap)
        p.paragraph(model.word("confirm_raise"), "small", words, theme.BUTTON_TEXT, theme.OK, max_lines=3)
        half = (inner.width - gap) // 2
        yes = pygame.Rect(inner.left, inner.bottom - bh, half, bh)
        no = pygame.Rect(inner.left + half + gap, inner.bottom - bh, half, bh)
        p.button(model.word("yes"), yes, "confirm_stronger", theme.BACKGROUND, theme.TEXT, role="body")
        p.button(model.word("no"), no, "cancel_stronger", theme.MUTED, theme.BUTTON_TEXT, role="body")

    @staticmethod
    def _reminder(p: Painter, text: str, box: pygame.Rect, done_label: str, page: int = 0) -> None:
        """The eye-care card: shown at once, spoken when the block has ramped down.

        The words sit above Done and shrink to fit; a text still too long shows whole sentences a
        page at a time (never cut mid-word, as it was at 1024x600)."""
        pygame.draw.rect(p.surface, theme.WARNING_BG, box, border_radius=p.px(14))
        inner = box.inflate(-2 * p.px(12), -2 * p.px(12))
        bw, bh = p.px(200), p.px(theme.TOUCH_MIN_PX)
        words = pygame.Rect(inner.left, inner.top, inner.width, inner.height - bh - p.px(8))
        p.paragraph(text, "small", words, theme.WARNING_TEXT, theme.WARNING_BG, page=page)
        done = pygame.Rect(inner.right - bw, inner.bottom - bh, bw, bh)
        p.button(done_label, done, "acknowledge", theme.BACKGROUND, theme.TEXT, role="body")
