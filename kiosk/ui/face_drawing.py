"""A simple cartoon face drawn in code that shows each movement (no photos, no mirror).

A pose is a few numbers from 0 to 1 (brow raise, eye closure, smile...). Each exercise metric
has a target pose; the animation blends from the relaxed face to the target and back.
"""

from __future__ import annotations

import math

import pygame

from kiosk.ui import theme

SKIN = (236, 200, 170)
# How far the brows move, as a share of the face radius per unit of pose: a gentle (0.5) lift
# moves them about a sixth of the radius, which shows at a glance on a 250 px drawing.
BROW_UP, BROW_DOWN = 0.32, 0.1
INK = (20, 20, 20)

TARGETS: dict[str, dict[str, float]] = {
    "brow_lift": {"brow": 1.0},
    "frown": {"brow": -1.0},
    "gentle_eye_closure": {"eyes": 0.9},
    "tight_eye_closure": {"eyes": 1.0, "squeeze": 1.0},
    "snarl": {"snarl": 1.0},
    "closed_smile": {"smile": 1.0},
    "open_smile": {"smile": 1.0, "open": 0.7},
    "lip_pucker": {"pucker": 1.0},
    "cheek_puff": {"puff": 1.0},
    "lower_lip_depression": {"lip_down": 1.0},
    "lip_press": {"press": 1.0},
    "eee_ooo": {"smile": 1.0},
    "none": {},
}


def pose_for(metric: str, amount: float, t: float = 0.0) -> dict[str, float]:
    """The pose for ``metric`` at ``amount`` (0 relaxed .. 1 full); eee_ooo alternates with time."""
    if metric == "eee_ooo":
        wave = 0.5 + 0.5 * math.sin(t * 1.6)
        return {"smile": amount * wave, "pucker": amount * (1 - wave)}
    return {k: v * amount for k, v in TARGETS.get(metric, {}).items()}


# Content animation parts (docs/content.md) -> this drawing's pose names and weights.
PARTS = {
    "brows_up": (("brow", 1.0),),
    "brows_together": (("brow", -1.0),),
    "eyes_closed": (("eyes", 1.0),),
    "eyes_squeeze": (("squeeze", 1.0),),
    "nose_wrinkle": (("snarl", 1.0),),
    "smile_closed": (("smile", 1.0),),
    "smile_open": (("smile", 1.0), ("open", 0.7)),
    "lips_pucker": (("pucker", 1.0),),
    "cheeks_puff": (("puff", 1.0),),
    "lower_lip_down": (("lip_down", 1.0),),
    "lips_press": (("press", 1.0),),
    "mouth_wide": (("smile", 0.8), ("open", 0.2)),
    "jaw_open": (("open", 1.0),),
}


def pose_from_parts(parts: dict[str, float], amount: float = 1.0) -> dict[str, float]:
    """Translate a content animation pose into this drawing's pose, scaled by ``amount``."""
    pose: dict[str, float] = {}
    for part, value in parts.items():
        for name, weight in PARTS.get(part, ()):
            pose[name] = pose.get(name, 0.0) + weight * value * amount
    return pose


def peak_parts(keyframes: tuple) -> dict[str, float]:
    """The fullest value of each part over an animation's keyframes (the held position)."""
    peak: dict[str, float] = {}
    for frame in keyframes:
        for part, value in frame.pose:
            peak[part] = max(peak.get(part, 0.0), value)
    return peak


