"""Local copies of the outbound floor documents (see ``copies``): a pick wave, an order at
the packing bench, an RMA."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.core.actor import Actor
from app.core.errors import InvalidInput, LotRequired, WaitsForDatabase
from app.core.picking_rules import (
    ExtraItem,
    NotOnOrder,
    ScanPickLocationFirst,
    TooManyPicked,
    WrongLot,
    WrongPickItem,
    WrongPickLocation,
)
from app.core.picking_rules import next_state as next_order_state
from app.core.returns_rules import NotShippedOnOrder, ReturnExceedsShipped, returnable
from app.core.returns_rules import next_state as next_return_state
from app.core.scan import interpret, scanned_units
from app.db.models import Lot, OnHand, Product, ProductBarcode
from app.db.models_picking import PickTask
from app.services.outbox.copies import ProductCopy, product_in
from app.services.packing.parcels import PackingView, PackResult, ParcelView, packing_view
from app.services.returns.data import RmaLineView, RmaView, UnitView
from app.services.returns.receive import ReceiveResult as ReturnReceived
from app.services.waves.picking import PickPrompt, PickResult


@dataclass
class WaveCopy:
    """A pick wave opened while online, as the picker's scans need it: its open tasks in
    walking order (bin, product, lot, units still to pick, bin confirmed), and the barcodes of
    the products on them. Short picks, and a second picker's tasks, wait for the database."""

    wave_id: int
    prompts: list[PickPrompt]  # open tasks, in the order next_pick hands them out
    barcodes: dict[str, tuple[str, int]]
    tracked: dict[str, bool]  # SKU -> tracked by lot or serial
    total: int
    finished: int

    @property
    def document(self) -> tuple[str, int]:
        return ("wave", self.wave_id)

    def _task(self, task_id: int) -> PickPrompt:
        prompt = next((p for p in self.prompts if p.task_id == task_id), None)
        if prompt is None:
            raise WaitsForDatabase(what="This pick task")
        return prompt

    def check(self, payload: dict[str, Any]) -> Any:
        if payload.get("step") == "location":
            return self._location(payload)
        return self._item(payload)

    def _location(self, payload: dict[str, Any]) -> PickPrompt:
        prompt = self._task(payload["task_id"])
        code = interpret(payload["scan"]).code
        if code not in (prompt.location, prompt.location_barcode):
            raise WrongPickLocation(scanned=code, expected=prompt.location)
        return replace(prompt, location_confirmed=True)

    def _item(self, payload: dict[str, Any]) -> PickResult:
        prompt = self._task(payload["task_id"])
        if not prompt.location_confirmed:
            raise ScanPickLocationFirst(location=prompt.location)
        code = interpret(payload["scan"])
        sku, per_scan = product_in(code, self.barcodes, dict.fromkeys(self.tracked), prompt.wave)
        if sku != prompt.sku:
            raise WrongPickItem(scanned=sku, location=prompt.location, expected=prompt.sku)
        if self.tracked[sku]:
            lot = code.lot or code.serial or payload.get("lot")
            if not lot:
                raise LotRequired(sku=sku)
            if prompt.lot is not None and lot != prompt.lot:
                raise WrongLot(scanned=lot, sku=sku, expected=prompt.lot)
        units = scanned_units(code.count, per_scan, payload.get("quantity"))
        if units > prompt.quantity:
            raise TooManyPicked(remaining=prompt.quantity, sku=sku, units=units)
        finished = units == prompt.quantity
        rest = [p for p in self.prompts if p.task_id != prompt.task_id]
        now = replace(prompt, quantity=prompt.quantity - units)
        following = (now if not finished else (rest[0] if rest else None))
        if following is not None:
            following = replace(following, tasks_finished=self.finished + int(finished))
        return PickResult(prompt.task_id, sku, units, finished, following)

    def take(self, result: Any) -> None:
        if isinstance(result, PickPrompt):  # the bin is confirmed
            self.prompts = [result if p.task_id == result.task_id else p for p in self.prompts]
            return
        if result.replayed:
            return
        if result.task_finished:
            self.prompts = [p for p in self.prompts if p.task_id != result.task_id]
            self.finished += 1
        else:
            self.prompts = [replace(p, quantity=p.quantity - result.units) if p.task_id == result.task_id else p
                            for p in self.prompts]
        if result.next is not None and result.next.task_id in {p.task_id for p in self.prompts}:
            # the server's (or the check's) word on the next task, e.g. its bin already confirmed
            self.prompts = [result.next if p.task_id == result.next.task_id else p for p in self.prompts]


