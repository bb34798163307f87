"""The FHIR Bundle being built: stable ids, entries PUT by id, codings and Observations.

The sections of the summary (fhir_out.py) and of the progress section (fhir_progress.py) both add
their resources through one ``BundleMaker``; it knows FHIR's shapes, not the summary's sections.
"""

from __future__ import annotations

import uuid
from typing import Any

from kiosk.summary.fhir_codes import TEST_DATA_TAG, display, system_url

CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
ESTIMATE_NOTE = "Self-tracking estimate from camera landmarks; not a clinical grade."
ROOT = uuid.uuid5(uuid.NAMESPACE_URL, "facecoach-kiosk/fhir")


class BundleMaker:
    """Resources of one summary's Bundle, with ids that are the same each time the summary is sent."""

    def __init__(self, summary: dict[str, Any], canonical: str) -> None:
        self.s = summary
        self.system = system_url(canonical)
        self.canonical = canonical
        period = summary["period"]
        self.ns = uuid.uuid5(ROOT, f"{summary['patient']}|{summary['device']['id']}|{period['from']}|{period['to']}")
        self.period = {"start": period["from"], "end": period["to"]}
        self.patient_id = str(uuid.uuid5(ROOT, f"Patient|{summary['patient']}"))
        self.device_id = str(uuid.uuid5(ROOT, f"Device|{summary['device']['id']}"))
        self.entries: list[dict[str, Any]] = []
        self.by_key: dict[str, str] = {}  # measurement key -> "Observation/<id>", for derivedFrom

    def id(self, *parts: Any) -> str:
        return str(uuid.uuid5(self.ns, "/".join(str(p) for p in parts)))

    def stable_id(self, *parts: Any) -> str:
        """An id of something that happened once (an answer, a baseline): the same in every period's bundle."""
        who = f"{self.s['patient']}|{self.s['device']['id']}"
        return str(uuid.uuid5(ROOT, "/".join([who, *(str(p) for p in parts)])))

    def add(self, resource: dict[str, Any]) -> None:
        if self.s["synthetic"]:
            resource["meta"] = {"tag": [TEST_DATA_TAG]}
        kind, rid = resource["resourceType"], resource["id"]
        self.entries.append(
            {"fullUrl": f"urn:uuid:{rid}", "resource": resource, "request": {"method": "PUT", "url": f"{kind}/{rid}"}}
        )

    def coding(self, code: str) -> dict[str, Any]:
        return {"system": self.system, "code": code, "display": display(code)}

    def observation(
        self,
        key: str,
        code: str,
        category: str,
        value: dict[str, Any],
        *,
        estimate: bool = False,
        note: str = "",
        components: list[dict[str, Any]] | None = None,
        body_site: dict[str, Any] | None = None,
        also: list[dict[str, Any]] | None = None,
        derived_from: list[str] | None = None,
        effective: dict[str, Any] | None = None,
        rid: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        rid = rid or self.id("Observation", key)
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "id": rid,
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": category}]}],
            "code": {"coding": [*(also or []), self.coding(code)], "text": display(code)},
            "subject": {"reference": f"Patient/{self.patient_id}"},
            "device": {"reference": f"Device/{self.device_id}"},
            **(effective or {"effectivePeriod": self.period}),
            **value,
            **(extra or {}),
        }
        if body_site:
            obs["bodySite"] = body_site
        notes = [n for n in (ESTIMATE_NOTE if estimate else "", note) if n]
        if notes:
            obs["note"] = [{"text": n} for n in notes]
        if components:
            obs["component"] = components
        if derived_from:
            obs["derivedFrom"] = [{"reference": ref} for ref in derived_from]
        self.by_key[key] = f"Observation/{rid}"
        self.add(obs)

    def component(self, code: str, value: dict[str, Any]) -> dict[str, Any]:
        return {"code": {"coding": [self.coding(code)], "text": display(code)}, **value}