def draw_face(surface: pygame.Surface, box: pygame.Rect, pose: dict[str, float]) -> None:
    """Draw the face into ``box`` in the given pose."""
    cx, cy = box.center
    r = min(box.width, box.height) // 2 - 4
    puff = pose.get("puff", 0.0)
    pygame.draw.ellipse(
        surface, SKIN, pygame.Rect(cx - r * (0.8 + 0.08 * puff), cy - r, r * (1.6 + 0.16 * puff), 2 * r)
    )
    pygame.draw.ellipse(surface, INK, pygame.Rect(cx - r * 0.8, cy - r, r * 1.6, 2 * r), 3)
    w = max(2, r // 25)
    eye_dx, eye_y = r * 0.32, cy - r * 0.18
    close = min(1.0, pose.get("eyes", 0.0))
    for side in (-1, 1):
        ex = cx + side * eye_dx
        h = max(2, r * 0.16 * (1 - close))
        pygame.draw.ellipse(surface, (255, 255, 255), pygame.Rect(ex - r * 0.14, eye_y - h / 2, r * 0.28, h))
        pygame.draw.ellipse(surface, INK, pygame.Rect(ex - r * 0.14, eye_y - h / 2, r * 0.28, h), w)
        if close < 0.7:
            pygame.draw.circle(surface, INK, (int(ex), int(eye_y)), max(2, int(r * 0.05)))
        brow = pose.get("brow", 0.0)
        by = brow_y(eye_y, r, brow, pose.get("squeeze", 0.0))
        inner = by + r * 0.06 * max(0.0, -brow)
        pygame.draw.line(surface, INK, (ex - side * r * 0.16, inner), (ex + side * r * 0.16, by), w + 2)
    if (raised := pose.get("brow", 0.0)) > 0.15:
        # Forehead lines show a raised brow at a glance, not only the brows' few pixels.
        for k in range(3):
            y = cy - r * (0.62 + 0.1 * k)
            half = r * (0.3 - 0.04 * k) * min(1.0, raised * 1.6)
            pygame.draw.line(surface, INK, (cx - half, y), (cx + half, y), max(1, w - 1))
    nose_y = cy + r * 0.12
    pygame.draw.line(surface, INK, (cx, cy - r * 0.05), (cx - r * 0.06, nose_y), w)
    pygame.draw.line(surface, INK, (cx - r * 0.06, nose_y), (cx + r * 0.05, nose_y), w)
    if (snarl := pose.get("snarl", 0.0)) > 0.05:
        for k in (-1, 1):
            pygame.draw.line(
                surface,
                INK,
                (cx + k * r * 0.09, nose_y - r * 0.1 * snarl),
                (cx + k * r * 0.16, nose_y - r * 0.16 * snarl),
                w,
            )
    _draw_mouth(surface, cx, cy + r * 0.45, r, pose, w)
    if puff > 0.05:
        for k in (-1, 1):
            pygame.draw.arc(
                surface,
                INK,
                pygame.Rect(cx + k * r * 0.55 - r * 0.2, cy + r * 0.1, r * 0.4, r * 0.5),
                -math.pi / 2 if k > 0 else math.pi / 2,
                math.pi / 2 if k > 0 else 3 * math.pi / 2,
                w,
            )


def brow_y(eye_y: float, r: float, brow: float, squeeze: float = 0.0) -> float:
    """Where a brow is drawn: raised well clear of the eye (visible at a glance), lowered a little."""
    lift = BROW_UP * brow if brow > 0 else BROW_DOWN * brow
    return eye_y - r * (0.2 + lift) - r * 0.04 * squeeze


def _draw_mouth(surface: pygame.Surface, mx: float, my: float, r: float, pose: dict[str, float], w: int) -> None:
    pucker = pose.get("pucker", 0.0)
    smile = pose.get("smile", 0.0)
    half = r * (0.28 + 0.1 * smile - 0.16 * pucker - 0.04 * pose.get("press", 0.0))
    lift = r * 0.12 * smile
    opening = r * 0.18 * pose.get("open", 0.0) + r * 0.08 * pose.get("lip_down", 0.0)
    if pucker > 0.5:
        pygame.draw.ellipse(surface, (150, 40, 40), pygame.Rect(mx - half, my - r * 0.08, 2 * half, r * 0.16))
        pygame.draw.ellipse(surface, INK, pygame.Rect(mx - half, my - r * 0.08, 2 * half, r * 0.16), w)
        return
    left, right = (mx - half, my - lift), (mx + half, my - lift)
    points_top = [left, (mx, my + lift * 0.4), right]
    points_bottom = [right, (mx, my + lift * 0.4 + opening + r * 0.02), left]
    if opening > 1:
        pygame.draw.polygon(surface, (90, 20, 20), points_top + points_bottom)
    pygame.draw.lines(surface, INK, False, points_top, w + 1)
    if opening > 1:
        pygame.draw.lines(surface, INK, False, points_bottom, w + 1)


def contrast_ok() -> bool:
    """The drawing's outline is dark on light skin: readable for low vision."""
    return theme.contrast_ratio(INK, SKIN) >= 7.0
