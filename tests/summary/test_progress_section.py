"""The summary's progress section: answers and flags over time, baseline-to-now, schema, PDF paragraph."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from nacl.signing import SigningKey

from kiosk.baseline_store import record_due
from kiosk.checkin_store import save_answer
from kiosk.summary.json_out import schema_problems
from kiosk.summary.pdf_progress import progress_pdf
from kiosk.summary.service import build_from_store
from tests.test_baseline import LONDON, NOV3, add_session

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)


def build(store, start=date(2026, 11, 24), end=date(2026, 11, 30)):
    summary, _packed = build_from_store(store, start, end, NOW, SigningKey.generate(), None)
    return summary


def test_pain_and_eye_problems_flag_the_summary_with_baseline_to_now(fresh_store):
    add_session(fresh_store, NOV3, {"open_smile": (2.0, 8.0, 20.0, 80.0)})
    record_due(fresh_store, None, NOV3 + timedelta(hours=1))
    day = datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)
    sid = add_session(fresh_store, day, {"open_smile": (4.0, 8.0, 40.0, 80.0)})
    save_answer(fresh_store, sid, "feel", "painful", "touch", day + timedelta(minutes=12))
    save_answer(fresh_store, sid, "eye", "gritty", "voice", day + timedelta(minutes=13))
    save_answer(fresh_store, None, "feel", "comfortable", "touch", day - timedelta(days=10))  # before the period
    summary = build(fresh_store)
    progress = summary["progress"]
    assert schema_problems(summary) == []
    assert progress["flagged"] is True
    assert [(f["flag"], f["answer"], f["session_id"]) for f in progress["flags"]] == [
        ("pain", "painful", sid),
        ("eye_problem", "gritty", sid),
    ]
    assert progress["feel_counts"] == {"comfortable": 0, "tiring": 0, "painful": 1, "not_answered": 0}
    assert progress["eye_counts"]["gritty"] == 1 and progress["eye_counts"]["none"] == 0
    assert progress["weekly"] == [{"week_start": "2026-11-23", "answers": {"eye_gritty": 1, "feel_painful": 1}}]
    assert [b["reason"] for b in progress["baselines"]] == ["first"]
    (smile,) = progress["baseline_to_now"]
    assert smile["baseline_date"] == "2026-11-03"
    assert smile["sides"][0] == {"side": "left", "unit": "mm", "baseline": 2.0, "now": 4.0, "ratio": 2.0}
    assert smile["sentences"][0] == "Open smile: your left side moves about twice as far as on 3 November."
    text = " ".join(p.getPlainText() for p in progress_pdf(summary))
    assert "Flagged:" in text and "an eye problem (told to contact the doctor) (gritty)" in text
    assert "about twice as far as on 3 November" in text and "not a diagnosis" in text
    assert "Answers per week: week of 2026-11-23: eye gritty 1, feel painful 1." in text  # over time
    assert "No standard photos were taken in this period." in text


def test_a_quiet_period_is_not_flagged_and_says_there_is_no_comparison(fresh_store):
    day = datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)
    sid = add_session(fresh_store, day, {"open_smile": (None, None, None, None)})
    save_answer(fresh_store, sid, "feel", "tiring", "touch", day)
    save_answer(fresh_store, sid, "eye", "none", "touch", day)
    summary = build(fresh_store)
    progress = summary["progress"]
    assert schema_problems(summary) == []
    assert progress["flagged"] is False and progress["flags"] == [] and progress["baseline_to_now"] == []
    text = " ".join(p.getPlainText() for p in progress_pdf(summary))
    assert "Flagged" not in text and "No baseline comparison yet" in text
    assert "After-session answers from 1 session." in text  # not "1 session(s)"


def test_a_summary_without_the_section_has_no_paragraph():
    assert progress_pdf({"patient": "P"}) == []


def test_summary_build_attaches_the_sealed_photos_only_when_asked(setup, capsys):
    from kiosk.cli import main
    from kiosk.photos import keep_photo, photo_folder, set_consent
    from kiosk.plan.signing import PRIVATE_NAME, PUBLIC_NAME, read_private_key, read_public_key
    from kiosk.store import DB_NAME, Store

    tmp_path, config, _share = setup
    store = Store.open(tmp_path / "data" / DB_NAME)
    folder = photo_folder(tmp_path / "data")
    today = datetime.now().astimezone()
    set_consent(store, folder, True, "touch", today)
    therapist_pub = read_public_key(tmp_path / "therapist" / PUBLIC_NAME)
    keep_photo(store, folder, therapist_pub, None, "neutral", b"\x89PNG picture", today)
    store.close()
    out = tmp_path / "out"
    assert main(["summary", "build", "--out", str(out), "--plain", "--config", str(config)]) == 0
    assert len(list(out.glob("facecoach_photo_*"))) == 0
    (fhir,) = out.glob("*fhir*.json")
    (doc,) = [
        e["resource"]
        for e in json.loads(fhir.read_text())["entry"]
        if e["resource"]["resourceType"] == "DocumentReference"
    ]
    assert "url" not in doc["content"][0]["attachment"]  # the photo's date is there; the file was not sent
    fhir.unlink()
    capsys.readouterr()
    assert main(["summary", "build", "--out", str(out), "--plain", "--photos", "--config", str(config)]) == 0
    assert "attached 1 standard photos, sealed" in capsys.readouterr().out
    (attachment,) = out.glob("facecoach_photo_*")
    (fhir,) = out.glob("*fhir*.json")
    (doc,) = [
        e["resource"]
        for e in json.loads(fhir.read_text())["entry"]
        if e["resource"]["resourceType"] == "DocumentReference"
    ]
    assert doc["content"][0]["attachment"]["url"] == attachment.name  # the DocumentReference names the sealed file
    key = str(tmp_path / "therapist" / PRIVATE_NAME)
    assert main(["summary", "open", str(attachment), "--key", key, "--extract", str(tmp_path / "x")]) == 0
    from nacl.public import PrivateKey, SealedBox

    private = read_private_key(tmp_path / "therapist" / PRIVATE_NAME)
    (extracted,) = (tmp_path / "x").iterdir()
    inner = SealedBox(PrivateKey(private.to_curve25519_private_key().encode())).decrypt(extracted.read_bytes())
    assert inner == b"\x89PNG picture"
