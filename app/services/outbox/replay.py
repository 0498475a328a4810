"""Sending the outbox: every waiting scan, in the order it was made, with its original key.

Each scan runs through ``retry.run_scan`` (a lost COMMIT reply is retried with the same key),
so whatever happened before (the app killed between the server's COMMIT and the outbox
forgetting the scan, a replay cut off halfway), the server's ``scan_claims`` make it count
once: a scan already applied answers ``replayed=True`` and changes nothing. A scan the server
refuses moves to the needs-attention list with the server's reason, and a journal row says so;
the next scans go on. The replay stops at the first scan the database does not answer.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.core.actor import Actor
from app.core.errors import DatabaseUnavailable, StockfloorError
from app.core.permissions import use_case
from app.db.engine import Database
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.outbox.store import Entry, Outbox
from app.services.retry import run_scan

log = logging.getLogger(__name__)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _receive(uow: UnitOfWork, p: dict[str, Any], actor: Actor, key: str) -> Any:
    from app.services.receiving import receipts

    return receipts.receive_scan(uow, p["order_id"], p["scan"], actor=actor, idempotency_key=key,
                                 quantity=p.get("quantity"), damaged=bool(p.get("damaged")), lot=p.get("lot"),
                                 expiry=_date(p.get("expiry")))


def _count(uow: UnitOfWork, p: dict[str, Any], actor: Actor, key: str) -> Any:
    from app.services.counting import floor

    return floor.count_scan(uow, p["count_id"], p["location_id"], p["scan"], actor=actor, idempotency_key=key,
                            quantity=p.get("quantity"), lot=p.get("lot"))


def _pick(uow: UnitOfWork, p: dict[str, Any], actor: Actor, key: str) -> Any:
    from app.services.waves import picking

    return picking.scan_item(uow, p["task_id"], p["scan"], actor=actor, idempotency_key=key,
                             quantity=p.get("quantity"), lot=p.get("lot"))


def _pick_location(uow: UnitOfWork, p: dict[str, Any], actor: Actor, key: str) -> Any:
    return confirm_pick_location(uow, p["task_id"], p["scan"], actor=actor, idempotency_key=key)


@use_case("scan_location")  # the same right as the confirmation it wraps
def confirm_pick_location(uow: UnitOfWork, task_id: int, scan: str, *, actor: Actor,
                          idempotency_key: str) -> Any:
    """The picker confirms the bin (``picking.scan_location``) with the scan's key claimed in
    the same transaction, so the confirmation can go through the outbox like an item scan:
    sent twice (a crash between the server's COMMIT and the outbox), it is taken once."""
    from app.services.waves import picking

    claimed = ledger.claim(uow.session, idempotency_key)
    try:
        return picking.scan_location(uow, task_id, scan, actor=actor)
    except StockfloorError:
        if claimed:
            raise
        return None  # confirmed before; the task may be picked meanwhile


def _putaway(uow: UnitOfWork, p: dict[str, Any], actor: Actor, key: str) -> Any:
    from app.services.outbox.copies_inbound import putaway_task
    from app.services.putaway.confirm import confirm_putaway

    return confirm_putaway(uow, putaway_task(p["task"]), p["scan"], actor=actor, idempotency_key=key,
                           quantity=p.get("quantity"))


def _pack(uow: UnitOfWork, p: dict[str, Any], actor: Actor, key: str) -> Any:
    from app.services.packing import parcels

    return parcels.pack_scan(uow, p["order_id"], p["scan"], actor=actor, idempotency_key=key,
                             quantity=p.get("quantity"), lot=p.get("lot"))


def _return(uow: UnitOfWork, p: dict[str, Any], actor: Actor, key: str) -> Any:
    from app.services.returns import receive

    return receive.receive_item(uow, p["rma_id"], p["scan"], actor=actor, idempotency_key=key, lot=p.get("lot"),
                                quantity=p.get("quantity"))


def _journal(uow: UnitOfWork, p: dict[str, Any], actor: Actor, key: str) -> None:
    """A scan that reached no use case (a command, an answer, a refusal), journaled offline.
    Its key is claimed too, so a replay after a crash does not journal it twice."""
    if ledger.claim(uow.session, key):
        audit.journal_scan(uow.session, actor, context=p["context"], raw=p["raw"],
                           interpretation=p["interpretation"], outcome=p["outcome"], message=p["message"])
    uow.commit()


# The use cases a floor screen may run offline, by the name the outbox keeps.
REPLAYABLE: dict[str, Callable[[UnitOfWork, dict[str, Any], Actor, str], Any]] = {
    "receive_scan": _receive,
    "count_scan": _count,
    "scan_item": _pick,
    "pick_location": _pick_location,
    "confirm_putaway": _putaway,
    "pack_scan": _pack,
    "receive_item": _return,
    "journal": _journal,
}


@dataclass
class ReplayReport:
    applied: int = 0  # scans the server took now
    already: int = 0  # scans the server had (an earlier replay or a lost COMMIT reply)
    refused: int = 0  # moved to the needs-attention list
    left: int = 0  # still waiting (the database stopped answering)
    seconds: float = 0.0
    problem: str = ""  # why the replay stopped early

    @property
    def sent(self) -> int:
        return self.applied + self.already + self.refused


def _send(uow: UnitOfWork, entry: Entry, *, idempotency_key: str) -> Any:
    return REPLAYABLE[entry.use_case](uow, entry.payload, entry.actor, idempotency_key)


def replay_pending(database: Database, outbox: Outbox, *, give_up_after: float = 5.0,
                   monotonic: Callable[[], float] = time.monotonic) -> ReplayReport:
    """Send every waiting scan of ``database`` (blocking: run it on the database worker)."""
    started, report = monotonic(), ReplayReport()
    target = database.describe()
    try:
        with UnitOfWork(database, write=False) as uow:  # is the database back at all?
            uow.session.execute(select(1))
    except DatabaseUnavailable as error:
        report.problem, report.left = str(error), outbox.count(target)
        return report
    for entry in outbox.pending(target):
        try:
            result = run_scan(database, _send, entry, idempotency_key=entry.key, give_up_after=give_up_after)
        except DatabaseUnavailable as error:
            report.problem = str(error)
            break
        except StockfloorError as error:
            _refused(database, outbox, entry, str(error))
            report.refused += 1
            continue
        except Exception as error:  # a bug must not block every later scan: a person looks at it
            log.exception("replaying %s %s failed", entry.use_case, entry.key)
            _refused(database, outbox, entry, f"program error ({type(error).__name__}); details in the log")
            report.refused += 1
            continue
        outbox.sent(entry.key)
        if getattr(result, "replayed", False):
            report.already += 1
        else:
            report.applied += 1
    report.left = outbox.count(target)
    report.seconds = monotonic() - started
    if report.sent:
        log.info("outbox replay: %d applied, %d already there, %d refused, %d left in %.2f s",
                 report.applied, report.already, report.refused, report.left, report.seconds)
    return report


def _refused(database: Database, outbox: Outbox, entry: Entry, reason: str) -> None:
    """Journal the refusal in the shared database (so every supervisor sees it), then move
    the scan to the needs-attention list."""
    try:
        with UnitOfWork(database) as uow:
            if ledger.claim(uow.session, f"refused:{entry.key}"):
                audit.journal_scan(uow.session, entry.actor, context=entry.context, raw=entry.raw,
                                   interpretation="offline scan", outcome="error",
                                   message=f"refused when sent after an outage (scanned {entry.scanned_at}): {reason}")
            uow.commit()
    except StockfloorError:
        log.exception("could not journal the refused offline scan %s", entry.key)
    outbox.refuse(entry.key, reason)


def send_again(outbox: Outbox, refused_id: int, *, by: str) -> None:
    """A supervisor fixed the cause (e.g. opened the document again): the refused scan waits
    again, at the end, with its original key."""
    outbox.requeue(refused_id, by=by)
