"""The kiosk application: input -> events -> screens -> drawing, on the fixed-rate loop.

Only the main loop changes what is on screen or in the session; devices and timers put events
on the queue. Later issues add the session, reminder and stimulation screens here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pygame

from kiosk.devices.factory import Devices
from kiosk.events import Event, EventQueue, KeyPressed, Notice, QuitRequested, Touched
from kiosk.loop import MainLoop
from kiosk.screens.home import HomeModel, HomeScreen
from kiosk.settings import Settings
from kiosk.store import Store

log = logging.getLogger(__name__)


def local_now() -> datetime:
    """The wall clock, timezone-aware (the only place the app reads it)."""
    return datetime.now().astimezone()


class Kiosk:
    """Owns the screen, the queue and the loop; reacts to events one tick at a time."""

    def __init__(
        self,
        settings: Settings,
        notice: str | None,
        devices: Devices,
        store: Store,
        surface: pygame.Surface,
        wall_clock: Callable[[], datetime] = local_now,
    ) -> None:
        self.settings = settings
        self.devices = devices
        self.store = store
        self.surface = surface
        self.wall_clock = wall_clock
        self.events = EventQueue()
        self.notice = notice
        self.home = HomeScreen()
        self.actions: list[str] = []
        self.loop = MainLoop(rate_hz=self.settings.display.fps)
        self.loop.add_step("input", self.step_input)
        self.loop.add_step("events", self.step_events)
        self.loop.add_step("draw", self.step_draw)
        if devices.listener is not None:
            devices.listener.start(self.events)

    def step_input(self, t: float) -> None:
        """Turn pygame input into typed events."""
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                self.events.put(QuitRequested(at=t, reason="window closed"))
            elif event.type == pygame.KEYDOWN:
                self.events.put(KeyPressed(at=t, key=pygame.key.name(event.key)))
            elif event.type == pygame.MOUSEBUTTONDOWN:
                self.events.put(Touched(at=t, x=event.pos[0], y=event.pos[1]))

    def step_events(self, t: float) -> None:
        """Act on every waiting event."""
        for event in self.events.drain():
            self.handle(event)

    def handle(self, event: Event) -> None:
        action: str | None = None
        if isinstance(event, QuitRequested):
            log.info("quitting: %s", event.reason)
            self.loop.stop()
        elif isinstance(event, KeyPressed):
            if event.key == "escape" and not self.settings.display.fullscreen:
                self.loop.stop()
            action = self.home.action_for_key(event.key)
        elif isinstance(event, Touched):
            action = self.home.action_for_touch(event.x, event.y)
        elif isinstance(event, Notice):
            self.notice = event.text
        if action:
            self.actions.append(action)
            self.store.log_event("action", self.wall_clock(), {"action": action})

    def home_model(self) -> HomeModel:
        return HomeModel(now=self.wall_clock(), states=self.devices.states, notice=self.notice)

    def step_draw(self, t: float) -> None:
        self.home.draw(self.surface, self.home_model())
        pygame.display.flip()

    def save_screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.surface, str(path))

    def run(self, max_ticks: int | None = None, max_seconds: float | None = None) -> None:
        if max_seconds is not None:
            deadline = time.monotonic() + max_seconds

            def stop_at_deadline(t: float) -> None:
                if t >= deadline:
                    self.loop.stop()

            self.loop.add_step("deadline", stop_at_deadline)
        self.loop.run(max_ticks=max_ticks)
