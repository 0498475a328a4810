"""The audit trail: who did what, where, when; and the supervisors' search over it.

Rows are append-only and hash-chained (app/db/chain.py): `stockfloor db check` names an edited
or deleted entry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.permissions import require
from app.db.models import AuditEntry, ScanJournal, User, utcnow


def record(session: Session, actor: Actor, action: str, **details: object) -> None:
    session.add(
        AuditEntry(
            at=utcnow(),
            user_id=actor.user_id,
            workstation=actor.workstation,
            action=action,
            details=json.dumps(details, default=str, sort_keys=True),
        )
    )


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
    entry = ScanJournal(
        at=utcnow(),
        user_id=actor.user_id,
        workstation=actor.workstation,
        context=context,
        raw=raw,
        interpretation=interpretation,
        outcome=outcome,
        message=message,
    )
    session.add(entry)
    session.flush()
    return entry.id


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
