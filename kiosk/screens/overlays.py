"""Screens that take over: the protected reminder and the end-of-session summary."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk.ui import theme
from kiosk.ui.painter import Painter


@dataclass(frozen=True)
class ReminderModel:
    """An eye-care reminder that stays until it is acknowledged."""

    title: str  # e.g. "Time for your eye drops"
    instruction: str
    minutes_late: int = 0
    level: int = 0  # escalation level: 0 first announcement, higher is more urgent


class ReminderOverlay:
    """Full screen, high contrast; one big Done button. It has no dismiss or cancel button."""

    name = "reminder"

    def draw(self, p: Painter, model: ReminderModel) -> None:
        paper = theme.WARNING_BG
        p.clear(paper)
        w, h = p.size
        m = p.px(24)
        p.text(model.title, "heading", theme.WARNING_TEXT, paper=paper, topleft=(m, m))
        y = p.paragraph(
            model.instruction,
            "body",
            pygame.Rect(m, p.px(100), w - 2 * m, p.px(200)),
            theme.WARNING_TEXT,
            paper,
            max_lines=4,
        )
        if model.minutes_late > 0:
            p.text(
                f"This was due {model.minutes_late} minutes ago.",
                "body",
                theme.WARNING_TEXT,
                paper=paper,
                topleft=(m, y + p.px(8)),
            )
        bw, bh = p.px(360), p.px(theme.TOUCH_MIN_PX + 16)
        p.button(
            "Done", pygame.Rect((w - bw) // 2, h - bh - p.px(24), bw, bh), "acknowledge", theme.BACKGROUND, theme.TEXT
        )

    @staticmethod
    def action_for_key(key: str) -> str | None:
        return "acknowledge" if key in ("return", "enter", "d") else None


@dataclass(frozen=True)
class SummaryLine:
    """One exercise in the end-of-session summary."""

    name: str
    reps_done: int
    reps_planned: int
    left_pct: float | None
    right_pct: float | None

    def words(self) -> str:
        done = f"{self.name}: {self.reps_done} of {self.reps_planned}"
        if self.left_pct is None or self.right_pct is None:
            return done + " (not measured)"
        return done + f", right {self.right_pct:.0f}%, left {self.left_pct:.0f}% (estimate)"


STIMULATION_WORDS = {
    "finished": "Stimulation: finished.",
    "stopped": "Stimulation: stopped early.",
    "skipped": "Stimulation: skipped today.",
    "not allowed": "Stimulation: not used. Please talk to your therapist.",
    "not started": "Stimulation: not started.",
}


@dataclass(frozen=True)
class SummaryModel:
    """The end of a session, also spoken."""

    status: str  # done | partial
    minutes: float
    lines: tuple[SummaryLine, ...]
    stimulation: str = ""  # the block's outcome (stim_flow.StimulationPart.outcome); "" when none

    def spoken(self) -> str:
        head = (
            "Well done. You finished your exercises."
            if self.status == "done"
            else "We stopped early. That is fine; what you did is saved."
        )
        done = sum(1 for line in self.lines if line.reps_done)
        words = f"{head} You did {done} exercises in {self.minutes:.0f} minutes."
        return f"{words} {self.stimulation_words()}".strip()

    def stimulation_words(self) -> str:
        """One plain sentence about the stimulation block, or '' when the plan has none."""
        return STIMULATION_WORDS.get(self.stimulation, "")


class SummaryScreen:
    """What was done, with camera numbers labelled as estimates; one Home button."""

    name = "summary"

    def draw(self, p: Painter, model: SummaryModel) -> None:
        p.clear()
        w, h = p.size
        m = p.px(16)
        p.text("Well done" if model.status == "done" else "Stopped early", "heading", topleft=(m, m))
        y = p.px(76)
        stimulation = model.stimulation_words()
        for line in model.lines[: 3 if stimulation else 4]:
            y = p.paragraph(line.words(), "small", pygame.Rect(m, y, w - 2 * m, p.px(80)), max_lines=2)
        if stimulation:
            p.paragraph(stimulation, "small", pygame.Rect(m, y, w - 2 * m, p.px(80)), max_lines=2)
        note = "Movement is an estimate from the camera, not a diagnosis."
        p.paragraph(note, "small", pygame.Rect(m, h - p.px(110), w - p.px(300), p.px(90)), theme.MUTED, max_lines=2)
        bw, bh = p.px(240), p.px(theme.TOUCH_MIN_PX + 8)
        p.button("Home", pygame.Rect(w - bw - m, h - bh - m, bw, bh), "home")

    @staticmethod
    def action_for_key(key: str) -> str | None:
        return "home" if key in ("return", "enter", "space", "escape") else None
