"""The exercise screen (and the rest screen): one instruction, the moving drawing, bars, STOP."""

from __future__ import annotations

import math

import numpy as np
import pygame

from content.i18n import DEFAULT_LANGUAGE, phrase
from kiosk.session.flow import Phase, SessionView
from kiosk.ui import theme
from kiosk.ui.face_drawing import draw_face, peak_parts, pose_for, pose_from_parts
from kiosk.ui.painter import Painter

BAR_FULL_PCT = 100.0
PAGE_S = 5.0


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
    bw, bh = p.px(170), p.px(theme.TOUCH_MIN_PX + 8)
    stop = phrase("screen.stop", lang)
    p.button(stop, pygame.Rect(w - bw - p.px(16), h - bh - p.px(16), bw, bh), "stop", theme.STOP, theme.STOP_TEXT)
    action = "resume" if paused else "pause"
    label = phrase(f"screen.{action}", lang)
    p.button(label, pygame.Rect(w - 2 * bw - p.px(32), h - bh - p.px(16), bw, bh), action, role="body")


def draw_bars(p: Painter, view: SessionView, box: pygame.Rect, lang: str = DEFAULT_LANGUAGE) -> None:
    """Left and right movement bars, labelled with the patient's own sides."""
    bar_w = box.width // 2 - p.px(12)
    sides = ((phrase("screen.your_right", lang), view.right_pct), (phrase("screen.your_left", lang), view.left_pct))
    for i, (label, pct) in enumerate(sides):
        x = box.x + i * (bar_w + p.px(24))
        p.text(label, "small", theme.MUTED, topleft=(x, box.y))
        outline = pygame.Rect(x, box.y + p.px(36), bar_w, p.px(26))
        pygame.draw.rect(p.surface, theme.MUTED, outline, 2)
        fill = outline.inflate(-6, -6)
        fill.width = int(fill.width * max(0.0, min(1.0, pct / BAR_FULL_PCT)))
        pygame.draw.rect(p.surface, theme.OK, fill)


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
        if view.phase is Phase.REST:
            self._draw_rest(p, view, lang)
        else:
            p.text(view.title, "heading", topleft=(m, m))
            art = pygame.Rect(m, p.px(90), p.px(250), p.px(250))
            if camera is not None:
                draw_camera(p, camera[0], camera[1], art)
            else:
                draw_face(p.surface, art, face_pose(view, t))
            text_box = pygame.Rect(art.right + p.px(24), p.px(84), w - art.right - p.px(40), p.px(170))
            if view.rep:
                p.text(
                    phrase("screen.repetition", lang, rep=view.rep, reps=view.reps),
                    "small",
                    theme.MUTED,
                    topleft=text_box.topleft,
                )
                text_box.y += p.px(42)
            # Long instructions show a few lines at a time, turning every few seconds (also spoken).
            p.paragraph(view.instruction, "body", text_box, max_lines=3 if view.rep else 4, page=int(t // PAGE_S))
            if view.phase is Phase.HOLD:
                p.text(f"{math.ceil(view.seconds_left)}", "huge", theme.BUTTON, centre=(text_box.centerx, p.px(305)))
            elif view.hint:
                p.paragraph(
                    view.hint,
                    "small",
                    pygame.Rect(text_box.x, p.px(250), text_box.width, p.px(80)),
                    theme.MUTED,
                    max_lines=2,
                )
            if view.metric != "none" and view.phase in (Phase.MOVE, Phase.HOLD, Phase.RELAX):
                draw_bars(p, view, pygame.Rect(m, h - p.px(120), p.px(400), p.px(70)), lang)
        if view.paused:
            p.text(phrase("screen.paused", lang), "heading", theme.BUTTON, topleft=(m, h - p.px(170)))
        control_buttons(p, view.paused, lang)

    @staticmethod
    def _draw_rest(p: Painter, view: SessionView, lang: str) -> None:
        w, _ = p.size
        p.text(phrase("screen.rest", lang), "heading", topleft=(p.px(16), p.px(16)))
        p.text(f"{math.ceil(view.seconds_left)}", "huge", theme.BUTTON, centre=(w // 2, p.px(190)))
        p.paragraph(view.instruction, "body", pygame.Rect(p.px(24), p.px(270), w - p.px(48), p.px(90)), max_lines=2)
        p.text(view.progress, "small", theme.MUTED, topleft=(p.px(24), p.px(100)))

    def action_for_touch(self, x: int, y: int) -> str | None:
        return self.painter.hit(x, y) if self.painter else None

    @staticmethod
    def action_for_key(key: str, paused: bool) -> str | None:
        if key in ("s", "escape"):
            return "stop"
        if key == "space":
            return "resume" if paused else "pause"
        return {"r": "repeat", "n": "next", "l": "slower"}.get(key)
