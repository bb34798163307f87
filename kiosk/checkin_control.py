"""Runs the after-session questions in the kiosk: asks aloud, stores each answer, closes plainly.

Each answer is on disk (``Store.critical``) before the next question is asked. After an eye
problem the patient is told to contact the doctor, with the warning signs from the education
content (content/lang/<code>/education/eye_warning_signs.toml) read out and shown.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime

from content.i18n import phrase
from content.loader import load_education
from kiosk.checkin import CheckIn, parse_action, unanswered
from kiosk.checkin_prompt import LEFT, record_unanswered
from kiosk.checkin_store import save_answer
from kiosk.devices.base import PRIORITY_REMINDER, Speaker
from kiosk.screens.checkin import CheckinModel
from kiosk.store import Store

log = logging.getLogger(__name__)

WARNING_TOPIC = "eye_warning_signs"


def warning_signs(lang: str) -> tuple[str, tuple[str, ...]]:
    """The first warning page of the eye warning signs: its shown sentence and its spoken lines."""
    topic = load_education(lang).get(WARNING_TOPIC)
    page = next((pg for pg in topic.pages if pg.warning), None) if topic else None
    if page is None:
        return "", ()
    return f"{page.heading}: {'; '.join(page.screen)}.", page.spoken


class CheckinControl:
    """One check-in: the question on screen, its answers, the closing words."""

    def __init__(
        self, session_id: int | None, store: Store, speaker: Speaker, lang: str, wall_clock: Callable[[], datetime]
    ) -> None:
        self.state = CheckIn(session_id)
        self.store, self.speaker, self.lang, self.wall_clock = store, speaker, lang, wall_clock
        self.closing: CheckinModel | None = None
        self.save_failed = False

    def begin(self) -> None:
        """Ask the first question aloud."""
        self._ask()

    @property
    def finished(self) -> bool:
        """Both questions answered (the closing page may still be on screen)."""
        return self.state.done

    def act(self, action: str, via: str) -> bool:
        """A touched answer (or key/button); True when the action was an answer to the question on screen."""
        answer = parse_action(action)
        return answer is not None and self._take(*answer, via)

    def voice(self, intent: str) -> bool:
        """A spoken answer; True when the intent answered the question on screen."""
        answer = self.state.answer_by_voice(intent)
        return answer is not None and self._take(*answer, "voice")

    def leave(self) -> None:
        """The patient left: each question not answered yet is stored as not answered."""
        record_unanswered(self.store, self.state.session_id, unanswered(self.state), LEFT, self.wall_clock())

    def model(self) -> CheckinModel:
        return self.closing or CheckinModel(self.state.question, self.lang)

    def _take(self, question: str, answer: str, via: str) -> bool:
        if question != self.state.question:
            return False
        self.state = self.state.answer(question, answer)
        try:
            save_answer(self.store, self.state.session_id, question, answer, via, self.wall_clock())
        except (sqlite3.Error, OSError) as exc:  # said aloud, never hidden; the questions still go on
            log.error("after-session answer not saved: %s", exc)
            self.save_failed = True
        if self.state.done:
            self._close()
        else:
            self._ask()
        return True

    def _ask(self) -> None:
        question = self.state.question
        if question is not None:
            self.speaker.say(phrase(f"comfort.{question}_spoken", self.lang))

    def _close(self) -> None:
        lang = self.lang
        saved = "" if not self.save_failed else phrase("comfort.not_saved", lang)
        if self.state.eye_problem:
            shown, spoken = warning_signs(lang)
            doctor = phrase("comfort.doctor", lang)
            self.closing = CheckinModel(
                None, lang, phrase("comfort.doctor_title", lang), " ".join([doctor, shown, saved]).strip(), True
            )
            self.speaker.say(" ".join([doctor, *spoken, saved]).strip(), PRIORITY_REMINDER)
            return
        words = phrase("comfort.pain_noted" if "pain" in self.state.flags else "comfort.thanks", lang)
        words = f"{words} {saved}".strip()
        self.closing = CheckinModel(None, lang, phrase("comfort.feel_title", lang), words)
        self.speaker.say(words)
