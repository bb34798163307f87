"""The caregiver alert channel: a new phone-alert topic, the test alert's words, the selftest row."""

from __future__ import annotations

from kiosk.caregiver_alerts import channel_words, check_alerts, new_topic_url, send_test_alert, topic_of
from kiosk.settings import Settings, with_overrides


def test_a_new_topic_keeps_the_server_already_set_and_is_hard_to_guess():
    assert new_topic_url("", token="ab12") == "https://ntfy.sh/facecoach-ab12"
    assert new_topic_url("http://ntfy.local/old", token="cd34") == "http://ntfy.local/facecoach-cd34"
    assert new_topic_url() != new_topic_url() and len(topic_of(new_topic_url())) == len("facecoach-") + 12


def test_the_channel_is_named_in_plain_words():
    assert channel_words("", "", "en") == "No alert is set up yet."
    assert channel_words("https://ntfy.sh/x", "notify", "de") == (
        "Eingerichtet: Handy-App (ntfy), Befehl auf dem Gerät"
    )


def test_a_test_alert_runs_the_local_command_and_says_what_happened(fresh_store, tmp_path):
    out = tmp_path / "alert.txt"
    command = f"sh -c 'echo \"$0\" > {out}'"
    assert send_test_alert(fresh_store, "", command, "en") == "The test alert was sent."
    assert "Test alert: This is a test" in out.read_text()
    failed = send_test_alert(fresh_store, "", "false", "en")
    assert failed.startswith("The test alert could not be sent: the alert command ended with code 1")
    assert send_test_alert(fresh_store, "", "", "en") == "The test alert could not be sent: No alert is set up yet."


def test_selftest_reports_the_alert_channel(tmp_path):
    base = with_overrides(Settings(), storage={"data_dir": str(tmp_path)})
    row = check_alerts(base)
    assert row.state == "missing" and "Caregiver screen" in row.hint
    row = check_alerts(with_overrides(base, caregiver={"ntfy_url": "https://ntfy.sh/facecoach-ab12"}))
    assert row.state == "found" and row.detail == "ntfy facecoach-ab12 on ntfy.sh"
