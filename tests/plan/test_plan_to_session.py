"""From the plan in force to the session's stimulation offer and the kiosk's stimulation control."""

from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.events import EventQueue
from kiosk.plan.current import PLAN_FILE, current_plan, device_id, plan_dir
from kiosk.session.plan_builder import session_plan_from, stim_offer
from kiosk.settings import Settings, with_overrides
from kiosk.stim_control import open_stim_control

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def settings_with_plan(tmp_path, keys, write_plan, plan_text):
    private, public = keys
    settings = with_overrides(
        Settings(), storage={"data_dir": str(tmp_path / "data")}, sync={"therapist_key": str(public)}
    )
    folder = plan_dir(settings)
    folder.mkdir(parents=True)
    plan_text = plan_text.replace('device = "fc-test"', f'device = "{device_id(settings)}"')  # for this kiosk
    signed = write_plan(plan_text, sign_with=private)
    (folder / PLAN_FILE).write_bytes(signed.read_bytes())
    (folder / (PLAN_FILE + ".sig")).write_bytes(signed.with_name(signed.name + ".sig").read_bytes())
    return settings


def test_a_signed_plan_with_stimulation_gives_an_offer_and_a_live_control(
    tmp_path, keys, write_plan, plan_text, fresh_store
):
    settings = settings_with_plan(tmp_path, keys, write_plan, plan_text)
    in_force = current_plan(settings, fresh_store, NOW)
    assert in_force.accepted and in_force.plan.signed and in_force.stimulation.enabled, in_force.reason
    control = open_stim_control(settings, None, in_force, EventQueue(), fresh_store, lambda: NOW)
    assert control.plan.signed and control.plan.version == in_force.plan.version and not control.confirmed
    offer = stim_offer(in_force.plan, in_force.stimulation, "en", control.confirmed)
    assert offer.side == in_force.stimulation.side and len(offer.checklist) == 9
    assert "pacemaker" in offer.checklist[0][1]
    session = session_plan_from(in_force.plan, "en", offer)
    assert session.stimulation is offer and [s.id for s in session.steps] == ["brow_lift"]
    assert stim_offer(in_force.plan, in_force.stimulation, "de", True).checklist == ()
    assert control.start("touch") == (False, "The stimulation board is not connected.")
    german = stim_offer(in_force.plan, in_force.stimulation, "de", True)
    assert german.explain(control.start("touch")[1]) == "Das Stimulationsgerät ist nicht angeschlossen."


def test_the_unsigned_starter_plan_offers_no_stimulation(tmp_path, fresh_store):
    settings = with_overrides(Settings(), storage={"data_dir": str(tmp_path / "data")})
    in_force = current_plan(settings, fresh_store, NOW)
    assert in_force.plan is not None and not in_force.plan.signed
    assert stim_offer(in_force.plan, in_force.stimulation, "en", True) is None
    assert session_plan_from(in_force.plan, "en").stimulation is None


def test_a_plan_signed_for_another_kiosk_is_not_used(tmp_path, keys, write_plan, plan_text, fresh_store):
    settings = settings_with_plan(tmp_path, keys, write_plan, plan_text)
    other = write_plan(plan_text.replace("fc-test", "fc-elsewhere"), "other.toml", sign_with=keys[0])
    (plan_dir(settings) / PLAN_FILE).write_bytes(other.read_bytes())
    (plan_dir(settings) / (PLAN_FILE + ".sig")).write_bytes(other.with_name("other.toml.sig").read_bytes())
    in_force = current_plan(settings, fresh_store, NOW)
    assert not in_force.accepted and "This plan is for the kiosk fc-elsewhere, but this kiosk is fc-" in in_force.reason
    assert in_force.plan is None and not in_force.stimulation.enabled  # no plan of another kiosk is followed
