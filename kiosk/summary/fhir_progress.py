"""The summary's progress section (issue 23) as FHIR resources a clinic can search.

- Per exercise and side, the **baseline** value is an Observation of the same measure
  (``<exercise>.excursion-mm`` or ``.pct-reference``) dated at the baseline session, and the
  **change** (``<exercise>.baseline-change``: now over baseline) points at it (``derivedFrom``),
  with the baseline value, the current value, the baseline date and the evenness as components.
- Each **after-session answer** is a ``survey`` Observation (``checkin-feel`` / ``checkin-eye``)
  whose value is the answer's code; an unanswered question has a ``dataAbsentReason`` instead.
  Pain and eye problems are marked in ``interpretation`` and are also a ``Flag`` each (R4 searches
  Flags by subject and date, not code: ``Flag?subject=Patient/...&date=ge...``); the answers
  themselves are found with ``Observation?code=...|checkin-eye&value-concept=...|eye-red``.
- Each **standard photo** is a ``DocumentReference`` with its date and view; the picture itself is
  never here: the attachment names the sealed file sent beside the summary (``summary build
  --photos``), and only when it was.

Things that happened once (a baseline, an answer, a photo) have ids that do not depend on the
summary's period, so overlapping summaries update the same resources. Plain dicts, no I/O.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.checkin import NOT_ANSWERED, flags_of
from kiosk.summary.fhir_codes import exercise_code, qty, side_concept
from kiosk.summary.progress_section import FLAG_WORDS

if TYPE_CHECKING:
    from kiosk.summary.fhir_bundle import BundleMaker

ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
UNITS = {"mm": ("excursion-mm", "mm"), "pct": ("pct-reference", "%")}
FLAG_CODES = {"pain": "flag-pain", "eye_problem": "flag-eye-problem"}


def fhir_time(iso: str) -> str:
    """An ISO time as a FHIR dateTime: with its offset, or only the date when it has none (FHIR needs one)."""
    moment = datetime.fromisoformat(iso)
    return moment.isoformat() if moment.tzinfo is not None else moment.date().isoformat()


def progress_resources(m: BundleMaker) -> None:
    """Add the progress section's resources to the bundle (nothing when the summary has no section)."""
    section = m.s.get("progress")
    if not section:
        return
    baseline_to_now(m, section)
    checkin_answers(m, section)
    photo_documents(m, section)


def baseline_to_now(m: BundleMaker, section: dict[str, Any]) -> None:
    """Per exercise and side: the baseline Observation and the change against it (derivedFrom)."""
    for change in section["baseline_to_now"]:
        ex = change["exercise"]
        session = change.get("baseline_session_id")
        base_time = fhir_time(change.get("baseline_at") or change["baseline_date"])
        evenness = [
            m.component(code, {"valueQuantity": qty(change[key], "%")})
            for code, key in (("evenness-baseline", "evenness_baseline_pct"), ("evenness-now", "evenness_now_pct"))
            if change[key] is not None
        ]
        words = " ".join(change["sentences"])
        for side in change["sides"]:
            measure, unit = UNITS[side["unit"]]
            where = side_concept(side["side"], f"face, patient's {side['side']} side")
            base_key = f"baseline/{ex}/{measure}/{side['side']}"
            m.observation(
                base_key,
                exercise_code(ex, measure),
                "exam",
                {"valueQuantity": qty(side["baseline"], unit)},
                estimate=True,
                body_site=where,
                note=f"Baseline assessment (session {session}): the reference progress is measured against.",
                effective={"effectiveDateTime": base_time},
                rid=m.stable_id("baseline", session, change["baseline_date"], ex, measure, side["side"]),
            )
            ratio = side["ratio"]
            value: dict[str, Any] = (
                {"valueQuantity": qty(ratio, "1")}
                if ratio is not None
                else {
                    "dataAbsentReason": {
                        "coding": [{"system": ABSENT, "code": "not-applicable"}],
                        "text": "this side hardly moved at the baseline, so no ratio",
                    }
                }
            )
            m.observation(
                f"change/{ex}/{side['side']}",
                exercise_code(ex, "baseline-change"),
                "exam",
                value,
                estimate=True,
                body_site=where,
                note=words,
                components=[
                    m.component("baseline-value", {"valueQuantity": qty(side["baseline"], unit)}),
                    m.component("current-value", {"valueQuantity": qty(side["now"], unit)}),
                    m.component("baseline-date", {"valueDateTime": base_time}),
                    *evenness,
                ],
                derived_from=[m.by_key[base_key]],
            )


def checkin_answers(m: BundleMaker, section: dict[str, Any]) -> None:
    """One Observation per after-session answer; a Flag for each pain or eye problem."""
    for a in section["answers"]:
        question, answer, at = a["question"], a["answer"], fhir_time(a["at"])
        flags = [f for f in flags_of(question, answer) if f in FLAG_CODES]
        if answer == NOT_ANSWERED:
            how = "not-asked" if a.get("via") == "not_shown" else "asked-declined"
            value: dict[str, Any] = {
                "dataAbsentReason": {"coding": [{"system": ABSENT, "code": how}], "text": "not answered"}
            }
        else:
            value = {"valueCodeableConcept": {"coding": [m.coding(f"{question}-{answer}")], "text": answer}}
        extra = (
            {
                "interpretation": [
                    {"coding": [{"system": INTERPRETATION, "code": "A"}, m.coding(FLAG_CODES[f])]} for f in flags
                ]
            }
            if flags
            else None
        )
        m.observation(
            f"checkin/{a['session_id']}/{question}/{a['at']}",
            f"checkin-{question}",
            "survey",
            value,
            effective={"effectiveDateTime": at},
            rid=m.stable_id("checkin", a["session_id"], question, a["at"]),
            extra=extra,
        )
        for flag in flags:
            m.add(
                {
                    "resourceType": "Flag",
                    "id": m.stable_id("flag", a["session_id"], question, a["at"], flag),
                    "status": "active",
                    "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "clinical"}]}],
                    "code": {"coding": [m.coding(FLAG_CODES[flag])], "text": f"{FLAG_WORDS[flag]} ({answer})"},
                    "subject": {"reference": f"Patient/{m.patient_id}"},
                    "period": {"start": at},
                    "author": {"reference": f"Device/{m.device_id}"},
                }
            )


def photo_documents(m: BundleMaker, section: dict[str, Any]) -> None:
    """One DocumentReference per standard photo: its date and view, and the sealed file's name when attached."""
    for photo in section.get("photos", []):
        taken = fhir_time(photo["taken_at"])
        attached = bool(photo.get("attached"))
        attachment: dict[str, Any] = {"contentType": "application/octet-stream", "title": photo["attachment"]}
        if attached:
            attachment["url"] = photo["attachment"]  # beside this summary, sealed to the therapist
        where = "sent beside this summary, sealed to the therapist" if attached else "kept sealed on the kiosk"
        doc: dict[str, Any] = {
            "resourceType": "DocumentReference",
            "id": m.stable_id("photo", photo["session_id"], photo["view"], photo["taken_at"]),
            "status": "current",
            "type": {"coding": [m.coding("standard-photo")], "text": f"Standard photo: {photo['view']}"},
            "subject": {"reference": f"Patient/{m.patient_id}"},
            "author": [{"reference": f"Device/{m.device_id}"}],
            "description": f"Standard photo, view {photo['view']}, session {photo['session_id']}: {where}.",
            "content": [{"attachment": {**attachment, "creation": taken}}],
            "context": {"period": {"start": taken, "end": taken}},
        }
        if "T" in taken:
            doc["date"] = taken  # an instant needs a time with an offset
        m.add(doc)
