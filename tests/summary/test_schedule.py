"""When the periodic summary is due (pure): whole days, no gaps, no overlaps, yesterday at the latest."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.summary.schedule import Cadence, cadence_from_plan, next_period

FIRST = date(2026, 11, 4)  # a Wednesday
EVERY_7 = Cadence("days", days=7)
SUNDAY_8PM = Cadence("weekly", weekday=6, at=time(20, 0))


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def test_nothing_to_report_before_the_kiosk_was_used():
    assert next_period(at(date(2026, 11, 21)), EVERY_7, None, None) is None


def test_every_seven_days_waits_for_seven_whole_days():
    assert next_period(at(FIRST + timedelta(days=6), 23, 59), EVERY_7, None, FIRST) is None  # day 7 is not over
    assert next_period(at(FIRST + timedelta(days=7), 0, 1), EVERY_7, None, FIRST) == (FIRST, FIRST + timedelta(days=6))


def test_the_next_period_starts_the_day_after_the_last_one_ended():
    last_end = date(2026, 11, 10)
    assert next_period(at(date(2026, 11, 17)), EVERY_7, last_end, FIRST) is None
    assert next_period(at(date(2026, 11, 18)), EVERY_7, last_end, FIRST) == (date(2026, 11, 11), date(2026, 11, 17))


def test_after_weeks_switched_off_one_summary_covers_every_day_since():
    found = next_period(at(date(2027, 1, 10)), SUNDAY_8PM, date(2026, 11, 7), FIRST)
    assert found == (date(2026, 11, 8), date(2027, 1, 9))


def test_weekly_on_sunday_evening_covers_the_days_up_to_saturday():
    sunday = date(2026, 11, 8)
    assert next_period(at(sunday, 19, 59), SUNDAY_8PM, None, FIRST) is None
    assert next_period(at(sunday, 20, 0), SUNDAY_8PM, None, FIRST) == (FIRST, date(2026, 11, 7))  # Wed..Sat
    # then Sunday to Saturday, a week later
    assert next_period(at(sunday + timedelta(days=6), 23), SUNDAY_8PM, date(2026, 11, 7), FIRST) is None
    assert next_period(at(date(2026, 11, 15), 20, 5), SUNDAY_8PM, date(2026, 11, 7), FIRST) == (
        date(2026, 11, 8),
        date(2026, 11, 14),
    )


def test_daily_at_a_time_covers_yesterday():
    daily = Cadence("daily", at=time(6, 30))
    assert next_period(at(date(2026, 11, 5), 6, 29), daily, None, FIRST) is None
    assert next_period(at(date(2026, 11, 5), 6, 30), daily, None, FIRST) == (FIRST, FIRST)


def test_a_period_shorter_than_a_day_is_refused():
    with pytest.raises(ValueError, match="at least one day"):
        next_period(at(date(2026, 11, 21)), Cadence("days", days=0), None, FIRST)


def test_the_plan_sets_the_cadence_and_bad_values_are_named_with_a_safe_fallback():
    assert cadence_from_plan(None, 7) == (EVERY_7, [])
    assert cadence_from_plan({"every": "weekly", "day": "sun", "time": "20:00"}, 7) == (SUNDAY_8PM, [])
    assert cadence_from_plan({"every": "daily", "time": "07:15"}, 7)[0] == Cadence("daily", at=time(7, 15))
    cadence, problems = cadence_from_plan({"every": "monthly", "day": "funday", "time": "late"}, 7)
    assert cadence == SUNDAY_8PM
    assert [p.split(":")[0] for p in problems[:3]] == [
        "[summary] every = 'monthly'",
        "[summary] day = 'funday'",
        "[summary] time = 'late'",
    ]
    assert problems[-1] == "The summary is built every sun at 20:00."
    assert cadence_from_plan("weekly", 7)[0] == SUNDAY_8PM and "must be a table" in cadence_from_plan("weekly", 7)[1][0]


CADENCES = st.one_of(
    st.builds(Cadence, st.just("days"), days=st.integers(1, 31)),
    st.builds(Cadence, st.just("daily"), at=st.times()),
    st.builds(Cadence, st.just("weekly"), weekday=st.integers(0, 6), at=st.times()),
)


@given(cadence=CADENCES, span=st.integers(1, 90), hours=st.sets(st.integers(0, 23), min_size=1))
def test_checked_at_any_hours_the_periods_tile_the_days_exactly(cadence, span, hours):
    periods, last_end = [], None
    for offset in range(span):
        for hour in sorted(hours):  # the timer may run at any hour, several times a day
            now = at(FIRST + timedelta(days=offset), hour, 30)
            found = next_period(now, cadence, last_end, FIRST)
            if found:
                assert found[0] <= found[1] < now.date()
                periods.append(found)
                last_end = found[1]
    covered = [p[0] + timedelta(days=i) for p in periods for i in range((p[1] - p[0]).days + 1)]
    assert covered == [FIRST + timedelta(days=i) for i in range(len(covered))]  # contiguous, no overlap
    late = max(0, cadence.days - 7) if cadence.every == "days" else 0  # a longer cadence waits longer
    if span > 8 + late and hours == set(range(24)):  # checked every hour: no period waits more than a week
        assert covered and covered[-1] >= FIRST + timedelta(days=span - 8 - late)
