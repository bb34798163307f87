"""The summary as short plain text for the terminal (``facecoach summary open``)."""

from __future__ import annotations

from typing import Any


def to_text(s: dict[str, Any]) -> str:
    """A few lines a therapist can read at a glance; the PDF has the charts."""
    a, eye, sb = s["adherence"], s["eye_care"], s["sunnybrook_estimate"]
    night = eye["night_routine"]
    lines = [
        f"Patient {s['patient']}, {s['period']['from']} to {s['period']['to']}"
        + (" (SYNTHETIC DEMO DATA)" if s["synthetic"] else ""),
        f"Sessions: {a['sessions_done']} done, {a['sessions_partial']} partly, {a['sessions_missed']} missed "
        f"of {a['sessions_planned']} planned; {a['minutes']:.0f} minutes.",
        "Days with data: "
        + "; ".join(f"{w['from']}..{w['to']} {w['days_with_data']}/{w['days']}" for w in a["windows"]),
        f"Night eye routine: {night['nights_done']} of {night['nights_due']} nights; missed: "
        + (", ".join(night["missed_nights"]) or "none"),
        "Eye care: "
        + "; ".join(
            f"{i['item_id']} {i['on_time']} on time, {i['late']} late, {i['missed']} missed" for i in eye["items"]
        ),
    ]
    for ex in s["exercises"]:
        sym = ex["symmetry"]
        lines.append(
            f"  {ex['exercise']}: left {ex['left']['movement_mm']['start']}->{ex['left']['movement_mm']['end']} mm, "
            f"right {ex['right']['movement_mm']['start']}->{ex['right']['movement_mm']['end']} mm, "
            f"symmetry {sym['start']}->{sym['end']} (estimate)"
        )
    lines.append(
        f"Sunnybrook-style estimate: voluntary movement {sb['voluntary_movement_score']}, synkinesis "
        f"{sb['synkinesis_score']}, composite {sb['composite_score']} ({sb['label']})"
    )
    lines.append(
        f"Stimulation: {s['stimulation']['block_count']} blocks, {s['stimulation']['stopped_early']} "
        f"stopped early. Patient-reported issues: {len(s['patient_reports'])}. Plans refused: "
        f"{s['plan']['refused']}."
    )
    for p in s["plan"]["received"]:
        if p["reason"]:
            lines.append(f"  plan v{p['version']} refused: {p['reason']}")
    return "\n".join(lines)
