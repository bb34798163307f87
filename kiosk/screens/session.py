"""The exercise screen (and the rest screen): one instruction, the moving drawing, bars, STOP."""

from __future__ import annotations

import math

import numpy as np
import pygame

from content.i18n import DEFAULT_LANGUAGE, phrase
from kiosk.session.flow import Phase, SessionView
from kiosk.ui import theme
from kiosk.ui.face_drawing import draw_face, peak_parts, pose_for, pose_from_parts
from kiosk.ui.movement_words import movement_words
from kiosk.ui.painter import Painter

BAR_FULL_PCT = 100.0
PAGE_S = 5.0
BUTTON_W = 170  # design px of STOP and Pause
ART_PX = 200  # the drawing (or camera view); the bars and their words sit below it
# What the space below the instruction says in each phase (the hold shows its countdown there).
PHASE_CUES = {Phase.MOVE: "screen.move_now", Phase.RELAX: "screen.relax_now"}


def animation_amount(view: SessionView, t: float) -> float:
    """How far the drawing moves (0 relaxed .. 1 full) for the phase and time."""
    if view.phase is Phase.HOLD:
        return 1.0
    if view.phase is Phase.MOVE:
        return min(1.0, 1.0 - view.seconds_left / 2.5)
    if view.phase is Phase.RELAX:
        return max(0.0, view.seconds_left / 4.0 - 0.2)
    if view.phase is Phase.EXPLAIN:
        return 0.5 + 0.5 * math.sin(t * 1.2)
    return 0.0


def face_pose(view: SessionView, t: float) -> dict[str, float]:
    """The drawing's pose: the content animation when the exercise has one, else the metric's."""
    animation = view.animation
    if animation is None or not getattr(animation, "keyframes", None):
        return pose_for(view.metric, animation_amount(view, t), t)
    if view.phase is Phase.EXPLAIN:
        return pose_from_parts(animation.pose_at(t))
    return pose_from_parts(peak_parts(animation.keyframes), animation_amount(view, t))


def control_buttons(p: Painter, paused: bool, lang: str = DEFAULT_LANGUAGE) -> None:
    """STOP (always) and Pause/Resume, bottom right, big."""
    w, h = p.size
    bw, bh = p.px(BUTTON_W), p.px(theme.TOUCH_MIN_PX + 8)
    stop = phrase("screen.stop", lang)
    p.button(stop, pygame.Rect(w - bw - p.px(16), h - bh - p.px(16), bw, bh), "stop", theme.STOP, theme.STOP_TEXT)
    action = "resume" if paused else "pause"
    label = phrase(f"screen.{action}", lang)
    p.button(label, pygame.Rect(w - 2 * bw - p.px(32), h - bh - p.px(16), bw, bh), action, role="body")


def draw_bars(p: Painter, view: SessionView, box: pygame.Rect, lang: str = DEFAULT_LANGUAGE) -> None:
    """Left and right movement bars, placed as in a mirror: the patient's right on the screen's right.

    The camera view is mirrored too, so bar, picture and the patient's own feeling agree. A bar is
    full at a typical movement (100 %); more never overflows it (the words say "more than needed").
    """
    gap = p.px(24)
    bar_w = (box.width - gap) // 2
    sides = ((phrase("screen.your_left", lang), view.left_pct), (phrase("screen.your_right", lang), view.right_pct))
    for i, (label, pct) in enumerate(sides):
        x = box.x + i * (bar_w + gap)
        p.label(label, "small", pygame.Rect(x, box.y, bar_w, p.px(34)), ink=theme.MUTED)
        outline = pygame.Rect(x, box.y + p.px(38), bar_w, p.px(26))
        pygame.draw.rect(p.surface, theme.MUTED, outline, 2)
        fill = outline.inflate(-6, -6)
        fill.width = int(fill.width * max(0.0, min(1.0, pct / BAR_FULL_PCT)))
        pygame.draw.rect(p.surface, theme.OK, fill)


def movement_sentence(view: SessionView, lang: str = DEFAULT_LANGUAGE) -> str:
    """Each side's movement in words, e.g. "Your left: a small movement. Your right: ..."."""
    left = f"{phrase('screen.your_left', lang)}: {movement_words(view.left_pct, lang)}."
    right = f"{phrase('screen.your_right', lang)}: {movement_words(view.right_pct, lang)}."
    return f"{left} {right}"


def draw_camera(p: Painter, image: np.ndarray, points: np.ndarray | None, box: pygame.Rect) -> None:
    """The camera picture, mirrored for display only, with the landmarks drawn on top."""
    rgb = np.ascontiguousarray(image[:, ::-1, ::-1])  # mirror + BGR->RGB
    surface = pygame.surfarray.make_surface(rgb.swapaxes(0, 1))
    sx, sy = box.width / image.shape[1], box.height / image.shape[0]
    p.surface.blit(pygame.transform.smoothscale(surface, box.size), box)
    if points is not None:
        for x, y in points[:, :2]:
            pygame.draw.circle(p.surface, theme.OK, (box.x + int((image.shape[1] - x) * sx), box.y + int(y * sy)), 1)


