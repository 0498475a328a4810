"""Receiving returns by scanning: open the RMA (or find the order an unannounced parcel
belongs to), then scan every item. Each item lands on the returns location through a ledger
move from the customer, held (reserved) for inspection so that nothing takes it away
before it is graded; returns locations are never pickable either (app/core/picking_rules.py).

    view = open_return(uow, "RMA-7", actor=actor).rma        # or order number, parcel, product
    receive_item(uow, view.rma_id, scan, actor=actor, idempotency_key=key)
    inspect_unit(...)                                          # app/services/returns/inspection.py
    undo_last(uow, view.rma_id, actor=actor); close_rma(uow, view.rma_id, actor=actor)

Serials and lots are checked against what the order shipped: a different one, a unit
returned before, or a serial still in stock is accepted but flagged (attention, recorded
on the unit). More units than were shipped are refused.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.errors import InvalidInput, LotRequired, NotFound
from app.core.permissions import use_case
from app.core.returns_rules import (
    NotShippedOnOrder,
    ReturnExceedsShipped,
    UnitsAwaitingInspection,
    next_state,
    returnable,
)
from app.core.scan import ScannedCode, interpret, scanned_units
from app.db.models import Lot, OnHand, utcnow
from app.db.models_picking import SalesOrder, SalesOrderLine
from app.db.models_returns import ReturnUnit, Rma, RmaLine
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.config import special_location, special_location_refs
from app.services.ledger import StockKey
from app.services.returns.data import (
    DOCUMENT,
    RETURN_REASON,
    RmaView,
    Shipped,
    UnitView,
    load_rma,
    load_unit,
    lot_for,
    returned_quantity,
    rma_view,
    rma_views,
    shipped_units,
    unit_view,
)
from app.services.returns.lookup import OPEN_STATES, UNIT_CODE, find_order, find_rma, rma_for_order
from app.services.scanning import ProductRef, resolve_product


@dataclass(frozen=True)
class ReceiveResult:
    rma: RmaView
    unit: UnitView
    replayed: bool = False  # the same confirmed scan arrived twice; nothing was added

    @property
    def flags(self) -> tuple[str, ...]:
        return self.unit.flags


@dataclass(frozen=True)
class OpenResult:
    rma: RmaView
    matched_by: str  # rma | unit | order | parcel | product
    created: bool = False  # an unannounced return: the RMA was opened just now
    received: ReceiveResult | None = None  # found by product: that item was received too


@dataclass(frozen=True)
class UndoResult:
    rma: RmaView
    unit: UnitView
    undone: str  # receipt (the unit went back to the customer) | disposition (back to inspection)


# --- opening ----------------------------------------------------------------------------
def list_open_rmas(session: Session) -> list[RmaView]:
    return rma_views(session, Rma.status.in_(OPEN_STATES))


def get_rma(session: Session, rma_id: int) -> RmaView:
    return rma_view(session, load_rma(session, rma_id))


@use_case("open_return")
def open_return(
    uow: UnitOfWork, scan: str, *, actor: Actor, idempotency_key: str | None = None,
    channel: str | None = None,
) -> OpenResult:
    """The RMA a scan names: an RMA number or routing label, else the RMA of a shipped order
    found by its number, its parcel (SSCC or tracking number) or a product it shipped; an
    unannounced return gets a new RMA. A product scan is also received as the first item."""
    session = uow.session
    code = interpret(scan)
    if code.kind == "command":
        raise InvalidInput(field="scan", reason=f"{code.code}: scan the RMA, the order or the parcel first")
    rma, matched_by = find_rma(session, code.code, channel)
    if rma is not None:
        next_state("rma", f"RMA {rma.number}", rma.status, "receive")  # a closed RMA stays closed
        audit.record(session, actor, "return_opened", rma=rma.number, by=matched_by)
        uow.commit()
        return OpenResult(rma_view(session, rma), matched_by)
    order, matched_by = find_order(session, code, channel)
    rma = rma_for_order(session, order)
    created = rma.id is None
    if created:
        session.add(rma)
        session.flush()
    audit.record(session, actor, "return_opened", rma=rma.number, order=order.number, by=matched_by,
                 unannounced=created)
    if matched_by != "product":
        uow.commit()
        return OpenResult(rma_view(session, rma), matched_by, created)
    received = receive_item(uow, rma.id, scan, actor=actor,
                            idempotency_key=idempotency_key or uuid.uuid4().hex)
    return OpenResult(received.rma, matched_by, created, received)


# --- receiving items ------------------------------------------------------------------------
@use_case("receive_item")
def receive_item(
    uow: UnitOfWork, rma_id: int, scan: str, *, actor: Actor, idempotency_key: str,
    lot: str | None = None, quantity: int | None = None,
) -> ReceiveResult:
    """One returned item: checked against the original order, moved from the customer onto
    the returns location and held there for inspection."""
    session = uow.session
    claimed = ledger.claim(session, idempotency_key)
    previous = None if claimed else session.scalar(
        select(ReturnUnit.id).where(ReturnUnit.receipt_key == idempotency_key))
    if previous is not None:
        unit = load_unit(session, previous)
        return ReceiveResult(rma_view(session, load_rma(session, unit.rma_id)), unit_view(unit), replayed=True)
    resolved = resolve_product(session, scan)  # a barcode: one prebuilt statement
    product, code = resolved.product, resolved.scan
    units = _units(product, code, resolved.units, quantity)
    rma = load_rma(session, rma_id, lock=True)
    rma.status = next_state("rma", f"RMA {rma.number}", rma.status, "receive")
    # The order's row too: two RMAs of one order received at once cannot both pass the
    # "no more than was shipped" check (PostgreSQL; SQLite writers are serial anyway).
    order = session.execute(select(SalesOrder.id, SalesOrder.channel, SalesOrder.number)
                            .where(SalesOrder.id == rma.order_id).with_for_update()).one()
    label = f"{order.channel} {order.number}"
    shipped = shipped_units(session, order.id).get(product.id)
    if shipped is None:
        raise NotShippedOnOrder(sku=product.sku, order=label)
    returned = returned_quantity(session, order.id, product.id)
    if units > returnable(shipped.quantity, returned):
        raise ReturnExceedsShipped(sku=product.sku, shipped=shipped.quantity, order=label, returned=returned)
    lot_row, flags = _identify(session, product, code.serial or code.lot or lot, code, shipped)
    line, line_flags = _line_for(session, rma, product, order.id, units)
    flags += line_flags
    landing, customer = special_location_refs(session, "returns", "customer")  # one statement
    scan_id = audit.journal_scan(
        session, actor, context="returns", raw=scan, interpretation=code.summary(),
        outcome="attention" if flags else "ok",
        message=f"{units} x {product.sku} -> {landing.code}" + (f" ({', '.join(flags)})" if flags else ""),
    )
    ledger.post_move(
        session, actor=actor, product_id=product.id, quantity=units,
        source=customer, destination=landing, reason=RETURN_REASON,
        idempotency_key=idempotency_key, lot_id=lot_row.id if lot_row else None,
        document_type=DOCUMENT, document_id=rma.id, scan_id=scan_id, claimed=claimed,
    )
    # Held for inspection: only the disposition (a move "from reserved") may take it away.
    ledger.reserve(session, StockKey(product.id, landing.id, lot_row.id if lot_row else None), units, landing)
    unit = ReturnUnit(rma_id=rma.id, rma_line_id=line.id, product_id=product.id,
                      lot_id=lot_row.id if lot_row else None, quantity=units, status="received",
                      flags=";".join(flags), location_id=landing.id, received_at=utcnow(),
                      received_by=actor.user_id, receipt_key=idempotency_key)
    session.add(unit)
    session.flush()
    if flags:
        audit.record(session, actor, "return_flagged", rma=rma.number, unit=unit.code, flags=flags)
    # Read in this transaction: no second one (on SQLite a writer's) after the commit. The new
    # unit's view is the RMA view's own (it reads every unit of the RMA).
    view = rma_view(session, rma)
    result = ReceiveResult(view, next(seen for seen in view.units if seen.unit_id == unit.id))
    uow.commit()
    return result


def _units(product: ProductRef, code: ScannedCode, per_scan: int, quantity: int | None) -> int:
    units = scanned_units(code.count, per_scan, quantity)
    if product.tracking == "serial" and units != 1:
        raise InvalidInput(field="quantity", reason=f"{product.sku} is serial tracked: one unit per scan")
    return units


def _identify(session: Session, product: ProductRef, serial: str | None, code: ScannedCode,
              shipped: Shipped) -> tuple[Lot | None, list[str]]:
    """The lot or serial of the returned unit, and what is doubtful about it."""
    if product.tracking == "none":
        return None, []
    if not serial:
        if product.tracking == "lot" and len(shipped.lots) == 1:
            return session.get(Lot, next(iter(shipped.lots))), []  # only one lot went out
        raise LotRequired(sku=product.sku)
    lot = lot_for(session, product, serial)
    if lot is None:
        lot = Lot(product_id=product.id, code=serial, expiry=code.expiry)
        session.add(lot)
        session.flush()
    flags = []
    if lot.id not in shipped.lots:
        flags.append("serial_not_shipped" if product.tracking == "serial" else "lot_not_shipped")
    if product.tracking == "serial":
        before = session.scalar(select(ReturnUnit.id).where(
            ReturnUnit.lot_id == lot.id, ReturnUnit.status != "cancelled").limit(1))
        if before is not None:
            flags.append("returned_before")
        if session.scalar(select(OnHand.id).where(OnHand.lot_id == lot.id, OnHand.quantity > 0).limit(1)):
            flags.append("serial_in_stock")
    return lot, flags


def _line_for(session: Session, rma: Rma, product: ProductRef, order_id: int,
              units: int) -> tuple[RmaLine, list[str]]:
    line = next((ln for ln in rma.lines if ln.product_id == product.id), None)
    if line is None:
        order_line_id = session.scalar(select(SalesOrderLine.id).where(
            SalesOrderLine.order_id == order_id, SalesOrderLine.product_id == product.id)
            .order_by(SalesOrderLine.line_no).limit(1))
        line = RmaLine(product_id=product.id, line_no=max((ln.line_no for ln in rma.lines), default=0) + 1,
                       quantity=0, reason="", order_line_id=order_line_id)
        rma.lines.append(line)
        session.flush()
        return line, ["not_announced"] if rma.announced else []
    if not rma.announced:  # nothing was announced to receive more than of
        return line, []
    received = sum(session.scalars(select(ReturnUnit.quantity).where(
        ReturnUnit.rma_line_id == line.id, ReturnUnit.status != "cancelled")))
    return line, ["more_than_announced"] if received + units > line.quantity else []


# --- undo and close --------------------------------------------------------------------------
@use_case("returns.undo_last")
def undo_last(uow: UnitOfWork, rma_id: int, *, actor: Actor) -> UndoResult | None:
    """Undo this operator's last step on the RMA: a disposition goes back to inspection
    (its stock back to the returns location), a receipt goes back to the customer."""
    session = uow.session
    rma = load_rma(session, rma_id, lock=True)
    mine = [unit for unit in session.scalars(select(ReturnUnit).where(
        ReturnUnit.rma_id == rma.id, ReturnUnit.status != "cancelled"))
        if (unit.status == "disposed" and unit.inspected_by == actor.user_id)
        or (unit.status == "received" and unit.received_by == actor.user_id)]
    if not mine:
        return None
    last = max(mine, key=lambda u: (u.inspected_at or u.received_at, u.id))
    unit = load_unit(session, last.id, lock=True)
    if unit.status == "disposed":
        _undo_disposition(session, rma, unit, actor)
        undone = "disposition"
    else:
        _undo_receipt(session, rma, unit, actor)
        undone = "receipt"
    session.flush()
    uow.commit()
    return UndoResult(rma_view(session, rma), unit_view(load_unit(session, unit.id)), undone)


def _undo_key(unit: ReturnUnit, what: str) -> str:
    digest = hashlib.sha1(f"{what}:{unit.disposition_key or unit.receipt_key}".encode()).hexdigest()[:20]
    return f"ru-undo:{unit.id}:{digest}"


def _undo_disposition(session: Session, rma: Rma, unit: ReturnUnit, actor: Actor) -> None:
    key = StockKey(unit.product_id, unit.location_id, unit.lot_id)
    if unit.destination_id != unit.location_id:
        ledger.post_move(
            session, actor=actor, product_id=unit.product_id, quantity=unit.quantity,
            source=unit.destination, destination=unit.location, reason="return_undo",
            idempotency_key=_undo_key(unit, "disposition"), lot_id=unit.lot_id,
            document_type=DOCUMENT, document_id=rma.id,
        )
    ledger.reserve(session, key, unit.quantity, unit.location)  # held for inspection again
    audit.record(session, actor, "return_disposition_undone", rma=rma.number, unit=unit.code,
                 disposition=unit.disposition)
    unit.status = next_state("unit", unit.code, unit.status, "undo")
    for name in ("grade", "disposition", "rule_source", "destination", "refund_pct", "inspected_at",
                 "inspected_by", "approved_by", "disposition_key", "unit_value"):
        setattr(unit, name, None)
    unit.checklist, unit.findings, unit.notes = "", "", ""


def _undo_receipt(session: Session, rma: Rma, unit: ReturnUnit, actor: Actor) -> None:
    ledger.release(session, StockKey(unit.product_id, unit.location_id, unit.lot_id), unit.quantity)
    ledger.post_move(
        session, actor=actor, product_id=unit.product_id, quantity=unit.quantity, source=unit.location,
        destination=special_location(session, "customer"), reason="return_undo",
        idempotency_key=_undo_key(unit, "receipt"), lot_id=unit.lot_id,
        document_type=DOCUMENT, document_id=rma.id,
    )
    unit.status = next_state("unit", unit.code, unit.status, "cancel")
    audit.record(session, actor, "return_receipt_undone", rma=rma.number, unit=unit.code)


@use_case("close_rma")
def close_rma(uow: UnitOfWork, rma_id: int, *, actor: Actor) -> RmaView:
    """Finish an RMA: every unit that arrived has been inspected and routed."""
    session = uow.session
    rma = load_rma(session, rma_id, lock=True)
    waiting = session.scalars(select(ReturnUnit.id).where(
        ReturnUnit.rma_id == rma.id, ReturnUnit.status == "received")).all()
    if waiting:
        raise UnitsAwaitingInspection(rma=rma.number, count=len(waiting))
    rma.status = next_state("rma", f"RMA {rma.number}", rma.status, "close")
    rma.closed_at = utcnow()
    audit.record(session, actor, "rma_closed", rma=rma.number)
    session.flush()
    uow.commit()
    return rma_view(session, rma)


def find_unit(session: Session, code: str) -> int:
    """The id of the unit a routing label names (RU0000012)."""
    match = UNIT_CODE.match(code.strip().upper())
    unit = session.get(ReturnUnit, int(match.group(1))) if match else None
    if unit is None:
        raise NotFound(what="Returned unit", key=code)
    return unit.id
