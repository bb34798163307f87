"""Property: random valid plans x random patients x random power cuts, clock jumps and DST changes
(including Lord Howe Island's 30-minute DST) -> every due reminder is announced (or answered early)
and ends acknowledged, or recorded as missed with the caregiver alerted, exactly once."""

import tomllib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from kiosk.store import Store
from schedules.plan_section import KINDS, POLICY_LIMITS, parse_schedule
from schedules.simulate import Script, simulate

# (zone, a day before one of its clock changes)
ZONES = [
    ("Australia/Lord_Howe", "2026-10-03"),  # 02:00 -> 02:30 on 4 October
    ("Australia/Lord_Howe", "2026-04-04"),  # 02:00 -> 01:30 on 5 April
    ("Europe/London", "2026-03-28"),
    ("Europe/London", "2026-10-24"),
    ("America/New_York", "2026-03-07"),
    ("Asia/Kolkata", "2026-07-01"),  # no DST at all
]
DAYS = 2
clock = st.tuples(st.integers(0, 23), st.sampled_from([0, 1, 15, 29, 30, 45, 59])).map(
    lambda hm: f"{hm[0]:02d}:{hm[1]:02d}"
)


@st.composite
def items(draw, index):
    kind = draw(st.sampled_from([k for k in KINDS if k != "custom"]))
    lines = [f'id = "item_{index}"', f'kind = "{kind}"']
    if draw(st.booleans()):
        times = draw(st.lists(clock, min_size=1, max_size=4, unique=True))
        lines.append("at = [" + ", ".join(f'"{t}"' for t in times) + "]")
    else:
        lines.append(f"every_hours = {draw(st.sampled_from([0.5, 1, 2, 3, 4]))}")
        start = draw(st.integers(0, 12))
        lines += [f'from = "{start:02d}:00"', f'until = "{draw(st.integers(start, 23)):02d}:30"']
    return "[[eye_care.items]]\n" + "\n".join(lines)


@st.composite
def plans(draw):
    zone, day = draw(st.sampled_from(ZONES))
    count = draw(st.integers(1, 3))
    body = "\n\n".join(draw(items(i)) for i in range(count))
    numbers = {name: draw(st.integers(low, high)) for name, (low, high) in POLICY_LIMITS.items()}
    assume(numbers["catch_up_minutes"] > numbers["caregiver_after_minutes"])
    policy = "\n".join(f"{k} = {v}" for k, v in numbers.items())
    text = f'[plan]\ntimezone = "{zone}"\n\n[eye_care]\neye = "left"\n\n{body}\n\n[reminders]\n{policy}\n'
    section, problems = parse_schedule(tomllib.loads(text), text, "random.toml", "UTC")
    assume(not problems)
    start = datetime.fromisoformat(day).replace(hour=0, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    return section, start


@st.composite
def worlds(draw, start):
    """Power cuts (some boot on a stale clock), wrong clocks (jumps both ways) and stimulation blocks."""
    span = DAYS * 24 * 60

    def window(longest):
        at = draw(st.integers(0, span - 10))
        return start + timedelta(minutes=at), start + timedelta(minutes=min(span, at + draw(st.integers(1, longest))))

    off = [(*window(600), draw(st.booleans())) for _ in range(draw(st.integers(0, 3)))]
    wrong = [(*window(240), timedelta(minutes=draw(st.integers(-180, 180)))) for _ in range(draw(st.integers(0, 2)))]
    stim = [window(20) for _ in range(draw(st.integers(0, 2)))]
    return Script(off, wrong, stim)


@pytest.mark.slow
@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_every_due_reminder_is_announced_or_missed_and_escalated_exactly_once(data, tmp_path_factory):
    section, start = data.draw(plans())
    script = data.draw(worlds(start))
    seed = data.draw(st.integers(0, 10_000))
    folder = tmp_path_factory.mktemp("sim")
    totals = simulate(DAYS, seed, start=start, section=section, folder=folder, open_store=Store.open, script=script)
    assert totals.duplicates == 0, totals.problems
    assert totals.lost == 0, totals.problems
    assert totals.acknowledged + totals.missed == totals.due
    assert totals.announced + totals.early == totals.due
