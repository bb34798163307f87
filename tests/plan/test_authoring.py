"""Writing a plan: template for a stage -> sign (passphrase-protected key) -> verify -> show in plain words."""

from __future__ import annotations

import pytest

from kiosk.cli import main
from kiosk.plan.model import parse_plan
from kiosk.plan.signing import read_private_key

TODAY = "2026-11-20"


@pytest.fixture
def passphrase(monkeypatch):
    monkeypatch.setenv("FACECOACH_KEY_PASSPHRASE", "a long therapist passphrase")
    return "a long therapist passphrase"


@pytest.mark.parametrize("stage", ["flaccid", "paresis", "synkinesis"])
def test_template_round_trip(stage, tmp_path, capsys, isolated_home, passphrase):
    plan, keys = tmp_path / "plan.toml", tmp_path / "keys"
    assert main(["plan", "new", "--stage", stage, "--out", str(plan), "--patient", "P-7F3A", "--device", "fc-a1",
                 "--today", TODAY]) == 0  # fmt: skip
    assert f'stage = "{stage}"' in plan.read_text() and "# " in plan.read_text()  # commented
    plan.write_text(plan.read_text().replace('"CHANGE ME"', '"A. Therapist, PT"'))
    assert main(["plan", "keygen", "--out", str(keys), "--passphrase"]) == 0
    assert "argon2id" in (keys / "therapist.key").read_text(), "the private key is sealed"
    assert main(["plan", "sign", str(plan), "--key", str(keys / "therapist.key")]) == 0
    pub = str(keys / "therapist.pub")
    capsys.readouterr()
    assert main(["plan", "verify", str(plan), "--pubkey", pub, "--today", TODAY, "--device", "fc-a1"]) == 0
    assert f"OK: {plan} version 1, signed" in capsys.readouterr().out
    assert main(["plan", "verify", str(plan), "--pubkey", pub, "--today", TODAY, "--device", "fc-b2"]) == 1
    assert "This plan is for the kiosk fc-a1, but this kiosk is fc-b2." in capsys.readouterr().out
    assert main(["plan", "show", str(plan)]) == 0
    out = capsys.readouterr().out
    assert f"Plan version 1 for patient P-7F3A, stage {stage}, in force from 2026-11-20" in out
    assert "Exercise sessions: 10:00 every day; 18:00 every day." in out
    assert "  - Face relaxation (face_relaxation): 1 time, hold 60 s" in out
    assert "  - ointment and taping at 22:00" in out and "Stimulation: none." in out
    if stage == "flaccid":
        assert "Brow lift" not in out, "no active exercise before the face moves"


def test_a_sealed_key_needs_its_passphrase(tmp_path, capsys, isolated_home, passphrase, monkeypatch):
    assert main(["plan", "keygen", "--out", str(tmp_path / "k"), "--passphrase"]) == 0
    key = tmp_path / "k" / "therapist.key"
    assert (
        read_private_key(key, passphrase).verify_key.encode().hex()
        == (tmp_path / "k" / "therapist.pub").read_text().strip()
    )
    monkeypatch.setenv("FACECOACH_KEY_PASSPHRASE", "not the passphrase")
    plan = tmp_path / "p.toml"
    assert main(["plan", "new", "--stage", "paresis", "--out", str(plan), "--patient", "P-1", "--device", "fc-a1"]) == 0
    plan.write_text(plan.read_text().replace('"CHANGE ME"', '"A. Therapist, PT"'))
    assert main(["plan", "sign", str(plan), "--key", str(key)]) == 1
    assert "Not signed: The passphrase is not right for this key" in capsys.readouterr().out
    assert not (tmp_path / "p.toml.sig").exists()


def test_show_against_the_plan_in_force_lists_the_changes(tmp_path, capsys, isolated_home):
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    assert main(["plan", "new", "--stage", "paresis", "--out", str(old), "--today", TODAY]) == 0
    text = old.read_text().replace("version = 1 ", "version = 2 ").replace('time = "18:00"', 'time = "17:30"')
    new.write_text(text.replace("reps = 5\nhold_seconds = 5", "reps = 3\nhold_seconds = 5", 1))
    capsys.readouterr()
    assert main(["plan", "show", str(new), "--against", str(old)]) == 0
    out = capsys.readouterr().out
    assert "Compared with version 1" in out
    assert "  - Brow lift now 3 times, holding 5 seconds" in out
    assert "  - exercise sessions at 10:00, 17:30" in out


def test_show_refuses_a_plan_with_problems(tmp_path, capsys, isolated_home):
    plan = tmp_path / "p.toml"
    assert main(["plan", "new", "--stage", "paresis", "--out", str(plan), "--today", TODAY]) == 0
    plan.write_text(plan.read_text().replace('id = "brow_lift"', 'id = "brow_lfit"'))
    assert main(["plan", "show", str(plan)]) == 1
    assert "no such exercise 'brow_lfit' in content/exercises — did you mean brow_lift?" in capsys.readouterr().out


def test_plan_new_never_overwrites(tmp_path, capsys, isolated_home):
    plan = tmp_path / "p.toml"
    plan.write_text("mine")
    assert main(["plan", "new", "--stage", "paresis", "--out", str(plan)]) == 1
    assert plan.read_text() == "mine"


def test_exercises_lists_ids_names_and_stages(capsys):
    assert main(["plan", "exercises"]) == 0
    rows = capsys.readouterr().out.splitlines()
    brow = next(r for r in rows if r.startswith("brow_lift "))
    assert "Brow lift" in brow and "paresis, synkinesis" in brow and "flaccid" not in brow


