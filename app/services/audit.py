"""The audit trail: who did what, where, when."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.db.models import AuditEntry, ScanJournal, User, utcnow

_INSERT_SCAN = insert(ScanJournal.__table__).returning(ScanJournal.__table__.c.id)  # built once


def record(session: Session, actor: Actor, action: str, **details: object) -> None:
    session.add(AuditEntry(**entry(actor, action, **details)))


def entry(actor: Actor, action: str, **details: object) -> dict:
    """An audit row's values: for inserting many at once (``insert(AuditEntry)``)."""
    return dict(at=utcnow(), user_id=actor.user_id, workstation=actor.workstation, action=action,
                details=json.dumps(details, default=str, sort_keys=True))


def journal_scan(
    session: Session,
    actor: Actor,
    *,
    context: str,
    raw: str,
    interpretation: str,
    outcome: str,
    message: str = "",
) -> int:
    """Write one scan to the journal and return its id (moves point back to it)."""
    return session.connection().execute(_INSERT_SCAN, {
        "at": utcnow(), "user_id": actor.user_id, "workstation": actor.workstation,
        "context": context, "raw": raw, "interpretation": interpretation, "outcome": outcome,
        "message": message,
    }).scalar_one()


# --- reading the scan journal ----------------------------------------------------------------
JOURNAL_COLUMNS = ("id", "at", "user", "workstation", "context", "raw", "interpretation", "outcome",
                   "message")


@dataclass(frozen=True)
class JournalFilter:
    """What the supervisor looks for; empty fields do not filter."""

    user: str = ""  # user name or display name, exact (case-insensitive)
    workstation: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    outcome: str = ""
    text: str = ""  # inside the raw scan or the message


@dataclass(frozen=True)
class JournalRow:
    id: int
    at: dt.datetime
    user: str
    workstation: str
    context: str
    raw: str
    interpretation: str
    outcome: str
    message: str


def journal_rows(session: Session, where: JournalFilter = JournalFilter(), *, before_id: int | None = None,
                 limit: int | None = 200) -> list[JournalRow]:
    """Newest first, one query; page on with ``before_id`` = the last id shown (keyset)."""
    query = (select(ScanJournal.id, ScanJournal.at, func.coalesce(User.display_name, ""),
                    ScanJournal.workstation, ScanJournal.context, ScanJournal.raw,
                    ScanJournal.interpretation, ScanJournal.outcome, ScanJournal.message)
             .outerjoin(User, User.id == ScanJournal.user_id)
             .order_by(ScanJournal.id.desc()))
    if where.user:
        name = where.user.strip().lower()
        query = query.where(or_(func.lower(User.username) == name, func.lower(User.display_name) == name))
    if where.workstation:
        query = query.where(ScanJournal.workstation == where.workstation.strip())
    if where.since is not None:
        query = query.where(ScanJournal.at >= where.since)
    if where.until is not None:
        query = query.where(ScanJournal.at < where.until)
    if where.outcome:
        query = query.where(ScanJournal.outcome == where.outcome)
    if where.text:
        pattern = f"%{where.text.strip().lower()}%"
        query = query.where(or_(func.lower(ScanJournal.raw).like(pattern),
                                func.lower(ScanJournal.message).like(pattern)))
    if before_id is not None:
        query = query.where(ScanJournal.id < before_id)
    if limit is not None:
        query = query.limit(limit)
    return [JournalRow(*row) for row in session.execute(query)]


def write_journal_csv(session: Session, stream: TextIO, where: JournalFilter = JournalFilter()) -> int:
    """The journal (oldest last, as shown) as CSV; returns the number of rows."""
    writer = csv.writer(stream)
    writer.writerow(JOURNAL_COLUMNS)
    count = 0
    before = None
    while True:  # pages of 1000 by key: the whole journal never sits in memory
        rows = journal_rows(session, where, before_id=before, limit=1000)
        for row in rows:
            writer.writerow([row.id, row.at.isoformat(), row.user, row.workstation, row.context, row.raw,
                             row.interpretation, row.outcome, row.message])
        count += len(rows)
        if len(rows) < 1000:
            return count
        before = rows[-1].id
