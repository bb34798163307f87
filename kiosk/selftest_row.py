"""One row of `facecoach selftest`: a part, its state and a plain hint.

Its own module so that every file that adds rows (kiosk/selftest.py for the devices,
kiosk/selftest_appliance.py for the services and delivery, kiosk/caregiver_alerts.py for phone
alerts) imports it without importing the others: selftest.py gathers their rows, one way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One row of the table."""

    part: str
    state: str  # found | missing | fake | problem
    detail: str = ""
    hint: str = ""
