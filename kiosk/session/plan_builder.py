"""Build the session (which exercises, in which words) from the plan and the content library."""

from __future__ import annotations

from kiosk.session.steps import ExerciseStep, SessionPlan


def session_plan_for(language: str = "en") -> SessionPlan:
    """The session for today. Until the plan and content are wired in: one gentle exercise."""
    return SessionPlan(
        (
            ExerciseStep(
                "brow_lift",
                "Brow lift",
                "brow_lift",
                ("Now we lift the eyebrows.", "Move gently and slowly, both sides together."),
                "Gently lift your eyebrows.",
                reps=3,
                hold_seconds=5,
                rest_seconds=5,
            ),
        )
    )
