"""The FHIR transaction a clinic's server can load: PUT by stable id, codes per measurement, laterality, tags."""

import json
from collections import Counter
from pathlib import Path

import pytest

from kiosk.summary.fhir_codes import DEFAULT_CANONICAL, code_system, exercise_code
from kiosk.summary.fhir_out import to_fhir_bundle

SHIPPED = Path(__file__).parents[2] / "kiosk" / "summary" / "fhir" / "CodeSystem-facecoach.json"


def _validate(bundle: dict) -> None:
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(bundle)


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_a_transaction_of_puts_by_stable_id(summary):
    bundle = to_fhir_bundle(summary)
    _validate(bundle)
    assert bundle["type"] == "transaction" and bundle["identifier"]["value"] == f"urn:uuid:{bundle['id']}"
    for entry in bundle["entry"]:
        res = entry["resource"]
        assert entry["request"] == {"method": "PUT", "url": f"{res['resourceType']}/{res['id']}"}
    assert to_fhir_bundle(summary) == bundle  # the same summary gives the same bundle: re-sending is harmless
    ids = [e["request"]["url"] for e in bundle["entry"]]
    assert len(ids) == len(set(ids))


def test_patient_and_device_keep_their_id_across_periods(summary):
    later = {**summary, "period": {**summary["period"], "from": "2027-01-01", "to": "2027-01-07"}}
    a, b = to_fhir_bundle(summary), to_fhir_bundle(later)
    for kind in ("Patient", "Device", "CodeSystem"):
        assert _resources(a, kind)[0]["id"] == _resources(b, kind)[0]["id"]
    assert {o["id"] for o in _resources(a, "Observation")}.isdisjoint(o["id"] for o in _resources(b, "Observation"))


def test_one_code_per_exercise_and_measure_with_laterality(summary):
    bundle = to_fhir_bundle(summary)
    codes = Counter()
    for obs in _resources(bundle, "Observation"):
        ours = [c for c in obs["code"]["coding"] if c["system"] == DEFAULT_CANONICAL]
        assert len(ours) == 1
        sides = [c["code"] for c in obs.get("bodySite", {}).get("coding", [])]
        codes[(ours[0]["code"], tuple(sides))] += 1
        assert obs["subject"]["reference"].startswith("Patient/") and obs["device"]["reference"].startswith("Device/")
    exercise = summary["exercises"][0]["exercise"]
    assert codes[(exercise_code(exercise, "excursion-mm"), ("7771000",))] == 1  # patient's left (SNOMED CT)
    assert codes[(exercise_code(exercise, "excursion-mm"), ("24028007",))] == 1  # patient's right
    assert codes[(exercise_code(exercise, "symmetry-ratio"), ())] == 1
    assert max(n for (code, _), n in codes.items() if "." in code and "co-movement" not in code) == 1


def test_exercise_minutes_carry_loinc_and_every_code_is_in_the_codesystem(summary):
    bundle = to_fhir_bundle(summary)
    (cs,) = _resources(bundle, "CodeSystem")
    defined = {c["code"] for c in cs["concept"]}
    minutes = next(o for o in _resources(bundle, "Observation") if o["code"]["text"] == "Minutes of facial exercise")
    assert {"system": "http://loinc.org", "code": "55411-3", "display": "Exercise duration"} in minutes["code"][
        "coding"
    ]
    for res in _resources(bundle, "Observation") + _resources(bundle, "Procedure"):
        for c in res["code"]["coding"] + [c for comp in res.get("component", []) for c in comp["code"]["coding"]]:
            if c["system"] == cs["url"]:
                assert c["code"] in defined


def test_synthetic_data_is_tagged_and_real_data_is_not(summary):
    bundle = to_fhir_bundle(summary)
    assert summary["synthetic"] is True
    assert all(e["resource"]["meta"]["tag"][0]["code"] == "HTEST" for e in bundle["entry"])
    real = to_fhir_bundle({**summary, "synthetic": False})
    assert all("meta" not in e["resource"] for e in real["entry"]) and "meta" not in real


def test_estimates_point_at_the_measurements_they_came_from(summary):
    bundle = to_fhir_bundle(summary)
    by_ref = {f"Observation/{o['id']}": o for o in _resources(bundle, "Observation")}
    estimates = [o for o in by_ref.values() if o["code"]["coding"][-1]["code"].startswith("sunnybrook-")]
    assert estimates
    by_code = {o["code"]["coding"][-1]["code"]: o for o in estimates}
    for code in ("sunnybrook-voluntary", "sunnybrook-synkinesis"):
        sources = [by_ref[ref["reference"]] for ref in by_code[code]["derivedFrom"]]
        assert {s["code"]["coding"][-1]["code"].split(".")[1] for s in sources} <= {"symmetry-ratio", "co-movement"}
    assert "derivedFrom" not in by_code["sunnybrook-resting"]  # from the calibrations, not from Observations
    composite = [
        by_ref[ref["reference"]]["code"]["coding"][-1]["code"] for ref in by_code["sunnybrook-composite"]["derivedFrom"]
    ]
    assert composite == ["sunnybrook-voluntary", "sunnybrook-synkinesis", "sunnybrook-resting"]


def test_the_canonical_url_is_a_setting(summary):
    bundle = to_fhir_bundle(summary, "https://fhir.clinic.test/facecoach")
    _validate(bundle)
    (cs,) = _resources(bundle, "CodeSystem")
    assert cs["url"] == "https://fhir.clinic.test/facecoach/CodeSystem/facecoach-measures"
    (patient,) = _resources(bundle, "Patient")
    assert patient["identifier"][0]["system"] == "https://fhir.clinic.test/facecoach/NamingSystem/patient-pseudonym"


def test_the_shipped_codesystem_is_the_one_the_code_makes():
    from fhir.resources.R4B.codesystem import CodeSystem

    shipped = json.loads(SHIPPED.read_text())
    assert shipped == code_system()
    CodeSystem.model_validate(shipped)


@pytest.mark.parametrize("weeks", [1, 26])
def test_every_bundle_validates(weeks):
    from datetime import UTC, date, datetime

    from kiosk.summary.builder import build_summary
    from kiosk.summary.synthetic import synthetic_rows

    rows, period = synthetic_rows(weeks, date(2026, 11, 29), seed=5)
    s = build_summary(
        rows, period, datetime(2026, 11, 30, tzinfo=UTC), patient="P-2", device_id="fc-y", software_version="0"
    )
    _validate(to_fhir_bundle(s))
