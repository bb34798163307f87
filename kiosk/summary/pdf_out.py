"""The human summary: an A4 PDF with key figures, charts and tables, readable in black and white."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kiosk.summary.pdf_charts import adherence_calendar, eye_care_timeline, trend_chart
from kiosk.summary.pdf_progress import progress_pdf
from kiosk.summary.wording import (
    calendar_chunks,
    count,
    day_chunks,
    eye_care_rows,
    grain,
    num,
    share,
    signed,
    span,
    windows_text,
)

STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontSize=10, leading=13)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10)
MAX_ROWS = 40


def _cell(value: Any) -> Any:
    """Short values as text; long ones as a wrapping paragraph (escaped)."""
    text = "" if value is None else str(value)
    return Paragraph(escape(text), SMALL) if len(text) > 30 else text


def _table(rows: list[list[Any]], widths: list[float] | None = None) -> Table:
    table = Table([[_cell(c) for c in r] for r in rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("GRID", (0, 1), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _front(s: dict[str, Any]) -> list[Any]:
    a, eye, st = s["adherence"], s["eye_care"], s["stimulation"]
    title = "FaceCoach home practice summary" + (" (SYNTHETIC DEMO DATA)" if s["synthetic"] else "")
    out: list[Any] = [
        Paragraph(title, STYLES["Title"]),
        Paragraph(
            f"Patient {s['patient']} &middot; {s['period']['from']} to {s['period']['to']} ({s['period']['days']} days)"
            f" &middot; plan version {num(s['plan']['current_version'], '', 0, 'none')}"
            f" &middot; device {s['device']['id']}",
            BODY,
        ),
        Spacer(1, 4 * mm),
    ]
    missed = sum(i["missed"] for i in eye["items"])
    late = sum(i["late"] for i in eye["items"])
    windows = windows_text(a["windows"])
    night = eye["night_routine"]
    night_text = f"{night['nights_done']} of {count(night['nights_due'], 'night')}"
    if night["missed_nights"]:
        shown = ", ".join(night["missed_nights"][:6]) + (" ..." if len(night["missed_nights"]) > 6 else "")
        night_text += f" (missed: {shown})"
    figures = [
        ["Figure", "Value"],
        [
            "Sessions done / planned",
            f"{a['sessions_done']} of {count(a['sessions_planned'], 'session')}"
            f" ({share(a['done_rate'], 'none planned')})"
            + (f", plus {count(a['sessions_extra'], 'extra session')}" if a.get("sessions_extra") else ""),
        ],
        [
            "Sessions partly done / missed",
            f"{count(a['sessions_partial'], 'session')} / {count(a['sessions_missed'], 'session')}",
        ],
        ["Time exercising", num(a["minutes"], "min", 0)],
        ["Days with data per 30-day window", windows],
        ["Eye-care reminders late / missed", f"{count(late, 'reminder')} / {count(missed, 'reminder')}"],
        ["Night eye routine done", night_text],
        ["Caregiver alerts", count(eye["caregiver_alerts"], "alert")],
        [
            "Stimulation blocks (stopped early)",
            f"{count(st['block_count'], 'block')} ({count(st['stopped_early'], 'block')})",
        ],
        ["Patient-reported issues", count(len(s["patient_reports"]), "report")],
        ["Plans refused", count(s["plan"]["refused"], "plan")],
    ]
    out += [_table(figures, [70 * mm, 100 * mm]), Spacer(1, 4 * mm)]
    out.append(Paragraph("<b>Adherence calendar</b>", BODY))
    out += [adherence_calendar(chunk) for chunk in calendar_chunks(a["calendar"])]
    return out


def _movement(s: dict[str, Any]) -> list[Any]:
    out: list[Any] = [
        PageBreak(),
        Paragraph("Movement and symmetry (estimates)", STYLES["Heading2"]),
        Paragraph(
            "Camera measures are self-tracking estimates, not a diagnosis. Left and right are the "
            "patient's own sides. Symmetry ratio: weaker side over stronger side (1 = equal).",
            SMALL,
        ),
    ]
    rows = [["Exercise", "Left side", "Right side", "Left, % of own reference", "Symmetry", "Trend", "Holds"]]
    for ex in s["exercises"]:
        lm, rm = ex["left"]["movement_mm"], ex["right"]["movement_mm"]
        sym, hold = ex["symmetry"], ex["hold"]
        holds = (
            f"{hold['holds_meeting_target']} of {count(hold['holds_with_target'], 'hold')} on target"
            if hold["holds_with_target"]
            else "no hold measured"
        )
        rows.append(
            [
                ex["exercise"],
                span(lm["start"], lm["end"], "mm"),
                span(rm["start"], rm["end"], "mm"),
                num(ex["left"]["pct_of_baseline"]["end"], "%", 0, "not measured"),
                span(sym["start"], sym["end"], "", 2),
                signed(sym["slope_per_week"], "per week"),
                holds,
            ]
        )
    out.append(_table(rows))
    for ex in s["exercises"]:
        chart = trend_chart(ex, s["period"]["from"])
        out += [Spacer(1, 3 * mm), chart or Paragraph(f"{ex['exercise']}: not measured by the camera.", SMALL)]
    return out


def _estimates(s: dict[str, Any]) -> list[Any]:
    sb = s["sunnybrook_estimate"]
    out: list[Any] = [
        PageBreak(),
        Paragraph("Sunnybrook-style estimate", STYLES["Heading2"]),
        Paragraph(sb["label"], SMALL),
    ]
    rows = [["Expression", "Movement 1-5", "Synkinesis 0-3", "Evidence"]]
    for e in sb["expressions"]:
        ev = e.get("evidence") or {}
        rows.append(
            [
                e["expression"],
                num(e.get("voluntary_movement"), "of 5", 0, "not estimated"),
                num(e.get("synkinesis"), "of 3", 0, "not estimated"),
                f"{count(e['results_used'], 'result')}; median symmetry "
                f"{num(ev.get('median_symmetry_ratio'), '', 2)}; co-movement in "
                f"{share(ev.get('synkinesis_share'))} of results",
            ]
        )
    out.append(_table(rows, [45 * mm, 22 * mm, 24 * mm, 80 * mm]))
    totals = (
        f"Resting symmetry {num(sb['resting_symmetry_score'], 'of 4', 0, 'withheld')}; "
        f"voluntary movement {num(sb['voluntary_movement_score'], 'of 100', 0, 'not estimated')}; synkinesis "
        f"{num(sb['synkinesis_score'], 'of 15', 0, 'not estimated')}; composite "
        f"{num(sb['composite_score'], 'points', 0, 'not estimated')}. " + " ".join(sb["notes"])
    )
    out += [Spacer(1, 2 * mm), Paragraph(totals, SMALL), Spacer(1, 4 * mm), Paragraph("<b>Synkinesis flags</b>", BODY)]
    flags = [["Exercise", "Flag", "Seen in", "Share", "First seen", "Last seen", "Blocked stimulation"]]
    flags += [
        [
            f["exercise"],
            f["flag"],
            count(f["count"], "result"),
            share(f["share_of_results"]),
            (f["first_seen"] or "")[:10],
            (f["last_seen"] or "")[:10],
            count(f.get("blocked_stimulation", 0), "time"),
        ]
        for f in s["synkinesis_flags"]
    ]
    out.append(
        _table(flags) if len(flags) > 1 else Paragraph("The camera flagged no co-movement in this period.", SMALL)
    )
    return out


def _eye_care(s: dict[str, Any]) -> list[Any]:
    eye = s["eye_care"]
    out: list[Any] = [PageBreak(), Paragraph("Eye care", STYLES["Heading2"])]
    rows = [["Item", "Kind", "Due", "On time", "Late", "Missed"]]
    rows += [
        [i["item_id"], i["kind"], *(count(i[k], "time") for k in ("due", "on_time", "late", "missed"))]
        for i in eye["items"]
    ]
    out += [
        _table(rows),
        Spacer(1, 2 * mm),
        Paragraph(f"Late means acknowledged more than {eye['late_after_minutes']} minutes after it was due.", SMALL),
    ]
    days = [d["date"] for d in s["adherence"]["calendar"]]
    unit = grain(len(days))
    if unit == "day":
        out += [eye_care_timeline(eye["reminders"], chunk) for chunk in day_chunks(days)]
    else:
        out += [Paragraph(f"<b>Eye-care reminders per {unit}</b>", BODY), _table(eye_care_rows(eye["reminders"], unit))]
    if eye.get("cancelled"):
        out.append(Paragraph(f"{count(eye['cancelled'], 'reminder')} cancelled by a new plan (not counted).", SMALL))
    return out


def _others(s: dict[str, Any]) -> list[Any]:
    st, dq, dh = s["stimulation"], s["data_quality"], s["device_health"]
    out: list[Any] = [PageBreak(), Paragraph("Stimulation blocks", STYLES["Heading2"])]
    blocks = [["Start", "Length", "Side", "Sites", "Highest", "How it ended"]]
    blocks += [
        [
            b["started_at"][:16].replace("T", " "),
            num(b["minutes"], "min"),
            b["side"],
            ", ".join(b["sites"]) or "not recorded",
            num(b["max_amplitude_ma"], "mA"),
            b["end_words"] + (f": {b['stop_reason']}" if b["stopped_early"] and b["stop_reason"] else ""),
        ]
        for b in st["blocks"][-MAX_ROWS:]
    ]
    out.append(_table(blocks) if len(blocks) > 1 else Paragraph("No stimulation in this period.", SMALL))
    out += [Paragraph("Patient-reported issues", STYLES["Heading2"])]
    reports = [["When", "Source", "Issue", "Words"]]
    reports += [
        [(r["at"] or "")[:16].replace("T", " "), r["source"], r["issue"], r["text"]]
        for r in s["patient_reports"][-MAX_ROWS:]
    ]
    out.append(
        _table(reports) if len(reports) > 1 else Paragraph("The patient reported no issues in this period.", SMALL)
    )
    out += [Paragraph("Data quality and device health", STYLES["Heading2"])]
    reasons = ", ".join(f"{k} {count(v, 'frame')}" for k, v in dq["rejected_reasons"].items()) or "none"
    lines = [
        f"Camera frames refused: {dq['frames_rejected']} of {count(dq['frames_total'], 'frame')} "
        f"({share(dq['rejected_share'], 'no frames')}); why: {reasons}.",
        f"Exercise results without a measurement: {count(dq['results_without_measurement'], 'result')}"
        f" (massage and relaxation, which the camera does not measure: "
        f"{count(dq.get('results_not_camera_exercises', 0), 'result')}). "
        f"Unreadable stored rows: {count(len(dq['unreadable_rows']), 'row')}.",
        f"Kiosk on for {num(dh['uptime_hours'], 'h', 1, 'an unknown time')}, off for "
        f"{num(dh['time_off_hours'], 'h', 1, 'an unknown time')}; {count(dh['restarts'], 'restart')} "
        f"({dh['unclean_restarts']} unclean). " + " ".join(dh["notes"]),
    ]
    out += [Paragraph(line, BODY) for line in lines]
    refused = [p for p in s["plan"]["received"] if p["reason"]]
    if refused:
        out += [Paragraph("Plans received", STYLES["Heading2"])]
        out.append(
            _table(
                [["Version", "Received", "Status", "Reason"]]
                + [
                    [
                        num(p["version"], "", 0, "unknown"),
                        (p["received_at"] or "unknown")[:16],
                        p["status"],
                        p["reason"],
                    ]
                    for p in refused
                ]
            )
        )
    return out


def _footer(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.drawString(
        15 * mm, 10 * mm, f"FaceCoach summary {doc.title} - page {doc.page}. Estimates are not a diagnosis."
    )
    canvas.restoreState()


def to_pdf_bytes(summary: dict[str, Any]) -> bytes:
    """The summary as PDF bytes (A4)."""
    buffer = io.BytesIO()
    title = f"{summary['patient']} {summary['period']['from']} to {summary['period']['to']}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="FaceCoach kiosk",
        invariant=1,
    )
    story = _front(summary) + _movement(summary) + _estimates(summary) + _eye_care(summary) + _others(summary)
    story += progress_pdf(summary)  # issue 23: comfort, eye checks, baseline (when the summary has them)
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
