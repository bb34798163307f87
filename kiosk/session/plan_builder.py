"""Build today's session from the plan in force (which exercises, what dose) and the content
library (what to say, how the drawing moves)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from content.i18n import section
from content.loader import Exercise, exercises_for_stage, load_exercises
from kiosk.plan.model import Plan
from kiosk.session.steps import ExerciseStep, SessionPlan, StimOffer
from kiosk.stim_reasons import reason_words
from stim_hat.prescription import Prescription

log = logging.getLogger(__name__)


def step_for(exercise: Exercise, dose: dict[str, Any], stage: str) -> ExerciseStep:
    """One exercise with the plan's dose (reps, hold, rest) over the library's defaults."""
    return ExerciseStep(
        id=exercise.id,
        name=exercise.name,
        metric=exercise.metric,
        explain=exercise.spoken_intro(stage),
        move=" ".join(exercise.move),
        relax=" ".join(exercise.relax) or "And relax.",
        reps=int(dose.get("reps", exercise.reps)),
        hold_seconds=float(dose.get("hold_seconds", exercise.hold_seconds)),
        rest_seconds=float(dose.get("rest_seconds", exercise.rest_seconds)),
        cautions=exercise.cautions,
        animation=exercise.animation,
    )


def stim_offer(plan: Plan | None, rx: Prescription, lang: str, checklist_cleared: bool) -> StimOffer | None:
    """The stimulation block to offer at the end of the session, or None.

    Only a signed plan that enables stimulation gets an offer (the safety rules check all of this
    again before any output). The checklist questions are included until they have been answered
    with all "no" for this plan version.
    """
    if plan is None or not plan.signed or not rx.enabled:
        return None
    questions = () if checklist_cleared else tuple(section("stim_checklist", lang).items())
    words = section("stimulation", lang)
    return StimOffer(rx.side, rx.block_minutes, rx.max_amplitude_ma, words, questions, partial(reason_words, lang=lang))


def session_words(lang: str) -> dict[str, str]:
    """The session's sentences ([session]) and screen titles ([session_titles], as title_*) in ``lang``."""
    titles = {f"title_{key}": text for key, text in section("session_titles", lang).items()}
    return section("session", lang) | titles


def session_plan_from(plan: Plan | None, lang: str = "en", stimulation: StimOffer | None = None) -> SessionPlan:
    """The session the plan prescribes; exercises that do not suit the plan's stage are left out.

    Without a plan (none could be loaded) the kiosk offers only what suits every stage:
    relaxation and massage, never active exercise.
    """
    words = session_words(lang)
    if plan is None:
        safe = [ex for ex in exercises_for_stage("flaccid", lang) if ex.kind != "movement"][:3]
        return SessionPlan(
            tuple(step_for(ex, {}, "flaccid") for ex in safe),
            words["greeting"],
            stage="flaccid",
            words=words,
            lang=lang,
        )
    library = load_exercises(lang)
    steps = []
    for dose in plan.raw.get("exercises", []):
        exercise = library.get(str(dose.get("id")))
        if exercise is None:
            log.warning("plan names unknown exercise %r; left out", dose.get("id"))
            continue
        if not exercise.suits(plan.stage):
            log.warning("exercise %s does not suit the %s stage; left out", exercise.id, plan.stage)
            continue
        steps.append(step_for(exercise, dose, plan.stage))
    return SessionPlan(
        tuple(steps),
        greeting=words["greeting"],
        stage=plan.stage,
        plan_version=plan.version,
        stimulation=stimulation,
        words=words,
        lang=lang,
    )
