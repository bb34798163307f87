"""Why stimulation was refused or stopped is said in the patient's language, never in English to a
German patient: every Reason the rules and the kiosk can give has words in every shipped language,
and the whole kiosk says them (stop by touch, a refusal by the rules) in German."""

from __future__ import annotations

import ast
import string
from functools import partial
from pathlib import Path

import pytest

from content.i18n import phrase, phrases
from kiosk.session.steps import SessionPlan, StimOffer
from kiosk.stim_reasons import reason_words, stopped_by_you
from stim_hat.reasons import Reason
from stim_hat.safety import Request, StimState, check
from tests.test_kiosk_stimulation import PLAN, RX, answered_before, make_kiosk, tick, to_stimulation, touch
from tests.test_session_flow import BROW

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "de")


def reasons_in_code() -> dict[str, tuple[str, str]]:
    """Every Reason("key", "template", ...) written in stim_hat/ and kiosk/: key -> (template, where)."""
    found: dict[str, tuple[str, str]] = {}
    for folder in ("stim_hat", "kiosk"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Reason" and len(node.args) >= 2:
                    key, template = (ast.literal_eval(a) for a in node.args[:2])
                    found[key] = (template, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def names(text: str) -> set[str]:
    text = text.replace("{minutes|minute|minutes}", "").replace("{minutes|Minute|Minuten}", "")
    return {n for _, n, _, _ in string.Formatter().parse(text) if n}


def test_the_scan_finds_the_rules_reasons():
    found = reasons_in_code()
    assert {"co_movement", "rest", "estop", "dose_used", "stopped_by_you", "no_board", "screen_stalled"} <= set(found)


@pytest.mark.parametrize("lang", LANGS)
def test_every_reason_has_words_in_every_language_with_the_same_values(lang):
    words = phrases(lang)
    for key, (template, where) in reasons_in_code().items():
        assert f"stim_reason.{key}" in words, f"{where}: no [stim_reason] {key} in content/lang/{lang}/phrases.toml"
        assert names(words[f"stim_reason.{key}"]) == names(template), f"{where}: {key} placeholders differ in {lang}"


def test_english_keeps_the_rules_own_words_and_german_translates_them():
    rest = Reason("rest", "Rest between blocks: {minutes} more minutes.", minutes=12)
    assert reason_words(rest, "en") == "Rest between blocks: 12 more minutes."
    assert reason_words(rest, "de") == "Pause zwischen den Stimulationen: noch 12 Minuten."
    side = Reason("wrong_side", "Your plan is for the {side} side only.", side="left")
    assert reason_words(side, "de") == "Ihr Plan gilt nur für die linke Seite."
    most = Reason("above_most", "{ma:.1f} mA is above the most your plan allows ({top:.1f} mA).", ma=4.5, top=4.0)
    assert str(most) == "4.5 mA is above the most your plan allows (4.0 mA)."
    assert reason_words(most, "de") == "4,5 mA ist mehr, als Ihr Plan erlaubt (höchstens 4 mA)."
    assert reason_words(stopped_by_you("voice"), "de") == "Von Ihnen gestoppt (Stimme)."
    assert reason_words(stopped_by_you("demo"), "de") == "Von Ihnen gestoppt (Bildschirm)."


def test_words_without_a_key_are_plain_words_of_the_language_never_english():
    assert reason_words("fault: ZeroDivisionError", "de") == phrase("stim_reason.other", "de")
    assert reason_words("fault: ZeroDivisionError", "en") == "fault: ZeroDivisionError"


def test_the_rules_give_reasons_with_keys():
    state = StimState(contact_ok=True, contraindications_confirmed=True, synkinesis_flagged=True, face_visible=True)
    request = Request("start", "left", RX.sites, 0.0, RX.pulse_width_us, RX.frequency_hz, RX.on_seconds,
                      RX.off_seconds, RX.ramp_seconds, source="touch", confirmed=True)  # fmt: skip
    from datetime import datetime

    from stim_hat.prescription import DeviceLimits

    decision = check(request, state, PLAN, DeviceLimits(), datetime(2026, 11, 20, 10))
    assert decision.rule == "synkinesis" and decision.reason.key == "co_movement"


@pytest.fixture
def german(fresh_store):
    from content.i18n import section
    from kiosk.settings import Settings, with_overrides

    answered_before(fresh_store)
    settings = with_overrides(Settings(), display={"language": "de"})
    offer = StimOffer(RX.side, RX.block_minutes, RX.max_amplitude_ma, section("stimulation", "de"), (),
                      partial(reason_words, lang="de"))  # fmt: skip
    k = make_kiosk(fresh_store)
    k.settings = settings
    k.session_plan = lambda: SessionPlan((BROW,), stimulation=offer, plan_version=PLAN.version)
    yield k
    k.stim.close()
    k.devices.close()


def spoken(k) -> str:
    return " ".join(k.devices.speaker.texts)


def test_a_german_patient_who_stops_the_block_hears_why_in_german(german):
    k = german
    to_stimulation(k)
    touch(k, "start_stimulation")
    for _ in range(200):
        tick(k, 0.02)
        if k.devices.board.current_ma >= 0.1:
            break
    assert k.devices.board.current_ma >= 0.1, k.session.flow.stim.notice
    touch(k, "stop")
    for _ in range(100):
        tick(k, 0.02)
        if k.session.flow.stim.outcome == "stopped":
            break
    assert k.devices.board.current_ma == 0.0
    assert "Die Stimulation wurde beendet. Von Ihnen gestoppt (Bildschirm)." in spoken(k)
    assert "Stopped by you" not in spoken(k) and "Stopped by you" not in k.session.flow.stim.notice


def test_a_german_patient_refused_by_the_rules_hears_why_in_german(german):
    k = german
    k.stim.limits = type(k.stim.limits)(ceiling_ma=1.0)  # the plan's 4 mA is more than this device allows
    to_stimulation(k)
    said = spoken(k)
    assert "Der Plan verlangt mehr, als dieses Gerät erlaubt." in said, said
    assert "The plan asks" not in said and "Der Plan verlangt" in k.session.flow.stim.notice
    assert k.devices.board.current_ma == 0.0
