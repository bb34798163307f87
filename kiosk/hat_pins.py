"""The HAT pins recorded when the stimulation board was last opened successfully.

``facecoach hat-off`` drives these first: the settings file may have been edited (or broken)
since, but these are the lines that were live. Kept as JSON in the state folder, written
atomically; reading never raises (a missing or damaged record is None).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path

from kiosk.settings_files import state_dir
from stim_hat.settings import HatSettings

log = logging.getLogger(__name__)

RECORD = "hat-pins.json"


def record_path() -> Path:
    return state_dir() / RECORD


def remember_pins(hat: HatSettings) -> None:
    """Record the pins of a HAT that just opened (best effort: a read-only disk is logged)."""
    target = record_path()
    values = {f.name: getattr(hat, f.name) for f in dataclasses.fields(hat) if f.name.endswith("_pin")}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(values, sort_keys=True), encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        log.warning("the HAT pins could not be recorded for hat-off: %s", exc)


def remembered_pins() -> HatSettings | None:
    """The recorded pins, or None when there is no usable record."""
    try:
        values = json.loads(record_path().read_text(encoding="utf-8"))
        pins = {k: int(v) for k, v in values.items() if k.endswith("_pin") and isinstance(v, int)}
        return dataclasses.replace(HatSettings(), **pins)
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        log.debug("no usable HAT pin record: %s", exc)
        return None