def wave_copy(session: Session, wave_id: int, actor: Actor | None = None) -> WaveCopy:
    """The local copy of a pick wave, taken when the picker opens it."""
    tasks = list(session.scalars(
        select(PickTask).where(PickTask.wave_id == wave_id).order_by(PickTask.sequence)
        .options(joinedload(PickTask.location), joinedload(PickTask.product), joinedload(PickTask.lot),
                 joinedload(PickTask.order), joinedload(PickTask.wave))))
    open_tasks = [t for t in tasks if t.status == "open"]
    me = actor.user_id if actor else None
    mine = [t for t in open_tasks if t.picked_by is not None and t.picked_by == me]
    free = [t for t in open_tasks if t.picked_by is None]
    ordered = mine + free  # what next_pick hands this picker, in turn; others' tasks wait
    total, finished = len(tasks), len(tasks) - len(open_tasks)
    prompts = [PickPrompt(
        t.id, t.wave_id, t.wave.number, t.sequence, t.location.code, t.location.barcode, t.product.sku,
        t.product.name, t.quantity - t.quantity_picked, t.lot.code if t.lot else None, t.tote_slot,
        f"{t.order.channel} {t.order.number}", t.location_confirmed, total, finished) for t in ordered]
    ids = {t.product_id: t.product.sku for t in tasks}
    barcodes = {code: (ids[product_id], units) for code, product_id, units in session.execute(
        select(ProductBarcode.code, ProductBarcode.product_id, ProductBarcode.quantity)
        .where(ProductBarcode.product_id.in_(list(ids))))} if ids else {}
    tracked = {t.product.sku: t.product.tracking != "none" for t in tasks}
    return WaveCopy(wave_id, prompts, barcodes, tracked, total, finished)


@dataclass
class PackCopy:
    """An order opened for packing while online, as the packer's item scans need it: its lines
    (picked, packed), its parcels, the products on it with their barcodes and tracking, and
    the lots in its tote. A scan goes into the open parcel (or the next one, which the server
    opens on replay and numbers the same: its SSCC waits for the server). Closing a parcel
    (weight, label), finishing, splitting and undo wait for the database."""

    view: PackingView
    products: dict[str, ProductCopy]
    barcodes: dict[str, tuple[str, int]]
    tote_lots: dict[str, dict[str, int]]  # SKU -> lot -> units in the tote when the copy was taken
    packed_then: dict[tuple[str, str], int]  # (SKU, lot) -> units in parcels when the copy was taken

    @property
    def document(self) -> tuple[str, int]:
        return ("pack", self.view.order.order_id)

    def _in_tote(self, sku: str) -> dict[str, int]:
        packed_now: dict[tuple[str, str], int] = {}
        for parcel in self.view.parcels:
            for item_sku, lot, units in parcel.items:
                packed_now[(item_sku, lot)] = packed_now.get((item_sku, lot), 0) + units
        return {lot: units - (packed_now.get((sku, lot), 0) - self.packed_then.get((sku, lot), 0))
                for lot, units in self.tote_lots.get(sku, {}).items()}

    def check(self, payload: dict[str, Any]) -> PackResult:
        order = self.view.order
        label = f"{order.channel} {order.number}"
        code = interpret(payload["scan"])
        sku, per_scan = product_in(code, self.barcodes, self.products, label)
        units = scanned_units(code.count, per_scan, payload.get("quantity"))
        # As pack_scan: of the order's lines of the product, the first with room for the units.
        lines = [ln for ln in order.lines if ln.sku == sku]
        if not lines:
            raise NotOnOrder(sku=sku, order=label)
        line = next((ln for ln in lines if ln.packed + units <= ln.picked), lines[0])
        if line.packed + units > line.picked:
            raise ExtraItem(picked=line.picked, sku=sku, order=label)
        lot = ""
        if self.products[sku].tracking != "none":
            in_tote = {name: n for name, n in self._in_tote(sku).items() if n > 0}
            scanned = code.lot or code.serial or payload.get("lot")
            if scanned is None and len(in_tote) == 1:
                scanned = next(iter(in_tote))
            if scanned is None:
                raise LotRequired(sku=sku)
            if scanned not in in_tote:
                raise WrongLot(scanned=scanned, sku=sku, expected=" or ".join(sorted(in_tote)) or "-")
            lot = scanned
        parcels = list(self.view.parcels)
        parcel = self.view.open_parcel or ParcelView(0, max((p.number for p in parcels), default=0) + 1, "",
                                                     "open", None, None, ())
        items, added = [], False
        for item in parcel.items:
            if item[:2] == (sku, lot):
                item, added = (sku, lot, item[2] + units), True
            items.append(item)
        if not added:
            items.append((sku, lot, units))
        parcel = replace(parcel, items=tuple(items))
        parcels = [parcel if p.number == parcel.number else p for p in parcels]
        if parcel not in parcels:
            parcels.append(parcel)
        lines = tuple(replace(ln, packed=ln.packed + units) if ln.line_id == line.line_id else ln for ln in order.lines)
        status = next_order_state("order", label, order.status, "pack")
        view = replace(self.view, order=replace(order, status=status, lines=lines), parcels=tuple(parcels))
        return PackResult(view, sku, units, parcel.number)

    def take(self, result: PackResult | PackingView) -> None:
        """A scan's result (the server's word online, the check's offline) or the order as
        the screen read it again (after a close, an undo, a split)."""
        view = result.view if isinstance(result, PackResult) else result
        if view.order.order_id == self.view.order.order_id:
            self.view = view


