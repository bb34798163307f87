"""The summary's progress section (pure): the patient's after-session answers and flags, and each
exercise and side against the baseline. Camera numbers are self-tracking estimates."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from kiosk.baseline import ExerciseChange, sentences
from kiosk.checkin import FEEL, NOT_ANSWERED, QUESTIONS, CheckinRow

FLAG_WORDS = {"pain": "pain during the exercises", "eye_problem": "an eye problem (told to contact the doctor)"}


def week_of(day: date) -> str:
    """The Monday of the day's week, as YYYY-MM-DD."""
    return date.fromordinal(day.toordinal() - day.weekday()).isoformat()


def _flags(rows: list[CheckinRow]) -> list[dict[str, Any]]:
    return [
        {"at": r.at, "session_id": r.session_id, "flag": flag, "question": r.question, "answer": r.answer}
        for r in rows
        for flag in r.flags
        if flag in FLAG_WORDS
    ]


def _weekly(rows: list[CheckinRow]) -> list[dict[str, Any]]:
    """Per week: how many answers of each kind (the ratings over time)."""
    weeks: dict[str, Counter[str]] = {}
    for r in rows:
        weeks.setdefault(week_of(datetime.fromisoformat(r.at).date()), Counter())[f"{r.question}_{r.answer}"] += 1
    return [{"week_start": week, "answers": dict(sorted(counts.items()))} for week, counts in sorted(weeks.items())]


def photo_attachment_name(taken_at: str, session_id: int | None, view: str) -> str:
    """The file name a standard photo travels under beside the summary (kiosk/summary/photo_pack.py)."""
    return f"facecoach_photo_{taken_at[:10]}_{session_id}_{view}.fcsum"


def _change(
    change: ExerciseChange, name: str, words: dict[str, str], base: tuple[int, datetime, str] | None
) -> dict[str, Any]:
    same = base is not None and base[1].date() == change.baseline_day  # the baseline in force, named
    return {
        "exercise": change.exercise,
        "baseline_date": change.baseline_day.isoformat(),
        **({"baseline_session_id": base[0], "baseline_at": base[1].isoformat()} if same and base else {}),
        "sides": [
            {
                "side": s.side,
                "unit": s.unit,
                "baseline": round(s.then, 2),
                "now": round(s.now, 2),
                "ratio": None if s.ratio is None else round(s.ratio, 2),
            }
            for s in change.sides
        ],
        "evenness_baseline_pct": None if change.evenness_then is None else round(change.evenness_then, 1),
        "evenness_now_pct": None if change.evenness_now is None else round(change.evenness_now, 1),
        "sentences": sentences(change, name, words),
    }


def progress_section(
    checkins: list[CheckinRow],
    baselines: list[tuple[int, datetime, str]],
    changes: list[ExerciseChange],
    names: dict[str, str],
    words: dict[str, str],
) -> dict[str, Any]:
    """The section: answers and flags of the period, the baselines, and baseline-to-now per exercise and side.

    ``baselines`` are (session id, when, reason), oldest first, the last one in force; ``words`` are the
    [baseline] phrases (and months) of the summary's language; ``names`` the exercises' names in it.
    """
    flags = _flags(checkins)
    feel = Counter(r.answer for r in checkins if r.question == "feel")
    eye = Counter(r.answer for r in checkins if r.question == "eye")
    return {
        "estimate": True,
        "flagged": bool(flags),
        "flags": flags,
        "answers": [
            {"at": r.at, "session_id": r.session_id, "question": r.question, "answer": r.answer, "via": r.via}
            for r in checkins
        ],
        "feel_counts": {a: feel[a] for a in (*FEEL, NOT_ANSWERED)},
        "eye_counts": {a: eye[a] for a in (*QUESTIONS["eye"], NOT_ANSWERED)},
        "weekly": _weekly(checkins),
        "baselines": [{"session_id": sid, "at": at.isoformat(), "reason": reason} for sid, at, reason in baselines],
        "baseline_to_now": [
            _change(c, names.get(c.exercise, c.exercise), words, baselines[-1] if baselines else None) for c in changes
        ],
    }


def flag_lines(section: dict[str, Any]) -> list[str]:
    """One plain line per flag, for the PDF."""
    return [f"{f['at'][:16].replace('T', ' ')}: {FLAG_WORDS[f['flag']]} ({f['answer']})" for f in section["flags"]]
