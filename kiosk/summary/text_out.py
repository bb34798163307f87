"""The summary as short plain text for the terminal (``facecoach summary open``): words, units, never "None"."""

from __future__ import annotations

from typing import Any

from kiosk.summary.wording import count, num, span, windows_text


def to_text(s: dict[str, Any]) -> str:
    """A few lines a therapist can read at a glance; the PDF has the charts."""
    a, eye, sb = s["adherence"], s["eye_care"], s["sunnybrook_estimate"]
    night = eye["night_routine"]
    extra = f", plus {count(a.get('sessions_extra', 0), 'extra session')}" if a.get("sessions_extra") else ""
    lines = [
        f"Patient {s['patient']}, {s['period']['from']} to {s['period']['to']}"
        + (" (SYNTHETIC DEMO DATA)" if s["synthetic"] else ""),
        f"Sessions: {a['sessions_done']} done, {a['sessions_partial']} partly, {a['sessions_missed']} missed "
        f"of {count(a['sessions_planned'], 'planned session')}{extra}; {num(a['minutes'], 'min', 0)}.",
        "Days with data: " + windows_text(a["windows"]),
        f"Night eye routine: {night['nights_done']} of {count(night['nights_due'], 'night')}; missed: "
        + (", ".join(night["missed_nights"]) or "none"),
        "Eye care: "
        + (
            "; ".join(
                f"{i['item_id']} {i['on_time']} on time, {i['late']} late, {i['missed']} missed" for i in eye["items"]
            )
            or "no reminders in this period"
        ),
    ]
    for ex in s["exercises"]:
        sym = ex["symmetry"]
        lm, rm = ex["left"]["movement_mm"], ex["right"]["movement_mm"]
        lines.append(
            f"  {ex['exercise']}: left {span(lm['start'], lm['end'], 'mm')}, "
            f"right {span(rm['start'], rm['end'], 'mm')}, symmetry {span(sym['start'], sym['end'], '', 2)} (estimate)"
        )
    lines.append(
        f"Sunnybrook-style estimate: resting {num(sb['resting_symmetry_score'], 'of 4', 0, 'withheld')}, voluntary "
        f"movement {num(sb['voluntary_movement_score'], 'of 100', 0, 'not estimated')}, synkinesis "
        f"{num(sb['synkinesis_score'], 'of 15', 0, 'not estimated')}, composite "
        f"{num(sb['composite_score'], 'points', 0, 'not estimated')} ({sb['label']})"
    )
    lines.append(
        f"Stimulation: {count(s['stimulation']['block_count'], 'block')}, {s['stimulation']['stopped_early']} "
        f"stopped early. Patient-reported issues: {len(s['patient_reports'])}. Plans refused: "
        f"{s['plan']['refused']}."
    )
    for p in s["plan"]["received"]:
        if p["reason"]:
            lines.append(f"  plan v{num(p['version'], '', 0, '?')} refused: {p['reason']}")
    return "\n".join(lines)
