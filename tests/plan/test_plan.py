"""Signed plans: each refusal gives its own reason; the last good plan stays in force."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.plan.loader import evaluate, load_plan, stim_plan
from kiosk.plan.model import parse_plan
from kiosk.plan.signing import parse_signature, read_public_key
from stim_hat.prescription import DeviceLimits

TODAY = date(2026, 11, 20)
LIMITS = DeviceLimits(ceiling_ma=10.0)
REPO = Path(__file__).resolve().parents[2]


def _load(path, store, pub, today=TODAY):
    return load_plan(path, store=store, public_key=pub, today=today, now=datetime(2026, 11, 20, 9), limits=LIMITS)


def test_a_signed_plan_is_accepted_with_its_prescription(keys, write_plan, plan_text, fresh_store):
    private, public = keys
    result = _load(write_plan(plan_text, sign_with=private), fresh_store, public)
    assert result.accepted, result.reason
    assert result.plan.signed and result.plan.version == 3 and result.plan.stage == "paresis"
    assert result.stimulation.enabled and result.stimulation.max_amplitude_ma == 4.0
    assert result.stimulation.sites == ("frontalis", "zygomaticus")
    row = list(fresh_store.db["plan_versions"].rows)[-1]
    assert row["status"] == "applied" and row["version"] == 3 and row["sha256"] == result.plan.sha256


def _tamper(text: str) -> str:
    return text.replace("max_amplitude_ma = 4.0", "max_amplitude_ma = 9.0")  # one byte


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("unsigned", "not signed by the therapist"),
        ("wrong key", "signed with a different key"),
        ("tampered", "changed after it was signed"),
        ("older version", "not newer than the plan in force"),
        ("expired", "expired on 2027-02-01"),
        ("beyond device ceiling", "beyond the device limit"),
        ("malformed TOML", "not valid TOML"),
    ],
)
def test_each_refused_plan_gives_its_own_reason(case, expected, keys, other_keys, write_plan, plan_text, fresh_store):
    private, public = keys
    good = _load(write_plan(plan_text, "good.toml", sign_with=private), fresh_store, public)
    assert good.accepted
    newer = plan_text.replace("version = 3", "version = 4")
    today = TODAY
    if case == "unsigned":
        path = write_plan(newer)
    elif case == "wrong key":
        path = write_plan(newer, sign_with=other_keys[0])
    elif case == "tampered":
        path = write_plan(newer, sign_with=private)
        path.write_text(_tamper(newer))
        assert len(_tamper(newer)) == len(newer)
    elif case == "older version":
        path = write_plan(plan_text.replace("version = 3", "version = 2"), sign_with=private)
    elif case == "expired":
        path, today = write_plan(newer, sign_with=private), date(2027, 3, 1)
    elif case == "beyond device ceiling":
        path = write_plan(newer.replace("max_amplitude_ma = 4.0", "max_amplitude_ma = 12.0"), sign_with=private)
    else:
        path = write_plan(newer.replace('stage = "paresis"', 'stage = "paresis'), sign_with=private)
    result = _load(path, fresh_store, public, today)
    assert not result.accepted
    assert expected in result.reason, result.reason
    # The last good plan stays in force, and the reason says so.
    assert result.plan is not None and result.plan.version == 3 and result.plan.signed
    assert "keeps the plan it had (version 3)" in result.reason
    assert result.stimulation.enabled
    # A bad signature may be replaced by a good one: such a plan waits and is checked again.
    status = "waiting" if case in ("wrong key", "tampered") else "refused"
    refused = list(fresh_store.db.query("select * from plan_versions where status = ?", [status]))
    assert len(refused) == 1 and expected in refused[0]["reason"]
    assert refused[0]["text"] is None, "a refused file is kept by hash, never by content"


def test_reasons_are_all_different(keys, other_keys, write_plan, plan_text):
    private, public = keys
    pub = read_public_key(public)
    reasons = set()
    for text, sig_key in ((plan_text, None), (plan_text, other_keys[0])):
        path = write_plan(text, sign_with=sig_key)
        sig = path.with_name(path.name + ".sig")
        v = evaluate(
            path.read_bytes(), sig.read_bytes() if sig.exists() else None, pub, last=None, today=TODAY, limits=LIMITS
        )
        reasons.add(v.reason)
    assert len(reasons) == 2


def test_unsigned_starter_is_accepted_only_without_stimulation(write_plan, plan_text, fresh_store, keys):
    starter = plan_text.replace("enabled = true", "enabled = false").replace("version = 3", "version = 0")
    result = _load(write_plan(starter), fresh_store, keys[1])
    assert result.accepted and not result.plan.signed and not result.stimulation.enabled
    # Once a signed plan is in force, an unsigned one cannot replace it.
    assert _load(write_plan(plan_text, "signed.toml", sign_with=keys[0]), fresh_store, keys[1]).accepted
    later = _load(write_plan(starter.replace("version = 0", "version = 9"), "later.toml"), fresh_store, keys[1])
    assert not later.accepted and "only a newer signed plan" in later.reason


def test_the_same_plan_loaded_again_is_already_in_force(keys, write_plan, plan_text, fresh_store):
    path = write_plan(plan_text, sign_with=keys[0])
    assert _load(path, fresh_store, keys[1]).accepted
    again = _load(path, fresh_store, keys[1])
    assert again.accepted and "already in force" in again.reason
    assert fresh_store.db["plan_versions"].count == 1
    # Read again it is checked again in full, and keeps its stimulation prescription.
    assert again.stimulation.enabled and again.stimulation == _load(path, fresh_store, keys[1]).stimulation


def test_the_plan_in_force_is_refused_again_once_it_has_expired(keys, write_plan, plan_text, fresh_store):
    path = write_plan(plan_text, sign_with=keys[0])
    assert _load(path, fresh_store, keys[1]).accepted
    late = _load(path, fresh_store, keys[1], today=date(2027, 3, 1))
    assert not late.accepted and "expired" in late.reason and "keeps the plan it had" in late.reason
    assert late.plan is not None and late.plan.signed
    assert stim_plan(late).valid_until == date(2027, 2, 1), "the stimulation rules then refuse it by date"


def test_header_problems_name_file_line_and_field():
    plan, problems = parse_plan(b'[plan]\nformat = 1\nversion = "three"\nstage = "x"\n', "p.toml")
    assert plan is None
    text = [str(p) for p in problems]
    assert "p.toml:3: plan.version: must be a whole number, got 'three'" in text
    assert any(t.startswith("p.toml:4: plan.stage: must be one of") for t in text)
    assert any("plan.patient: is missing" in t for t in text)


def test_signature_file_forms():
    assert parse_signature(bytes(range(64))).key_id == ""
    assert len(parse_signature(("ab" * 64).encode()).signature) == 64
    with pytest.raises(ValueError, match="damaged"):
        parse_signature(b"not a signature")


def test_cli_keygen_sign_verify(tmp_path, capsys, plan_text, isolated_home):
    out = tmp_path / "k"
    assert main(["plan", "keygen", "--out", str(out)]) == 0
    assert stat.S_IMODE(os.stat(out / "therapist.key").st_mode) == 0o600
    plan = tmp_path / "p.toml"
    plan.write_text(plan_text)
    pub = str(out / "therapist.pub")
    assert main(["plan", "verify", str(plan), "--pubkey", pub, "--today", "2026-11-20"]) == 1
    assert "REFUSED: This plan is not signed" in capsys.readouterr().out
    assert main(["plan", "sign", str(plan), "--key", str(out / "therapist.key")]) == 0
    assert main(["plan", "verify", str(plan), "--pubkey", pub, "--today", "2026-11-20"]) == 0
    assert "OK:" in capsys.readouterr().out
    assert main(["plan", "verify", str(plan), "--pubkey", pub, "--today", "2026-11-20", "--last-version", "5"]) == 1
    assert main(["plan", "verify", str(tmp_path / "missing.toml"), "--pubkey", pub]) == 1
    assert main(["plan", "sign", str(plan), "--key", str(tmp_path / "nokey")]) == 1
    assert "Not signed: Cannot read the key file" in capsys.readouterr().out


def test_shipped_plans_if_present(tmp_path, isolated_home):
    starter = REPO / "content" / "plans" / "starter.toml"
    sample = REPO / "content" / "plans" / "sample-therapist.toml"
    if not starter.exists() or not sample.exists():
        pytest.skip("content/plans not there yet")
    assert main(["plan", "verify", str(starter), "--today", "2026-11-20"]) == 0
    copy = tmp_path / "sample.toml"
    copy.write_bytes(sample.read_bytes())
    assert main(["plan", "keygen", "--out", str(tmp_path / "k")]) == 0
    assert main(["plan", "sign", str(copy), "--key", str(tmp_path / "k" / "therapist.key")]) == 0
    assert (
        main(["plan", "verify", str(copy), "--pubkey", str(tmp_path / "k" / "therapist.pub"), "--today", "2026-11-20"])
        == 0
    )


def test_stim_plan_from_a_load_result(keys, write_plan, plan_text, fresh_store):
    from kiosk.plan.loader import LoadResult, stim_plan

    result = _load(write_plan(plan_text, sign_with=keys[0]), fresh_store, keys[1])
    plan = stim_plan(result)
    assert plan.signed and plan.version == 3 and plan.rx.enabled and plan.valid_until == date(2027, 2, 1)
    locked = stim_plan(LoadResult(None, False, "no plan"))
    assert not locked.signed and not locked.rx.enabled
