"""When the periodic summary is due (pure): whole days, no gaps, no overlaps, yesterday at the latest."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.summary.schedule import next_period

FIRST = date(2026, 11, 2)


def test_nothing_to_report_before_the_kiosk_was_used():
    assert next_period(date(2026, 11, 21), 7, None, None) is None


def test_the_first_period_starts_on_the_first_day_and_waits_for_seven_whole_days():
    assert next_period(FIRST + timedelta(days=6), 7, None, FIRST) is None  # day 7 is not over yet
    assert next_period(FIRST + timedelta(days=7), 7, None, FIRST) == (FIRST, FIRST + timedelta(days=6))


def test_the_next_period_starts_the_day_after_the_last_one_ended():
    last_end = date(2026, 11, 8)
    assert next_period(date(2026, 11, 15), 7, last_end, FIRST) is None
    assert next_period(date(2026, 11, 16), 7, last_end, FIRST) == (date(2026, 11, 9), date(2026, 11, 15))


def test_after_weeks_switched_off_one_summary_covers_every_day_since():
    assert next_period(date(2027, 1, 10), 7, date(2026, 11, 8), FIRST) == (date(2026, 11, 9), date(2027, 1, 9))


def test_a_period_shorter_than_a_day_is_refused():
    with pytest.raises(ValueError, match="at least one day"):
        next_period(date(2026, 11, 21), 0, None, FIRST)


@given(days=st.integers(1, 31), checks_per_day=st.integers(1, 3), span=st.integers(1, 120))
def test_checked_every_day_the_periods_tile_the_days_exactly(days, checks_per_day, span):
    periods, last_end = [], None
    for offset in range(span):
        today = FIRST + timedelta(days=offset)
        for _ in range(checks_per_day):  # the timer runs hourly: asking again the same day builds nothing
            found = next_period(today, days, last_end, FIRST)
            if found:
                assert found[1] < today and (found[1] - found[0]).days + 1 == days
                periods.append(found)
                last_end = found[1]
    covered = [p[0] + timedelta(days=i) for p in periods for i in range((p[1] - p[0]).days + 1)]
    assert covered == [FIRST + timedelta(days=i) for i in range(len(covered))]  # contiguous, no overlap
    assert len(periods) == (span - 1) // days  # every full period that ended before the last day
