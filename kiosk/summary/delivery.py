"""Deliver outbox files to a folder or a WebDAV server and confirm each one before it leaves the outbox.

Targets overwrite the same name on a retry, so a retried upload never makes a second copy. A
delivery counts only when the target gives back the same bytes (size and SHA-256).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import http.client
import logging
import os
import secrets
import stat
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from kiosk.summary.outbox import Outbox

log = logging.getLogger(__name__)

FHIR_KIND = "fhir-transaction"  # the outbox kind of the plain FHIR transaction (only a FHIR server takes it)


class DeliveryError(RuntimeError):
    """A target refused or could not take a file; the message says why in plain words."""


class NotAPlanFile(DeliveryError):
    """An inbox entry that is never read: not a regular file (a link, folder or device) or too large."""


INBOX_MAX_BYTES = 256 * 1024  # a plan is a few kilobytes; anything this big is not one


def read_inbox_file(path: Path, limit: int = INBOX_MAX_BYTES) -> bytes:
    """The bytes of a regular file, never following a link, never more than ``limit``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAPlanFile(f"{path.name} is a link, not a file; it is not read.") from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotAPlanFile(f"{path.name} is not a regular file (a folder or device); it is not read.")
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise NotAPlanFile(f"{path.name} is larger than {limit // 1024} KB, too large for a plan; it is not read.")
    return data


class Target(Protocol):
    """Where summaries go and where new plans come from."""

    description: str

    def put(self, name: str, data: bytes) -> None:
        """Store the file under ``name`` (replacing it) and confirm it, or raise DeliveryError."""

    def list_inbox(self) -> list[str]:
        """Names of the files in the inbox."""

    def get_inbox(self, name: str) -> bytes:
        """One inbox file's bytes."""


def _same(data: bytes, stored: bytes) -> bool:
    return len(data) == len(stored) and hashlib.sha256(data).digest() == hashlib.sha256(stored).digest()


def _folder_reason(exc: OSError) -> str:
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "cannot be written (read-only or no permission)"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "is full"
    return f"could not be written: {exc.strerror or exc}"


def http_request(
    parts: urllib.parse.SplitResult,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
    timeout: float,
    who: str,
) -> tuple[int, bytes]:
    """One HTTP(S) request; (status, body), or DeliveryError naming ``who`` when there is no proper answer."""
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    except (http.client.HTTPException, OSError) as exc:
        raise DeliveryError(f"{who} did not answer properly ({type(exc).__name__}: {exc}).") from exc
    finally:
        conn.close()


class FolderTarget:
    """A folder: a Syncthing or Nextcloud folder, a mounted share or a USB stick."""

    def __init__(self, root: Path, inbox: str = "inbox") -> None:
        self.root = root
        self.inbox = root / inbox
        self.description = f"folder {root}"

    def put(self, name: str, data: bytes) -> None:
        if not self.root.is_dir():
            raise DeliveryError(f"The folder {self.root} is not there (is the stick or share connected?).")
        final = self.root / name
        tmp = self.root / f".{name}.partial"
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
            stored = final.read_bytes()
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise DeliveryError(f"The folder {self.root} {_folder_reason(exc)}.") from exc
        if not _same(data, stored):
            raise DeliveryError(f"The copy in {self.root} does not match (size or checksum); will try again.")

    def list_inbox(self) -> list[str]:
        if not self.inbox.is_dir():
            return []
        # Every entry is listed (links, folders and devices too) so get_inbox can say why it is not read.
        return sorted(p.name for p in self.inbox.iterdir() if not p.name.startswith("."))

    def get_inbox(self, name: str) -> bytes:
        return read_inbox_file(self.inbox / name)


