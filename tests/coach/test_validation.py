"""Issue 3's validation on real faces (../shared/data/faces): thresholds asserted, shortfalls marked.

Tables are computed once per module (FaceLandmarker results are cached per file). The same numbers are
printed by `benchmarks/coach_validate.py` and recorded in docs/coach.md.
"""

import pytest

SHORTFALL = "measured below the issue's threshold; see docs/coach.md, Validation"


@pytest.fixture(scope="module")
def tables(validation):
    from tests.conftest import need_shared_data

    folder = need_shared_data()
    return {
        "london": validation.london_rows(folder),
        "sleepy": validation.yale_rows(folder, "sleepy"),
        "wink": validation.yale_rows(folder, "wink"),
        "surprised": validation.yale_rows(folder, "surprised"),
        "synthetic": validation.synthetic_rows(folder),
    }


def test_the_expected_cases_are_there(tables):
    assert len(tables["london"]) == 20 and len(tables["sleepy"]) == 10 and len(tables["synthetic"]) == 40


def test_london_smile_moves_both_sides(tables, validation):
    assert validation.share(tables["london"]) >= 0.95


def test_london_healthy_faces_have_no_weaker_side(tables):
    rows = tables["london"]
    assert sum(r.named == "none" for r in rows) / len(rows) >= 0.85


def test_yale_sleepy_closes_both_eyes(tables, validation):
    assert validation.share(tables["sleepy"]) >= 0.90


def test_yale_wink_names_the_closed_side(tables, validation):
    assert validation.share(tables["wink"]) >= 0.90
    one_eye = [r for r in tables["wink"] if not r.note]
    assert validation.share(one_eye) >= 0.90


@pytest.mark.xfail(strict=True, reason=SHORTFALL)
def test_yale_surprise_lifts_both_brows(tables, validation):
    assert validation.share(tables["surprised"]) >= 0.90


def test_yale_surprise_lifts_brows_at_the_recorded_rate(tables, validation):
    """Guards the recorded figure (8 of 10: s14 barely lifts; s05 lifts the left brow 0.6 mm)."""
    assert validation.share(tables["surprised"]) >= 0.8


def weak_side_share(rows) -> float:
    return sum(r.named == r.case.split("_")[2] for r in rows) / len(rows)


@pytest.mark.xfail(strict=True, reason=SHORTFALL)
def test_synthetic_weakness_names_the_weak_side(tables):
    assert weak_side_share(tables["synthetic"]) >= 0.90


def test_synthetic_weakness_names_the_weak_side_at_the_recorded_rate(tables):
    """35 of 40; misses: 066 (own smile < 2.5 mm), 115 (own smile one-sided), 123 left-weak (see docs)."""
    assert weak_side_share(tables["synthetic"]) >= 0.875


def test_synthetic_weakness_median_ratio(tables):
    ratios = sorted(r.ratio for r in tables["synthetic"] if r.ratio is not None)
    assert ratios[len(ratios) // 2] <= 0.4


@pytest.mark.xfail(strict=True, reason=SHORTFALL)
def test_synthetic_weakness_every_case_within_ratio(tables, validation):
    assert validation.share(tables["synthetic"]) >= 0.90


def test_synthetic_weakness_within_ratio_at_the_recorded_rate(tables, validation):
    """Guards the recorded figure (35 of 40: 066, 115 and 123 left-weak, as above)."""
    assert validation.share(tables["synthetic"]) >= 0.875
