"""The two questions after a session: how did it feel, and any eye problem today (pure).

Answers come from a big button or a spoken intent. Pain or any eye problem flags the session for
the therapist's summary; an eye problem also tells the patient plainly to contact the doctor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

FEEL = ("comfortable", "tiring", "painful")
EYE = ("none", "gritty", "red", "painful", "blurred")
QUESTIONS: dict[str, tuple[str, ...]] = {"feel": FEEL, "eye": EYE}
ORDER = ("feel", "eye")
ACTION_PREFIX = "checkin_"  # a button's action: checkin_<question>_<answer>

# Spoken intents (content/lang/<code>/voice.toml) that answer a question: few, distinct phrases
# ("comfortable", "tiring", "it was painful"; "no problem", "my eye feels gritty", "my eye is red",
# "blurred vision"), because each phrase in the shared grammar costs accuracy elsewhere. "no"
# (counted only right after a question) also means no eye problem.
VOICE_ANSWERS: dict[str, dict[str, str]] = {
    "feel": {"comfortable": "comfortable", "tiring": "tiring", "painful": "painful"},
    "eye": {
        "no": "none",
        "no_problem": "none",
        "gritty": "gritty",
        "red": "red",
        "painful": "painful",
        "blurred": "blurred",
    },
}


@dataclass(frozen=True)
class CheckinRow:
    """One stored answer (kiosk/checkin_store.py reads them)."""

    session_id: int | None
    at: str  # ISO time
    question: str
    answer: str
    flags: tuple[str, ...]
    via: str = ""  # touch | voice | key | button; for NOT_ANSWERED: how it was left (left | not_shown)


def action(question: str, answer: str) -> str:
    """The button action of one answer."""
    return f"{ACTION_PREFIX}{question}_{answer}"


def parse_action(name: str) -> tuple[str, str] | None:
    """(question, answer) of a button action, None when it is not a check-in answer."""
    if not name.startswith(ACTION_PREFIX):
        return None
    question, _, answer = name[len(ACTION_PREFIX) :].partition("_")
    return (question, answer) if answer in QUESTIONS.get(question, ()) else None


def flags_of(question: str, answer: str) -> tuple[str, ...]:
    """What an answer flags for the therapist: pain, an eye problem (named), or nothing."""
    if question == "feel" and answer == "painful":
        return ("pain",)
    if question == "eye" and answer not in ("none", NOT_ANSWERED):
        return ("eye_problem", f"eye_{answer}")
    return ()


@dataclass(frozen=True)
class CheckIn:
    """Which question is on screen and what was answered so far."""

    session_id: int | None
    answers: tuple[tuple[str, str], ...] = ()

    @property
    def question(self) -> str | None:
        """The question to ask now, None when both are answered."""
        asked = {q for q, _ in self.answers}
        return next((q for q in ORDER if q not in asked), None)

    @property
    def done(self) -> bool:
        return self.question is None

    def answer(self, question: str, answer: str) -> CheckIn:
        """The check-in with this answer taken; an answer to a question not on screen is ignored."""
        if question != self.question or answer not in QUESTIONS[question]:
            return self
        return replace(self, answers=(*self.answers, (question, answer)))

    def answer_by_voice(self, intent: str) -> tuple[str, str] | None:
        """(question, answer) a spoken intent gives for the question on screen, else None."""
        question = self.question
        if question is None or intent not in VOICE_ANSWERS[question]:
            return None
        return question, VOICE_ANSWERS[question][intent]

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(f for q, a in self.answers for f in flags_of(q, a))

    @property
    def eye_problem(self) -> bool:
        """The patient reported an eye problem: tell them to contact the doctor."""
        return "eye_problem" in self.flags


# A question the patient left (or that never came, e.g. a new session started first) is stored with
# this answer, so the summary says "not answered" instead of losing it. It never flags anything.
NOT_ANSWERED = "not_answered"


def unanswered(state: CheckIn) -> tuple[str, ...]:
    """The questions of ``state`` still without an answer, in asking order."""
    asked = {q for q, _ in state.answers}
    return tuple(q for q in ORDER if q not in asked)
