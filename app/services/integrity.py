"""Document counters proven against the ledger (``stockfloor db check``).

The ledger is the truth; the counters on documents are kept beside it in the same
transaction. Each check here is one aggregated query per side (no query per row), so it
stays fast at millions of moves:
- purchase order lines: received / damaged == receipt moves less their undos;
- sales order lines: picked == pick moves (and the pick tasks' sum), packed == pack moves,
  each less its undos;
- on-hand ``reserved`` == open allocations + returned units held for inspection.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session, aliased

from app.db.models import Location, Lot, Move, OnHand, Product, PurchaseOrder, PurchaseOrderLine
from app.db.models_picking import Allocation, PickTask, SalesOrder, SalesOrderLine
from app.db.models_returns import ReturnUnit

DOCUMENT_KINDS = ("purchase order", "order", "stock")
COUNTERS = ("received", "damaged", "picked", "packed", "pick tasks' picked", "reserved (allocations + returns held)")


@dataclass(frozen=True)
class DocumentDiscrepancy:
    """One counter that disagrees; typed, so a caller can word it in its own language."""

    kind: str  # one of DOCUMENT_KINDS
    reference: str  # "PO-1001", "Shopify 1001" (channel and number), "A-01-01" (the location)
    sku: str
    lot: str | None  # stock rows: the lot, when there is one
    counter: str  # one of COUNTERS
    stored: int
    ledger: int

    @property
    def document(self) -> str:
        return self.reference if self.kind == "purchase order" else f"{self.kind} {self.reference}"

    @property
    def item(self) -> str:
        return self.sku + (f", lot {self.lot}" if self.lot else "")

    def __str__(self) -> str:
        return f"{self.document}, {self.item}: {self.counter} {self.stored}, ledger says {self.ledger}"


Counts = dict[tuple, int]


def _rows(session: Session, query) -> Counts:
    totals: Counts = defaultdict(int)
    for *key, value in session.execute(query):
        totals[tuple(key)] += int(value or 0)
    return totals


def _differences(stored: Counts, ledger: Counts) -> list[tuple[tuple, int, int]]:
    return [(key, stored.get(key, 0), ledger.get(key, 0)) for key in sorted(set(stored) | set(ledger), key=str)
            if stored.get(key, 0) != ledger.get(key, 0)]


def _moves_by_document(document_type: str, *reasons: str):
    return (select(Move.document_id, Move.product_id, Move.reason, func.sum(Move.quantity))
            .where(Move.document_type == document_type, Move.reason.in_(reasons))
            .group_by(Move.document_id, Move.product_id, Move.reason))


def _purchase_orders(session: Session) -> list[DocumentDiscrepancy]:
    undo, original = aliased(Move), aliased(Move)
    ledger: dict[str, Counts] = {"received": defaultdict(int), "damaged": defaultdict(int)}
    counter = {"receipt": "received", "receipt_damaged": "damaged"}
    for order_id, product_id, reason, units in session.execute(
            _moves_by_document("purchase_order", *counter)):
        ledger[counter[reason]][(order_id, product_id)] += units
    undone = (select(undo.document_id, undo.product_id, original.reason, func.sum(undo.quantity))
              .join(original, undo.idempotency_key == literal("undo:") + cast(original.id, String))
              .where(undo.reason == "receipt_undo", undo.document_type == "purchase_order")
              .group_by(undo.document_id, undo.product_id, original.reason))
    for order_id, product_id, reason, units in session.execute(undone):
        ledger[counter.get(reason, "received")][(order_id, product_id)] -= units
    found = []
    for name, column in (("received", PurchaseOrderLine.quantity_received),
                         ("damaged", PurchaseOrderLine.quantity_damaged)):
        stored = _rows(session, select(PurchaseOrderLine.purchase_order_id, PurchaseOrderLine.product_id,
                                       column))
        for (order_id, product_id), have, says in _differences(stored, ledger[name]):
            number = session.scalar(select(PurchaseOrder.number).where(PurchaseOrder.id == order_id))
            found.append(DocumentDiscrepancy("purchase order", number or f"#{order_id}",
                                             _sku(session, product_id), None, name, have, says))
    return found


def _sales_orders(session: Session) -> list[DocumentDiscrepancy]:
    ledger: dict[str, Counts] = {"pick": defaultdict(int), "pack": defaultdict(int)}
    undo = {"pick_undo": "pick", "pack_undo": "pack"}
    for order_id, product_id, reason, units in session.execute(
            _moves_by_document("sales_order", "pick", "pack", *undo)):
        ledger[undo.get(reason, reason)][(order_id, product_id)] += -units if reason in undo else units
    line = SalesOrderLine
    picked = _rows(session, select(line.order_id, line.product_id, line.quantity_picked))
    checks = (
        ("picked", picked, ledger["pick"]),
        ("packed", _rows(session, select(line.order_id, line.product_id, line.quantity_packed)), ledger["pack"]),
        ("pick tasks' picked", _rows(session, select(PickTask.order_id, PickTask.product_id,
                                                     PickTask.quantity_picked)), ledger["pick"]),
    )
    found = []
    for name, stored, says in checks:
        for (order_id, product_id), have, expected in _differences(stored, says):
            channel, number = session.execute(
                select(SalesOrder.channel, SalesOrder.number).where(SalesOrder.id == order_id)).one()
            found.append(DocumentDiscrepancy("order", f"{channel} {number}", _sku(session, product_id), None,
                                             name, have, expected))
    return found


def _reservations(session: Session) -> list[DocumentDiscrepancy]:
    stored = _rows(session, select(OnHand.product_id, OnHand.location_id, OnHand.lot_id,
                                   OnHand.license_plate_id, OnHand.reserved).where(OnHand.reserved != 0))
    promised = _rows(session, select(Allocation.product_id, Allocation.location_id, Allocation.lot_id,
                                     Allocation.license_plate_id, Allocation.quantity)
                     .where(Allocation.quantity != 0))
    held = _rows(session, select(ReturnUnit.product_id, ReturnUnit.location_id, ReturnUnit.lot_id,
                                 literal(None), ReturnUnit.quantity).where(ReturnUnit.status == "received"))
    for key, units in held.items():
        promised[key] = promised.get(key, 0) + units
    found = []
    for (product_id, location_id, lot_id, _plate), have, expected in _differences(stored, promised):
        code = session.scalar(select(Location.code).where(Location.id == location_id))
        lot = session.scalar(select(Lot.code).where(Lot.id == lot_id)) if lot_id else None
        found.append(DocumentDiscrepancy("stock", code, _sku(session, product_id), lot,
                                         "reserved (allocations + returns held)", have, expected))
    return found


def _sku(session: Session, product_id: int) -> str:
    return session.scalar(select(Product.sku).where(Product.id == product_id)) or f"product #{product_id}"


def check_documents(session: Session) -> list[DocumentDiscrepancy]:
    """Every document counter that disagrees with the ledger (empty: all agree)."""
    return _purchase_orders(session) + _sales_orders(session) + _reservations(session)

