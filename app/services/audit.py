"""The audit trail: who did what, where, when; and the supervisors' search over it.

Rows are append-only and hash-chained (app/db/chain.py): `stockfloor db check` names an edited
or deleted entry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.permissions import require
from app.db.models import AuditEntry, ScanJournal, User, utcnow
from app.db.prepared import Prepared, connection, stamp

_INSERT_AUDIT = Prepared(insert(AuditEntry.__table__).returning(AuditEntry.__table__.c.id))
_INSERT_SCAN = Prepared(insert(ScanJournal.__table__).returning(ScanJournal.__table__.c.id))  # built once


def record(session: Session, actor: Actor, action: str, **details: object) -> None:
    """One audit row, written now in the session's transaction (chained at its commit by the
    id it returns: no ORM object, no search for unchained rows)."""
    _INSERT_AUDIT.execute(connection(session), entry(actor, action, **details))


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
    conn = connection(session)
    return _INSERT_SCAN.scalar(conn, {
        "at": stamp(conn), "user_id": actor.user_id, "workstation": actor.workstation,
        "context": context, "raw": raw, "interpretation": interpretation, "outcome": outcome,
        "message": message,
    })


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


# --- the supervisors' audit viewer ----------------------------------------------------------------
@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user: str
    workstation: str
    action: str
    details: str


@dataclass(frozen=True)
class AuditFilter:
    user: str = ""  # user name or display name, exact
    action: str = ""  # exact, or a prefix ending in '*' ('count_*')
    document: str = ""  # any text inside the details (an order, count or receipt number)
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def search(session: Session, where: AuditFilter, *, actor: Actor, limit: int = 2000) -> list[AuditRow]:
    """The newest entries matching ``where`` (one joined query), newest first."""
    require(actor, "view_audit")
    query = (select(AuditEntry, User.display_name)
             .outerjoin(User, User.id == AuditEntry.user_id)
             .order_by(AuditEntry.id.desc()).limit(limit))
    if where.user.strip():
        name = where.user.strip()
        query = query.where(or_(User.username == name, User.display_name == name))
    if where.action.strip():
        action = where.action.strip()
        query = query.where(AuditEntry.action.like(action[:-1].replace("%", r"\%") + "%", escape="\\")
                            if action.endswith("*") else AuditEntry.action == action)
    if where.document.strip():
        text = where.document.strip().replace("%", r"\%").replace("_", r"\_")
        query = query.where(AuditEntry.details.like(f"%{text}%", escape="\\"))
    if where.since is not None:
        query = query.where(AuditEntry.at >= where.since)
    if where.until is not None:
        query = query.where(AuditEntry.at < where.until)
    return [AuditRow(entry.id, entry.at, name or "system", entry.workstation, entry.action, entry.details)
            for entry, name in session.execute(query)]


def to_csv(rows: list[AuditRow]) -> str:
    """The rows as CSV (UTC times in ISO 8601), for a spreadsheet or an auditor."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("id", "at_utc", "user", "workstation", "action", "details"))
    for row in rows:
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
        writer.writerow((row.id, at.astimezone(dt.UTC).isoformat(timespec="seconds"), row.user,
                         row.workstation, row.action, row.details))
    return out.getvalue()
