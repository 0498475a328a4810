"""Local copies of the inbound floor documents (see ``copies``): an open receipt, a count's
location, a put-away task."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.counting_rules import ProductNotInCount, SerialAlreadyCounted, units_counted
from app.core.errors import ExpiryRequired, InvalidInput, LotRequired, WaitsForDatabase
from app.core.putaway_errors import WholePlateOnly
from app.core.putaway_rules import Choice, Reason, Suggestion
from app.core.scan import interpret
from app.db.models import Product, ProductBarcode, PurchaseOrder, PurchaseOrderLine
from app.db.models_counting import CountLocation
from app.services.config import get_rule, special_location
from app.services.counting.floor import CountScanResult
from app.services.outbox.copies import ProductCopy, parse_date, product_in
from app.services.putaway.confirm import MovedLine, PutawayResult
from app.services.putaway.data import PutawayTask, TaskLine
from app.services.receiving.receipts import LineView, ReceiptView, ReceiveResult, received_units


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
        sku, per_scan = product_in(code, self.barcodes, self.products, self.view.number)
        product = self.products[sku]
        quantity = payload.get("quantity")
        units = received_units(code.count, quantity, per_scan)
        line = next((ln for ln in self.view.lines if ln.sku == sku), None)
        if line is None:  # not on the document: only a supervisor may add it, online
            raise WaitsForDatabase(what="A product not on the document")
        if line.received + line.damaged + units > line.expected * (1 + self.tolerance_pct / 100):
            raise WaitsForDatabase(what="Receiving more than expected")
        lot = code.lot or code.serial or payload.get("lot")
        expiry = code.expiry or parse_date(payload.get("expiry"))
        if product.tracking != "none":
            if not lot:
                raise LotRequired(sku=sku)
            if product.tracking == "serial" and units != 1:
                raise InvalidInput(field="quantity", reason=f"{sku} is serial tracked: one unit per scan")
            if product.expiry_tracked and expiry is None:
                raise ExpiryRequired(sku=sku)
        damaged = bool(payload.get("damaged"))
        line = line._replace(damaged=line.damaged + units) if damaged else line._replace(received=line.received + units)
        lines = tuple(line if ln.line_id == line.line_id else ln for ln in self.view.lines)
        status = "partially_received" if self.view.status == "open" else self.view.status
        return ReceiveResult(receipt=self.view._replace(status=status, lines=lines), line=line, sku=sku,
                             name=product.name, units=units, lot=lot if product.tracking != "none" else None,
                             destination=self.quarantine if damaged else self.dock, damaged=damaged)

    def take(self, result: ReceiveResult) -> None:
        """The scan is kept (offline) or applied (online): the copy counts it from now on."""
        if result.receipt.order_id == self.view.order_id and not result.replayed:
            self.view = result.receipt


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


@dataclass
class CountCopy:
    """One location of a count, started while online, as the count scan needs it: the
    products on record there (or the one product counted), their barcodes and tracking, and
    what was counted so far per product and lot. Stock found there of another product waits
    for the database (the copy cannot name it)."""

    count_id: int
    number: str
    location_id: int
    location: str
    only_sku: str | None
    products: dict[str, ProductCopy]
    barcodes: dict[str, tuple[str, int]]
    counted: dict[tuple[str, str | None], int]  # (SKU, lot) -> units counted so far

    @property
    def document(self) -> tuple[str, int, int]:
        return ("count", self.count_id, self.location_id)

    def check(self, payload: dict[str, Any]) -> CountScanResult:
        code = interpret(payload["scan"])
        sku, per_scan = product_in(code, self.barcodes, self.products, self.number)
        if self.only_sku not in (None, sku):
            raise ProductNotInCount(count=self.number, wanted=self.only_sku, sku=sku)
        product = self.products[sku]
        units = units_counted(code.count, payload.get("quantity"), per_scan)
        lot = None
        if product.tracking != "none":
            lot = code.serial or code.lot or payload.get("lot")
            if not lot:
                raise LotRequired(sku=sku)
            if product.tracking == "serial":
                if units != 1:
                    raise InvalidInput(field="quantity", reason=f"{sku} is serial tracked: one unit per scan")
                if self.counted.get((sku, lot), 0) >= 1:
                    raise SerialAlreadyCounted(serial=lot, sku=sku)
        total = self.counted.get((sku, lot), 0) + units
        return CountScanResult(self.count_id, self.location, sku, product.name, lot, units, total)

    def take(self, result: CountScanResult) -> None:
        if not result.replayed:
            self.counted[(result.sku, result.lot)] = result.line_total


def count_copy(session: Session, count_id: int, location_id: int) -> CountCopy:
    """The local copy of a count location, taken when the counter starts it."""
    count_location = session.scalar(select(CountLocation).where(
        CountLocation.count_id == count_id, CountLocation.location_id == location_id))
    ids = {line.product_id for line in count_location.lines}
    if count_location.product_id is not None:
        ids.add(count_location.product_id)
    rows = session.execute(select(Product.id, Product.sku, Product.name, Product.tracking, Product.expiry_tracked)
                           .where(Product.id.in_(list(ids)))).all() if ids else []
    sku_of = {row[0]: row[1] for row in rows}
    barcodes = {code: (sku_of[product_id], units) for code, product_id, units in session.execute(
        select(ProductBarcode.code, ProductBarcode.product_id, ProductBarcode.quantity)
        .where(ProductBarcode.product_id.in_(list(ids))))} if ids else {}
    counted: dict[tuple[str, str | None], int] = {}
    for line in count_location.lines:
        key = (sku_of[line.product_id], line.lot.code if line.lot else None)
        counted[key] = counted.get(key, 0) + line.counted
    return CountCopy(
        count_id, count_location.count.number, location_id, count_location.location.code,
        sku_of.get(count_location.product_id) if count_location.product_id else None,
        {row[1]: ProductCopy(row[1], row[2], row[3], bool(row[4])) for row in rows}, barcodes, counted)


def putaway_document(task: PutawayTask) -> tuple:
    """What names a put-away task among the open documents (it has no number of its own)."""
    line = task.lines[0]
    return ("putaway", task.source_id, task.license_plate_id or 0, line.product_id, line.lot_id or 0)


def putaway_payload(task: PutawayTask) -> dict[str, Any]:
    """The task as plain values, for the outbox (``putaway_task`` builds it again)."""
    choice = task.suggestion.choice
    plain = (int, float, str, bool, type(None))
    return {
        "source": task.source, "source_id": task.source_id,
        "license_plate": task.license_plate, "license_plate_id": task.license_plate_id,
        "lines": [{**asdict(line), "expiry": line.expiry.isoformat() if line.expiry else None} for line in task.lines],
        "suggestion": None if choice is None else {
            "location_id": choice.location_id, "code": choice.code, "reason": choice.reason.code,
            "params": {k: v if isinstance(v, plain) else str(v) for k, v in choice.reason.params.items()}},
    }


def putaway_task(p: dict[str, Any]) -> PutawayTask:
    s = p["suggestion"]
    choice = None if s is None else Choice(s["location_id"], s["code"], Reason(s["reason"], s["params"]))
    lines = tuple(TaskLine(**{**line, "expiry": parse_date(line["expiry"])}) for line in p["lines"])
    return PutawayTask(p["source"], p["source_id"], lines, Suggestion(choice), p["license_plate"],
                       p["license_plate_id"])


@dataclass
class PutawayCopy:
    """A put-away task started while online. Offline, only its suggested bin is taken: another
    bin needs the capacity rules and a reason or a supervisor, which wait for the database."""

    task: PutawayTask
    done: bool = False

    @property
    def document(self) -> tuple:
        return putaway_document(self.task)

    def check(self, payload: dict[str, Any]) -> PutawayResult:
        task = self.task
        if self.done:
            raise WaitsForDatabase(what="This step")
        code = interpret(payload["scan"]).code
        suggested = task.suggestion.destination
        if suggested is None or code != suggested:
            raise WaitsForDatabase(what="Another bin than the suggested one")
        quantity = payload.get("quantity")
        if task.is_plate:
            if quantity is not None:
                raise WholePlateOnly(plate=task.license_plate)
            moved = tuple(MovedLine(line.sku, line.quantity, line.lot) for line in task.lines)
        else:
            line = task.lines[0]
            if quantity is not None and not 1 <= quantity <= line.quantity:
                raise InvalidInput(field="quantity", reason=f"from 1 to {line.quantity}")
            moved = (MovedLine(line.sku, quantity or line.quantity, line.lot),)
        return PutawayResult(0, task.source, code, suggested, moved)

    def take(self, result: PutawayResult) -> None:
        self.done = True  # what is left of the task is started again, online
