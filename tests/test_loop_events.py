import logging

from kiosk.events import EventQueue, KeyPressed, VoiceCommand
from kiosk.loop import MainLoop


class FakeClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_run_max_ticks_runs_steps_in_order():
    seen = []
    loop = MainLoop(rate_hz=1000)
    loop.add_step("a", lambda t: seen.append("a"))
    loop.add_step("b", lambda t: seen.append("b"))
    loop.run(max_ticks=3)
    assert loop.ticks == 3
    assert seen == ["a", "b"] * 3
    assert loop.timings["a"].calls == 3


def test_overrun_is_logged_with_slowest_step(caplog):
    clock = FakeClock()
    loop = MainLoop(rate_hz=10, clock=clock)

    def slow(t):
        clock.t += 0.25  # a step that takes 250 ms of a 100 ms budget

    loop.add_step("fast", lambda t: None)
    loop.add_step("slow", slow)
    with caplog.at_level(logging.WARNING):
        loop.run(max_ticks=2)
    assert loop.overruns == 2
    assert "slowest step: slow" in caplog.text
    assert "budget 100.0 ms" in caplog.text


def test_stop_from_a_step_ends_the_loop():
    loop = MainLoop(rate_hz=1000)
    loop.add_step("stopper", lambda t: loop.stop() if loop.ticks >= 4 else None)
    loop.run()
    assert loop.ticks == 5 and loop.stopped
    assert "stopper" in loop.report()


def test_queue_keeps_order_and_limit():
    q = EventQueue()
    for i in range(5):
        q.put(KeyPressed(at=float(i), key=str(i)))
    q.put(VoiceCommand(at=9.0, intent="stop"))
    first = q.drain(limit=4)
    assert [e.key for e in first] == ["0", "1", "2", "3"]
    rest = q.drain()
    assert isinstance(rest[-1], VoiceCommand) and rest[-1].intent == "stop"
    assert q.drain() == []
