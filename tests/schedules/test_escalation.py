import dataclasses
from datetime import UTC, datetime, timedelta

from schedules.escalation import (
    AlertCaregiver,
    Announce,
    MarkMissed,
    ReminderPolicy,
    ReminderState,
    next_wake,
    rebase,
    snooze,
    step,
)

DUE = datetime(2026, 11, 2, 8, tzinfo=UTC)
POLICY = ReminderPolicy()


def fresh(**changes):
    return dataclasses.replace(ReminderState(1, "day_drops", "drops", DUE, DUE), **changes)


def run(state, policy, minutes, every=1):
    """Step a reminder minute by minute; return (minute, action) pairs and the final state."""
    seen = []
    for m in range(0, minutes + 1, every):
        state, actions = step(state, policy, DUE + timedelta(minutes=m))
        seen += [(m, a) for a in actions]
    return seen, state


def test_full_escalation_timeline_with_defaults():
    seen, state = run(fresh(), POLICY, 90)
    assert seen[0] == (0, Announce(level=0, repeat=False, loud=False))
    repeats = [m for m, a in seen if isinstance(a, Announce) and a.repeat]
    assert repeats == list(range(3, 60, 3))
    assert all(a.loud for _, a in seen if isinstance(a, Announce) and a.repeat)
    alerts = [(m, a.reason) for m, a in seen if isinstance(a, AlertCaregiver)]
    assert alerts == [(15, "unanswered"), (60, "missed")]
    assert (60, MarkMissed()) in seen
    assert state.status == "missed" and state.caregiver_alerted_at == DUE + timedelta(minutes=15)
    assert next_wake(state, POLICY) is None


def test_nothing_before_due_and_announce_ahead():
    assert step(fresh(), POLICY, DUE - timedelta(seconds=1)) == (fresh(), [])
    ahead = ReminderPolicy(announce_ahead_minutes=5)
    state, actions = step(fresh(), ahead, DUE - timedelta(minutes=5))
    assert actions == [Announce(0, False, False)] and state.status == "announced"


def test_next_wake_matches_when_step_acts():
    state = fresh()
    for _ in range(30):
        wake = next_wake(state, POLICY)
        if wake is None:
            break
        assert step(state, POLICY, wake - timedelta(seconds=1))[1] == []
        state, actions = step(state, POLICY, wake)
        assert actions
    assert state.status == "missed"


def test_snooze_is_bounded_and_never_delays_the_caregiver_or_the_miss():
    policy = ReminderPolicy(snooze_minutes=10, max_snoozes=2)
    state, _ = step(fresh(), policy, DUE)
    assert snooze(state, POLICY, DUE)[1] == "not_allowed"
    state, result = snooze(state, policy, DUE + timedelta(minutes=1))
    assert result == "ok" and state.snoozes == 1
    seen, _ = run(state, policy, 10)
    assert not [a for _, a in seen if isinstance(a, Announce)], "quiet while snoozed"
    state, actions = step(state, policy, DUE + timedelta(minutes=11))
    assert actions == [Announce(1, True, True)], "spoken again as soon as the snooze ends"
    state, _ = snooze(state, policy, DUE + timedelta(minutes=12))
    assert snooze(state, policy, DUE + timedelta(minutes=13))[1] == "used_up"
    _, actions = step(state, policy, DUE + timedelta(minutes=15))
    assert AlertCaregiver("unanswered") in actions, "snooze does not hold back the caregiver alert"


def test_rebase():
    state, _ = step(fresh(), POLICY, DUE)
    moved = rebase(state, timedelta(hours=2))
    assert moved.window_start == DUE + timedelta(hours=2) and moved.due_at == DUE
    assert step(moved, POLICY, DUE + timedelta(hours=2, minutes=1))[1] == []
    assert rebase(fresh(), timedelta(hours=2)) == fresh(), "not yet announced: the schedule decides"
