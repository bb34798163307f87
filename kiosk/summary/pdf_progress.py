"""The PDF paragraph of the progress section: flags first, then answers and baseline-to-now sentences."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Paragraph

from kiosk.summary.progress_section import flag_lines
from kiosk.summary.wording import count

STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("progress_body", parent=STYLES["BodyText"], fontSize=10, leading=13)
MAX_FLAGS = 20
MAX_WEEKS = 26
NO_PHOTOS = "No standard photos were taken in this period."
NO_COMPARISON = "No baseline comparison yet (no baseline, or nothing measured in the last two weeks)."


def progress_pdf(summary: dict[str, Any]) -> list[Any]:
    """A heading and one paragraph per part; nothing when the summary has no progress section."""
    section = summary.get("progress")
    if not section:
        return []
    out: list[Any] = [Paragraph("Comfort, eye checks and progress against the baseline", STYLES["Heading2"])]
    flags = flag_lines(section)
    if flags:
        shown = flags[-MAX_FLAGS:]
        out.append(Paragraph("<b>Flagged:</b> " + escape("; ".join(shown)) + ".", BODY))
    feel = _counts(section["feel_counts"])
    eye = _counts(section["eye_counts"])
    answered = len({a["session_id"] for a in section["answers"]})
    out.append(
        Paragraph(
            escape(
                f"After-session answers from {count(answered, 'session')}. How it felt: {feel}. Eye problems: {eye}."
            ),
            BODY,
        )
    )
    weeks = [f"week of {w['week_start']}: {_counts(w['answers'])}" for w in section["weekly"][-MAX_WEEKS:]]
    if weeks:
        out.append(Paragraph("<b>Answers per week:</b> " + escape("; ".join(weeks)) + ".", BODY))
    out.append(Paragraph(escape(photo_line(section.get("photos", []))), BODY))
    lines = [line for change in section["baseline_to_now"] for line in change["sentences"]]
    if lines:
        out.append(Paragraph(escape(" ".join(lines)) + " <i>(camera estimates, not a diagnosis)</i>", BODY))
    else:
        out.append(Paragraph(NO_COMPARISON, BODY))
    return out


def _counts(counts: dict[str, int]) -> str:
    """``{"not_answered": 1, "eye_red": 2}`` as "not answered 1, eye red 2"."""
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items())


def photo_line(photos: list[dict[str, Any]]) -> str:
    """The standard photos' dates and views (never the pictures), or that there are none."""
    if not photos:
        return NO_PHOTOS
    taken = "; ".join(f"{p['taken_at'][:16].replace('T', ' ')} {p['view'].replace('_', ' ')}" for p in photos)
    sent = any(p.get("attached") for p in photos)
    where = "sent beside this summary as sealed attachments" if sent else "kept sealed on the kiosk"
    return f"Standard photos ({len(photos)}), {where}: {taken}."
