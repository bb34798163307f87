"""The demo pilot: on the fakes it walks through a whole session by itself, for showing the product."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.app import Kiosk

HOME_WAIT_S = 2.0
SUMMARY_WAIT_S = 5.0


@dataclass
class DemoPilot:
    """Presses Start after a moment on the home screen, Home after the summary, and Not now on the
    after-session questions (a demo never makes up a patient's answer)."""

    kiosk: Kiosk
    entered: dict[str, float] = field(default_factory=dict)
    sessions: int = 0

    def attach(self) -> None:
        self.kiosk.loop.add_step("demo", self.step)

    def step(self, t: float) -> None:
        mode = self.kiosk.mode
        since = self.entered.setdefault(mode, t)
        for other in list(self.entered):
            if other != mode:
                del self.entered[other]
        if mode == "home" and self.sessions == 0 and t - since >= HOME_WAIT_S:
            self.sessions += 1
            self.kiosk.act("start_session", t, via="demo")
        elif mode in ("summary", "checkin") and t - since >= SUMMARY_WAIT_S:
            self.kiosk.act("home", t, via="demo")
