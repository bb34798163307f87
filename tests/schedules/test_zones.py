"""The machine's time zone, read from a stand-in /etc (schedules/zones.py)."""

from __future__ import annotations

from schedules.zones import known_zone, local_zone


def test_the_zone_comes_from_etc_timezone_first_then_the_localtime_link(tmp_path):
    assert local_zone(tmp_path) == "UTC"  # neither file: UTC
    (tmp_path / "localtime").symlink_to("/usr/share/zoneinfo/Asia/Tokyo")
    assert local_zone(tmp_path) == "Asia/Tokyo"
    (tmp_path / "timezone").write_text("Europe/Berlin\n")
    assert local_zone(tmp_path) == "Europe/Berlin"
    (tmp_path / "timezone").write_text("Not/AZone\n")
    assert local_zone(tmp_path) == "Asia/Tokyo"  # a broken name is passed over for the link
    (tmp_path / "localtime").unlink()
    (tmp_path / "localtime").symlink_to("/usr/share/zoneinfo/Not/AZone")
    assert local_zone(tmp_path) == "UTC"  # neither is a zone this system knows


def test_known_zones():
    assert known_zone("Europe/London") and known_zone("UTC")
    assert not known_zone("Mars/Olympus") and not known_zone("") and not known_zone("../etc/passwd")
