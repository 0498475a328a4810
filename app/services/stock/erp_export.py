"""Exports for the shop and the ERP: what left in which parcel (shipment lines), and what
arrived on a purchase order (goods receipt). One joined statement each; every text cell
goes through csv_safe."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from app.core import csv_safe
from app.core.errors import NotFound
from app.db.models import LicensePlate, Location, Lot, Move, Product, PurchaseOrder, PurchaseOrderLine
from app.db.models_picking import Parcel, ParcelItem, SalesOrder, SalesOrderLine, Shipment

SHIPMENT_LINE_COLUMNS = ("order", "channel", "carrier", "shipment", "shipped_at", "parcel", "sscc", "tracking_ref",
                         "line", "sku", "name", "lot_or_serial", "quantity")
RECEIPT_COLUMNS = ("po", "kind", "supplier", "status", "line", "sku", "name", "expected", "lot", "expiry",
                   "license_plate", "received", "damaged", "last_received_at")
RECEIPT_DOCUMENT = "purchase_order"


def _when(at: dt.datetime | None) -> str:
    if at is None:
        return ""
    at = at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
    return at.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def export_shipment_lines_csv(session: Session, file: TextIO, *, since: dt.datetime | None = None,
                              carrier: str | None = None) -> int:
    """One row per item of every shipped parcel: the order line, SKU, lot or serial and units
    in that parcel (SSCC and tracking reference, which falls back to the SSCC). Returns rows."""
    query = (select(SalesOrder.number, SalesOrder.channel, Shipment.carrier, Shipment.id, Shipment.dispatched_at,
                    Parcel.number, LicensePlate.code, Parcel.tracking_ref, SalesOrderLine.line_no, Product.sku,
                    Product.name, Lot.code, ParcelItem.quantity)
             .select_from(ParcelItem).join(Parcel, Parcel.id == ParcelItem.parcel_id)
             .join(Shipment, Shipment.id == Parcel.shipment_id)
             .join(SalesOrder, SalesOrder.id == Parcel.order_id)
             .join(SalesOrderLine, SalesOrderLine.id == ParcelItem.order_line_id)
             .join(Product, Product.id == ParcelItem.product_id)
             .outerjoin(LicensePlate, LicensePlate.id == Parcel.license_plate_id)
             .outerjoin(Lot, Lot.id == ParcelItem.lot_id)
             .order_by(Shipment.id, SalesOrder.id, Parcel.number, SalesOrderLine.line_no, ParcelItem.id))
    if since is not None:
        query = query.where(Shipment.dispatched_at >= since)
    if carrier is not None:
        query = query.where(Shipment.carrier == carrier)
    writer = csv_safe.writer(file, lineterminator="\n")
    writer.writerow(SHIPMENT_LINE_COLUMNS)
    count = 0
    for (order, channel, by, shipment_id, at, parcel, sscc, tracking, line, sku, name, lot,
         quantity) in session.execute(query):
        writer.writerow((order, channel, by, f"S{shipment_id:06d}", _when(at), parcel, sscc or "",
                         tracking or sscc or "", line, sku, name, lot or "", quantity))
        count += 1
    return count


def export_goods_receipt_csv(session: Session, file: TextIO, po_number: str) -> int:
    """The goods receipt of one purchase order or ASN: per line, lot and license plate the
    units received in good condition and damaged (receipts net of undone receipt scans), with
    lines not received yet at 0. Returns rows."""
    order = session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == po_number))
    if order is None:
        raise NotFound(what="Purchase order", key=po_number)
    source, destination = aliased(Location), aliased(Location)
    undo = Move.reason == "receipt_undo"
    sign = case((undo, -1), else_=1)
    damaged = case((undo, source.kind == "quarantine"), else_=Move.reason == "receipt_damaged")
    plate = func.coalesce(Move.to_license_plate_id, Move.from_license_plate_id)
    moves = (select(Move.product_id, Move.lot_id, plate.label("plate"),
                    func.sum(case((damaged, 0), else_=sign * Move.quantity)).label("good"),
                    func.sum(case((damaged, sign * Move.quantity), else_=0)).label("bad"),
                    func.max(case((undo, None), else_=Move.created_at)).label("last"))
             .join(source, source.id == Move.from_location_id)
             .join(destination, destination.id == Move.to_location_id)
             .where(Move.document_type == RECEIPT_DOCUMENT, Move.document_id == order.id,
                    Move.reason.in_(("receipt", "receipt_damaged", "receipt_undo")))
             .group_by(Move.product_id, Move.lot_id, plate).subquery())
    query = (select(PurchaseOrderLine.line_no, Product.sku, Product.name, PurchaseOrderLine.quantity_expected,
                    Lot.code, Lot.expiry, LicensePlate.code, moves.c.good, moves.c.bad, moves.c.last)
             .select_from(PurchaseOrderLine).join(Product, Product.id == PurchaseOrderLine.product_id)
             .outerjoin(moves, moves.c.product_id == PurchaseOrderLine.product_id)
             .outerjoin(Lot, Lot.id == moves.c.lot_id)
             .outerjoin(LicensePlate, LicensePlate.id == moves.c.plate)
             .where(PurchaseOrderLine.purchase_order_id == order.id)
             .order_by(PurchaseOrderLine.line_no, Lot.code, LicensePlate.code))
    writer = csv_safe.writer(file, lineterminator="\n")
    writer.writerow(RECEIPT_COLUMNS)
    count = 0
    for line, sku, name, expected, lot, expiry, plate_code, good, bad, last in session.execute(query):
        if good is not None and not good and not bad:
            continue  # received and undone again: nothing left of that lot
        writer.writerow((order.number, order.kind, order.supplier, order.status, line, sku, name, expected,
                         lot or "", expiry.isoformat() if expiry else "", plate_code or "", int(good or 0),
                         int(bad or 0), _when(last)))
        count += 1
    return count
