"""One ntfy POST with an overall deadline (not a per-read timeout).

``urllib``'s timeout applies to each socket operation, so a server that answers one byte every
2 s keeps a request alive for ever. Here a timer shuts the socket down when the deadline passes,
which ends any blocked read at once; the attempt then fails with a plain reason.
"""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.parse


class SendError(RuntimeError):
    """One delivery attempt failed; the message says why in plain words."""


def post(url: str, body: bytes, headers: dict[str, str], deadline_s: float) -> None:
    """POST ``body`` to ``url``; raise SendError unless a 2xx answer arrives within ``deadline_s``."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SendError(f"the ntfy address {url!r} is not an http(s) address")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname, parts.port, timeout=deadline_s)
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed: the read has ended anyway

    timer = threading.Timer(deadline_s, cut)
    timer.daemon = True
    timer.start()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set():
            raise SendError(f"the ntfy server did not answer within {deadline_s:g} s (timed out)") from exc
        raise SendError(f"the ntfy server could not be reached ({exc})") from exc
    finally:
        timer.cancel()
        conn.close()
    if expired.is_set():
        raise SendError(f"the ntfy server did not answer within {deadline_s:g} s (timed out)")
    if not 200 <= status < 300:
        raise SendError(f"the ntfy server answered {status}")
