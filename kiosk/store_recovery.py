"""Power-cut recovery for the SQLite store: find damage, move the file aside, keep what can be read.

A power cut while the SD card is writing can leave a damaged page. ``find_damage`` runs SQLite's
``quick_check``. ``recover`` renames the damaged file (with its -wal and -shm) to
``facecoach.db.damaged-<time>`` (kept, never deleted), builds a new file from the migrations and
copies, table by table, every row it can still read: forwards by rowid until a damaged page stops
the scan, then backwards from the end until it meets the damage from the other side.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from kiosk.migrations import migrations

log = logging.getLogger(__name__)

# SQLite's result codes for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB).
DAMAGE_CODES = {11, 26}
SKIP_TABLES = {"_sqlite_migrations"}


def is_damage(exc: sqlite3.Error) -> bool:
    """True when the error says the file is damaged (not merely locked or full)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in DAMAGE_CODES
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def find_damage(path: Path) -> str | None:
    """None when the file reads cleanly (or does not exist yet), else SQLite's description."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with contextlib.closing(sqlite3.connect(str(path), timeout=10)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return str(exc)
        raise
    result = "; ".join(str(r[0]) for r in rows)
    return None if result == "ok" else result


@dataclass
class Recovery:
    """What recovery did: where the damaged file went and how many rows each table kept."""

    problem: str
    damaged_file: Path
    kept: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)

    @property
    def rows_kept(self) -> int:
        return sum(self.kept.values())

    def notice(self) -> str:
        """Plain words for the home screen."""
        return (
            "The kiosk's data file was damaged, probably by a power cut. "
            f"It was repaired and {self.rows_kept} records were kept. "
            "A copy of the damaged file was saved. Please tell the therapist."
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "problem": self.problem[:500],
            "damaged_file": str(self.damaged_file),
            "kept": self.kept,
            "unreadable": self.unreadable,
        }


def move_aside(path: Path, now: datetime) -> Path:
    """Rename the database and its -wal/-shm companions; return the new database name."""
    aside = path.with_name(f"{path.name}.damaged-{now:%Y%m%d-%H%M%S}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{now:%Y%m%d-%H%M%S}-{n}")
    for suffix in ("-wal", "-shm", ""):  # the main file last: without it the others mean nothing
        companion = Path(str(path) + suffix)
        if companion.exists():
            os.replace(companion, Path(str(aside) + suffix))
    return aside


def _scan(conn: sqlite3.Connection, table: str, cols: list[str], order: str, stop: int | None) -> Iterator[tuple]:
    """Rows (rowid first) in rowid order until the first unreadable page or rowid ``stop``."""
    select = ", ".join(f'"{c}"' for c in cols)
    try:
        cursor = conn.execute(f'SELECT rowid, {select} FROM "{table}" ORDER BY rowid {order}')
    except sqlite3.DatabaseError:
        return
    while True:
        try:
            row = cursor.fetchone()
        except sqlite3.DatabaseError:
            return
        if row is None or (stop is not None and (row[0] <= stop if order == "DESC" else row[0] >= stop)):
            return
        yield row


def copy_table(old: sqlite3.Connection, new: sqlite3.Connection, table: str, cols: list[str]) -> int:
    """Copy every readable row of one table; return how many were copied."""
    rows: dict[int, tuple] = {}
    for row in _scan(old, table, cols, "ASC", None):
        rows[row[0]] = row
    last_good = max(rows) if rows else None
    for row in _scan(old, table, cols, "DESC", last_good):
        rows[row[0]] = row
    names = ", ".join(["rowid", *(f'"{c}"' for c in cols)])
    marks = ", ".join("?" * (len(cols) + 1))
    new.executemany(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})', [rows[k] for k in sorted(rows)])
    return len(rows)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")').fetchall()]


def recover(path: Path, problem: str, now: datetime) -> Recovery:
    """Move the damaged file aside and build a new one at ``path`` with every readable row."""
    aside = move_aside(path, now)
    recovery = Recovery(problem=problem, damaged_file=aside)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    with contextlib.closing(sqlite3.connect(str(path))) as new_conn:
        new_db = Database(new_conn)
        migrations.apply(new_db)
        tables = [t for t in new_db.table_names() if t not in SKIP_TABLES]
        new_conn.execute("PRAGMA foreign_keys=OFF")  # a kept row may point at a lost one
        with contextlib.closing(sqlite3.connect(str(aside))) as old:
            for table in tables:
                try:
                    old_cols = set(_columns(old, table))
                    cols = [c for c in _columns(new_conn, table) if c in old_cols]
                    if not cols:
                        recovery.unreadable[table] = "not found in the damaged file"
                        continue
                    recovery.kept[table] = copy_table(old, new_conn, table, cols)
                except sqlite3.DatabaseError as exc:
                    recovery.unreadable[table] = str(exc)
        new_conn.commit()
    log.error(
        "the data file was damaged (%s); moved it to %s and kept %d rows", problem, aside.name, recovery.rows_kept
    )
    return recovery
