"""Confirming a put-away by scanning the bin, undoing it, and the deviation setting.

One confirmation = one PutawayConfirmation row + one ledger move per stock line, keyed by
the scan's idempotency key (key + ":n" when a license plate carries several lines); a
replayed key returns the first result and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.core.actor import Actor, Approval
from app.core.errors import InvalidInput, NotFound, StockfloorError
from app.core.permissions import use_case
from app.core.putaway_errors import (
    DeviationNeedsApproval,
    DeviationReasonRequired,
    NothingWaiting,
    WholePlateOnly,
    refusal_error,
)
from app.core.putaway_rules import Item, Refusal, check_bin
from app.db.models import Location, Lot, Move, Product, utcnow
from app.db.models_putaway import PutawayConfirmation
from app.db.prepared import Prepared, connection, stamp
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.config import RULES, WarehouseRule, get_rule
from app.services.putaway.data import (
    PutawayTask,
    TaskLine,
    bins_for,
    items_for_lines,
    list_waiting,
    place_of,
    place_rows,
    rule_book,
    task_lines,
)
from app.services.putaway.scans import Place, scanned_location
from app.services.users import verified_approval

DOCUMENT = "putaway"
DEVIATION_POLICIES = ("reason", "supervisor")
PUTAWAY_WAREHOUSE_RULES = (
    WarehouseRule(
        "putaway_deviation", str, "reason",
        "A bin other than the suggested one: 'reason' = allowed with a reason, "
        "'supervisor' = only a supervisor (or with a supervisor's approval).",
    ),
)


def register_warehouse_rules(rules: dict[str, WarehouseRule] = RULES) -> None:
    """Add put-away's warehouse settings to app.services.config's table (once)."""
    for rule in PUTAWAY_WAREHOUSE_RULES:
        rules.setdefault(rule.key, rule)


register_warehouse_rules()  # known to get_rule/set_rule wherever put-away is imported


def deviation_policy(session: Session) -> str:
    value = str(get_rule(session, "putaway_deviation")).strip().lower()
    return value if value in DEVIATION_POLICIES else "supervisor"  # unknown: the stricter one


@dataclass(frozen=True)
class MovedLine:
    sku: str
    quantity: int
    lot: str | None = None


@dataclass(frozen=True)
class PutawayResult:
    confirmation_id: int
    source: str
    destination: str
    suggested: str | None
    lines: tuple[MovedLine, ...]
    deviation_reason: str | None = None
    replayed: bool = False  # the same confirmed scan arrived twice; nothing moved again
    undone: bool = False

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def followed_suggestion(self) -> bool:
        return self.suggested is None or self.suggested == self.destination


@use_case("confirm_putaway")
def confirm_putaway(
    uow: UnitOfWork,
    task: PutawayTask,
    destination_scan: str,
    *,
    actor: Actor,
    idempotency_key: str,
    quantity: int | None = None,
    reason: str | None = None,
    approval: Approval | None = None,
) -> PutawayResult:
    """Put the task's goods into the scanned bin: all of them, or ``quantity`` units of an
    item task. An unfit bin is refused with its reason. A bin other than a still-valid
    suggestion needs a ``reason``, or a supervisor (actor or ``approval``) when the
    ``putaway_deviation`` setting says so."""
    approval = verified_approval(uow.session, approval, actor)  # badge + PIN, checked here
    session = uow.session
    claimed = ledger.claim(session, idempotency_key)
    previous = None if claimed else session.scalar(
        select(PutawayConfirmation).where(PutawayConfirmation.idempotency_key == idempotency_key)
    )
    if previous is not None:
        return _result(session, previous, replayed=True)
    # The bin's row locked: one confirmation into a bin at a time keeps its capacity true.
    scanned, destination = scanned_location(session, destination_scan, lock=True)
    conn = connection(session)
    # Source, scanned bin and suggested one (mostly the same) with their limits, at once.
    suggested_id = task.suggestion.destination_id
    known = place_rows(session, {task.source_id, destination.id} | ({suggested_id} - {None}))
    if task.source_id not in known:
        raise NotFound(what="Location", key=task.source)
    source = place_of(known[task.source_id])
    lines = _lines_to_move(session, task, source, quantity)
    items = items_for_lines(session, lines)
    rules = rule_book(session)

    def refused(error: StockfloorError, outcome: str, refusal: Refusal | None = None) -> StockfloorError:
        # Nothing moves, but the refused scan is journaled (a capacity refusal also audited).
        audit.journal_scan(session, actor, context="putaway", raw=destination_scan,
                           interpretation=scanned.summary(), outcome=outcome, message=str(error))
        if refusal is not None and refusal.is_capacity:
            on_capacity_refusal(session, actor, refusal=refusal, items=items)
        ledger.unclaim(session, idempotency_key)  # the same scan may come again, with a reason
        uow.commit()
        return error

    # The scanned bin and the suggested one with their stock, in one statement.
    rows_here = [known[destination.id]] + ([known[suggested_id]] if suggested_id in known
                                           and suggested_id != destination.id else [])
    bins = {b.location_id: b for b in bins_for(session, rows_here, items)}
    refusal = check_bin(items, bins[destination.id], rules)
    if refusal is not None:
        raise refused(refusal_error(refusal), "error", refusal)
    # A deviation from a suggested bin that has meanwhile filled up or been blocked needs no reason.
    suggested = next((place_of(row) for row in rows_here if row.id == suggested_id
                      and check_bin(items, bins[row.id], rules) is None), None)
    approver = None
    if suggested is not None and suggested.id != destination.id:
        try:
            approver = _deviation_allowed(session, actor, approval, reason, suggested, destination)
        except StockfloorError as error:
            raise refused(error, "attention") from None
    units = sum(line.quantity for line in lines)
    scan_id = audit.journal_scan(
        session, actor, context="putaway", raw=destination_scan,
        interpretation=scanned.summary(), outcome="ok",
        message=f"{units} from {source.code} -> {destination.code}",
    )
    deviation_reason = (reason or "").strip() or None
    confirmation_id = _NEW_CONFIRMATION.scalar(conn, {
        "idempotency_key": idempotency_key, "at": stamp(conn), "user_id": actor.user_id,
        "workstation": actor.workstation, "source_location_id": source.id,
        "destination_location_id": destination.id, "suggested_location_id": suggested_id,
        "license_plate_id": task.license_plate_id, "units": units, "deviation_reason": deviation_reason,
        "approved_by": approver.user_id if approver else None,
    })
    for n, line in enumerate(lines, start=1):
        ledger.post_move(
            session, actor=actor, product_id=line.product_id, quantity=line.quantity,
            source=source, destination=destination, reason="putaway",
            idempotency_key=idempotency_key if len(lines) == 1 else f"{idempotency_key}:{n}",
            lot_id=line.lot_id, from_license_plate_id=line.license_plate_id,
            to_license_plate_id=task.license_plate_id,  # a whole plate stays a plate in its bin
            document_type=DOCUMENT, document_id=confirmation_id, scan_id=scan_id,
            claimed=claimed and len(lines) == 1,
        )
    if suggested is not None and suggested.id != destination.id:
        audit.record(session, approver or actor, "putaway_deviation", suggested=suggested.code,
                     used=destination.code, reason=deviation_reason,
                     operator=actor.display_name, confirmation=confirmation_id)
    uow.commit()
    # What moved is known here: no statement reads it back.
    return PutawayResult(
        confirmation_id=confirmation_id, source=source.code, destination=destination.code,
        suggested=task.suggestion.destination if suggested_id is not None else None,
        lines=tuple(MovedLine(line.sku, line.quantity, line.lot) for line in lines),
        deviation_reason=deviation_reason,
    )


_NEW_CONFIRMATION = Prepared(insert(PutawayConfirmation.__table__).returning(PutawayConfirmation.__table__.c.id))


def _lines_to_move(
    session: Session, task: PutawayTask, source: Place, quantity: int | None
) -> tuple[TaskLine, ...]:
    if task.is_plate:
        if quantity is not None:
            raise WholePlateOnly(plate=task.license_plate)
        # What is on the plate now, not when the task started: every line moves with it.
        waiting = [w for w in list_waiting(session, sources=(source.kind,), license_plate_id=task.license_plate_id)
                   if w.location_id == source.id]
        if not waiting:
            raise NothingWaiting(what=task.license_plate, sources=source.code)
        return task_lines(waiting)
    if quantity is not None and quantity <= 0:
        raise InvalidInput(field="quantity", reason=f"must be at least 1, got {quantity}")
    line = task.lines[0]
    # The ledger refuses more than is there (InsufficientStock), atomically.
    return (TaskLine(line.product_id, line.sku, line.name, quantity or line.quantity, line.lot_id,
                     line.lot, line.expiry, line.license_plate_id),)


def _deviation_allowed(
    session: Session, actor: Actor, approval: Actor | None, reason: str | None,
    suggested: Place, destination: Place,
) -> Actor | None:
    """The approving supervisor (None when a reason suffices); raises when not allowed."""
    where = {"suggested": suggested.code, "location": destination.code}
    if deviation_policy(session) == "supervisor":
        approver = actor if actor.is_supervisor else approval
        if approver is None or not approver.is_supervisor:
            raise DeviationNeedsApproval(**where)
        return approver
    if not (reason or "").strip():
        raise DeviationReasonRequired(**where)
    return None


def on_capacity_refusal(session: Session, actor: Actor, *, refusal: Refusal, items: list[Item]) -> None:
    """Hook: a bin was refused for capacity. Records an audit entry; the counting workflow
    will trigger a count of the bin from here (its real stock may differ from the books)."""
    audit.record(session, actor, "putaway_capacity_refused", refusal=refusal.code,
                 skus=[item.sku for item in items], **dict(refusal.params))


@use_case("undo_last_putaway")
def undo_last_putaway(uow: UnitOfWork, *, actor: Actor) -> PutawayResult | None:
    """Reverse this operator's last put-away confirmation (None when there is nothing)."""
    session = uow.session
    mine = (PutawayConfirmation.user_id == actor.user_id if actor.user_id is not None
            else PutawayConfirmation.user_id.is_(None) & (PutawayConfirmation.workstation == actor.workstation))
    last = session.scalar(
        select(PutawayConfirmation)
        .where(mine, PutawayConfirmation.undone_at.is_(None))
        .order_by(PutawayConfirmation.id.desc())
        .limit(1)
        .with_for_update()
    )
    if last is None:
        return None
    source = session.get(Location, last.source_location_id)
    destination = session.get(Location, last.destination_location_id)
    for move in _moves(session, last):
        ledger.post_move(
            session, actor=actor, product_id=move.product_id, quantity=move.quantity,
            source=destination, destination=source, reason="putaway_undo",
            idempotency_key=f"putaway-undo:{move.id}", lot_id=move.lot_id,
            from_license_plate_id=move.to_license_plate_id, to_license_plate_id=move.from_license_plate_id,
            document_type=DOCUMENT, document_id=last.id,
        )
    last.undone_at = utcnow()
    last.undone_by = actor.user_id
    audit.record(session, actor, "putaway_undo", confirmation=last.id)
    session.flush()
    uow.commit()
    return _result(session, last)


def _moves(session: Session, confirmation: PutawayConfirmation) -> list[Move]:
    return list(session.scalars(
        select(Move).where(Move.document_type == DOCUMENT, Move.document_id == confirmation.id,
                           Move.reason == "putaway").order_by(Move.id)
    ))


def _result(session: Session, confirmation: PutawayConfirmation, *, replayed: bool = False) -> PutawayResult:
    def code(location_id: int | None) -> str | None:
        location = session.get(Location, location_id) if location_id is not None else None
        return location.code if location else None

    lines = []
    for move in _moves(session, confirmation):
        lot = session.get(Lot, move.lot_id) if move.lot_id is not None else None
        sku = session.scalar(select(Product.sku).where(Product.id == move.product_id))
        lines.append(MovedLine(sku, move.quantity, lot.code if lot else None))  # type: ignore[arg-type]
    return PutawayResult(
        confirmation_id=confirmation.id,
        source=code(confirmation.source_location_id) or "",
        destination=code(confirmation.destination_location_id) or "",
        suggested=code(confirmation.suggested_location_id),
        lines=tuple(lines),
        deviation_reason=confirmation.deviation_reason,
        replayed=replayed,
        undone=confirmation.undone_at is not None,
    )
