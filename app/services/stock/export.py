"""Stock on hand as CSV for spreadsheets, audits and the shop: one line per non-zero on-hand
row (or per product), streamed from the database.

Columns: ``on_hand`` units there; ``reserved`` promised to orders; ``available`` what
allocation could still promise (pick faces and storage bins that are not blocked:
on hand − reserved, else 0); ``blocked`` held back (quarantine, returns awaiting inspection,
or a blocked bin: on hand − reserved, else 0). Units on docks, carts, packing benches and
shipping lanes are neither available nor blocked: they are on their way.
``sellable``: only pick faces and storage bins that are not blocked.
"""

from __future__ import annotations

from typing import TextIO

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.core import csv_safe
from app.core.picking_rules import PICKABLE_KINDS
from app.db.models import LicensePlate, Location, Lot, OnHand, Product

COLUMNS = ("sku", "name", "location", "lot", "expiry", "license_plate", "on_hand", "reserved", "available",
           "blocked")
SKU_COLUMNS = ("sku", "name", "on_hand", "reserved", "available", "blocked")
HELD_KINDS = ("quarantine", "returns")
# Rows fetched per round trip; PostgreSQL streams them through a server-side cursor.
BATCH = 1000


def _figures():  # noqa: ANN202
    free = OnHand.quantity - OnHand.reserved
    pickable = Location.kind.in_(PICKABLE_KINDS) & Location.blocked.is_(False)
    held = Location.kind.in_(HELD_KINDS) | Location.blocked.is_(True)
    return (OnHand.quantity, OnHand.reserved, case((pickable, free), else_=0), case((held, free), else_=0))


def write_stock_csv(session: Session, stream: TextIO, *, sellable: bool = False, per_sku: bool = False) -> int:
    """Write the header and every non-zero on-hand row (``per_sku``: one row per product) to
    ``stream``; return the row count."""
    on_hand, reserved, available, blocked = _figures()
    if per_sku:
        query = (select(Product.sku, Product.name, func.sum(on_hand), func.sum(reserved), func.sum(available),
                        func.sum(blocked))
                 .group_by(Product.sku, Product.name).order_by(Product.sku))
    else:
        query = (select(Product.sku, Product.name, Location.code, Lot.code, Lot.expiry, LicensePlate.code,
                        on_hand, reserved, available, blocked)
                 .outerjoin(Lot, Lot.id == OnHand.lot_id)
                 .outerjoin(LicensePlate, LicensePlate.id == OnHand.license_plate_id)
                 .order_by(Product.sku, Location.code, Lot.code, LicensePlate.code))
    query = (query.select_from(OnHand).join(Product, Product.id == OnHand.product_id)
             .join(Location, Location.id == OnHand.location_id).where(OnHand.quantity != 0)
             .execution_options(yield_per=BATCH))
    if sellable:
        query = query.where(Location.kind.in_(PICKABLE_KINDS), Location.blocked.is_(False))
    writer = csv_safe.writer(stream, lineterminator="\n")
    writer.writerow(SKU_COLUMNS if per_sku else COLUMNS)
    count = 0
    for row in session.execute(query):
        if per_sku:
            writer.writerow(tuple(row[:2]) + tuple(int(n) for n in row[2:]))
        else:
            sku, name, location, lot, expiry, plate, *figures = row
            writer.writerow((sku, name, location, lot or "", expiry.isoformat() if expiry else "", plate or "",
                             *figures))
        count += 1
    return count
