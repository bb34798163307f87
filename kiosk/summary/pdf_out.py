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


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def _front(s: dict[str, Any]) -> list[Any]:
    a, eye, st = s["adherence"], s["eye_care"], s["stimulation"]
    title = "FaceCoach home practice summary" + (" (SYNTHETIC DEMO DATA)" if s["synthetic"] else "")
    out: list[Any] = [
        Paragraph(title, STYLES["Title"]),
        Paragraph(
            f"Patient {s['patient']} &middot; {s['period']['from']} to {s['period']['to']} ({s['period']['days']} days)"
            f" &middot; plan version {s['plan']['current_version'] or '-'} &middot; device {s['device']['id']}",
            BODY,
        ),
        Spacer(1, 4 * mm),
    ]
    missed = sum(i["missed"] for i in eye["items"])
    late = sum(i["late"] for i in eye["items"])
    windows = "; ".join(f"{w['from']}..{w['to']}: {w['days_with_data']}/{w['days']}" for w in a["windows"])
    figures = [
        ["Figure", "Value"],
        ["Sessions done / planned", f"{a['sessions_done']} / {a['sessions_planned']} ({_pct(a['done_rate'])})"],
        ["Sessions partly done / missed", f"{a['sessions_partial']} / {a['sessions_missed']}"],
        ["Minutes of exercise", f"{a['minutes']:.0f}"],
        ["Days with data per 30-day window", windows],
        ["Eye-care reminders late / missed", f"{late} / {missed}"],
        [
            "Night eye routine done",
            f"{eye['night_routine']['nights_done']} of {eye['night_routine']['nights_due']} nights"
            + (
                f" (missed: {', '.join(eye['night_routine']['missed_nights'][:6])})"
                if eye["night_routine"]["missed_nights"]
                else ""
            ),
        ],
        ["Caregiver alerts", eye["caregiver_alerts"]],
        ["Stimulation blocks (stopped early)", f"{st['block_count']} ({st['stopped_early']})"],
        ["Patient-reported issues", len(s["patient_reports"])],
        ["Plans refused", s["plan"]["refused"]],
    ]
    out += [_table(figures, [70 * mm, 100 * mm]), Spacer(1, 4 * mm)]
    out.append(Paragraph("<b>Adherence calendar</b>", BODY))
    out.append(adherence_calendar(a["calendar"]))
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
    rows = [
        [
            "Exercise",
            "Left mm start-end",
            "Right mm start-end",
            "Left % baseline",
            "Symmetry start-end",
            "per week",
            "Holds on target",
        ]
    ]
    for ex in s["exercises"]:
        lm, rm = ex["left"]["movement_mm"], ex["right"]["movement_mm"]
        sym, hold = ex["symmetry"], ex["hold"]
        rows.append(
            [
                ex["exercise"],
                f"{lm['start']} - {lm['end']}",
                f"{rm['start']} - {rm['end']}",
                ex["left"]["pct_of_baseline"]["end"],
                f"{sym['start']} - {sym['end']}",
                sym["slope_per_week"],
                f"{hold['holds_meeting_target']}/{hold['holds_with_target']}",
            ]
        )
    out.append(_table(rows))
    for ex in s["exercises"]:
        out += [Spacer(1, 3 * mm), trend_chart(ex, s["period"]["from"])]
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
                e.get("voluntary_movement", "-"),
                e.get("synkinesis", "-"),
                f"{e['results_used']} results; median ratio {ev.get('median_symmetry_ratio', '-')}; "
                f"synkinesis share {ev.get('synkinesis_share', '-')}",
            ]
        )
    out.append(_table(rows, [45 * mm, 22 * mm, 24 * mm, 80 * mm]))
    totals = (
        f"Voluntary movement {sb['voluntary_movement_score'] or '-'} (of 100); synkinesis "
        f"{sb['synkinesis_score'] if sb['synkinesis_score'] is not None else '-'}; composite "
        f"{sb['composite_score'] if sb['composite_score'] is not None else '-'}. " + " ".join(sb["notes"])
    )
    out += [Spacer(1, 2 * mm), Paragraph(totals, SMALL), Spacer(1, 4 * mm), Paragraph("<b>Synkinesis flags</b>", BODY)]
    flags = [["Exercise", "Flag", "Count", "Share", "First seen", "Last seen"]]
    flags += [
        [
            f["exercise"],
            f["flag"],
            f["count"],
            f["share_of_results"],
            (f["first_seen"] or "")[:10],
            (f["last_seen"] or "")[:10],
        ]
        for f in s["synkinesis_flags"]
    ]
    out.append(_table(flags) if len(flags) > 1 else Paragraph("None flagged.", SMALL))
    return out


def _eye_care(s: dict[str, Any]) -> list[Any]:
    eye = s["eye_care"]
    out: list[Any] = [PageBreak(), Paragraph("Eye care", STYLES["Heading2"])]
    rows = [["Item", "Kind", "Due", "On time", "Late", "Missed"]]
    rows += [[i["item_id"], i["kind"], i["due"], i["on_time"], i["late"], i["missed"]] for i in eye["items"]]
    out += [
        _table(rows),
        Spacer(1, 2 * mm),
        Paragraph(f"Late means acknowledged more than {eye['late_after_minutes']} minutes after it was due.", SMALL),
    ]
    days = [d["date"] for d in s["adherence"]["calendar"]]
    out.append(eye_care_timeline(eye["reminders"], days))
    return out


def _others(s: dict[str, Any]) -> list[Any]:
    st, dq, dh = s["stimulation"], s["data_quality"], s["device_health"]
    out: list[Any] = [PageBreak(), Paragraph("Stimulation blocks", STYLES["Heading2"])]
    blocks = [["Start", "Minutes", "Side", "Sites", "Max mA", "Stop reason"]]
    blocks += [
        [
            b["started_at"][:16].replace("T", " "),
            b["minutes"],
            b["side"],
            ", ".join(b["sites"]),
            b["max_amplitude_ma"],
            b["stop_reason"],
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
    out.append(_table(reports) if len(reports) > 1 else Paragraph("None reported.", SMALL))
    out += [Paragraph("Data quality and device health", STYLES["Heading2"])]
    reasons = ", ".join(f"{k} {v}" for k, v in dq["rejected_reasons"].items()) or "none"
    lines = [
        f"Camera frames rejected: {dq['frames_rejected']} of {dq['frames_total']} "
        f"({_pct(dq['rejected_share'])}); why: {reasons}.",
        f"Results without a measurement: {dq['results_without_measurement']}. Unreadable stored rows: "
        f"{len(dq['unreadable_rows'])}.",
        f"Kiosk on for {dh['uptime_hours'] if dh['uptime_hours'] is not None else '?'} h, off for "
        f"{dh['time_off_hours'] if dh['time_off_hours'] is not None else '?'} h; restarts {dh['restarts']} "
        f"(unclean {dh['unclean_restarts']}). " + " ".join(dh["notes"]),
    ]
    out += [Paragraph(line, BODY) for line in lines]
    refused = [p for p in s["plan"]["received"] if p["reason"]]
    if refused:
        out += [Paragraph("Plans received", STYLES["Heading2"])]
        out.append(
            _table(
                [["Version", "Received", "Status", "Reason"]]
                + [[p["version"], (p["received_at"] or "")[:16], p["status"], p["reason"]] for p in refused]
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
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
