"""The kiosk's SQLite store: one file, WAL, migrations, durable writes for what must survive.

SQLite rows are the source of truth for sessions, reminders, stimulation and delivery. The file
is created with mode 0600 because it holds health data. Use ``Store.memory()`` in tests.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kiosk.migrations import migrations
from kiosk.store_recovery import find_damage, is_damage, recover

DB_NAME = "facecoach.db"
log = logging.getLogger(__name__)


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message says why in plain words."""


@contextlib.contextmanager
def _one_process_at_a_time(path: Path | None) -> Iterator[None]:
    """Hold an exclusive lock on ``<data file>.lock`` while a process sets the file up.

    The kiosk and ``facecoach sync`` can start together (at boot). Both read which migrations are
    pending and then write; SQLite refuses the second writer at once ("database is locked") rather
    than waiting, because its snapshot is stale. The lock makes the second process wait its turn.
    """
    if path is None:
        yield
        return
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class Store:
    """A thread-safe wrapper around one sqlite-utils Database."""

    def __init__(self, db: Database, path: Path | None) -> None:
        self.db = db
        self.path = path
        self.lock = threading.RLock()
        with _one_process_at_a_time(path):
            if path is not None:
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            migrations.apply(db)

    # Set by open() when the file was damaged and rebuilt: plain words the home screen can show.
    notice: str | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Store:
        """Open (creating with mode 0600) the database file at path.

        A damaged file (a power cut) is moved aside, its readable rows are kept in a new file,
        and the store reports it: an event_log row and ``notice`` (see kiosk.store_recovery).
        """
        path = Path(path).expanduser()
        now = datetime.now().astimezone()
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            problem = find_damage(path)
            recovery = recover(path, problem, now) if problem else None
            try:
                store = cls._connect(path)
            except sqlite3.DatabaseError as exc:
                if recovery is not None or not is_damage(exc):
                    raise
                recovery = recover(path, str(exc), now)
                store = cls._connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"Cannot open the data file {path}: {exc}") from exc
        if recovery is not None:
            store.notice = recovery.notice()
            store.log_event("store_recovered", now, recovery.as_dict())
        return store

    @classmethod
    def _connect(cls, path: Path) -> Store:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
        try:
            return cls(Database(conn), path)
        except sqlite3.Error:
            conn.close()
            raise

    @classmethod
    def copy_in_memory(cls, path: str | os.PathLike[str]) -> Store:
        """What the data file holds, copied into memory, for a kiosk that cannot open it for writing.

        A full disk after a clean shutdown leaves SQLite no room for its -wal/-shm files, so
        ``open`` fails; reading the file as immutable needs neither. Reminders then run from the
        copy (and from memory), and ``degraded`` says in plain words what is not being kept.
        A missing or unreadable file gives an empty store. Never raises.
        """
        path = Path(path).expanduser()
        mem = sqlite3.connect(":memory:", check_same_thread=False)
        if path.exists():
            try:
                src = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
                try:
                    src.backup(mem)
                finally:
                    src.close()
            except sqlite3.Error as exc:
                log.error("the data file could not even be read (%s); starting empty", exc)
                mem.close()
                mem = sqlite3.connect(":memory:", check_same_thread=False)
        store = cls(Database(mem), None)
        store.degraded = (
            "The storage is full or broken, so nothing new is kept after a restart. "
            "Eye-care reminders still work. Ask the caregiver to free space and restart the kiosk."
        )
        return store

    # Set by copy_in_memory(): the kiosk runs without its data file, in plain words.
    degraded: str | None = None

    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory store (tests)."""
        return cls(Database(sqlite3.connect(":memory:", check_same_thread=False)), None)

    @contextlib.contextmanager
    def critical(self) -> Iterator[Database]:
        """A transaction that is on disk when the block ends (synchronous=FULL).

        Use it for acknowledgements and the stimulation log: what is confirmed aloud must
        survive a power cut.
        """
        with self.lock:
            self.db.execute("PRAGMA synchronous=FULL")
            try:
                with self._transaction():
                    yield self.db
            finally:
                self.db.execute("PRAGMA synchronous=NORMAL")

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """An ordinary transaction."""
        with self.lock, self._transaction():
            yield self.db

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Database]:
        """A transaction that takes the write lock first (``BEGIN IMMEDIATE``).

        The kiosk and ``facecoach sync`` write the same file. A transaction that reads first and
        writes later is refused at once ("database is locked") when the other process wrote in
        between; taking the lock first makes it wait instead, up to the 10 s busy timeout. Nested
        use is a savepoint inside the outer transaction.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            conn.execute("COMMIT")
        except BaseException:  # the block failed, or the commit did (a full disk): nothing half-written stays
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def log_event(self, kind: str, now: datetime, data: dict[str, Any] | None = None) -> int:
        """Append one row to the append-only event log."""
        with self.write() as db:
            table = db["event_log"]
            table.insert({"at": now.isoformat(), "kind": kind, "data": json.dumps(data or {}, sort_keys=True)})
            return int(table.last_pk)  # type: ignore[arg-type]

    def integrity_check(self) -> str:
        """'ok' or SQLite's description of the damage."""
        with self.lock:
            rows = self.db.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows)

    def close(self) -> None:
        """Close the file (idempotent)."""
        with self.lock, contextlib.suppress(sqlite3.ProgrammingError):
            self.db.close()