class SessionScreen:
    """Draws a SessionView. Touch: STOP, Pause/Resume. Keys: s or Esc stop, space pause/resume."""

    name = "session"

    def __init__(self) -> None:
        self.painter: Painter | None = None

    def draw(
        self,
        p: Painter,
        view: SessionView,
        t: float,
        camera: tuple[np.ndarray, np.ndarray | None] | None = None,
        lang: str = DEFAULT_LANGUAGE,
    ) -> None:
        self.painter = p
        p.clear()
        w, h = p.size
        m = p.px(16)
        buttons_left = w - 2 * p.px(BUTTON_W) - p.px(32)
        if view.phase is Phase.REST:
            self._draw_rest(p, view, lang)
        else:
            p.label(view.title, "heading", pygame.Rect(m, m, w - 2 * m, p.px(64)))
            art = pygame.Rect(m, p.px(90), p.px(ART_PX), p.px(ART_PX))
            if camera is not None:
                draw_camera(p, camera[0], camera[1], art)
            else:
                draw_face(p.surface, art, face_pose(view, t))
            # Right of the drawing: the repetition, the instruction, then the phase's cue; all of it
            # ends level with the drawing, so the bars and their words below get the full width.
            text_box = pygame.Rect(art.right + p.px(24), p.px(84), w - art.right - p.px(40), p.px(152))
            if view.rep:
                words = phrase("screen.repetition", lang, rep=view.rep, reps=view.reps)
                p.label(words, "small", pygame.Rect(text_box.x, text_box.y, text_box.width, p.px(34)), ink=theme.MUTED)
                text_box.y += p.px(40)
                text_box.height -= p.px(40)
            # Long instructions show a page of whole sentences at a time, turning every few seconds.
            p.paragraph(view.instruction, "body", text_box, page=int(t // PAGE_S))
            self._draw_cue(p, view, pygame.Rect(text_box.x, p.px(240), text_box.width, p.px(56)), lang)
            measured = view.metric != "none" and view.phase in (Phase.MOVE, Phase.HOLD, Phase.RELAX)
            column = pygame.Rect(m, art.bottom + p.px(8), buttons_left - 2 * m, 0)
            column.height = h - column.y - p.px(8)
            if measured:
                draw_bars(p, view, pygame.Rect(column.x, column.y, column.width, p.px(66)), lang)
                column = pygame.Rect(column.x, column.y + p.px(70), column.width, column.height - p.px(70))
            words = " ".join(part for part in (view.hint, movement_sentence(view, lang) if measured else "") if part)
            if words:
                p.paragraph(words, "small", column, theme.MUTED, page=int(t // PAGE_S))
        if view.paused and view.phase is Phase.REST:
            paused = pygame.Rect(m, h - p.px(110), buttons_left - 2 * m, p.px(60))
            p.label(phrase("screen.paused", lang), "heading", paused, ink=theme.BUTTON)
        control_buttons(p, view.paused, lang)

    @staticmethod
    def _draw_cue(p: Painter, view: SessionView, cue: pygame.Rect, lang: str) -> None:
        """Below the instruction: Paused, the hold's countdown, or the phase's cue ("Relax now")."""
        if view.paused:
            p.label(phrase("screen.paused", lang), "heading", cue, ink=theme.BUTTON)
        elif view.phase is Phase.HOLD:
            p.label(f"{max(1, math.ceil(view.seconds_left))}", "heading", cue, ink=theme.BUTTON)
        elif view.phase in PHASE_CUES:
            p.label(phrase(PHASE_CUES[view.phase], lang), "heading", cue, ink=theme.BUTTON)

    @staticmethod
    def _draw_rest(p: Painter, view: SessionView, lang: str) -> None:
        w, _ = p.size
        m = p.px(16)
        p.label(phrase("screen.rest", lang), "heading", pygame.Rect(m, m, w - 2 * m, p.px(64)))
        p.label(view.progress, "small", pygame.Rect(p.px(24), p.px(92), w - p.px(48), p.px(36)), ink=theme.MUTED)
        seconds = max(1, math.ceil(view.seconds_left))  # never "Rest 0": the last second shows 1
        p.text(str(seconds), "huge", theme.BUTTON, centre=(w // 2, p.px(180)))
        left = phrase("screen.rest_seconds", lang, seconds=seconds)
        p.label(left, "small", pygame.Rect(p.px(24), p.px(240), w - p.px(48), p.px(36)), ink=theme.MUTED, centred=True)
        p.paragraph(view.instruction, "body", pygame.Rect(p.px(24), p.px(282), w - p.px(48), p.px(80)))

    def action_for_touch(self, x: int, y: int) -> str | None:
        return self.painter.hit(x, y) if self.painter else None
