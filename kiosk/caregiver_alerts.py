"""The caregiver alert channel from the caregiver screen: set up phone alerts, send a test alert,
and the selftest row that says whether alerts can reach anyone.

Phone alerts use ntfy: the kiosk makes a hard-to-guess topic on the ntfy server already set (or
ntfy.sh) and shows its name; the caregiver subscribes to it in the ntfy app, then touches "Send a
test alert" to see one arrive. A local command (caregiver.alert_command) is set in the settings
file; the screen shows and tests it the same way.
"""

from __future__ import annotations

import secrets
import threading
from pathlib import Path
from urllib.parse import urlsplit

from content.i18n import phrase
from kiosk.events import EventQueue, Notice
from kiosk.selftest_row import Check
from kiosk.settings import Settings
from kiosk.store import DB_NAME, Store, StoreError
from schedules.notifier import CaregiverNotifier, NotifyError

DEFAULT_NTFY_SERVER = "https://ntfy.sh"
TOPIC_PREFIX = "facecoach-"


def new_topic_url(current: str = "", token: str | None = None) -> str:
    """A new topic URL on the server of ``current`` (or ntfy.sh): facecoach-<12 random hex>."""
    parts = urlsplit(current.strip())
    server = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else DEFAULT_NTFY_SERVER
    return f"{server}/{TOPIC_PREFIX}{token or secrets.token_hex(6)}"


def topic_of(url: str) -> str:
    """The topic name a caregiver subscribes to (the last part of the URL)."""
    return urlsplit(url).path.strip("/").split("/")[-1] if url else ""


def channel_words(ntfy_url: str, command: str, lang: str) -> str:
    """'Set up: phone app (ntfy)', 'Set up: local command' or 'No alert is set up yet.', in ``lang``."""
    how = [phrase(f"caregiver.alert_{name}", lang) for name, on in (("ntfy", ntfy_url), ("command", command)) if on]
    return phrase("caregiver.alert", lang, how=", ".join(how)) if how else phrase("caregiver.alert_none", lang)


def send_test_alert(store: Store, ntfy_url: str, command: str, lang: str) -> str:
    """Send one test alert on every channel now (blocking); the outcome in plain words."""
    notifier = CaregiverNotifier(store, ntfy_url, command)
    if not notifier.channels:
        return phrase("caregiver.test_alert_failed", lang, reason=phrase("caregiver.alert_none", lang))
    title, text = phrase("caregiver.test_alert_title", lang), phrase("caregiver.test_alert_text", lang)
    try:
        if notifier.ntfy_url:
            notifier.send_ntfy(title, text, priority=3)
        if notifier.command:
            notifier.run_command(f"{title}: {text}")
    except NotifyError as exc:
        return phrase("caregiver.test_alert_failed", lang, reason=str(exc))
    return phrase("caregiver.test_alert_sent", lang)


def start_test_alert(events: EventQueue, store: Store, ntfy_url: str, command: str, lang: str) -> threading.Thread:
    """Send the test alert off the main loop; its outcome comes back as a Notice event."""

    def run() -> None:
        events.put(Notice(at=0.0, text=send_test_alert(store, ntfy_url, command, lang)))

    thread = threading.Thread(target=run, name="test-alert", daemon=True)
    thread.start()
    return thread


def check_alerts(settings: Settings) -> Check:
    """Selftest row: which alert channel is set up, and whether alerts are waiting undelivered."""
    from kiosk.caregiver_prefs import load_prefs  # the caregiver may have set phone alerts up on the screen

    settings, _ = load_prefs(settings)
    ntfy, command = settings.caregiver.ntfy_url, settings.caregiver.alert_command
    channels = [
        f"ntfy {topic_of(ntfy)} on {urlsplit(ntfy).netloc}" if ntfy else "",
        f"command {command}" if command else "",
    ]
    detail = ", ".join(c for c in channels if c)
    if not detail:
        hint = "Set up phone alerts on the Caregiver screen, or set caregiver.ntfy_url or caregiver.alert_command."
        return Check("caregiver alerts", "missing", "", hint)
    try:
        store = Store.open(Path(settings.storage.data_dir).expanduser() / DB_NAME)
    except StoreError:
        return Check("caregiver alerts", "found", detail)
    try:
        waiting = len(CaregiverNotifier(store, ntfy, command).undelivered())
    finally:
        store.close()
    if waiting:
        hint = "Alerts are not getting through: touch Send a test alert on the Caregiver screen to see why."
        return Check("caregiver alerts", "problem", f"{detail}; {waiting} waiting", hint)
    return Check("caregiver alerts", "found", detail)
