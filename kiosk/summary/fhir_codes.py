"""The project's own FHIR codes (one per measurement: exercise x measure) and the CodeSystem that defines them.

The CodeSystem's canonical URL is a setting (``sync.fhir_canonical``): a clinic or the maker that
deploys the kiosk sets a URL it owns. The default is a URN that belongs to this project alone (no
one can own a made-up domain). ``kiosk/summary/fhir/CodeSystem-facecoach.json`` ships the same
resource with the default URL; a test keeps it equal to ``code_system()``.
"""

from __future__ import annotations

import uuid
from typing import Any

from coach.metrics import METRIC_IDS

DEFAULT_CANONICAL = "urn:uuid:5b0e7c1e-4f64-5d2a-9a3e-7c3a1f0d2b6e"
CODE_SYSTEM_ID = "facecoach-measures"
VERSION = "1.1"  # 1.1: progress against the baseline, after-session answers, standard photos (issue 23)
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
LATERALITY = {"left": ("7771000", "Left"), "right": ("24028007", "Right")}  # SNOMED CT qualifier values
LOINC_EXERCISE_DURATION = ("55411-3", "Exercise duration")
TEST_DATA_TAG = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
    "code": "HTEST",
    "display": "test health data",
}

# Per exercise (and, for movement, per side via bodySite): code suffix -> (display, UCUM unit).
EXERCISE_MEASURES: dict[str, tuple[str, str]] = {
    "excursion-mm": ("movement, mean of each repetition's largest excursion", "mm"),
    "pct-reference": ("movement as % of the patient's own reference", "%"),
    "symmetry-ratio": ("symmetry ratio, weaker side over stronger side", "1"),
    "co-movement": ("results in which the camera flagged co-movement (synkinesis indicator)", "{results}"),
    "baseline-change": ("movement now over movement at the baseline assessment (last 14 days' mean)", "1"),
}
# Summary-level codes: code -> display.
SUMMARY_CODES: dict[str, str] = {
    "sessions-done": "Scheduled exercise sessions done",
    "sessions-planned": "Scheduled exercise sessions planned",
    "sessions-partial": "Scheduled exercise sessions partly done",
    "sessions-missed": "Scheduled exercise sessions missed",
    "sessions-extra": "Exercise sessions outside the schedule",
    "exercise-minutes": "Minutes of facial exercise",
    "night-eye-routine": "Nights with the eye routine done, % of nights due",
    "eye-care-acknowledged": "Eye-care reminders acknowledged",
    "eye-care-item": "Eye-care item",
    "eye-care-due": "Eye-care reminders due",
    "eye-care-late": "Eye-care reminders acknowledged late",
    "eye-care-missed": "Eye-care reminders missed",
    "co-movement-indicator": "Co-movement indicator",
    "sunnybrook-voluntary": "Sunnybrook-style voluntary movement score (estimate)",
    "sunnybrook-synkinesis": "Sunnybrook-style synkinesis score (estimate)",
    "sunnybrook-resting": "Sunnybrook-style resting symmetry score (estimate)",
    "sunnybrook-composite": "Sunnybrook-style composite score (estimate)",
    "stimulation-block": "Transcutaneous electrical stimulation of facial muscles (home device)",
    # Progress against the baseline assessment (issue 23): components of <exercise>.baseline-change.
    "baseline-value": "Movement at the baseline assessment",
    "current-value": "Movement now (mean of the last 14 days' measured results)",
    "baseline-date": "Date of the baseline assessment",
    "evenness-baseline": "Weaker side as % of the other side at the baseline assessment",
    "evenness-now": "Weaker side as % of the other side now",
    # The after-session questions (issue 23): one Observation per answer, the answer as a code.
    "checkin-feel": "After-session question: how did the exercises feel",
    "checkin-eye": "After-session question: any eye problem today",
    "feel-comfortable": "Comfortable",
    "feel-tiring": "Tiring",
    "feel-painful": "Painful",
    "eye-none": "No eye problem",
    "eye-gritty": "Eye feels gritty",
    "eye-red": "Eye is red",
    "eye-painful": "Eye is painful",
    "eye-blurred": "Blurred vision",
    "flag-pain": "Flag: the patient reported pain during the exercises",
    "flag-eye-problem": "Flag: the patient reported an eye problem and was told to contact the doctor",
    "standard-photo": "Standard facial photo of one view, sealed to the therapist",
}


def qty(value: float | int, unit: str) -> dict[str, Any]:
    """A UCUM Quantity."""
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def system_url(canonical: str) -> str:
    """The CodeSystem's canonical URL under the deployment's base."""
    return canonical if canonical.startswith("urn:") else f"{canonical.rstrip('/')}/CodeSystem/{CODE_SYSTEM_ID}"


def naming_system(canonical: str, name: str) -> str:
    """The identifier system for ``name`` (patient-pseudonym, device, summary-bundle) under the canonical base."""
    if canonical.startswith("urn:"):
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{canonical}/{name}')}"
    return f"{canonical.rstrip('/')}/NamingSystem/{name}"


def side_concept(side: str, text: str) -> dict[str, Any]:
    """The patient's side as a CodeableConcept: SNOMED CT laterality with words."""
    code, name = LATERALITY[side]
    return {"coding": [{"system": SNOMED, "code": code, "display": name}], "text": text}


def exercise_code(exercise: str, measure: str) -> str:
    """The code of one measurement, e.g. ``brow_lift.excursion-mm``."""
    return f"{exercise}.{measure}"


def display(code: str) -> str:
    """The display text of a code."""
    if code in SUMMARY_CODES:
        return SUMMARY_CODES[code]
    exercise, _, measure = code.partition(".")
    return f"{exercise.replace('_', ' ')}: {EXERCISE_MEASURES[measure][0]}"


def all_codes(exercises: tuple[str, ...] = METRIC_IDS) -> list[str]:
    """Every code, in a fixed order."""
    per_exercise = [exercise_code(e, m) for e in exercises for m in EXERCISE_MEASURES]
    return list(SUMMARY_CODES) + per_exercise


def code_system(canonical: str = DEFAULT_CANONICAL, extra_exercises: tuple[str, ...] = ()) -> dict[str, Any]:
    """The CodeSystem resource (complete) for the codes above."""
    exercises = METRIC_IDS + tuple(e for e in sorted(set(extra_exercises)) if e not in METRIC_IDS)
    return {
        "resourceType": "CodeSystem",
        "id": CODE_SYSTEM_ID,
        "url": system_url(canonical),
        "version": VERSION,
        "name": "FaceCoachMeasures",
        "title": "FaceCoach home kiosk measures",
        "status": "active",
        "experimental": False,
        "publisher": "FaceCoach kiosk project",
        "description": "Measurements of the FaceCoach home facial-exercise kiosk: one code per exercise and "
        "measure; camera measures are self-tracking estimates, not clinical grades.",
        "caseSensitive": True,
        "content": "complete",
        "concept": [{"code": c, "display": display(c)} for c in all_codes(exercises)],
    }
