"""The three outputs: JSON against its schema, the PDF rendered and read back, FHIR validated (R4B)."""

import copy
import json
import shutil
import subprocess

import pytest

from kiosk.summary.fhir_out import to_fhir_bundle
from kiosk.summary.json_out import schema_problems, to_json_bytes
from kiosk.summary.pdf_out import to_pdf_bytes


def test_json_is_valid_against_the_schema_and_stable(summary):
    assert schema_problems(summary) == []
    assert to_json_bytes(summary) == to_json_bytes(copy.deepcopy(summary))
    assert json.loads(to_json_bytes(summary))["schema_version"] == "1.1"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("sunnybrook_estimate", "is_estimate"), False, "sunnybrook_estimate/is_estimate"),
        (("adherence", "done_rate"), 1.5, "adherence/done_rate"),
        (("period", "from"), "last week", "period/from"),
    ],
)
def test_schema_catches_a_broken_summary(summary, path, value, expected):
    broken = copy.deepcopy(summary)
    broken[path[0]][path[1]] = value
    assert any(p.startswith(expected) for p in schema_problems(broken))


def test_schema_requires_every_section(summary):
    broken = {k: v for k, v in summary.items() if k != "eye_care"}
    assert any("eye_care" in p for p in schema_problems(broken))


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return path


@pytest.mark.slow
def test_pdf_has_pages_text_and_ink(summary, tmp_path):
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(to_pdf_bytes(summary))
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        [need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in (
        "FaceCoach home practice summary",
        "SYNTHETIC",
        "P-7F3A",
        "Adherence calendar",
        "Sunnybrook-style estimate",
        "Eye care",
        "Stimulation blocks",
        "open_smile",
        "not a diagnosis",
    ):
        assert words in text, words
    assert text.count("\f") >= 5  # pages
    subprocess.run(
        [need("pdftoppm"), "-r", "30", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "p")], check=True
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 2
    import pygame

    for page in pages:
        image = pygame.image.load(str(page))
        w, h = image.get_size()
        dark = sum(1 for x in range(0, w, 3) for y in range(0, h, 3) if image.get_at((x, y)).r < 100)
        assert dark > 100, f"{page.name} looks blank"


def test_fhir_bundle_validates_as_r4b_and_has_the_parts(summary):
    from fhir.resources.R4B.bundle import Bundle

    data = to_fhir_bundle(summary)
    bundle = Bundle.model_validate(data)
    assert bundle.type == "transaction"
    kinds = [e["resource"]["resourceType"] for e in data["entry"]]
    assert kinds.count("Patient") == 1 and kinds.count("Device") == 1 and kinds.count("CodeSystem") == 1
    assert kinds.count("Procedure") == summary["stimulation"]["block_count"] > 0
    observations = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"]
    categories = {o["category"][0]["coding"][0]["code"] for o in observations}
    assert categories == {"therapy", "exam", "activity"}
    patient = data["entry"][1]["resource"]
    assert patient["identifier"][0]["value"] == "P-7F3A" and "name" not in patient
    exams = [o for o in observations if o["category"][0]["coding"][0]["code"] == "exam"]
    assert all(any("estimate" in n["text"] for n in o["note"]) for o in exams)
    assert to_fhir_bundle(summary) == data  # stable ids: a rebuilt bundle is the same bundle


@pytest.mark.parametrize("change", ["drop code", "text as integer", "unknown field"])
def test_fhir_validation_catches_a_bad_bundle(summary, change):
    from fhir.resources.R4B.bundle import Bundle

    data = to_fhir_bundle(summary)
    obs = data["entry"][3]["resource"]
    if change == "drop code":
        del obs["code"]
    elif change == "text as integer":
        obs["valueInteger"] = "many"
    else:
        obs["colour"] = "red"
    with pytest.raises(ValueError):
        Bundle.model_validate(data)


def test_fhir_status_codes_are_from_the_value_sets(summary):
    # fhir.resources checks structure and types but not value sets, so the codes are checked here.
    for entry in to_fhir_bundle(summary)["entry"]:
        res = entry["resource"]
        if res["resourceType"] == "Observation":
            assert res["status"] == "final"
        elif res["resourceType"] == "Procedure":
            assert res["status"] in ("completed", "stopped", "in-progress")
