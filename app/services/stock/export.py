"""Stock on hand as CSV: one line per non-zero on-hand row, streamed from the database."""

from __future__ import annotations

from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import csv_safe
from app.db.models import LicensePlate, Location, Lot, OnHand, Product

COLUMNS = ("sku", "name", "location", "lot", "expiry", "license_plate", "quantity")
# Rows fetched per round trip; PostgreSQL streams them through a server-side cursor.
BATCH = 1000


def write_stock_csv(session: Session, stream: TextIO) -> int:
    """Write the header and every non-zero on-hand row to ``stream``; return the row count."""
    query = (
        select(Product.sku, Product.name, Location.code, Lot.code, Lot.expiry,
               LicensePlate.code, OnHand.quantity)
        .join(Product, Product.id == OnHand.product_id)
        .join(Location, Location.id == OnHand.location_id)
        .outerjoin(Lot, Lot.id == OnHand.lot_id)
        .outerjoin(LicensePlate, LicensePlate.id == OnHand.license_plate_id)
        .where(OnHand.quantity != 0)
        .order_by(Product.sku, Location.code, Lot.code, LicensePlate.code)
        .execution_options(yield_per=BATCH)
    )
    writer = csv_safe.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for sku, name, location, lot, expiry, plate, quantity in session.execute(query):
        writer.writerow((sku, name, location, lot or "", expiry.isoformat() if expiry else "",
                         plate or "", quantity))
        count += 1
    return count
