"""Local copies of an open floor document, taken while the database answers, and the checks a
scan passes against them while it does not.

A copy holds what the scan path reads: the document's lines, the products on it with their
barcodes and tracking, the locations the stock goes to, and the rules the check applies. The
checks raise the same typed errors as the use cases (a lot is asked, an over-receipt needs a
supervisor...), so the screen's dialogue runs unchanged; what a copy cannot know (a product
not on the document, a supervisor's PIN) is refused in words and waits for the database.
After a scan is kept in the outbox, ``take`` adds it to the copy, so the next scan is
checked against the counts the operator has seen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import ExpiryRequired, InvalidInput, LotRequired, NotInLocalCopy, WaitsForDatabase
from app.core.scan import interpret
from app.db.models import Product, ProductBarcode, PurchaseOrder, PurchaseOrderLine
from app.services.config import get_rule, special_location
from app.services.receiving.receipts import LineView, ReceiptView, ReceiveResult


@dataclass(frozen=True)
class ProductCopy:
    sku: str
    name: str
    tracking: str  # none | lot | serial
    expiry_tracked: bool


@dataclass
class ReceiptCopy:
    """An open receipt as the receiving scan needs it."""

    view: ReceiptView
    products: dict[str, ProductCopy]  # by SKU
    barcodes: dict[str, tuple[str, int]]  # code -> (SKU, units per scan)
    tolerance_pct: float
    dock: str
    quarantine: str

    @property
    def document(self) -> tuple[str, int]:
        return ("receipt", self.view.order_id)

    def check(self, payload: dict[str, Any]) -> ReceiveResult:
        """What ``receive_scan`` would answer for ``payload``, from the copy; raises its errors."""
        code = interpret(payload["scan"])
        sku, per_scan = self._product_of(code)
        product = self.products[sku]
        quantity = payload.get("quantity")
        if quantity is not None and quantity <= 0:
            raise InvalidInput(field="quantity", reason=f"must be at least 1, got {quantity}")
        units = (code.count if code.count is not None else per_scan) * (quantity or 1)
        line = next((ln for ln in self.view.lines if ln.sku == sku), None)
        if line is None:  # not on the document: only a supervisor may add it, online
            raise WaitsForDatabase(what=f"Receiving {sku}, which is not on {self.view.number},")
        if line.received + line.damaged + units > line.expected * (1 + self.tolerance_pct / 100):
            raise WaitsForDatabase(what=f"Receiving more {sku} than {self.view.number} expects")
        lot = code.lot or code.serial or payload.get("lot")
        expiry = code.expiry or _date(payload.get("expiry"))
        if product.tracking != "none":
            if not lot:
                raise LotRequired(sku=sku)
            if product.tracking == "serial" and units != 1:
                raise InvalidInput(field="quantity", reason=f"{sku} is serial tracked: one unit per scan")
            if product.expiry_tracked and expiry is None:
                raise ExpiryRequired(sku=sku)
        damaged = bool(payload.get("damaged"))
        line = replace(line, damaged=line.damaged + units) if damaged else replace(line, received=line.received + units)
        lines = tuple(line if ln.line_id == line.line_id else ln for ln in self.view.lines)
        status = "partially_received" if self.view.status == "open" else self.view.status
        return ReceiveResult(receipt=replace(self.view, status=status, lines=lines), line=line, sku=sku,
                             name=product.name, units=units, lot=lot if product.tracking != "none" else None,
                             destination=self.quarantine if damaged else self.dock, damaged=damaged)

    def take(self, result: ReceiveResult) -> None:
        """The scan is kept (offline) or applied (online): the copy counts it from now on."""
        if result.receipt.order_id == self.view.order_id and not result.replayed:
            self.view = result.receipt

    def _product_of(self, code: Any) -> tuple[str, int]:
        for candidate in code.lookup_codes():
            if candidate in self.barcodes:
                return self.barcodes[candidate]
        if code.code in self.products:
            return code.code, 1
        raise NotInLocalCopy(code=code.code, document=self.view.number)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def receipt_copy(session: Session, order_id: int) -> ReceiptCopy:
    """The local copy of receipt ``order_id``: a few statements, taken when it opens."""
    order = session.execute(select(PurchaseOrder.id, PurchaseOrder.number, PurchaseOrder.kind,
                                   PurchaseOrder.supplier, PurchaseOrder.status)
                            .where(PurchaseOrder.id == order_id)).one()
    rows = session.execute(
        select(PurchaseOrderLine.id, PurchaseOrderLine.line_no, Product.sku, Product.name,
               PurchaseOrderLine.quantity_expected, PurchaseOrderLine.quantity_received,
               PurchaseOrderLine.quantity_damaged, Product.id, Product.tracking, Product.expiry_tracked)
        .join(Product, Product.id == PurchaseOrderLine.product_id)
        .where(PurchaseOrderLine.purchase_order_id == order_id).order_by(PurchaseOrderLine.line_no)
    ).all()
    lines = tuple(LineView(*row[:7]) for row in rows)
    products = {row[2]: ProductCopy(row[2], row[3], row[8], bool(row[9])) for row in rows}
    sku_of = {row[7]: row[2] for row in rows}
    barcodes = {code: (sku_of[product_id], units) for code, product_id, units in session.execute(
        select(ProductBarcode.code, ProductBarcode.product_id, ProductBarcode.quantity)
        .where(ProductBarcode.product_id.in_(list(sku_of))))} if sku_of else {}
    return ReceiptCopy(
        view=ReceiptView(*order, lines), products=products, barcodes=barcodes,
        tolerance_pct=float(get_rule(session, "over_receipt_tolerance_pct")),
        dock=special_location(session, "receiving").code, quarantine=special_location(session, "quarantine").code,
    )
