"""Document data from the database: the receiving report of a receipt and the put-away list
of what waits on the dock, as app.printing.data objects (rendered by app.printing.documents).
Builders take ``(session, selection, size)`` like the label builders."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import InvalidInput, NotFound
from app.db.models import Location, Lot, PurchaseOrder, User, utcnow
from app.printing.data import PutawayList, PutawayTask, ReceiptLine, ReceivingReport
from app.printing.sizes import Size
from app.printing.words import words
from app.services.printing.errors import NothingToPrint
from app.services.printing.labels import product_gtin, receipt_moves


def receiving_report(session: Session, selection: Mapping[str, Any], size: Size | None = None
                     ) -> ReceivingReport:
    """``order``: the PO/ASN number. One row per order line: expected, received (damaged
    noted beside the name), the lots received and the earliest expiry among them."""
    language = str(selection.get("language") or "en")
    number = str(selection.get("order") or "").strip()
    if not number:
        raise InvalidInput(field="order", reason="give a purchase order or ASN number")
    order = session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == number))
    if order is None:
        raise NotFound(what="Purchase order", key=number)
    moves = receipt_moves(session, order.id)
    lots: dict[int, list[Lot]] = defaultdict(list)
    for move in moves:
        lot = session.get(Lot, move.lot_id) if move.lot_id else None
        if lot is not None and lot not in lots[move.product_id]:
            lots[move.product_id].append(lot)
    user_ids = list(dict.fromkeys(move.user_id for move in moves if move.user_id is not None))
    names = {user.id: user.display_name
             for user in session.scalars(select(User).where(User.id.in_(user_ids)))}
    lines = []
    for line in order.lines:
        product = line.product
        product_lots = lots[product.id]
        expiries = [lot.expiry for lot in product_lots if lot.expiry is not None]
        damaged = (" (" + words(language)("{units} damaged").format(units=line.quantity_damaged) + ")"
                   if line.quantity_damaged else "")
        lines.append(ReceiptLine(
            sku=product.sku, name=product.name + damaged, qty_expected=line.quantity_expected,
            qty_received=line.quantity_received, lot=", ".join(lot.code for lot in product_lots),
            expiry=min(expiries) if expiries else None, barcode=product_gtin(product) or product.sku,
        ))
    received_at = moves[-1].created_at if moves else (order.closed_at or utcnow())
    return ReceivingReport(
        receipt_number=order.number, supplier=order.supplier or "-",
        received_at=_local(received_at),
        operator=", ".join(names[i] for i in user_ids) or "-", lines=tuple(lines), language=language,
    )


def putaway_list(session: Session, selection: Mapping[str, Any], size: Size | None = None
                 ) -> PutawayList:
    """What waits to be put away (on ``source``, a location code, or on every dock,
    returns and quarantine location), each line with its suggested bin in walking order."""
    from app.services.putaway import tasks as putaway
    source = str(selection.get("source") or "").strip() or None
    waiting = putaway.list_waiting(session)
    if source is not None:
        waiting = [item for item in waiting if item.location == source]
    tasks = []
    barcodes: dict[str, str] = {}
    for item in waiting:
        suggestion = putaway.suggest(session, item.product_id, item.quantity, lot_id=item.lot_id,
                                     source_id=item.location_id)
        destination = suggestion.destination or ""
        if destination and destination not in barcodes:
            barcodes[destination] = session.scalar(
                select(Location.barcode).where(Location.code == destination)) or destination
        tasks.append(PutawayTask(
            sku=item.sku, name=item.name, qty=item.quantity, from_location=item.location,
            to_location=destination or "?", to_location_barcode=barcodes.get(destination, ""),
            lot=item.lot or "",
        ))
    if not tasks:
        raise NothingToPrint(what=f"nothing waits to be put away{' on ' + source if source else ''}")
    language = str(selection.get("language") or "en")
    return PutawayList(reference=source or words(language)("all docks"), created_at=_local(utcnow()),
                       operator=str(selection.get("operator") or "-"), tasks=tuple(tasks), language=language)


def _local(moment: dt.datetime) -> dt.datetime:
    """Documents show the workstation's local time (SQLite hands back naive UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone()
