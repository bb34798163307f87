"""The summary's FHIR transaction loaded into a real FHIR server and searched back.

The server is Medplum's ``@medplum/fhir-router`` with its in-memory repository
(tests/fhir_server/server.mjs, on 127.0.0.1). ``scripts/setup.sh --test`` installs it with
``npm ci`` when node and npm are there; without a suitable Node the tests skip with the reason.
"""

import json
import os
import re
import select
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.summary.delivery import DeliveryError
from kiosk.summary.fhir_codes import DEFAULT_CANONICAL, exercise_code
from kiosk.summary.fhir_delivery import FhirTarget
from kiosk.summary.fhir_out import to_fhir_bundle, to_fhir_bytes
from tests.summary.test_periodic import kiosk  # noqa: F401 - the fixture

SERVER = Path(__file__).parents[1] / "fhir_server"
TOKEN = "test-token-1234"


def _node_major() -> int | None:
    node = shutil.which("node")
    if node is None:
        return None
    out = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.match(r"v(\d+)", out).group(1))


@pytest.fixture(scope="module")
def fhir_server():
    """Base URL of a fresh in-memory FHIR server on loopback (token required)."""
    major = _node_major()
    if major is None or major < 20:
        pytest.skip(f"needs Node 20 or newer for the Medplum FHIR server (found: {major or 'no node'})")
    if not (SERVER / "node_modules" / "@medplum" / "fhir-router").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("tests/fhir_server/node_modules is missing: scripts/setup.sh --test should have run npm ci")
        pytest.skip("the test FHIR server is not installed: run scripts/setup.sh --test (npm ci in tests/fhir_server)")
    # Medplum declares Node >= 22; on Node 20 it runs with the WebSocket global switched on.
    flags = ["--experimental-websocket"] if major < 22 else []
    proc = subprocess.Popen(
        ["node", *flags, "server.mjs"],
        cwd=SERVER,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "FHIR_TEST_TOKEN": TOKEN},
    )
    ready, _, _ = select.select([proc.stdout], [], [], 120)  # indexing the FHIR definitions takes seconds
    line = proc.stdout.readline() if ready else ""  # "listening <port>"
    if not line.startswith("listening"):
        proc.kill()
        pytest.fail(f"the FHIR server did not start: {line} {proc.stderr.read()[:2000]}")
    yield f"http://127.0.0.1:{line.split()[1]}"
    proc.stdin.close()  # the server stops when its standard input closes
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _search(base: str, query: str) -> list[dict]:
    req = urllib.request.Request(f"{base}/{query}", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=30) as answer:
        return [e["resource"] for e in json.loads(answer.read()).get("entry", [])]


def _get(base: str, reference: str) -> dict:
    req = urllib.request.Request(f"{base}/{reference}", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=30) as answer:
        return json.loads(answer.read())


