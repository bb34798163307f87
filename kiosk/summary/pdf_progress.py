"""The PDF paragraph of the progress section: flags first, then answers and baseline-to-now sentences."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Paragraph

from kiosk.summary.progress_section import flag_lines

STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("progress_body", parent=STYLES["BodyText"], fontSize=10, leading=13)
MAX_FLAGS = 20
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
    feel = ", ".join(f"{k} {v}" for k, v in section["feel_counts"].items())
    eye = ", ".join(f"{k} {v}" for k, v in section["eye_counts"].items())
    answered = len({a["session_id"] for a in section["answers"]})
    out.append(
        Paragraph(
            escape(f"After-session answers from {answered} session(s). How it felt: {feel}. Eye problems: {eye}."),
            BODY,
        )
    )
    lines = [line for change in section["baseline_to_now"] for line in change["sentences"]]
    if lines:
        out.append(Paragraph(escape(" ".join(lines)) + " <i>(camera estimates, not a diagnosis)</i>", BODY))
    else:
        out.append(Paragraph(NO_COMPARISON, BODY))
    return out
