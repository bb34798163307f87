"""The stimulation part of the session flow (pure): checklist, offer, running block, and who may do what."""

from dataclasses import replace

import pytest

from content.i18n import section
from kiosk.session.effects import CheckStimulation
from kiosk.session.flow import (
    ChecklistDone,
    LowerStimulation,
    Phase,
    RaiseStimulation,
    Say,
    SessionEnded,
    SessionFlow,
    StartStimulation,
    StopStimulation,
)
from kiosk.session.steps import SessionPlan, StimOffer
from kiosk.session.stim_flow import StimStage, StimulationPart
from tests.test_session_flow import BROW, run

WORDS = section("stimulation", "en")
QUESTIONS = tuple(section("stim_checklist", "en").items())
OFFER = StimOffer("left", 10, 4.0, WORDS)
FIRST_USE = StimOffer("left", 10, 4.0, WORDS, QUESTIONS)


def of(effects, kind):
    return [e for e in effects if isinstance(e, kind)]


def said(effects):
    return " ".join(e.text for e in of(effects, Say))


def running_part():
    part = StimulationPart(OFFER)
    part.begin()
    part.command("start_stimulation", "touch")
    part.start_answer(True, "All safety rules pass.")
    assert part.stage is StimStage.RUNNING
    return part


def test_the_checklist_has_the_contraindications_of_the_hat_readme():
    keys = [key for key, _ in QUESTIONS]
    assert keys == ["implant", "epilepsy", "pregnant", "cancer", "skin", "blood", "metal", "numb", "tell_pain"]
    assert all(text.endswith("?") for _, text in QUESTIONS)
    assert tuple(section("stim_checklist", "de")) == tuple(k for k, _ in QUESTIONS)


def test_checklist_all_no_by_touch_clears_it_and_offers_the_block():
    part = StimulationPart(FIRST_USE)
    first = part.begin()
    assert "safety questions" in said(first) and "pacemaker" in said(first)
    effects = []
    for _ in QUESTIONS:
        effects += part.command("answer_no", "touch")
    done = of(effects, ChecklistDone)
    assert done == [ChecklistDone(True, tuple((key, False) for key, _ in QUESTIONS))]
    assert part.stage is StimStage.OFFER and "touch Start stimulation" in said(effects)


def test_a_yes_ends_the_offer_and_is_recorded_as_not_cleared():
    part = StimulationPart(FIRST_USE)
    part.begin()
    part.command("answer_no", "touch")
    effects = part.command("answer_yes", "button")
    assert of(effects, ChecklistDone) == [ChecklistDone(False, (("implant", False), ("epilepsy", True)))]
    assert part.over and part.outcome == "not allowed"
    assert "Talk to your therapist" in said(effects)
    assert not of(part.command("start_stimulation", "touch"), StartStimulation)


@pytest.mark.parametrize("source", ["voice", "key", "demo"])
@pytest.mark.parametrize("intent", ["answer_no", "no", "yes"])
def test_checklist_answers_are_taken_only_from_a_touch_or_the_button(intent, source):
    part = StimulationPart(FIRST_USE)
    part.begin()
    effects = part.command(intent, source)
    assert part.question == 0 and not part.answers and not of(effects, ChecklistDone)
    assert "pacemaker" in said(effects)  # the question is asked again


@pytest.mark.parametrize("source", ["voice", "key", "demo"])
def test_voice_or_keys_cannot_start_a_block(source):
    part = StimulationPart(OFFER)
    part.begin()
    for intent in ("start_stimulation", "propose_stimulation"):
        effects = part.command(intent, source)
        assert not of(effects, StartStimulation)
        assert "only with a touch" in said(effects)
    assert part.stage is StimStage.OFFER


def test_touch_start_asks_the_rules_and_a_refusal_keeps_the_offer_open():
    part = StimulationPart(OFFER)
    part.begin()
    assert of(part.command("start_stimulation", "touch"), StartStimulation) == [StartStimulation("touch")]
    effects = part.start_answer(False, "An electrode is not touching the skin well. Check the pads.")
    assert part.stage is StimStage.OFFER and part.notice.startswith("An electrode")
    assert "try again" in said(effects)
    part.command("start_stimulation", "touch")
    part.start_answer(True, "All safety rules pass.")
    assert part.stage is StimStage.RUNNING and part.notice == ""


def test_skip_ends_the_offer_without_starting():
    part = StimulationPart(OFFER)
    part.begin()
    effects = part.command("skip", "voice")
    assert part.over and part.outcome == "skipped" and not of(effects, StartStimulation)


def test_stronger_needs_a_touch_on_the_confirmation():
    part = running_part()
    assert not of(part.command("propose_stronger", "voice"), RaiseStimulation)
    assert part.confirm_raise
    assert not of(part.command("confirm_stronger", "voice"), RaiseStimulation)
    assert of(part.command("confirm_stronger", "touch"), RaiseStimulation) == [RaiseStimulation("touch")]
    assert not part.confirm_raise
    assert not of(part.command("confirm_stronger", "touch"), RaiseStimulation), "a second touch needs a new question"


def test_stronger_without_the_question_first_does_nothing():
    part = running_part()
    assert not of(part.command("confirm_stronger", "touch"), RaiseStimulation)


