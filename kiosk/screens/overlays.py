"""Screens that take over: the protected reminder and the end-of-session summary.

Their words come from content (``[screen]`` and ``[session]`` phrases) in the patient's language;
the English ones below keep the models usable without content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from content.i18n import DEFAULT_LANGUAGE, fill, phrase
from kiosk.ui import layout, theme
from kiosk.ui.movement_words import movement_words
from kiosk.ui.painter import Painter

# English defaults of the summary sentences (content/lang/en/phrases.toml [session] summary_* and
# stimulation_*); a session plan carries its language's versions in ``SessionPlan.words``.
SUMMARY_WORDS = {
    "summary_done": "Well done. You finished your exercises.",
    "summary_partial": "We stopped early. That is fine; what you did is saved.",
    "summary_count": "You did {count} {count|exercise|exercises} in {minutes} {minutes|minute|minutes}.",
    "summary_title_done": "Well done",
    "summary_title_partial": "Stopped early",
    "summary_line": "{name}: {done} of {planned}",
    "summary_not_measured": "(not measured)",
    "summary_sides": "right side: {right}; left side: {left} (estimate)",
    "summary_note": "Movement is an estimate from the camera, not a diagnosis.",
    "stimulation_finished": "Stimulation: finished.",
    "stimulation_stopped": "Stimulation: stopped early.",
    "stimulation_skipped": "Stimulation: skipped today.",
    "stimulation_not_allowed": "Stimulation: not used. Please talk to your therapist.",
    "stimulation_not_started": "Stimulation: not started.",
}


@dataclass(frozen=True)
class ReminderModel:
    """An eye-care reminder that stays until it is acknowledged."""

    title: str  # e.g. "Time for your eye drops"
    instruction: str
    minutes_late: int = 0
    level: int = 0  # escalation level: 0 first announcement, higher is more urgent
    lang: str = DEFAULT_LANGUAGE


class ReminderOverlay:
    """Full screen, high contrast; one big Done button. It has no dismiss or cancel button."""

    name = "reminder"

    def draw(self, p: Painter, model: ReminderModel) -> None:
        paper = theme.WARNING_BG
        p.clear(paper)
        w, h = p.size
        m = p.px(24)
        p.label(model.title, "heading", pygame.Rect(m, m, w - 2 * m, p.px(60)), ink=theme.WARNING_TEXT, paper=paper)
        bw, bh = p.px(360), p.px(theme.TOUCH_MIN_PX + 16)
        done = pygame.Rect((w - bw) // 2, h - bh - p.px(24), bw, bh)
        y = p.px(90)
        if model.minutes_late > 0:  # under the title, so the instruction below keeps all its room
            late = phrase("screen.due_minutes_ago", model.lang, minutes=model.minutes_late)
            y = p.label(late, "small", pygame.Rect(m, y, w - 2 * m, p.px(34)), ink=theme.WARNING_TEXT, paper=paper)
            y = y.bottom + p.px(6)
        # The whole instruction fits (smaller if need be) above Done: the German night care needs six lines.
        box = pygame.Rect(m, y, w - 2 * m, done.top - y - p.px(8))
        p.paragraph(model.instruction, "body", box, theme.WARNING_TEXT, paper)
        p.button(phrase("screen.done", model.lang), done, "acknowledge", theme.BACKGROUND, theme.TEXT)


@dataclass(frozen=True)
class SummaryLine:
    """One exercise in the end-of-session summary."""

    name: str
    reps_done: int
    reps_planned: int
    left_pct: float | None
    right_pct: float | None

    def words(self, words: dict[str, str] = SUMMARY_WORDS, lang: str = DEFAULT_LANGUAGE) -> str:
        """One line: the exercise, reps done of planned, and each side's movement in words when measured."""
        done = words["summary_line"].format(name=self.name, done=self.reps_done, planned=self.reps_planned)
        if self.left_pct is None or self.right_pct is None:
            return f"{done} {words['summary_not_measured']}"
        right, left = movement_words(self.right_pct, lang), movement_words(self.left_pct, lang)
        return f"{done}, {words['summary_sides'].format(right=right, left=left)}"


@dataclass(frozen=True)
class SummaryModel:
    """The end of a session, also spoken."""

    status: str  # done | partial
    minutes: float
    lines: tuple[SummaryLine, ...]
    stimulation: str = ""  # the block's outcome (stim_flow.StimulationPart.outcome); "" when none
    words: dict[str, str] = field(default_factory=lambda: dict(SUMMARY_WORDS))  # in the patient's language
    lang: str = DEFAULT_LANGUAGE  # for the screen's own words (the Home button)

    def word(self, key: str, **values: object) -> str:
        """The summary sentence ``key`` in the plan's language (English when it has none)."""
        text = self.words.get(key) or SUMMARY_WORDS[key]
        return fill(text, self.lang, **values) if values else text

    def spoken(self) -> str:
        head = self.word("summary_done" if self.status == "done" else "summary_partial")
        done = sum(1 for line in self.lines if line.reps_done)
        words = f"{head} {self.word('summary_count', count=done, minutes=max(1, round(self.minutes)))}"
        return f"{words} {self.stimulation_words()}".strip()

    def stimulation_words(self) -> str:
        """One plain sentence about the stimulation block, or '' when the plan has none."""
        key = "stimulation_" + self.stimulation.replace(" ", "_")
        return self.word(key) if self.stimulation and key in SUMMARY_WORDS else ""

    def line_words(self, line: SummaryLine) -> str:
        """One exercise's line in the plan's language."""
        keys = ("summary_line", "summary_not_measured", "summary_sides")
        return line.words({key: self.word(key) for key in keys}, self.lang)


def summary_pages(p: Painter, entries: list[str], area: pygame.Rect) -> list[list[str]]:
    """The summary's entries in pages of whole entries that fit ``area`` (an entry is never split)."""
    pages: list[list[str]] = [[]]
    used = 0
    for entry in entries:
        lines = len(layout.wrap(entry, p.measure("small"), area.width))
        height = p.block_height("small", lines) + p.px(8)
        if pages[-1] and used + height > area.height:
            pages.append([])
            used = 0
        pages[-1].append(entry)
        used += height
    return pages


class SummaryScreen:
    """What was done, with camera numbers labelled as estimates; one Home button."""

    name = "summary"

    def draw(self, p: Painter, model: SummaryModel, page: int = 0) -> None:
        """The title, then as many whole exercise lines as fit (more show in turns), the note, Home."""
        p.clear()
        w, h = p.size
        m = p.px(16)
        title = model.word("summary_title_done" if model.status == "done" else "summary_title_partial")
        p.label(title, "heading", pygame.Rect(m, m, w - 2 * m, p.px(60)))
        bw, bh = p.px(180), p.px(theme.TOUCH_MIN_PX + 8)  # narrow Home: the note beside it needs the room
        area = pygame.Rect(m, p.px(80), w - 2 * m, h - bh - 2 * m - p.px(86))
        entries = [model.line_words(line) for line in model.lines]
        if stimulation := model.stimulation_words():
            entries.append(stimulation)
        y = area.y
        pages = summary_pages(p, entries, area)
        for entry in pages[page % len(pages)]:
            y = p.paragraph(entry, "small", pygame.Rect(area.x, y, area.width, area.bottom - y)) + p.px(4)
        note = pygame.Rect(m, h - bh - m, w - bw - 3 * m, bh)
        p.paragraph(model.word("summary_note"), "small", note, theme.MUTED)
        p.button(phrase("screen.home", model.lang), pygame.Rect(w - bw - m, h - bh - m, bw, bh), "home")
