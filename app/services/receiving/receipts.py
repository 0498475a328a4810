"""Receiving a purchase order or ASN by scanning: stock lands on the dock through the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session, selectinload

from app.core import clock
from app.core.actor import Actor, Approval
from app.core.errors import (
    AlreadyReceived,
    ExpiryRequired,
    InvalidInput,
    LocationBlocked,
    LotExpired,
    LotRequired,
    NotAllowed,
    NotFound,
    OverReceipt,
    ShortShelfLife,
    UnexpectedProduct,
)
from app.core.permissions import use_case
from app.core.values import made_in_one_step
from app.core.workflow import next_state
from app.db.models import Location, Lot, Move, OnHand, Product, PurchaseOrder, PurchaseOrderLine, utcnow
from app.db.prepared import Prepared, connection
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.config import get_rule, special_location, special_location_refs
from app.services.scanning import ProductRef, resolve, resolve_product
from app.services.users import verified_approval

DOCUMENT = "purchase_order"
RECEIPT_REASONS = ("receipt", "receipt_damaged")


# The receipt's views are named tuples: a receive scan makes one per line of the order (the
# screen shows them all), and a tuple is made in one step where a frozen dataclass sets each
# field by a call of its own. Changed copies come from ``_replace``.
class LineView(NamedTuple):
    line_id: int
    line_no: int
    sku: str
    name: str
    expected: int
    received: int
    damaged: int

    @property
    def remaining(self) -> int:
        return max(self.expected - self.received - self.damaged, 0)

    @property
    def complete(self) -> bool:
        return self.received + self.damaged >= self.expected


class ReceiptView(NamedTuple):
    order_id: int
    number: str
    kind: str
    supplier: str
    status: str
    lines: tuple[LineView, ...]

    @property
    def complete(self) -> bool:
        return all(line.complete for line in self.lines)


@made_in_one_step  # made on every scan
@dataclass(frozen=True)
class ReceiveResult:
    receipt: ReceiptView
    line: LineView
    sku: str
    name: str
    units: int
    lot: str | None
    destination: str
    damaged: bool
    replayed: bool = False  # the same confirmed scan arrived twice; nothing was added
    short_shelf_life: str | None = None  # "accept" (a supervisor said so) or "quarantine"


def receipt_view(session: Session, order: PurchaseOrder) -> ReceiptView:
    lines = tuple(_line_view(line) for line in order.lines)
    return ReceiptView(order.id, order.number, order.kind, order.supplier, order.status, lines)


def _line_view(line: PurchaseOrderLine) -> LineView:
    return LineView(
        line.id, line.line_no, line.product.sku, line.product.name,
        line.quantity_expected, line.quantity_received, line.quantity_damaged,
    )


def _order(session: Session, order_id: int, *, lock: bool = False) -> PurchaseOrder:
    query = (
        select(PurchaseOrder)
        .where(PurchaseOrder.id == order_id)
        # The receipt view shows every line with its product: load them in one go.
        .options(selectinload(PurchaseOrder.lines).joinedload(PurchaseOrderLine.product))
    )
    if lock:
        query = query.with_for_update()  # PostgreSQL: one receiver per PO line update at a time
    order = session.scalar(query)
    if order is None:
        raise NotFound(what="Purchase order", key=str(order_id))
    return order


@use_case("open_receipt")
def open_receipt(uow: UnitOfWork, scan: str, *, actor: Actor) -> ReceiptView:
    """Start or continue receiving the purchase order / ASN the operator scanned."""
    order = resolve(uow.session, scan).expect("purchase_order").purchase_order
    assert order is not None
    next_state(DOCUMENT, order.number, order.status, "receive")  # refuses closed documents
    audit.record(uow.session, actor, "receipt_opened", order=order.number)
    uow.commit()
    return receipt_view(uow.session, order)


def list_open_receipts(session: Session) -> list[ReceiptView]:
    """Every open receipt with its lines: one joined statement of tuples, however many POs."""
    rows = session.execute(
        select(PurchaseOrder.id, PurchaseOrder.number, PurchaseOrder.kind, PurchaseOrder.supplier,
               PurchaseOrder.status, PurchaseOrderLine.id, PurchaseOrderLine.line_no, Product.sku,
               Product.name, PurchaseOrderLine.quantity_expected, PurchaseOrderLine.quantity_received,
               PurchaseOrderLine.quantity_damaged)
        .outerjoin(PurchaseOrderLine, PurchaseOrderLine.purchase_order_id == PurchaseOrder.id)
        .outerjoin(Product, Product.id == PurchaseOrderLine.product_id)
        .where(PurchaseOrder.status.in_(("open", "partially_received")))
        .order_by(PurchaseOrder.expected_date, PurchaseOrder.number, PurchaseOrder.id,
                  PurchaseOrderLine.line_no, PurchaseOrderLine.id)
    ).all()
    heads: dict[int, tuple] = {}
    lines: dict[int, list[LineView]] = {}
    for order_id, number, kind, supplier, status, line_id, *line in rows:
        heads.setdefault(order_id, (order_id, number, kind, supplier, status))
        bucket = lines.setdefault(order_id, [])
        if line_id is not None:
            bucket.append(LineView(line_id, *line))
    return [ReceiptView(*head, tuple(lines[order_id])) for order_id, head in heads.items()]


# The scan path's statements, built once: tuples, no ORM objects, no autoflush.
_PO, _LINE, _PRODUCT = PurchaseOrder.__table__, PurchaseOrderLine.__table__, Product.__table__
# The order (locked: one receiver per PO line update at a time) with its lines, in one go.
_ORDER_WITH_LINES = Prepared(
    select(_PO.c.id, _PO.c.number, _PO.c.kind, _PO.c.supplier, _PO.c.status, _LINE.c.id, _LINE.c.line_no,
           _PRODUCT.c.sku, _PRODUCT.c.name, _LINE.c.quantity_expected, _LINE.c.quantity_received,
           _LINE.c.quantity_damaged)
    .select_from(_PO.outerjoin(_LINE, _LINE.c.purchase_order_id == _PO.c.id)
                 .outerjoin(_PRODUCT, _LINE.c.product_id == _PRODUCT.c.id))
    .where(_PO.c.id == bindparam("order_id")).order_by(_LINE.c.line_no).with_for_update(of=_PO)
)
_ADD_RECEIVED = Prepared(update(_LINE).where(_LINE.c.id == bindparam("line_id"))
                         .values(quantity_received=_LINE.c.quantity_received + bindparam("n")))
_ADD_DAMAGED = Prepared(update(_LINE).where(_LINE.c.id == bindparam("line_id"))
                        .values(quantity_damaged=_LINE.c.quantity_damaged + bindparam("n")))
_NEW_LINE = insert(_LINE).returning(_LINE.c.id)
_SET_STATUS = Prepared(update(_PO).where(_PO.c.id == bindparam("order_id")).values(status=bindparam("new_status")))


class _OrderRow(NamedTuple):
    id: int
    number: str
    kind: str
    supplier: str
    status: str


@use_case("receive_scan")
def receive_scan(
    uow: UnitOfWork,
    order_id: int,
    scan: str,
    *,
    actor: Actor,
    idempotency_key: str,
    quantity: int | None = None,
    damaged: bool = False,
    lot: str | None = None,
    expiry: dt.date | None = None,
    approval: Approval | None = None,
    short_shelf_life: str | None = None,
) -> ReceiveResult:
    """Receive what one confirmed scan says: one ledger move from the supplier to the dock
    (or to quarantine when damaged). ``quantity`` counts scanned units (cases multiply).

    A lot that has expired, or has fewer days left than the product's ``min_shelf_life_days``,
    raises LotExpired / ShortShelfLife unless ``short_shelf_life`` decides: "accept" (to the
    dock; needs a supervisor, as actor or approval) or "quarantine" (to the quarantine location)."""
    approval = verified_approval(uow.session, approval, actor)  # badge + PIN, checked here
    session = uow.session
    if not ledger.claim(session, idempotency_key):
        previous = ledger.find_move(session, idempotency_key)
        if previous is not None:
            return _replayed(session, previous)
    found = resolve_product(session, scan)
    product, code = found.product, found.scan
    units = received_units(code.count, quantity, found.units)
    conn = connection(session)
    rows = _ORDER_WITH_LINES.execute(conn, {"order_id": order_id})
    if not rows:
        raise NotFound(what="Purchase order", key=str(order_id))
    # The named tuples made as their _make makes them, by the C call alone (one per line).
    order = tuple.__new__(_OrderRow, rows[0][:5])
    new_status = next_state(DOCUMENT, order.number, order.status, "receive")
    lines = [tuple.__new__(LineView, row[5:]) for row in rows if row[5] is not None]
    line = _line_for(session, order, lines, product, units, actor=actor, approval=approval)
    lot_row = _lot_for(session, product, code.lot or code.serial or lot, code.expiry or expiry, units)
    decision = _shelf_life_decision(product, lot_row, short_shelf_life, actor=actor, approval=approval)

    held = damaged or decision == "quarantine"
    destination, supplier = special_location_refs(session, "quarantine" if held else "receiving", "supplier")
    if destination.blocked:
        raise LocationBlocked(location=destination.code)
    # Journaled in the same transaction as the move: both land or neither does.
    scan_id = audit.journal_scan(
        session, actor, context="receiving", raw=scan, interpretation=code.summary(),
        outcome="ok", message=f"{units} x {product.sku} -> {destination.code}" + (
            f" (lot {lot_row.code} expires {lot_row.expiry}: {decision})" if decision and lot_row else ""),
    )
    move = ledger.post_move(
        session, actor=actor, product_id=product.id, quantity=units,
        source=supplier, destination=destination,
        reason="receipt_damaged" if damaged else "receipt", idempotency_key=idempotency_key,
        lot_id=lot_row.id if lot_row else None, document_type=DOCUMENT, document_id=order.id,
        scan_id=scan_id, claimed=True,
    )
    (_ADD_DAMAGED if damaged else _ADD_RECEIVED).execute(conn, {"line_id": line.line_id, "n": units})
    if new_status != order.status:
        _SET_STATUS.execute(conn, {"order_id": order.id, "new_status": new_status})
    if approval is not None:
        audit.record(session, approval, "receipt_approved", order=order.number, sku=product.sku,
                     units=units, operator=actor.display_name, move=move.id)
    if decision is not None and lot_row is not None:
        audit.record(session, approval or actor, f"short_shelf_life_{decision}", order=order.number,
                     sku=product.sku, lot=lot_row.code, expiry=lot_row.expiry, units=units,
                     minimum_days=product.min_shelf_life_days, destination=destination.code,
                     operator=actor.display_name, move=move.id)
    # What the screen shows is made before the COMMIT: the code right after its wait for the
    # disk runs slowest (the caches are cold then), and a failed COMMIT discards it anyway.
    line = line._replace(received=line.received + units) if not damaged else line._replace(
        damaged=line.damaged + units)
    for at, known in enumerate(lines):
        if known.line_id == line.line_id:
            lines[at] = line
            break
    else:  # a line the supervisor let in
        lines.append(line)
    result = ReceiveResult(
        receipt=ReceiptView(order.id, order.number, order.kind, order.supplier, new_status, tuple(lines)),
        line=line, sku=product.sku, name=product.name, units=units,
        lot=lot_row.code if lot_row else None, destination=destination.code, damaged=damaged,
        short_shelf_life=decision,
    )
    uow.commit()
    return result


def _shelf_life_decision(product: ProductRef, lot: Lot | None, decision: str | None, *,
                         actor: Actor, approval: Actor | None) -> str | None:
    """None when the lot has shelf life enough (or no expiry); else what was decided for it."""
    if lot is None or lot.expiry is None:
        return None
    left = (lot.expiry - clock.today()).days
    if left >= max(product.min_shelf_life_days, 0):
        return None
    if decision == "quarantine":
        return decision
    if decision == "accept":
        if actor.is_supervisor or (approval is not None and approval.is_supervisor):
            return decision
        raise NotAllowed(who=actor.display_name, action="accept a lot short of shelf life")
    if decision is not None:
        raise InvalidInput(field="short_shelf_life", reason=f"'{decision}' is neither accept nor quarantine")
    if left < 0:
        raise LotExpired(sku=product.sku, lot=lot.code, expiry=lot.expiry.isoformat())
    raise ShortShelfLife(sku=product.sku, lot=lot.code, expiry=lot.expiry.isoformat(), days=left,
                         minimum=product.min_shelf_life_days)


def received_units(gs1_count: int | None, quantity: int | None, per_scan: int) -> int:
    """Units one receiving scan stands for (also what the offline copy of a receipt counts)."""
    if quantity is not None and quantity <= 0:
        raise InvalidInput(field="quantity", reason=f"must be at least 1, got {quantity}")
    if gs1_count is not None:
        return gs1_count * (quantity or 1)
    return per_scan * (quantity or 1)


def _line_for(
    session: Session,
    order: _OrderRow,
    lines: list[LineView],
    product: ProductRef,
    units: int,
    *,
    actor: Actor,
    approval: Actor | None,
) -> LineView:
    approved = actor.is_supervisor or (approval is not None and approval.is_supervisor)
    for line in lines:
        if line.sku == product.sku:
            break
    else:
        if not approved:
            raise UnexpectedProduct(sku=product.sku, document=order.number)
        line_no = max((ln.line_no for ln in lines), default=0) + 1
        line_id = connection(session).execute(_NEW_LINE, {
            "purchase_order_id": order.id, "line_no": line_no, "product_id": product.id,
            "quantity_expected": 0, "quantity_received": 0, "quantity_damaged": 0,
        }).scalar_one()
        return LineView(line_id, line_no, product.sku, product.name, 0, 0, 0)
    tolerance = float(get_rule(session, "over_receipt_tolerance_pct"))
    would_be = line.received + line.damaged + units
    allowed = line.expected * (1 + tolerance / 100)
    if would_be > allowed and not approved:
        raise OverReceipt(sku=product.sku, would_be=would_be, expected=line.expected,
                          tolerance=f"{tolerance:g}")
    return line


def _lot_for(
    session: Session, product: ProductRef, code: str | None, expiry: dt.date | None, units: int
) -> Lot | None:
    if product.tracking == "none":
        return None
    if not code:
        raise LotRequired(sku=product.sku)
    lot = session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == code))
    if product.tracking == "serial":
        # Serial numbers are stored as one-unit lots.
        if units != 1:
            raise InvalidInput(field="quantity", reason=f"{product.sku} is serial tracked: one unit per scan")
        if lot is not None and _in_stock(session, lot):
            raise AlreadyReceived(serial=code, sku=product.sku)
    if lot is None:
        if product.expiry_tracked and expiry is None:
            raise ExpiryRequired(sku=product.sku)
        lot = Lot(product_id=product.id, code=code, expiry=expiry)
        session.add(lot)
        session.flush()
    elif lot.expiry is None and expiry is not None:
        lot.expiry = expiry
    return lot


def _in_stock(session: Session, lot: Lot) -> bool:
    return bool(session.scalar(
        select(OnHand.id).where(OnHand.lot_id == lot.id, OnHand.quantity > 0).limit(1)
    ))


def _replayed(session: Session, move: Move) -> ReceiveResult:
    order = _order(session, move.document_id or 0)
    line = next(ln for ln in order.lines if ln.product_id == move.product_id)
    lot = session.get(Lot, move.lot_id) if move.lot_id else None
    return ReceiveResult(
        receipt=receipt_view(session, order),
        line=_line_view(line),
        sku=line.product.sku,
        name=line.product.name,
        units=move.quantity,
        lot=lot.code if lot else None,
        destination="",
        damaged=move.reason == "receipt_damaged",
        replayed=True,
    )


@use_case("undo_last_receipt_scan")
def undo_last_receipt_scan(uow: UnitOfWork, order_id: int, *, actor: Actor) -> ReceiveResult | None:
    """Reverse this operator's last receipt move on the order (None when there is nothing)."""
    session = uow.session
    order = _order(session, order_id, lock=True)
    undo_keys = session.scalars(
        select(Move.idempotency_key).where(
            Move.reason == "receipt_undo", Move.document_type == DOCUMENT, Move.document_id == order.id
        )
    )
    undone = {int(key.split(":", 1)[1]) for key in undo_keys}
    candidates = session.scalars(
        select(Move)
        .where(
            Move.document_type == DOCUMENT,
            Move.document_id == order.id,
            Move.reason.in_(RECEIPT_REASONS),
            Move.user_id == actor.user_id,
        )
        .order_by(Move.id.desc())
    )
    last = next((move for move in candidates if move.id not in undone), None)
    if last is None:
        return None
    location = session.get(Location, last.to_location_id)
    ledger.post_move(
        session,
        actor=actor,
        product_id=last.product_id,
        quantity=last.quantity,
        source=location,
        destination=special_location(session, "supplier"),
        reason="receipt_undo",
        idempotency_key=f"undo:{last.id}",
        lot_id=last.lot_id,
        to_license_plate_id=None,
        from_license_plate_id=last.to_license_plate_id,
        document_type=DOCUMENT,
        document_id=order.id,
    )
    line = next(ln for ln in order.lines if ln.product_id == last.product_id)
    if last.reason == "receipt_damaged":
        line.quantity_damaged -= last.quantity
    else:
        line.quantity_received -= last.quantity
    audit.record(session, actor, "receipt_undo", order=order.number, move=last.id)
    session.flush()
    uow.commit()
    lot = session.get(Lot, last.lot_id) if last.lot_id else None
    return ReceiveResult(
        receipt=receipt_view(session, order), line=_line_view(line), sku=line.product.sku,
        name=line.product.name, units=last.quantity, lot=lot.code if lot else None,
        destination=location.code, damaged=last.reason == "receipt_damaged",
    )


@use_case("finish_receipt")
def finish_receipt(uow: UnitOfWork, order_id: int, *, actor: Actor, close_short: bool = False) -> ReceiptView:
    """Stop receiving. Complete orders become 'received'; otherwise the rest stays open,
    unless a supervisor closes the order short."""
    session = uow.session
    order = _order(session, order_id, lock=True)
    view = receipt_view(session, order)
    if close_short:
        if not actor.is_supervisor:
            raise NotAllowed(who=actor.display_name, action="close a purchase order short")
        order.status = next_state(DOCUMENT, order.number, order.status, "close_short")
        order.closed_at = utcnow()
    elif view.complete and order.status == "partially_received":
        order.status = next_state(DOCUMENT, order.number, order.status, "complete")
        order.closed_at = utcnow()
    audit.record(session, actor, "receipt_finished", order=order.number, status=order.status)
    uow.commit()
    return receipt_view(session, order)
