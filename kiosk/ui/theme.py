"""Colours and sizes chosen for elderly eyes: high contrast (>= 7:1), big text, big targets.

Sizes are given for an 800x480 panel and scaled with the real screen.
"""

from __future__ import annotations

from dataclasses import dataclass

Colour = tuple[int, int, int]

BACKGROUND: Colour = (16, 20, 24)
TEXT: Colour = (245, 245, 245)
MUTED: Colour = (200, 204, 208)
BUTTON: Colour = (255, 214, 10)
BUTTON_TEXT: Colour = (0, 0, 0)
STOP: Colour = (170, 0, 0)
STOP_TEXT: Colour = (255, 255, 255)
WARNING_BG: Colour = (255, 214, 10)
WARNING_TEXT: Colour = (0, 0, 0)
OK: Colour = (120, 230, 140)
BAD: Colour = (255, 150, 140)

BASE_WIDTH, BASE_HEIGHT = 800, 480
BODY_PX = 34
HEADING_PX = 56
CLOCK_PX = 120
SMALL_PX = 32  # never smaller than body minimum
TOUCH_MIN_PX = 88


def relative_luminance(colour: Colour) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class Scale:
    """Scales 800x480 design sizes to the real screen."""

    width: int
    height: int

    @property
    def factor(self) -> float:
        return max(1.0, min(self.width / BASE_WIDTH, self.height / BASE_HEIGHT))

    def px(self, size: int) -> int:
        return round(size * self.factor)