@pytest.mark.parametrize("source", ["voice", "touch", "button", "key"])
def test_lower_and_too_strong_work_from_anything_at_once(source):
    part = running_part()
    part.command("propose_stronger", "touch")
    for intent in ("lower", "too_strong"):
        assert of(part.command(intent, source), LowerStimulation) == [LowerStimulation(source)]
    assert not part.confirm_raise, "lowering cancels a pending 'stronger' question"


@pytest.mark.parametrize("intent", ["stop", "pause"])
def test_stop_and_pause_end_the_block(intent):
    part = running_part()
    stops = of(part.command(intent, "voice"), StopStimulation)
    assert len(stops) == 1 and "(voice)" in stops[0].reason
    effects = part.block_ended(stops[0].reason, normal=False)
    assert part.over and part.outcome == "stopped" and "Stimulation has stopped" in said(effects)


def test_a_finished_block_says_so():
    part = running_part()
    effects = part.block_ended("block finished", normal=True)
    assert part.outcome == "finished" and "finished" in said(effects)


# ---- inside the whole session flow -----------------------------------------------------------
def session_with(offer):
    flow = SessionFlow(SessionPlan((BROW,), stimulation=offer))
    effects = flow.start(0.0)
    more, t = run(flow, 300, stop_when=lambda f: f.phase is Phase.STIMULATION)
    assert of(effects + more, CheckStimulation), "the rules are asked before anything is offered"
    return flow, effects + more + flow.stim_precheck_answer(True, "All safety rules pass."), t


def test_a_block_the_rules_refuse_is_explained_without_questions_or_start():
    flow = SessionFlow(SessionPlan((BROW,), stimulation=replace(OFFER, checklist=(("pacemaker", "Pacemaker?"),))))
    flow.start(0.0)
    _, t = run(flow, 300, stop_when=lambda f: f.phase is Phase.STIMULATION)
    said = of(flow.stim_precheck_answer(False, "Rest between blocks: 40 more minutes."), Say)
    view = flow.view(t)
    assert view.stim_stage == "offer" and view.stim_blocked and view.question == ""
    assert "40 more minutes" in said[0].text
    assert not of(flow.command("start_stimulation", t, "touch"), StartStimulation)
    assert flow.stim.outcome == "not allowed"


def test_the_block_is_offered_after_the_exercises():
    flow, effects, t = session_with(OFFER)
    assert flow.phase is Phase.STIMULATION and flow.stim.stage is StimStage.OFFER
    assert not of(effects, SessionEnded)
    view = flow.view(t)
    assert view.title == "Stimulation" and view.stim_stage == "offer"
    assert not flow.stimulating
    flow.command("start_stimulation", t, "touch")
    flow.stim_start_answer(True, "ok")
    assert flow.stimulating
    ended = flow.stim_ended("block finished", True, t + 600)
    assert flow.phase is Phase.SUMMARY
    assert of(ended, SessionEnded)[0].stimulation == "finished"
    assert of(ended, SessionEnded)[0].status == "done"


def test_no_offer_after_a_stopped_session():
    flow = SessionFlow(SessionPlan((BROW,), stimulation=OFFER))
    flow.start(0.0)
    run(flow, 30)
    effects = flow.command("stop", 30.0, "touch")
    assert flow.phase is Phase.SUMMARY and flow.stim is None
    assert of(effects, SessionEnded)[0].stimulation == ""


def test_a_stop_while_running_waits_for_the_runner_report_but_not_forever():
    flow, _, t = session_with(OFFER)
    flow.command("start_stimulation", t, "touch")
    flow.stim_start_answer(True, "ok")
    effects = flow.command("stop", t, "voice")
    assert of(effects, StopStimulation) and flow.phase is Phase.STIMULATION
    flow.tick(t + 1.0)
    assert flow.phase is Phase.STIMULATION
    late = flow.tick(t + 2.5)
    assert flow.phase is Phase.SUMMARY
    ended = of(late, SessionEnded)[0]
    assert ended.status == "partial" and ended.stimulation == "stopped"


def test_checklist_view_shows_the_question_and_its_number():
    flow, _, t = session_with(FIRST_USE)
    view = flow.view(t)
    assert view.title == "Safety questions" and view.question_number == 1 and view.questions == len(QUESTIONS)
    flow.command("answer_no", t, "touch")
    view = flow.view(t)
    assert view.question_number == 2 and "epilepsy" in view.question
    assert flow.view(t).instruction == view.question  # repeat says the question again


def test_explanations_are_spoken_and_shown_one_sentence_at_a_time():
    step = BROW.__class__(**{**BROW.__dict__, "explain": ("Sit up straight.", "Lift both eyebrows gently.")})
    flow = SessionFlow(SessionPlan((step,), camera_needed=False))
    effects = flow.start(0.0)
    effects += flow.tick(7.0)  # the greeting is over: the explanation starts
    assert flow.phase is Phase.EXPLAIN
    assert [e.text for e in of(effects, Say)][-2:] == ["Sit up straight.", "Lift both eyebrows gently."]
    assert flow.view(7.1).instruction == "Sit up straight."
    assert flow.view(7.0 + 3.0).instruction == "Lift both eyebrows gently."
    flow.command("repeat", 10.0)
    assert flow.last_instruction == "Sit up straight. Lift both eyebrows gently."