def pack_copy(session: Session, order_id: int) -> PackCopy:
    """The local copy of an order being packed, taken when the packer opens it."""
    from app.services.orders.documents import load_order

    order = load_order(session, order_id)
    view = packing_view(session, order)
    rows = session.execute(select(Product.id, Product.sku, Product.name, Product.tracking, Product.expiry_tracked)
                           .where(Product.id.in_([line.product_id for line in order.lines]))).all()
    sku_of = {row[0]: row[1] for row in rows}
    barcodes = {code: (sku_of[product_id], units) for code, product_id, units in session.execute(
        select(ProductBarcode.code, ProductBarcode.product_id, ProductBarcode.quantity)
        .where(ProductBarcode.product_id.in_(list(sku_of))))} if sku_of else {}
    tote_lots: dict[str, dict[str, int]] = {}
    if order.tote_plate_id is not None:
        for product_id, lot, units in session.execute(
                select(OnHand.product_id, Lot.code, OnHand.quantity).join(Lot, Lot.id == OnHand.lot_id)
                .where(OnHand.license_plate_id == order.tote_plate_id, OnHand.quantity > 0)):
            if product_id in sku_of:
                tote_lots.setdefault(sku_of[product_id], {})[lot] = int(units)
    packed_then: dict[tuple[str, str], int] = {}
    for parcel in view.parcels:
        for sku, lot, units in parcel.items:
            packed_then[(sku, lot)] = packed_then.get((sku, lot), 0) + units
    return PackCopy(view, {row[1]: ProductCopy(row[1], row[2], row[3], bool(row[4])) for row in rows},
                    barcodes, tote_lots, packed_then)


@dataclass(frozen=True)
class ShippedCopy:
    quantity: int  # units the order shipped of the product
    lots: tuple[str, ...]  # lots or serials that went out


