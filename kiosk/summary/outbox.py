"""The outbox: summary files written atomically, one ``outbox`` row each, kept until delivery is confirmed."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.store import Store


@dataclass(frozen=True)
class OutboxItem:
    """One file waiting for (or done with) delivery."""

    id: int
    name: str
    kind: str
    path: Path
    sha256: str
    attempts: int
    delivered_at: str | None
    next_attempt_at: str | None
    last_error: str | None


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that it is either absent or complete: tmp + fsync + rename + fsync of the folder."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def backoff(attempts: int, base: timedelta, cap: timedelta) -> timedelta:
    """Exponential back-off after ``attempts`` failures: base, 2*base, 4*base ... at most cap."""
    return min(cap, base * (2 ** max(0, attempts - 1)))


class Outbox:
    """Files in ``folder`` plus their rows in the store's ``outbox`` table."""

    def __init__(self, store: Store, folder: Path) -> None:
        self.store = store
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def add(self, name: str, kind: str, data: bytes, now: datetime) -> OutboxItem:
        """Put one file in the outbox (the same name twice keeps the first: names are idempotent)."""
        existing = self.get(name)
        if existing is not None:
            return existing
        path = self.folder / name
        write_atomically(path, data)
        with self.store.critical() as db:
            db["outbox"].insert(
                {
                    "name": name,
                    "kind": kind,
                    "created_at": now.isoformat(),
                    "path": str(path),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "attempts": 0,
                    "next_attempt_at": now.isoformat(),
                }
            )
        item = self.get(name)
        assert item is not None
        return item

    def _items(self, where: str, args: tuple[object, ...] = ()) -> list[OutboxItem]:
        with self.store.lock:
            rows = list(self.store.db["outbox"].rows_where(where, args, order_by="id"))
        return [
            OutboxItem(
                r["id"],
                r["name"],
                r["kind"] or "",
                Path(r["path"]),
                r["sha256"] or "",
                r["attempts"] or 0,
                r["delivered_at"],
                r["next_attempt_at"],
                r["last_error"],
            )
            for r in rows
        ]

    def get(self, name: str) -> OutboxItem | None:
        """The item with this name, if any."""
        found = self._items("name = ?", (name,))
        return found[0] if found else None

    def pending(self) -> list[OutboxItem]:
        """Every item not yet confirmed by the target, oldest first."""
        return self._items("delivered_at IS NULL")

    def due(self, now: datetime) -> list[OutboxItem]:
        """Pending items whose next attempt time has come."""
        return [i for i in self.pending() if not i.next_attempt_at or datetime.fromisoformat(i.next_attempt_at) <= now]

    def read(self, item: OutboxItem) -> bytes:
        """The file's bytes, checked against the recorded checksum."""
        data = item.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != item.sha256:
            raise OSError(f"outbox file {item.path.name} does not match its checksum")
        return data

    def mark_delivered(self, item: OutboxItem, now: datetime) -> None:
        """The target confirmed the file: record it, then remove the local copy."""
        with self.store.critical() as db:
            db["outbox"].update(item.id, {"delivered_at": now.isoformat(), "last_error": None})
        item.path.unlink(missing_ok=True)

    def mark_failed(self, item: OutboxItem, now: datetime, error: str, base: timedelta, cap: timedelta) -> datetime:
        """Record a failed attempt and when to try again; the file stays."""
        attempts = item.attempts + 1
        retry_at = now + backoff(attempts, base, cap)
        with self.store.critical() as db:
            db["outbox"].update(
                item.id, {"attempts": attempts, "next_attempt_at": retry_at.isoformat(), "last_error": error}
            )
        return retry_at