def _of(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_transaction_loads_and_searches_back(fhir_server, summary):
    bundle = to_fhir_bundle(summary)
    FhirTarget(fhir_server, TOKEN).put("summary", to_fhir_bytes(summary))
    (patient,) = _of(bundle, "Patient")
    sent = {o["id"] for o in _of(bundle, "Observation")}
    by_patient = _search(fhir_server, f"Observation?subject=Patient/{patient['id']}&_count=1000")
    assert {o["id"] for o in by_patient} == sent
    exercise = summary["exercises"][0]["exercise"]
    code = exercise_code(exercise, "excursion-mm")
    by_code = _search(fhir_server, f"Observation?code={DEFAULT_CANONICAL}|{code}&_count=100")
    assert len(by_code) == 2 and {o["bodySite"]["coding"][0]["code"] for o in by_code} == {"7771000", "24028007"}
    assert len(_search(fhir_server, "Observation?code=http://loinc.org|55411-3")) == 1
    start, end = summary["period"]["from"], summary["period"]["to"]
    in_period = _search(
        fhir_server, f"Observation?subject=Patient/{patient['id']}&date=ge{start}&date=le{end}&_count=1000"
    )
    assert {o["id"] for o in in_period} == sent
    assert _search(fhir_server, f"Observation?subject=Patient/{patient['id']}&date=lt{start}") == []
    included = _search(
        fhir_server,
        f"Observation?subject=Patient/{patient['id']}&_include=Observation:subject&_include=Observation:device&_count=1000",
    )
    kinds = {r["resourceType"]: r for r in included}
    assert kinds["Patient"]["identifier"][0]["value"] == summary["patient"]
    assert kinds["Device"]["identifier"][0]["value"] == summary["device"]["id"]
    procedures = _search(fhir_server, f"Procedure?subject=Patient/{patient['id']}&_count=1000")
    assert len(procedures) == summary["stimulation"]["block_count"]
    FhirTarget(fhir_server, TOKEN).put("summary again", to_fhir_bytes(summary))  # re-delivery: same resources
    assert len(_search(fhir_server, f"Observation?subject=Patient/{patient['id']}&_count=1000")) == len(sent)


def test_a_wrong_token_is_refused_in_plain_words(fhir_server, summary):
    with pytest.raises(DeliveryError, match="refused the token"):
        FhirTarget(fhir_server, "wrong").put("summary", to_fhir_bytes(summary))


def test_sync_delivers_the_summary_to_the_fhir_url_and_retries(fhir_server, kiosk, capsys):  # noqa: F811
    tmp_path, config, share, _ = kiosk
    base = config.read_text()
    config.write_text(base + f'fhir_url = "{fhir_server}"\nfhir_token = "wrong"\nretry_base_seconds = 1\n')
    assert main(["sync", "--config", str(config)]) == 1  # built and delivered to the folder; the FHIR server refused
    out = capsys.readouterr().out
    assert "NOT delivered" in out and "refused the token" in out and "4 files queued" in out
    config.write_text(base + f'fhir_url = "{fhir_server}"\nfhir_token = "{TOKEN}"\nretry_base_seconds = 1\n')
    time.sleep(1.5)  # the back-off after one failure: retry_base_seconds
    assert main(["sync", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "fhir-transaction.json" in out and "1 delivered" in out
    patients = _search(fhir_server, "Patient?identifier=P-4B1C")
    assert len(patients) == 1
    assert _search(fhir_server, f"Observation?subject=Patient/{patients[0]['id']}&_count=10")


def test_the_progress_section_loads_and_a_clinic_finds_it(fhir_server, fresh_store, tmp_path):
    """Issue 23: baseline-to-now, the after-session answers and flags, and the photos' dates, searched back."""
    from kiosk.photos import photo_folder
    from kiosk.plan.signing import PUBLIC_NAME, keygen, read_public_key
    from tests.summary.test_fhir_progress import bundle_of, progress_store

    keygen(tmp_path / "therapist")
    pub = read_public_key(tmp_path / "therapist" / PUBLIC_NAME)
    progress_store(fresh_store, photo_folder(tmp_path / "data"), pub)
    summary, bundle = bundle_of(fresh_store, pub, attached=True)
    FhirTarget(fhir_server, TOKEN).put("summary", json.dumps(bundle).encode())
    (patient,) = _of(bundle, "Patient")
    who = f"subject=Patient/{patient['id']}"
    system = DEFAULT_CANONICAL
    changes = _search(fhir_server, f"Observation?{who}&code={system}|open_smile.baseline-change")
    assert len(changes) == 2
    base_ref = changes[0]["derivedFrom"][0]["reference"]
    derived = _search(fhir_server, f"Observation?derived-from={base_ref}")
    assert [o["id"] for o in derived] == [changes[0]["id"]]
    base = _get(fhir_server, base_ref)
    assert base["effectiveDateTime"].startswith("2026-11-03")
    at_baseline = _search(fhir_server, f"Observation?{who}&code={system}|open_smile.excursion-mm&date=lt2026-11-24")
    assert {o["id"] for o in at_baseline} == {c["derivedFrom"][0]["reference"].split("/")[1] for c in changes}
    red = _search(fhir_server, f"Observation?{who}&code={system}|checkin-eye&value-concept={system}|eye-red")
    assert len(red) == 1 and red[0]["valueCodeableConcept"]["text"] == "red"
    assert len(_search(fhir_server, f"Observation?{who}&code={system}|checkin-feel")) == 2
    flags = _search(fhir_server, f"Flag?{who}&date=ge2026-11-28&date=lt2026-11-29")  # R4 Flag has no code search
    assert sorted(f["code"]["coding"][0]["code"] for f in flags) == ["flag-eye-problem", "flag-pain"]
    (photo,) = _search(fhir_server, f"DocumentReference?{who}&type={system}|standard-photo")
    assert photo["content"][0]["attachment"]["url"] == summary["progress"]["photos"][0]["attachment"]
    assert len(_search(fhir_server, f"DocumentReference?{who}&date=ge2026-11-28&date=lt2026-11-29")) == 1