class WebDavTarget:
    """A WebDAV collection (Nextcloud-compatible): PUT a .part file, MOVE it, GET to confirm; PROPFIND lists."""

    def __init__(self, url: str, user: str, password: str, inbox: str = "inbox", timeout: float = 30.0) -> None:
        parts = urllib.parse.urlsplit(url if url.endswith("/") else url + "/")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DeliveryError(f"The WebDAV address {url!r} is not an http(s) URL.")
        self.parts = parts
        self.base_path = parts.path
        self.inbox_path = parts.path + urllib.parse.quote(inbox) + "/"
        self.timeout = timeout
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}"} if user else {}
        self.description = f"WebDAV {parts.scheme}://{parts.hostname}:{parts.port or ''}{parts.path}"

    def _request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        return http_request(
            self.parts, method, path, body, {**self.headers, **(headers or {})}, self.timeout, "The WebDAV server"
        )

    @staticmethod
    def _check(status: int, action: str) -> None:
        if status in (401, 403):
            raise DeliveryError(f"The WebDAV server refused the user name or password ({status}) when {action}.")
        if status == 507:
            raise DeliveryError(f"The WebDAV storage is full (507) when {action}.")
        if status >= 300:
            raise DeliveryError(f"The WebDAV server answered {status} when {action}.")

    def put(self, name: str, data: bytes) -> None:
        path = self.base_path + urllib.parse.quote(name)
        # A part name of its own for every attempt: a cut earlier upload that the server finishes
        # writing late can then never overwrite this one's part file before it is renamed.
        part = self.base_path + urllib.parse.quote(f".{name}.{secrets.token_hex(4)}.part")
        try:
            status, _ = self._request("PUT", part, data, {"Content-Type": "application/octet-stream"})
            self._check(status, f"uploading {name}")
        except DeliveryError:
            self._forget(part)
            raise
        # Upload beside, then rename: the therapist never sees half a file under the real name.
        destination = urllib.parse.urlunsplit((self.parts.scheme, self.parts.netloc, path, "", ""))
        status, _ = self._request("MOVE", part, None, {"Destination": destination, "Overwrite": "T"})
        self._check(status, f"renaming {name}")
        status, stored = self._request("GET", path)
        self._check(status, f"checking {name}")
        if not _same(data, stored):
            raise DeliveryError(f"The server's copy of {name} does not match (size or checksum); will try again.")

    def _forget(self, part: str) -> None:
        """Best effort: remove a failed attempt's part file (a hidden name; a later pass never reuses it)."""
        try:
            self._request("DELETE", part)
        except DeliveryError as exc:
            log.info("could not remove %s after a failed upload: %s", part, exc)

    def list_inbox(self) -> list[str]:
        status, body = self._request("PROPFIND", self.inbox_path, b"", {"Depth": "1"})
        if status == 404:
            return []
        self._check(status, "listing the inbox")
        try:
            hrefs = list(ET.fromstring(body).iter("{DAV:}href"))
        except ET.ParseError as exc:
            raise DeliveryError("The WebDAV server sent an inbox listing that cannot be read.") from exc
        names = []
        for href in hrefs:
            path = urllib.parse.urlsplit(href.text or "").path
            if path.rstrip("/") != self.inbox_path.rstrip("/") and not path.endswith("/"):
                names.append(urllib.parse.unquote(path.rsplit("/", 1)[-1]))
        return sorted(names)

    def get_inbox(self, name: str) -> bytes:
        status, body = self._request("GET", self.inbox_path + urllib.parse.quote(name))
        self._check(status, f"fetching {name}")
        if len(body) > INBOX_MAX_BYTES:
            raise NotAPlanFile(f"{name} is larger than {INBOX_MAX_BYTES // 1024} KB, too large for a plan.")
        return body


@dataclass
class PassReport:
    """What one delivery pass did."""

    delivered: list[str] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # name, reason, next attempt
    waiting: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing failed in this pass."""
        return not self.failed


def deliver_pass(
    outbox: Outbox,
    target: Target,
    now: datetime,
    base: timedelta,
    cap: timedelta,
    kinds: frozenset[str] | None = None,
) -> PassReport:
    """Try every due outbox item once; confirmed items leave the outbox, the rest wait with back-off.

    ``kinds``: only items of these kinds (the FHIR target takes only the FHIR transaction); None:
    every kind but the FHIR transaction, which only a FHIR server can use.
    """
    report = PassReport()
    due = {i.id for i in outbox.due(now)}
    for item in outbox.pending():
        if (item.kind not in kinds) if kinds is not None else item.kind == FHIR_KIND:
            continue
        if item.id not in due:
            report.waiting.append(item.name)
            continue
        try:
            target.put(item.name, outbox.read(item))
        except (DeliveryError, OSError) as exc:
            retry_at = outbox.mark_failed(item, now, str(exc), base, cap)
            report.failed.append((item.name, str(exc), retry_at.isoformat()))
            continue
        outbox.mark_delivered(item, now)
        report.delivered.append(item.name)
    return report
