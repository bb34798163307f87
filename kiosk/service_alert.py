"""`facecoach service-alert UNIT`: tell the caregiver that a FaceCoach unit failed for good.

systemd runs it (through systemd/facecoach-alert) when the kiosk has used up its restarts. The
alert goes through the caregiver channels of the settings (ntfy, local command) via the same
outbox the reminders use, so an alert that cannot be delivered now is retried by the kiosk when
it runs again. The failure is also written to the event log.
"""

from __future__ import annotations

import argparse
import logging
from datetime import UTC, datetime
from pathlib import Path

from kiosk.settings_files import load_settings
from kiosk.store import DB_NAME, Store, StoreError

log = logging.getLogger(__name__)

TITLE = "FaceCoach stopped"
MESSAGE = (
    "The FaceCoach kiosk stopped working and could not restart itself. Stimulation is off. "
    "Please unplug the kiosk, wait 10 seconds and plug it in again. If it does not come back, call for help."
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("service-alert", help="alert the caregiver that a FaceCoach service failed (run by systemd)")
    p.add_argument("unit", help="the systemd unit that failed, e.g. facecoach.service")
    p.add_argument("--config", help="settings file with the caregiver alert channels")
    p.set_defaults(func=cmd_service_alert)


def cmd_service_alert(args: argparse.Namespace) -> int:
    from schedules.notifier import CaregiverNotifier

    settings = load_settings(args.config).settings
    now = datetime.now(UTC)
    try:
        store = Store.open(Path(settings.storage.data_dir).expanduser() / DB_NAME)
    except StoreError as exc:
        print(f"{exc}. The failure of {args.unit} is in the system journal only.")
        return 3
    try:
        store.log_event("service_failed", now, {"unit": args.unit})
        notifier = CaregiverNotifier(
            store, ntfy_url=settings.caregiver.ntfy_url, command=settings.caregiver.alert_command
        )
        notifier.alert("service_failed", TITLE, f"{MESSAGE} ({args.unit})", now)
        report = notifier.deliver_due(now)
    finally:
        store.close()
    if not notifier.channels:
        print("No caregiver alert is set up (caregiver.ntfy_url or caregiver.alert_command); the failure is logged.")
        return 1
    if report.failed:
        print(f"The caregiver alert could not be sent now ({report.failed} failed); the kiosk retries when it runs.")
        return 1
    print(f"The caregiver was alerted that {args.unit} failed.")
    return 0
