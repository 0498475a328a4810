"""What a put-away scan names, as plain values: a product's barcode and a bin by one tuple
statement each, else ``scanning.resolve`` (its order, its errors, its other kinds).

``resolve`` builds ORM objects in two or three statements (the product barcode with its
product joined, then the location); the floor's two put-away scans only need a few columns.
Both shortcuts ask exactly what ``resolve`` asks first, so they find what it would find:
a code that is a product barcode is a product (never a bin), an SSCC is looked up as a
license plate first, commands and anything not found go through ``resolve``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, exists, or_, select
from sqlalchemy.orm import Session

from app.core.scan import ScannedCode, interpret
from app.db.models import LicensePlate, Location, ProductBarcode
from app.db.prepared import Prepared, connection
from app.services.scanning import ProductRef, product_by_barcode, resolve


@dataclass(frozen=True)
class Place:
    """A location as put-away's scan path needs it (no ORM object)."""

    id: int
    code: str
    kind: str
    x: float | None = None
    y: float | None = None


_LOC, _BARCODE = Location.__table__, ProductBarcode.__table__
_PLACE_COLUMNS = (_LOC.c.id, _LOC.c.code, _LOC.c.kind, _LOC.c.x, _LOC.c.y)
# resolve's second question (a location by barcode or code), asked only when its first (a
# product barcode?) says no, in the same statement.
_LOCATION_BY_CODE = (
    select(*_PLACE_COLUMNS)
    .where(or_(_LOC.c.barcode == bindparam("code"), _LOC.c.code == bindparam("code")),
           ~exists().where(_BARCODE.c.code.in_(bindparam("codes", expanding=True))))
    .limit(1)
)
# The row locked (PostgreSQL): one confirmation into a bin at a time keeps its capacity true.
_LOCATION_BY_CODE_LOCKED = Prepared(_LOCATION_BY_CODE.with_for_update(of=_LOC))
_LOCATION_BY_CODE = Prepared(_LOCATION_BY_CODE)
_LOCK = Prepared(select(_LOC.c.id).where(_LOC.c.id == bindparam("id")).with_for_update())


def scanned_item(session: Session, raw: str) -> tuple[ScannedCode, ProductRef | None, LicensePlate | None]:
    """(scan, product, license plate) for a scan that must name a product or a license plate."""
    scan = interpret(raw)
    found = product_by_barcode(session, scan)
    if found is not None:
        return scan, found.product, None
    resolved = resolve(session, scan).expect("product", "license_plate")
    product = resolved.product
    ref = None if product is None else ProductRef(product.id, product.sku, product.name, product.tracking,
                                                  product.expiry_tracked, product.min_shelf_life_days)
    return scan, ref, resolved.license_plate


def scanned_location(session: Session, raw: str, *, lock: bool = False) -> tuple[ScannedCode, Place]:
    """(scan, location) for a scan that must name a location (``WrongScanKind`` otherwise);
    ``lock``: its row is locked for this transaction (PostgreSQL; SQLite's writer is alone)."""
    scan = interpret(raw)
    conn = connection(session)
    if scan.kind in ("text", "gtin") and not scan.sscc:
        row = (_LOCATION_BY_CODE_LOCKED if lock else _LOCATION_BY_CODE).first(
            conn, {"code": scan.code, "codes": scan.lookup_codes()})
        if row is not None:
            return scan, Place(*row)
    location = resolve(session, scan).expect("location").location
    assert location is not None
    if lock:
        _LOCK.execute(conn, {"id": location.id})
    return scan, Place(location.id, location.code, location.kind, location.x, location.y)
