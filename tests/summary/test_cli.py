"""`facecoach summary build|open` and `facecoach sync` end to end, in-process, with real files and keys."""

from datetime import UTC, datetime

import pytest

from kiosk.cli import main
from kiosk.plan.signing import PRIVATE_NAME
from kiosk.store import DB_NAME, Store


def test_synthetic_build_then_open(setup, capsys):
    tmp_path, config, _ = setup
    out = tmp_path / "out"
    assert main(["summary", "build", "--synthetic-weeks", "2", "--out", str(out), "--config", str(config)]) == 0
    files = sorted(out.glob("*.fcsum"))
    assert len(files) == 3 and "encrypted" in capsys.readouterr().out
    json_file = next(f for f in files if "summary.json" in f.name)
    assert main(["summary", "open", str(json_file)]) == 1  # sealed: needs the therapist's key
    assert "encrypted" in capsys.readouterr().err
    key = str(tmp_path / "therapist" / PRIVATE_NAME)
    device_pub = str(tmp_path / "data" / "keys" / "device_ed25519.pub")
    assert main(["summary", "open", str(json_file), "--key", key, "--device-key", device_pub]) == 0
    printed = capsys.readouterr().out
    assert "Verified" in printed and "pinned key" in printed and "SYNTHETIC" in printed and "Sessions:" in printed
    pdf = next(f for f in files if "summary.pdf" in f.name)
    assert main(["summary", "open", str(pdf), "--key", key, "--extract", str(tmp_path / "x")]) == 0
    assert next((tmp_path / "x").glob("*.pdf")).read_bytes().startswith(b"%PDF")


def test_real_build_queues_and_sync_delivers(setup, capsys):
    tmp_path, config, share = setup
    store = Store.open(tmp_path / "data" / DB_NAME)
    with store.write() as db:
        db["sessions"].insert({"planned_for": datetime.now(UTC).isoformat(), "status": "done", "minutes": 12.0})
    store.close()
    assert main(["summary", "build", "--out", str(tmp_path / "out"), "--config", str(config)]) == 0
    assert "queued 3 files" in capsys.readouterr().out
    assert main(["sync", "--config", str(config)]) == 0
    assert "3 delivered" in capsys.readouterr().out
    assert len(list(share.glob("*.fcsum"))) == 3
    assert main(["sync", "--config", str(config)]) == 0  # nothing left, nothing sent twice
    assert "0 delivered" in capsys.readouterr().out and len(list(share.glob("*.fcsum"))) == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summary", "build", "--out", "OUT", "--from", "2026-11-09", "--to", "2026-11-01"], "must not be after"),
        (["summary", "build", "--out", "OUT", "--synthetic-weeks", "0"], "between 1 and 520"),
        (["summary", "open", __file__], "not a FaceCoach summary"),
        (["summary", "open", "no/such/file.fcsum"], "Cannot read"),
    ],
)
def test_bad_input_gives_a_plain_message_and_non_zero_exit(setup, capsys, argv, message):
    tmp_path, config, _ = setup
    argv = [a.replace("OUT", str(tmp_path / "out")) for a in argv]
    if argv[1] == "build":
        argv += ["--config", str(config)]
    assert main(argv) != 0
    assert message in capsys.readouterr().err


def test_bad_date_is_refused_by_the_parser(setup, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["summary", "build", "--out", "x", "--from", "last week"])
    assert exc.value.code == 2 and "not a date" in capsys.readouterr().err


def test_sync_without_a_target_says_so(isolated_home, tmp_path, capsys):
    config = tmp_path / "s.toml"
    config.write_text(f'[storage]\ndata_dir = "{tmp_path / "d"}"\n')
    assert main(["sync", "--config", str(config)]) == 2
    assert "No delivery target" in capsys.readouterr().err


def test_the_deployments_fhir_canonical_reaches_the_bundle(setup):
    import json

    tmp_path, config, _ = setup
    config.write_text(config.read_text() + 'fhir_canonical = "https://fhir.clinic.test/facecoach"\n')
    out = tmp_path / "out"
    assert (
        main(["summary", "build", "--synthetic-weeks", "1", "--out", str(out), "--plain", "--config", str(config)]) == 0
    )
    bundle = json.loads(next(out.glob("*_fhir-bundle.json")).read_text())
    (cs,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CodeSystem"]
    assert cs["url"] == "https://fhir.clinic.test/facecoach/CodeSystem/facecoach-measures"


def test_a_summary_of_a_period_with_no_eye_care_says_so(setup, capsys):
    # A new kiosk's first week: every line reads as words, none ends in an empty "Eye care: ".
    tmp_path, config, _ = setup
    out = tmp_path / "out"
    assert main(["summary", "build", "--out", str(out), "--config", str(config)]) == 0
    json_file = next(f for f in out.glob("*.fcsum") if "summary.json" in f.name)
    capsys.readouterr()
    key = str(tmp_path / "therapist" / PRIVATE_NAME)
    assert main(["summary", "open", str(json_file), "--key", key]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Eye care: no reminders in this period" in lines
    assert not [line for line in lines if line.rstrip().endswith(":")], lines
