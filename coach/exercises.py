"""The coach metrics that exercises in content/ may name (``metric = "..."``).

One id per measurable movement; content items that are not measured (massage, stretches,
relaxation) use ``metric = "none"``.
"""

METRIC_IDS: tuple[str, ...] = (
    "brow_lift",
    "frown",
    "gentle_eye_closure",
    "tight_eye_closure",
    "snarl",  # nose wrinkle
    "closed_smile",
    "open_smile",
    "lip_pucker",
    "cheek_puff",
    "lower_lip_depression",
    "lip_press",
    "eee_ooo",  # alternating wide 'eee' and pursed 'ooo'; one rep is one eee-ooo cycle
)

NOT_MEASURED = "none"
