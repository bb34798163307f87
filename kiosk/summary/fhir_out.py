"""The summary as a FHIR R4 ``transaction`` Bundle a clinic's server can load and search.

Every resource is written with ``PUT <type>/<id>``; the ids are UUIDv5 (Patient from the pseudonym,
Device from the device id, the rest from patient, device, period and what they measure), so sending
the same summary again changes nothing. Observations carry one code per measurement (exercise x
measure) from the project's CodeSystem (included, under the canonical URL the deployment sets),
laterality as SNOMED CT in ``bodySite``, and LOINC where a code exists (exercise duration 55411-3).
Camera scores are ``exam`` Observations noted as self-tracking estimates; the Sunnybrook-style
estimates point at the measurements they came from (``derivedFrom``). The progress section (issue 23:
baseline-to-now, after-session answers and flags, standard photos' dates) is in fhir_progress.py.
The generic bundle parts (ids, entries, Observations) are in fhir_bundle.py. Synthetic data is
tagged HTEST. Plain dicts; the tests validate every bundle with ``fhir.resources.R4B``.
"""

from __future__ import annotations

import json
from typing import Any

from kiosk.summary.fhir_bundle import BundleMaker
from kiosk.summary.fhir_codes import (
    CODE_SYSTEM_ID,
    DEFAULT_CANONICAL,
    LATERALITY,
    LOINC,
    LOINC_EXERCISE_DURATION,
    TEST_DATA_TAG,
    code_system,
    exercise_code,
    naming_system,
    side_concept,
)
from kiosk.summary.fhir_codes import qty as _qty
from kiosk.summary.fhir_procedures import procedure
from kiosk.summary.fhir_progress import progress_resources


def _flagside_concept(flag: str) -> str | None:
    return next((s for s in LATERALITY if flag.endswith(f"_{s}")), None)


