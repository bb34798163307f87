from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from schedules.due import day_bounds, local_instant, next_summary, occurrences, sessions_between
from schedules.plan_section import EyeCareItem, ScheduleSection, SessionSlot, SummaryTime, default_section

LONDON = ZoneInfo("Europe/London")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_a_normal_day_in_london_summer_is_one_hour_ahead_of_utc():
    section = default_section("Europe/London")
    start, end = day_bounds(section, utc(2026, 7, 1, 12))
    found = occurrences(section, start, end)
    assert [o.local.hour for o in found] == [8, 10, 12, 14, 16, 18, 20, 22]
    assert found[0].due_at == utc(2026, 7, 1, 7)
    assert found[-1].night and found[-1].item_id == "night_routine"


def test_spring_forward_skipped_time_falls_due_once_an_hour_later():
    item = EyeCareItem("early", "drops", (time(1, 30),))
    section = ScheduleSection("Europe/London", "left", (), (item,))
    found = occurrences(section, utc(2026, 3, 28, 12), utc(2026, 3, 30, 12))
    assert [o.due_at for o in found] == [utc(2026, 3, 29, 1, 30), utc(2026, 3, 30, 0, 30)]
    assert found[0].local.hour == 2 and found[0].local.minute == 30  # 02:30 BST on the new clock


def test_fall_back_repeated_time_falls_due_once_the_first_time():
    item = EyeCareItem("late", "drops", (time(1, 30),))
    section = ScheduleSection("Europe/London", "left", (), (item,))
    found = occurrences(section, utc(2026, 10, 24, 12), utc(2026, 10, 26, 12))
    assert [o.due_at for o in found] == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]


def test_dst_days_keep_every_wall_clock_time_in_both_directions():
    section = default_section("Europe/London")
    for day, offsets in ((date(2026, 3, 29), (1,)), (date(2026, 10, 25), (0,))):
        start, end = day_bounds(section, datetime.combine(day, time(12), tzinfo=LONDON))
        found = occurrences(section, start, end)
        assert [o.local.hour for o in found] == [8, 10, 12, 14, 16, 18, 20, 22]
        assert {o.local.utcoffset() for o in found} == {timedelta(hours=h) for h in offsets}
        assert len({o.due_at for o in found}) == 8
        # the local day is 23 h in March and 25 h in October
        assert end - start == timedelta(hours=23 if day.month == 3 else 25)


def test_span_is_half_open_so_back_to_back_spans_never_repeat_or_skip():
    section = default_section("Europe/London")
    edges = [utc(2026, 10, 20) + timedelta(hours=7 * n) for n in range(40)]
    pieces = [o for a, b in zip(edges, edges[1:], strict=False) for o in occurrences(section, a, b)]
    whole = occurrences(section, edges[0], edges[-1])
    assert pieces == whole and len(whole) == len(set(whole))


def test_sessions_by_weekday_and_local_instant():
    slot = SessionSlot("morning", (0,), time(10))
    section = ScheduleSection("Europe/London", sessions=(slot,))
    found = sessions_between(section, utc(2026, 11, 1), utc(2026, 11, 15))
    assert [o.local.date() for o in found] == [date(2026, 11, 2), date(2026, 11, 9)]
    assert local_instant(date(2026, 1, 5), time(10), LONDON).utcoffset() == timedelta(0)


def test_next_summary_weekly_and_daily():
    weekly = next_summary(SummaryTime("weekly", 6, time(20)), "Europe/London", utc(2026, 11, 4, 12))
    assert weekly == utc(2026, 11, 8, 20)
    daily = next_summary(SummaryTime("daily", 6, time(20)), "Europe/London", utc(2026, 11, 4, 21))
    assert daily == utc(2026, 11, 5, 20)
