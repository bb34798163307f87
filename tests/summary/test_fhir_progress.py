"""The progress section in FHIR (issue 23): baseline and change per exercise and side, the after-session
answers with their flags, and the standard photos' dates, built from stored rows and validated."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from nacl.signing import SigningKey

from kiosk.baseline_store import record_due
from kiosk.checkin import NOT_ANSWERED
from kiosk.checkin_store import save_answer
from kiosk.photos import keep_photo, photo_folder, set_consent
from kiosk.summary.fhir_codes import DEFAULT_CANONICAL, code_system, exercise_code
from kiosk.summary.fhir_out import to_fhir_bundle
from kiosk.summary.service import build_from_store
from tests.test_baseline import LONDON, NOV3, add_session

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
DAY = datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)
SYSTEM = DEFAULT_CANONICAL
KEY = SigningKey(bytes(range(32)))  # one device


def progress_store(store, folder, therapist_pub=None) -> int:
    """A baseline on 3 November, a session on 28 November with pain, a red eye, a photo and a left question."""
    add_session(store, NOV3, {"open_smile": (2.0, 8.0, 20.0, 80.0)})
    record_due(store, None, NOV3 + timedelta(hours=1))
    sid = add_session(store, DAY, {"open_smile": (4.0, 8.0, 40.0, 80.0)})
    save_answer(store, sid, "feel", "painful", "touch", DAY + timedelta(minutes=12))
    save_answer(store, sid, "eye", "red", "touch", DAY + timedelta(minutes=13))
    later = DAY + timedelta(days=1)
    next_day = add_session(store, later, {"open_smile": (4.0, 8.0, 40.0, 80.0)})
    save_answer(store, next_day, "feel", "comfortable", "voice", later + timedelta(minutes=12))
    save_answer(store, next_day, "eye", NOT_ANSWERED, "left", later + timedelta(minutes=13))
    if therapist_pub is not None:
        set_consent(store, folder, True, "touch", NOV3 - timedelta(days=1))
        keep_photo(store, folder, therapist_pub, sid, "neutral", b"\x89PNG picture", DAY + timedelta(minutes=5))
    return sid


def bundle_of(store, therapist_pub=None, attached=False) -> tuple[dict, dict]:
    period = (date(2026, 11, 24), date(2026, 11, 30))
    summary, _ = build_from_store(store, *period, NOW, KEY, therapist_pub, photos_attached=attached)
    return summary, to_fhir_bundle(summary)


def of(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def coded(resource: dict, code: str) -> bool:
    return any(c["system"] == SYSTEM and c["code"] == code for c in resource["code"]["coding"])


def test_baseline_and_change_per_side_point_at_the_baseline(fresh_store, tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    progress_store(fresh_store, photo_folder(tmp_path))
    summary, bundle = bundle_of(fresh_store)
    Bundle.model_validate(bundle)
    observations = {o["id"]: o for o in of(bundle, "Observation")}
    changes = [o for o in observations.values() if coded(o, exercise_code("open_smile", "baseline-change"))]
    assert sorted(o["bodySite"]["coding"][0]["code"] for o in changes) == ["24028007", "7771000"]
    left = next(o for o in changes if o["bodySite"]["coding"][0]["code"] == "7771000")
    assert left["valueQuantity"]["value"] == 2.0  # 4 mm now against 2 mm on 3 November
    parts = {c["code"]["coding"][0]["code"]: c for c in left["component"]}
    assert parts["baseline-value"]["valueQuantity"]["value"] == 2.0
    assert parts["baseline-value"]["valueQuantity"]["code"] == "mm"
    assert parts["current-value"]["valueQuantity"]["value"] == 4.0
    assert parts["baseline-date"]["valueDateTime"].startswith("2026-11-03T")
    assert parts["evenness-baseline"]["valueQuantity"]["value"] == 25.0
    assert parts["evenness-now"]["valueQuantity"]["value"] == 50.0
    (ref,) = left["derivedFrom"]
    base = observations[ref["reference"].split("/")[1]]
    assert coded(base, "open_smile.excursion-mm") and base["valueQuantity"]["value"] == 2.0
    assert base["effectiveDateTime"].startswith("2026-11-03T") and base["bodySite"] == left["bodySite"]
    assert "about twice as far as on 3 November" in left["note"][-1]["text"]
    # the next week's summary updates the same baseline resource instead of adding one
    later, _ = build_from_store(fresh_store, date(2026, 12, 1), date(2026, 12, 7), NOW + timedelta(days=7), KEY, None)
    assert later["progress"]["baseline_to_now"]  # the 28 November results are still within two weeks
    assert base["id"] in {o["id"] for o in of(to_fhir_bundle(later), "Observation")}


def test_answers_are_observations_and_pain_and_eye_problems_are_flags(fresh_store, tmp_path):
    sid = progress_store(fresh_store, photo_folder(tmp_path))
    _, bundle = bundle_of(fresh_store)
    answers = [o for o in of(bundle, "Observation") if o["category"][0]["coding"][0]["code"] == "survey"]
    got = sorted(
        (o["code"]["coding"][0]["code"], o.get("valueCodeableConcept", {}).get("coding", [{}])[0].get("code", ""))
        for o in answers
    )
    assert got == [
        ("checkin-eye", ""),
        ("checkin-eye", "eye-red"),
        ("checkin-feel", "feel-comfortable"),
        ("checkin-feel", "feel-painful"),
    ]
    left = next(o for o in answers if "dataAbsentReason" in o)
    assert left["dataAbsentReason"]["coding"][0]["code"] == "asked-declined" and "interpretation" not in left
    red = next(o for o in answers if o.get("valueCodeableConcept", {}).get("text") == "red")
    assert [c["code"] for c in red["interpretation"][0]["coding"]] == ["A", "flag-eye-problem"]
    assert red["effectiveDateTime"] == (DAY + timedelta(minutes=13)).isoformat()
    flags = of(bundle, "Flag")
    assert sorted(f["code"]["coding"][0]["code"] for f in flags) == ["flag-eye-problem", "flag-pain"]
    assert all(f["subject"]["reference"].startswith("Patient/") for f in flags)
    assert {f["period"]["start"] for f in flags} == {(DAY + timedelta(minutes=m)).isoformat() for m in (12, 13)}
    assert sid in {a["session_id"] for a in bundle_of(fresh_store)[0]["progress"]["answers"]}


def test_photo_dates_are_document_references_that_name_the_sealed_file_only_when_sent(fresh_store, tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    from kiosk.plan.signing import PUBLIC_NAME, keygen, read_public_key

    keygen(tmp_path / "therapist")
    pub = read_public_key(tmp_path / "therapist" / PUBLIC_NAME)
    sid = progress_store(fresh_store, photo_folder(tmp_path / "data"), pub)
    _, kept = bundle_of(fresh_store, pub, attached=False)
    summary, sent = bundle_of(fresh_store, pub, attached=True)
    Bundle.model_validate(sent)
    (doc,) = of(sent, "DocumentReference")
    name = f"facecoach_photo_2026-11-28_{sid}_neutral.fcsum"
    assert summary["progress"]["photos"][0]["attachment"] == name
    assert doc["content"][0]["attachment"]["url"] == name and "data" not in doc["content"][0]["attachment"]
    assert doc["date"] == (DAY + timedelta(minutes=5)).isoformat()
    assert doc["type"]["coding"][0]["code"] == "standard-photo" and doc["type"]["text"] == "Standard photo: neutral"
    (doc_kept,) = of(kept, "DocumentReference")
    assert "url" not in doc_kept["content"][0]["attachment"] and "kept sealed on the kiosk" in doc_kept["description"]
    assert doc_kept["id"] == doc["id"]  # the same photo, whichever summary mentions it
    set_consent(fresh_store, photo_folder(tmp_path / "data"), False, "touch", NOW)
    _, withdrawn = bundle_of(fresh_store, pub, attached=True)
    assert of(withdrawn, "DocumentReference") == []


def test_every_new_code_is_in_the_shipped_codesystem(fresh_store, tmp_path):
    progress_store(fresh_store, photo_folder(tmp_path))
    _, bundle = bundle_of(fresh_store)
    known = {c["code"] for c in code_system(SYSTEM, ("open_smile",))["concept"]}
    used = set()
    for e in bundle["entry"]:
        res = e["resource"]
        for concept in (res.get("code"), res.get("type"), res.get("valueCodeableConcept")):
            used |= {c["code"] for c in (concept or {}).get("coding", []) if c["system"] == SYSTEM}
        for comp in res.get("component", []):
            used |= {c["code"] for c in comp["code"]["coding"] if c["system"] == SYSTEM}
    assert used and used <= known


def test_a_side_that_hardly_moved_at_the_baseline_has_no_ratio_but_a_reason(fresh_store, tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    add_session(fresh_store, NOV3, {"open_smile": (0.2, 8.0, 2.0, 80.0)})  # the left side hardly moved
    record_due(fresh_store, None, NOV3 + timedelta(hours=1))
    add_session(fresh_store, DAY, {"open_smile": (3.0, 8.0, 30.0, 80.0)})
    _, bundle = bundle_of(fresh_store)
    Bundle.model_validate(bundle)
    changes = [o for o in of(bundle, "Observation") if coded(o, "open_smile.baseline-change")]
    left = next(o for o in changes if o["bodySite"]["coding"][0]["code"] == "7771000")
    assert "valueQuantity" not in left and left["dataAbsentReason"]["coding"][0]["code"] == "not-applicable"
    assert "on 3 November it hardly moved" in left["note"][-1]["text"]


def test_times_without_an_offset_become_dates():
    from kiosk.summary.fhir_progress import fhir_time

    assert fhir_time("2026-11-28T10:05:00+00:00") == "2026-11-28T10:05:00+00:00"
    assert fhir_time("2026-11-28T10:05:00") == "2026-11-28"  # FHIR needs an offset with a time
    assert fhir_time("2026-11-28") == "2026-11-28"
