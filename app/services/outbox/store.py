"""The outbox file: scans waiting for the shared database, and scans it refused.

A plain SQLite file in the user's data folder, written with ``synchronous=FULL`` so a scan is
on disk (fsync'd) before ``add`` returns. One connection per call: the file is used from the
GUI side, the outbox writer and the replaying worker. Rows are plain JSON; the actor and the
scan's arguments are kept exactly as they were when the scan was made, with its original
idempotency key and time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core import clock
from app.core.actor import Actor

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    target TEXT NOT NULL,
    use_case TEXT NOT NULL,
    payload TEXT NOT NULL,
    actor TEXT NOT NULL,
    context TEXT NOT NULL,
    raw TEXT NOT NULL,
    summary TEXT NOT NULL,
    scanned_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS attention (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    target TEXT NOT NULL,
    use_case TEXT NOT NULL,
    payload TEXT NOT NULL,
    actor TEXT NOT NULL,
    context TEXT NOT NULL,
    raw TEXT NOT NULL,
    summary TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    refused_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    resolution TEXT
);
"""
_COLUMNS = "key, target, use_case, payload, actor, context, raw, summary, scanned_at"


@dataclass(frozen=True)
class Entry:
    """One scan as it was made: which use case, its arguments, who, when, with which key."""

    key: str
    target: str  # the shared database it belongs to (Database.describe())
    use_case: str
    payload: dict[str, Any]
    actor: Actor
    context: str  # the scan journal's context, e.g. "receiving:receive"
    raw: str
    summary: str  # what the operator was shown
    scanned_at: str  # ISO 8601, UTC
    seq: int = 0


@dataclass(frozen=True)
class Refused:
    """A waiting scan the server refused on replay: kept until a supervisor resolves it."""

    id: int
    entry: Entry
    reason: str
    refused_at: str
    resolved_at: str | None = None
    resolved_by: str | None = None
    resolution: str | None = None


def _actor_json(actor: Actor) -> str:
    return json.dumps({"user_id": actor.user_id, "workstation": actor.workstation, "role": actor.role,
                       "display_name": actor.display_name})


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(row["key"], row["target"], row["use_case"], json.loads(row["payload"]),
                 Actor(**json.loads(row["actor"])), row["context"], row["raw"], row["summary"],
                 row["scanned_at"], row["seq"] if "seq" in row.keys() else 0)


class Outbox:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA synchronous=FULL")  # every commit is fsync'd
            yield conn
        finally:
            conn.close()

    # --- waiting scans ----------------------------------------------------------------------
    def add(self, entry: Entry) -> int:
        """Keep ``entry``; when this returns it is on disk. Adding the same key twice keeps
        the first one (the same physical scan)."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                f"INSERT OR IGNORE INTO pending ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.key, entry.target, entry.use_case, json.dumps(entry.payload), _actor_json(entry.actor),
                 entry.context, entry.raw, entry.summary, entry.scanned_at))
            conn.execute("COMMIT")
            return conn.execute("SELECT count(*) FROM pending WHERE target = ?", (entry.target,)).fetchone()[0]

    def pending(self, target: str, limit: int | None = None) -> list[Entry]:
        """The waiting scans for ``target`` in the order they were made."""
        with self._connect() as conn:
            rows = conn.execute(f"SELECT seq, {_COLUMNS} FROM pending WHERE target = ? ORDER BY seq LIMIT ?",
                                (target, -1 if limit is None else limit)).fetchall()
        return [_entry(row) for row in rows]

    def count(self, target: str) -> int:
        with self._connect() as conn:
            return conn.execute("SELECT count(*) FROM pending WHERE target = ?", (target,)).fetchone()[0]

    def sent(self, key: str) -> None:
        """The server has the scan (applied now or before): it no longer waits."""
        with self._connect() as conn:
            conn.execute("DELETE FROM pending WHERE key = ?", (key,))

    def refuse(self, key: str, reason: str) -> None:
        """The server refused the scan: move it to the needs-attention list, in one step."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                f"INSERT OR REPLACE INTO attention ({_COLUMNS}, reason, refused_at) "
                f"SELECT {_COLUMNS}, ?, ? FROM pending WHERE key = ?",
                (reason, clock.now().isoformat(timespec="seconds"), key))
            conn.execute("DELETE FROM pending WHERE key = ?", (key,))
            conn.execute("COMMIT")

    # --- needs attention --------------------------------------------------------------------
    def attention(self, target: str, *, open_only: bool = True) -> list[Refused]:
        where = "target = ?" + (" AND resolved_at IS NULL" if open_only else "")
        with self._connect() as conn:
            rows = conn.execute(f"SELECT * FROM attention WHERE {where} ORDER BY id", (target,)).fetchall()
        return [Refused(row["id"], _entry(row), row["reason"], row["refused_at"], row["resolved_at"],
                        row["resolved_by"], row["resolution"]) for row in rows]

    def attention_count(self, target: str) -> int:
        with self._connect() as conn:
            return conn.execute("SELECT count(*) FROM attention WHERE target = ? AND resolved_at IS NULL",
                                (target,)).fetchone()[0]

    def resolve(self, refused_id: int, *, by: str, resolution: str) -> None:
        with self._connect() as conn:
            conn.execute("UPDATE attention SET resolved_at = ?, resolved_by = ?, resolution = ? "
                         "WHERE id = ? AND resolved_at IS NULL",
                         (clock.now().isoformat(timespec="seconds"), by, resolution, refused_id))

    def requeue(self, refused_id: int, *, by: str) -> None:
        """Put a refused scan back at the end of the waiting scans, with its original key."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"INSERT OR IGNORE INTO pending ({_COLUMNS}) SELECT {_COLUMNS} FROM attention "
                         "WHERE id = ? AND resolved_at IS NULL", (refused_id,))
            conn.execute("UPDATE attention SET resolved_at = ?, resolved_by = ?, resolution = 'sent again' "
                         "WHERE id = ? AND resolved_at IS NULL",
                         (clock.now().isoformat(timespec="seconds"), by, refused_id))
            conn.execute("COMMIT")