class _SummaryBundle(BundleMaker):
    """The summary's own sections, in the order a reader meets them."""

    def header(self) -> None:
        exercises = tuple(e["exercise"] for e in self.s["exercises"])
        cs = code_system(self.canonical, exercises)
        self.add(cs)
        self.add(
            {
                "resourceType": "Patient",
                "id": self.patient_id,
                "identifier": [
                    {"system": naming_system(self.canonical, "patient-pseudonym"), "value": self.s["patient"]}
                ],
            }
        )
        dev = self.s["device"]
        self.add(
            {
                "resourceType": "Device",
                "id": self.device_id,
                "identifier": [{"system": naming_system(self.canonical, "device"), "value": dev["id"]}],
                "deviceName": [{"name": "FaceCoach home kiosk", "type": "user-friendly-name"}],
                "version": [{"value": dev["software_version"]}],
                "patient": {"reference": f"Patient/{self.patient_id}"},
            }
        )

    def adherence(self) -> None:
        a = self.s["adherence"]
        self.observation(
            "sessions-done",
            "sessions-done",
            "therapy",
            {"valueQuantity": _qty(a["sessions_done"], "{sessions}")},
            components=[
                self.component(code, {"valueQuantity": _qty(a[key], "{sessions}")})
                for code, key in (
                    ("sessions-planned", "sessions_planned"),
                    ("sessions-partial", "sessions_partial"),
                    ("sessions-missed", "sessions_missed"),
                    ("sessions-extra", "sessions_extra"),
                )
            ],
        )
        loinc = {"system": LOINC, "code": LOINC_EXERCISE_DURATION[0], "display": LOINC_EXERCISE_DURATION[1]}
        self.observation(
            "exercise-minutes",
            "exercise-minutes",
            "activity",
            {"valueQuantity": _qty(a["minutes"], "min")},
            also=[loinc],
        )
        night = self.s["eye_care"]["night_routine"]
        if night["adherence"] is not None:
            self.observation(
                "night-eye-routine",
                "night-eye-routine",
                "therapy",
                {"valueQuantity": _qty(round(100 * night["adherence"], 1), "%")},
                note=f"{night['nights_done']} of {night['nights_due']} nights",
            )
        for item in self.s["eye_care"]["items"]:
            self.observation(
                f"eye-care/{item['item_id']}",
                "eye-care-acknowledged",
                "therapy",
                {"valueQuantity": _qty(item["on_time"] + item["late"], "{reminders}")},
                components=[
                    self.component("eye-care-item", {"valueString": item["item_id"]}),
                    *(
                        self.component(f"eye-care-{k}", {"valueQuantity": _qty(item[k], "{reminders}")})
                        for k in ("due", "late", "missed")
                    ),
                ],
            )

    def movement(self) -> None:
        for ex in self.s["exercises"]:
            name = ex["exercise"]
            for side in ("left", "right"):
                where = side_concept(side, f"face, patient's {side} side")
                for measure, key, unit in (
                    ("excursion-mm", "movement_mm", "mm"),
                    ("pct-reference", "pct_of_baseline", "%"),
                ):
                    value = ex[side][key]["end"]
                    if value is not None:
                        self.observation(
                            f"{name}/{measure}/{side}",
                            exercise_code(name, measure),
                            "exam",
                            {"valueQuantity": _qty(value, unit)},
                            estimate=True,
                            body_site=where,
                            note="Mean of the last 3 days with data.",
                        )
            sym = ex["symmetry"]
            if sym["end"] is not None:
                self.observation(
                    f"{name}/symmetry-ratio",
                    exercise_code(name, "symmetry-ratio"),
                    "exam",
                    {"valueQuantity": _qty(sym["end"], "1")},
                    estimate=True,
                    note=f"Start {sym['start']}, trend {sym['slope_per_week']} per week.",
                )
        for flag in self.s["synkinesis_flags"]:
            side = _flagside_concept(flag["flag"])
            self.observation(
                f"{flag['exercise']}/co-movement/{flag['flag']}",
                exercise_code(flag["exercise"], "co-movement"),
                "exam",
                {"valueQuantity": _qty(flag["count"], "{results}")},
                estimate=True,
                body_site=side_concept(side, f"face, patient's {side} side") if side else None,
                components=[self.component("co-movement-indicator", {"valueString": flag["flag"]})],
                note=f"Blocked stimulation {flag.get('blocked_stimulation', 0)} times.",
            )

    def estimates(self) -> None:
        """Sunnybrook-style scores, each pointing at what it came from (derivedFrom)."""
        sb = self.s["sunnybrook_estimate"]
        names = [e["exercise"] for e in sb["expressions"]]
        symmetry = [ref for key, ref in self.by_key.items() if key.split("/")[0] in names and "/symmetry-ratio" in key]
        co_movement = [ref for key, ref in self.by_key.items() if key.split("/")[0] in names and "/co-movement/" in key]
        evidence = json.dumps([e.get("evidence") for e in sb["expressions"]])
        resting = sb.get("resting_symmetry") or {}
        for key, code, sources, note in (
            ("voluntary_movement_score", "sunnybrook-voluntary", symmetry, evidence),
            ("synkinesis_score", "sunnybrook-synkinesis", symmetry + co_movement, evidence),
            (
                "resting_symmetry_score",
                "sunnybrook-resting",
                [],
                f"From {resting.get('calibrations', 0)} "
                "relaxed-face calibrations at the start of sessions (or the therapist's rating).",
            ),
        ):
            if sb.get(key) is not None:
                self.observation(
                    code,
                    code,
                    "exam",
                    {"valueInteger": sb[key]},
                    estimate=True,
                    note=note,
                    derived_from=sources or None,
                )
        if sb.get("composite_score") is not None:
            parts = [self.by_key[c] for c in ("sunnybrook-voluntary", "sunnybrook-synkinesis", "sunnybrook-resting")]
            self.observation(
                "sunnybrook-composite",
                "sunnybrook-composite",
                "exam",
                {"valueInteger": sb["composite_score"]},
                estimate=True,
                derived_from=parts,
            )

    def procedures(self) -> None:
        for i, block in enumerate(self.s["stimulation"]["blocks"]):
            refs = (f"Patient/{self.patient_id}", f"Device/{self.device_id}")
            self.add(
                procedure(block, self.id("Procedure", i, block["started_at"]), self.coding("stimulation-block"), refs)
            )


def to_fhir_bundle(summary: dict[str, Any], canonical: str = DEFAULT_CANONICAL) -> dict[str, Any]:
    """A FHIR R4 transaction Bundle (dict) for one summary; PUT by stable id, so re-sending is harmless."""
    maker = _SummaryBundle(summary, canonical)
    maker.header()
    maker.adherence()
    maker.movement()
    maker.estimates()
    maker.procedures()
    progress_resources(maker)
    bundle_id = maker.id("Bundle")
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "identifier": {"system": naming_system(canonical, "summary-bundle"), "value": f"urn:uuid:{bundle_id}"},
        "type": "transaction",
        "timestamp": summary["generated_at"],
        "entry": maker.entries,
        **({"meta": {"tag": [TEST_DATA_TAG]}} if summary["synthetic"] else {}),
    }


def to_fhir_bytes(summary: dict[str, Any], canonical: str = DEFAULT_CANONICAL) -> bytes:
    """The Bundle as UTF-8 JSON."""
    return json.dumps(to_fhir_bundle(summary, canonical), indent=1, ensure_ascii=False).encode("utf-8")


__all__ = ["CODE_SYSTEM_ID", "to_fhir_bundle", "to_fhir_bytes"]
