"""The summary as a FHIR R4 ``collection`` Bundle: Patient (pseudonym), Device, Observations, Procedures.

Plain dicts (no FHIR library at run time); the tests validate them with ``fhir.resources.R4B``.
Camera scores carry the category ``exam`` and a note that they are self-tracking estimates;
adherence and eye care carry ``therapy``. Each stimulation block is one Procedure.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
METRIC_SYSTEM = "https://facecoach.example/fhir/CodeSystem/metric"
PATIENT_SYSTEM = "https://facecoach.example/fhir/NamingSystem/patient-pseudonym"
DEVICE_SYSTEM = "https://facecoach.example/fhir/NamingSystem/device"
UCUM = "http://unitsofmeasure.org"
PROCEDURE_STATUS = {"finished": "completed", "running": "in-progress"}  # every other end: stopped
ESTIMATE_NOTE = "Self-tracking estimate from camera landmarks; not a clinical grade."


class _Ids:
    """Stable ids: the same summary always gives the same Bundle (retries never make new resources)."""

    def __init__(self, seed: str) -> None:
        self.ns = uuid.uuid5(uuid.NAMESPACE_URL, seed)

    def __call__(self, *parts: Any) -> str:
        return str(uuid.uuid5(self.ns, "/".join(str(p) for p in parts)))


def _qty(value: float | int, unit: str, code: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


class _BundleMaker:
    def __init__(self, summary: dict[str, Any]) -> None:
        self.s = summary
        period = summary["period"]
        self.ids = _Ids(f"{summary['patient']}|{summary['device']['id']}|{period['from']}|{period['to']}")
        self.period = {"start": period["from"], "end": period["to"]}
        self.patient_id = self.ids("Patient")
        self.device_id = self.ids("Device")
        self.entries: list[dict[str, Any]] = []

    def add(self, resource: dict[str, Any]) -> None:
        self.entries.append({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})

    def observation(
        self,
        key: str,
        text: str,
        category: str,
        value: dict[str, Any],
        estimate: bool = False,
        note: str = "",
        components: list[dict[str, Any]] | None = None,
    ) -> None:
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "id": self.ids("Observation", key),
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": category}]}],
            "code": {"coding": [{"system": METRIC_SYSTEM, "code": key.split("/")[0], "display": text}], "text": text},
            "subject": {"reference": f"urn:uuid:{self.patient_id}"},
            "device": {"reference": f"urn:uuid:{self.device_id}"},
            "effectivePeriod": self.period,
            **value,
        }
        notes = [n for n in (ESTIMATE_NOTE if estimate else "", note) if n]
        if notes:
            obs["note"] = [{"text": n} for n in notes]
        if components:
            obs["component"] = components
        self.add(obs)

    def header(self) -> None:
        self.add(
            {
                "resourceType": "Patient",
                "id": self.patient_id,
                "identifier": [{"system": PATIENT_SYSTEM, "value": self.s["patient"]}],
            }
        )
        dev = self.s["device"]
        self.add(
            {
                "resourceType": "Device",
                "id": self.device_id,
                "identifier": [{"system": DEVICE_SYSTEM, "value": dev["id"]}],
                "deviceName": [{"name": "FaceCoach home kiosk", "type": "user-friendly-name"}],
                "version": [{"value": dev["software_version"]}],
                "patient": {"reference": f"urn:uuid:{self.patient_id}"},
            }
        )

    def adherence(self) -> None:
        a = self.s["adherence"]
        self.observation(
            "sessions-done",
            "Exercise sessions done",
            "therapy",
            {"valueInteger": a["sessions_done"]},
            components=[
                self._int_component("sessions-planned", "Sessions planned", a["sessions_planned"]),
                self._int_component("sessions-partial", "Sessions partly done", a["sessions_partial"]),
                self._int_component("sessions-missed", "Sessions missed", a["sessions_missed"]),
            ],
        )
        self.observation(
            "exercise-minutes", "Minutes of exercise", "therapy", {"valueQuantity": _qty(a["minutes"], "min", "min")}
        )
        night = self.s["eye_care"]["night_routine"]
        if night["adherence"] is not None:
            self.observation(
                "night-eye-routine",
                "Night eye routine done",
                "therapy",
                {"valueQuantity": _qty(round(100 * night["adherence"], 1), "%", "%")},
                note=f"{night['nights_done']} of {night['nights_due']} nights",
            )
        for item in self.s["eye_care"]["items"]:
            done = item["on_time"] + item["late"]
            self.observation(
                f"eye-care/{item['item_id']}",
                f"Eye care '{item['item_id']}' acknowledged",
                "therapy",
                {"valueInteger": done},
                components=[
                    self._int_component("eye-care-due", "Due", item["due"]),
                    self._int_component("eye-care-late", "Late", item["late"]),
                    self._int_component("eye-care-missed", "Missed", item["missed"]),
                ],
            )

    @staticmethod
    def _int_component(code: str, text: str, value: int) -> dict[str, Any]:
        return {"code": {"coding": [{"system": METRIC_SYSTEM, "code": code}], "text": text}, "valueInteger": value}

    def movement(self) -> None:
        for ex in self.s["exercises"]:
            name = ex["exercise"]
            for side in ("left", "right"):
                mm = ex[side]["movement_mm"]["end"]
                pct = ex[side]["pct_of_baseline"]["end"]
                if mm is not None:
                    self.observation(
                        f"movement-mm/{name}/{side}",
                        f"{name} movement, patient's {side} side",
                        "exam",
                        {"valueQuantity": _qty(mm, "mm", "mm")},
                        estimate=True,
                        note="Mean of the last 3 days with data.",
                    )
                if pct is not None:
                    self.observation(
                        f"movement-pct-baseline/{name}/{side}",
                        f"{name} movement as % of baseline, patient's {side} side",
                        "exam",
                        {"valueQuantity": _qty(pct, "%", "%")},
                        estimate=True,
                    )
            sym = ex["symmetry"]
            if sym["end"] is not None:
                self.observation(
                    f"symmetry-ratio/{name}",
                    f"{name} symmetry ratio (weaker/stronger)",
                    "exam",
                    {"valueQuantity": _qty(sym["end"], "ratio", "1")},
                    estimate=True,
                    note=f"Start {sym['start']}, trend {sym['slope_per_week']} per week.",
                )
        for flag in self.s["synkinesis_flags"]:
            self.observation(
                f"synkinesis/{flag['exercise']}/{flag['flag']}",
                f"Synkinesis flag '{flag['flag']}' during {flag['exercise']}",
                "exam",
                {"valueInteger": flag["count"]},
                estimate=True,
            )
        sb = self.s["sunnybrook_estimate"]
        for key in ("voluntary_movement_score", "synkinesis_score", "composite_score"):
            if sb[key] is not None:
                self.observation(
                    f"sunnybrook-{key.replace('_', '-')}",
                    f"Sunnybrook-style {key.replace('_', ' ')}",
                    "exam",
                    {"valueInteger": sb[key]},
                    estimate=True,
                    note=json.dumps([e.get("evidence") for e in sb["expressions"]]),
                )

    def procedures(self) -> None:
        for i, block in enumerate(self.s["stimulation"]["blocks"]):
            proc: dict[str, Any] = {
                "resourceType": "Procedure",
                "id": self.ids("Procedure", i, block["started_at"]),
                "status": PROCEDURE_STATUS.get(block["end_code"], "stopped"),
                "code": {"text": "Transcutaneous electrical stimulation of facial muscles (home device)"},
                "subject": {"reference": f"urn:uuid:{self.patient_id}"},
                "performedPeriod": {
                    k: v for k, v in (("start", block["started_at"]), ("end", block["stopped_at"])) if v
                },
                "bodySite": [{"text": f"{site}, patient's {block['side']} side"} for site in block["sites"]]
                or [{"text": f"patient's {block['side']} side"}],
                "usedReference": [{"reference": f"urn:uuid:{self.device_id}"}],
                "note": [
                    {
                        "text": f"max {block['max_amplitude_ma']} mA; plan v{block['plan_version']}; "
                        f"parameters {json.dumps(block.get('parameters') or {}, sort_keys=True)}"
                    }
                ],
            }
            if block["stopped_early"]:
                proc["statusReason"] = {"text": f"{block['end_words']}: {block['stop_reason'] or 'no reason stored'}"}
            self.add(proc)


def to_fhir_bundle(summary: dict[str, Any]) -> dict[str, Any]:
    """A FHIR R4 collection Bundle (dict) for one summary."""
    maker = _BundleMaker(summary)
    maker.header()
    maker.adherence()
    maker.movement()
    maker.procedures()
    return {
        "resourceType": "Bundle",
        "id": maker.ids("Bundle"),
        "type": "collection",
        "timestamp": summary["generated_at"],
        "entry": maker.entries,
    }


def to_fhir_bytes(summary: dict[str, Any]) -> bytes:
    """The Bundle as UTF-8 JSON."""
    return json.dumps(to_fhir_bundle(summary), indent=1, ensure_ascii=False).encode("utf-8")
