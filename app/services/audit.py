"""The audit trail: who did what, where, when."""

from __future__ import annotations

import json

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.db.models import AuditEntry, ScanJournal, utcnow

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