@pytest.mark.parametrize(
    ("lang", "reps", "hold", "words"),
    [
        ("en", 1, 1.0, "Brow lift now 1 time, holding 1 second"),
        ("en", 3, 2.5, "Brow lift now 3 times, holding 2.5 seconds"),
        ("de", 1, 1.0, "Brow lift jetzt 1 Mal, 1 Sekunde halten"),
        ("de", 3, 2.5, "Brow lift jetzt 3 Mal, 2,5 Sekunden halten"),
    ],
)
def test_a_new_dose_is_said_with_the_right_plural_and_decimal_mark(lang, reps, hold, words):
    """Was "1 times, holding 1 seconds" and "2.5 Sekunden" (the hold went in as English text)."""
    import dataclasses
    from datetime import date

    from kiosk.plan.describe import Dose, Outline, changes, say_changes
    from stim_hat.prescription import Prescription

    old = Outline(
        version=1,
        signed=True,
        patient="P-1",
        stage="paresis",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 4, 1),
        sessions=(("10:00", "every day"),),
        exercises=(Dose("brow_lift", 5, 5.0, 5.0),),
        eye="none",
        eye_care=(),
        stimulation=Prescription(),
    )
    new = dataclasses.replace(old, exercises=(Dose("brow_lift", reps, hold, 5.0),))
    found = changes(old, new, {"brow_lift": "Brow lift"})
    assert words in say_changes(found, lang)


def test_sign_refuses_a_plan_the_kiosk_would_refuse_or_one_with_placeholders(tmp_path, capsys, isolated_home):
    """Signing used to put a signature on anything: a plan with a typo, or the template unchanged."""
    keys, plan = tmp_path / "keys", tmp_path / "p.toml"
    assert main(["plan", "keygen", "--out", str(keys)]) == 0
    key = str(keys / "therapist.key")
    assert main(["plan", "new", "--stage", "paresis", "--out", str(plan), "--today", TODAY]) == 0
    capsys.readouterr()
    assert main(["plan", "show", str(plan)]) == 0  # a preview is fine; it says what is missing
    assert "Before you sign it, fill in:" in capsys.readouterr().out
    assert main(["plan", "sign", str(plan), "--key", key]) == 1
    out = capsys.readouterr().out
    assert "Not signed: the plan still has the template's placeholders:" in out
    assert f"{plan}:11: plan.patient: is still the template's 'P-CHANGE-ME': write the patient's pseudonym" in out
    assert f"{plan}:12: plan.device: is still the template's 'fc-CHANGE-ME'" in out
    assert f"{plan}:13: plan.therapist: is still the template's 'CHANGE ME': write your name and role" in out
    assert not (tmp_path / "p.toml.sig").exists()
    filled = plan.read_text().replace("P-CHANGE-ME", "P-7F3A").replace("fc-CHANGE-ME", "fc-a1")
    filled = filled.replace('"CHANGE ME"', '"A. Therapist, PT"')
    plan.write_text(filled.replace("reps = 5", "reps = 50", 1))
    assert main(["plan", "sign", str(plan), "--key", key]) == 1
    out = capsys.readouterr().out
    assert "must be between 1 and 30, got 50" in out and "Not signed: fix the problems above first." in out
    assert not (tmp_path / "p.toml.sig").exists()
    plan.write_text(filled)
    assert main(["plan", "sign", str(plan), "--key", key]) == 0
    assert (tmp_path / "p.toml.sig").exists()


def test_a_new_plan_takes_this_computers_time_zone_or_the_one_asked_for(tmp_path, capsys, monkeypatch):
    import kiosk.plan.cli_authoring as authoring

    monkeypatch.setattr(authoring, "local_zone", lambda: "America/Chicago")
    here, berlin, mars = tmp_path / "here.toml", tmp_path / "berlin.toml", tmp_path / "mars.toml"
    assert main(["plan", "new", "--stage", "paresis", "--out", str(here), "--today", TODAY]) == 0
    assert "time zone America/Chicago" in capsys.readouterr().out
    assert 'timezone = "America/Chicago"' in here.read_text()
    assert main(["plan", "new", "--stage", "paresis", "--out", str(berlin), "--timezone", "Europe/Berlin"]) == 0
    plan, problems = parse_plan(berlin.read_bytes(), str(berlin))
    assert problems == [] and plan.timezone == "Europe/Berlin"
    assert main(["plan", "new", "--stage", "paresis", "--out", str(mars), "--timezone", "Mars/Olympus"]) == 1
    assert "'Mars/Olympus' is not a time zone name this computer knows" in capsys.readouterr().out
    assert not mars.exists()


def test_a_short_passphrase_from_the_environment_is_refused_like_a_typed_one(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FACECOACH_KEY_PASSPHRASE", "short")
    assert main(["plan", "keygen", "--out", str(tmp_path / "k"), "--passphrase"]) == 1
    assert "(from FACECOACH_KEY_PASSPHRASE) is too short; use at least 8 characters" in capsys.readouterr().out
    assert not (tmp_path / "k" / "therapist.key").exists()


def test_verifying_with_the_private_key_by_mistake_says_which_key_is_needed(tmp_path, capsys, passphrase):
    assert main(["plan", "keygen", "--out", str(tmp_path / "k"), "--passphrase"]) == 0
    plan = tmp_path / "p.toml"
    assert main(["plan", "new", "--stage", "paresis", "--out", str(plan), "--patient", "P-1", "--device", "fc-a1"]) == 0
    plan.write_text(plan.read_text().replace('"CHANGE ME"', '"A. Therapist, PT"'))
    assert main(["plan", "sign", str(plan), "--key", str(tmp_path / "k" / "therapist.key")]) == 0
    capsys.readouterr()
    assert main(["plan", "verify", str(plan), "--pubkey", str(tmp_path / "k" / "therapist.key")]) == 1
    out = capsys.readouterr().out
    assert "is the therapist's private key; give the public key (therapist.pub) here" in out
