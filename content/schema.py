"""The content schema as data: each kind of content file, its fields, their types and limits.

``facecoach check-content`` validates every file against these tables and docs/content.md is
written from them (a test checks that every field is documented there). Clinical rules that
span fields (flaccid stage, effort, sentence length) live in ``content.rules``.
"""

from __future__ import annotations

from dataclasses import dataclass

STAGES = ("flaccid", "paresis", "synkinesis")
KINDS = ("movement", "massage", "stretch", "relaxation")
# No active exercise while the face is flaccid: only these kinds may list the flaccid stage.
FLACCID_KINDS = ("massage", "relaxation")
TOPICS = ("eye_care", "articulation", "recovery")

# Named face parts an animation moves; each keyframe gives some of them an amount from 0 (rest)
# to 1 (the most the drawing shows; gentle exercises use about 0.5). The face is drawn
# symmetrically: it shows the target movement.
FACE_PARTS = (
    "brows_up",
    "brows_together",
    "eyes_closed",
    "eyes_squeeze",
    "nose_wrinkle",
    "smile_closed",
    "smile_open",
    "lips_pucker",
    "cheeks_puff",
    "lower_lip_down",
    "lips_press",
    "mouth_wide",
    "jaw_open",
    "head_tilt_back",
    "breath_in",
    "hands_along",
)
HAND_PLACES = ("none", "forehead", "brows", "cheeks", "mouth_corners", "lips", "chin", "neck")
HAND_MOTIONS = ("still", "circles", "strokes_up", "strokes_out", "press")

TYPES = ("text", "whole number", "number", "true or false", "text list", "table", "table list")


@dataclass(frozen=True)
class Field:
    """One field of a content file: its type, whether it must be there, its limits and meaning."""

    type: str
    doc: str
    required: bool = True
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    fields: dict[str, Field] | None = None  # the fields of a "table" or of each "table list" item


Schema = dict[str, Field]

KEYFRAME: Schema = {
    "at": Field("number", "Seconds from the start of the cycle.", low=0, high=60),
    **{
        part: Field("number", f"Amount of '{part}', 0 (rest) to 1; absent means 0.", required=False, low=0, high=1)
        for part in FACE_PARTS
    },
}

ANIMATION: Schema = {
    "seconds": Field("number", "Length of one demonstration cycle (one repetition).", low=1, high=60),
    "hands": Field("text", "Where the fingertips rest (massage, stretch).", False, HAND_PLACES),
    "hand_motion": Field("text", "How the fingertips move; 'hands_along' gives the progress.", False, HAND_MOTIONS),
    "keyframes": Field("table list", "Poses in time order; the drawing moves linearly between them.", fields=KEYFRAME),
}

EXERCISE: Schema = {
    "id": Field("text", "The exercise id; must equal the file name without .toml."),
    "kind": Field("text", "What sort of item this is.", choices=KINDS),
    "metric": Field("text", "The coach metric that scores it (coach.exercises.METRIC_IDS), or 'none'."),
    "stages": Field("text list", "Recovery stages it suits.", choices=STAGES),
    "reps": Field("whole number", "Default repetitions (the plan may change it).", low=1, high=30),
    "hold_seconds": Field(
        "number", "Default hold (movement ~5 s, stretch 10-30 s, massage 20-120 s).", low=0, high=300
    ),
    "rest_seconds": Field("number", "Default rest after each repetition: relax fully.", low=0, high=300),
    "effort": Field("whole number", "Target effort out of 10 (movements 2-3; passive items 0-2).", low=0, high=10),
    "animation": Field("table", "How the on-screen face shows it (drawn by the kiosk).", fields=ANIMATION),
}

EXERCISE_TEXT: Schema = {
    "name": Field("text", "Name on screen and spoken."),
    "summary": Field("text", "One short line on screen."),
    "intro": Field("text list", "Spoken once before the first repetition."),
    "move": Field("text list", "Spoken at the start of every repetition."),
    "relax": Field("text list", "Spoken after the hold, before the rest."),
    "cautions": Field("text list", "Spoken once and shown: when to go easier or stop."),
    "synkinesis_tip": Field(
        "text list", "Spoken in the synkinesis stage (required for movements that suit it).", required=False
    ),
    "finish": Field("text list", "Spoken after the last repetition.", required=False),
}

PAGE: Schema = {
    "heading": Field("text", "Large heading on screen."),
    "screen": Field("text list", "Short lines shown on screen."),
    "spoken": Field("text list", "Sentences the kiosk says for this page."),
    "warning": Field("true or false", "Show as a warning (red frame, read twice).", required=False),
}

EDUCATION: Schema = {
    "id": Field("text", "The topic id; must equal the file name without .toml."),
    "topic": Field("text", "Which menu it belongs to.", choices=TOPICS),
    "title": Field("text", "Title in the menu and on the first page."),
    "pages": Field("table list", "The pages, in order.", fields=PAGE),
}

LANGUAGE: Schema = {
    "name": Field("text", "The language's own name, e.g. Deutsch."),
    "complete": Field("true or false", "true: every phrase key the code uses must be in phrases.toml."),
    "max_words": Field("whole number", "Longest spoken sentence, in words.", required=False, low=5, high=30),
    "avoid": Field("text list", "Words or phrases scripts must not use (e.g. 'as hard as').", required=False),
    "plural": Field(
        "text",
        "Plural rule for {n|form|forms} in phrases: one_other (1 / other) or none.",
        required=False,
        choices=("one_other", "none"),
    ),
    "decimal": Field("text", "Decimal mark for numbers on screen and in speech: '.' or ','.", required=False),
}

PLAN_HEADER: Schema = {
    "stage": Field("text", "The patient's recovery stage; every exercise must suit it.", choices=STAGES),
}

PLAN_EXERCISE: Schema = {
    "id": Field("text", "An exercise id from content/exercises."),
    "reps": Field("whole number", "Repetitions.", low=1, high=30),
    "hold_seconds": Field("number", "Hold of each repetition in seconds.", low=0, high=300),
    "rest_seconds": Field("number", "Rest after each repetition in seconds.", low=0, high=300),
}

# Education every language falls back to English for; English must have all of them.
REQUIRED_EDUCATION = ("eye_drops", "eye_night", "eye_warning_signs", "articulation", "recovery")
DEFAULT_MAX_WORDS = 14

# Where each schema applies (for the docs and the docs test).
SCHEMAS: dict[str, Schema] = {
    "content/exercises/<id>.toml": EXERCISE,
    "content/exercises/<id>.toml [animation]": ANIMATION,
    "content/exercises/<id>.toml animation.keyframes item": KEYFRAME,
    "content/lang/<code>/exercises/<id>.toml": EXERCISE_TEXT,
    "content/lang/<code>/education/<id>.toml": EDUCATION,
    "content/lang/<code>/education/<id>.toml [[pages]]": PAGE,
    "content/lang/<code>/language.toml": LANGUAGE,
    "content/plans/*.toml [plan]": PLAN_HEADER,
    "content/plans/*.toml [[exercises]]": PLAN_EXERCISE,
}