@dataclass
class ReturnCopy:
    """A return (RMA) opened while online, as the receiving scan needs it: its lines and units,
    what the order shipped per product (units, lots, serials), what came back on the order's
    other RMAs, and the products' barcodes and tracking. Offline a scanned item is received
    onto the returns location and waits for inspection; grading and routing it (the rules,
    a supervisor's approval above a value, the routing label with the unit's code) wait for
    the database. Flags the copy cannot see (a serial returned before, a serial in stock) are
    added by the server when the scan is sent."""

    view: RmaView
    products: dict[str, ProductCopy]
    barcodes: dict[str, tuple[str, int]]
    shipped: dict[str, ShippedCopy]  # by SKU
    returned_elsewhere: dict[str, int]  # SKU -> units back on the order's other RMAs

    @property
    def document(self) -> tuple[str, int]:
        return ("return", self.view.rma_id)

    def check(self, payload: dict[str, Any]) -> ReturnReceived:
        view = self.view
        order = f"{view.channel} {view.order_number}"
        status = next_return_state("rma", f"RMA {view.number}", view.status, "receive")  # a closed RMA stays closed
        code = interpret(payload["scan"])
        sku, per_scan = product_in(code, self.barcodes, self.products, view.label)
        product, shipped = self.products[sku], self.shipped.get(sku)
        if shipped is None:
            raise NotShippedOnOrder(sku=sku, order=order)
        units = scanned_units(code.count, per_scan, payload.get("quantity"))
        if product.tracking == "serial" and units != 1:
            raise InvalidInput(field="quantity", reason=f"{sku} is serial tracked: one unit per scan")
        here = [u for u in view.units if u.status != "cancelled"]
        returned = self.returned_elsewhere.get(sku, 0) + sum(u.quantity for u in here if u.sku == sku)
        if units > returnable(shipped.quantity, returned):
            raise ReturnExceedsShipped(sku=sku, shipped=shipped.quantity, order=order, returned=returned)
        lot, flags = None, []
        if product.tracking != "none":
            lot = code.serial or code.lot or payload.get("lot")
            if not lot and product.tracking == "lot" and len(shipped.lots) == 1:
                lot = shipped.lots[0]
            if not lot:
                raise LotRequired(sku=sku)
            if lot not in shipped.lots:
                flags.append("serial_not_shipped" if product.tracking == "serial" else "lot_not_shipped")
        line = next((ln for ln in view.lines if ln.sku == sku), None)
        if line is None:
            line = RmaLineView(0, max((ln.line_no for ln in view.lines), default=0) + 1, sku, product.name, 0, 0, "")
            flags += ["not_announced"] if view.announced else []
        elif view.announced and line.received + units > line.announced:
            flags.append("more_than_announced")
        line = replace(line, received=line.received + units)
        lines = tuple(line if ln.sku == sku else ln for ln in view.lines)
        lines += () if any(ln.sku == sku for ln in view.lines) else (line,)
        offline_units = sum(1 for u in view.units if u.unit_id <= 0)
        unit = UnitView(-(offline_units + 1), "", line.line_no, sku, product.name, None, lot, units, "received",
                        line.reason, tuple(flags))
        return ReturnReceived(replace(view, status=status, lines=lines, units=view.units + (unit,)), unit)

    def take(self, result: ReturnReceived) -> None:
        if result.rma.rma_id == self.view.rma_id:
            self.view = result.rma


def return_copy(session: Session, rma_id: int) -> ReturnCopy:
    """The local copy of an RMA, taken when the operator opens it."""
    from app.db.models_returns import ReturnUnit, Rma
    from app.services.returns.data import load_rma, rma_view, shipped_units

    rma = load_rma(session, rma_id)
    view = rma_view(session, rma)
    shipped = shipped_units(session, rma.order_id)
    rows = session.execute(select(Product.id, Product.sku, Product.name, Product.tracking, Product.expiry_tracked)
                           .where(Product.id.in_(list(shipped)))).all() if shipped else []
    sku_of = {row[0]: row[1] for row in rows}
    lot_ids = {lot_id for entry in shipped.values() for lot_id in entry.lots}
    lot_code = dict(session.execute(select(Lot.id, Lot.code).where(Lot.id.in_(list(lot_ids)))).all()) if lot_ids else {}
    barcodes = {code: (sku_of[product_id], units) for code, product_id, units in session.execute(
        select(ProductBarcode.code, ProductBarcode.product_id, ProductBarcode.quantity)
        .where(ProductBarcode.product_id.in_(list(sku_of))))} if sku_of else {}
    elsewhere: dict[str, int] = {}
    for product_id, units in session.execute(
            select(ReturnUnit.product_id, ReturnUnit.quantity).join(Rma, Rma.id == ReturnUnit.rma_id)
            .where(Rma.order_id == rma.order_id, Rma.id != rma.id, ReturnUnit.status != "cancelled")):
        if product_id in sku_of:
            elsewhere[sku_of[product_id]] = elsewhere.get(sku_of[product_id], 0) + units
    return ReturnCopy(
        view, {row[1]: ProductCopy(row[1], row[2], row[3], bool(row[4])) for row in rows}, barcodes,
        {sku_of[pid]: ShippedCopy(entry.quantity, tuple(sorted(lot_code[i] for i in entry.lots)))
         for pid, entry in shipped.items() if pid in sku_of}, elsewhere)
