"""Time zone names: the machine's own, and whether a name is one the system knows."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def known_zone(name: str) -> bool:
    """True for an IANA time zone name this system has (``Europe/Berlin``), False otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, KeyError):
        return False
    return True


def local_zone(etc: Path = Path("/etc")) -> str:
    """The machine's IANA time zone name (``/etc/timezone``, else the ``/etc/localtime`` link; UTC if neither).

    A name either holds that the system does not know is passed over, never handed on.
    """
    named = etc / "timezone"
    if named.exists() and (name := named.read_text().strip()) and known_zone(name):
        return name
    link = etc / "localtime"
    target = str(link.resolve()) if link.is_symlink() else ""
    name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
    return name if name and known_zone(name) else "UTC"
