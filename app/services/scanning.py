"""Resolve a scan against the database: product, location, license plate, document, badge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from app.core.errors import ScanError, UnknownBarcode, WrongScanKind
from app.core.gs1_words import excerpt
from app.core.scan import ScannedCode, interpret
from app.db.models import LicensePlate, Location, Product, ProductBarcode, PurchaseOrder, User
from app.db.prepared import Prepared, connection

# What each resolved kind is called in messages ("A-03-02 is a location, scan a product").
KIND_NAMES = {
    "product": "product",
    "location": "location",
    "license_plate": "license plate",
    "purchase_order": "purchase order",
    "user": "badge",
    "command": "command",
}


@dataclass(frozen=True)
class Resolved:
    scan: ScannedCode
    kind: str  # product | location | license_plate | purchase_order | user | command
    product: Product | None = None
    units: int = 1  # a case barcode multiplies
    location: Location | None = None
    license_plate: LicensePlate | None = None
    purchase_order: PurchaseOrder | None = None
    user: User | None = None

    @property
    def label(self) -> str:
        """How the operator knows the thing: SKU, location code, PO number..."""
        if self.product is not None:
            return self.product.sku
        if self.location is not None:
            return self.location.code
        if self.license_plate is not None:
            return self.license_plate.code
        if self.purchase_order is not None:
            return self.purchase_order.number
        if self.user is not None:
            return self.user.display_name
        return self.scan.code

    def expect(self, *kinds: str) -> Resolved:
        """Raise WrongScanKind unless this scan is one of ``kinds``."""
        if self.kind not in kinds:
            raise WrongScanKind(
                code=excerpt(self.label),
                got=KIND_NAMES[self.kind],
                expected=" or ".join(f"a {KIND_NAMES[k]}" for k in kinds),
            )
        return self


def resolve(session: Session, scanned: ScannedCode | str) -> Resolved:
    """Find what a scan refers to. Raises ScanError subclasses with the reason."""
    scan = interpret(scanned) if isinstance(scanned, str) else scanned
    if scan.kind == "command":
        return Resolved(scan, "command")
    codes = scan.lookup_codes()
    if scan.sscc:
        plate = session.scalar(select(LicensePlate).where(LicensePlate.code == scan.sscc))
        if plate is not None:
            return Resolved(scan, "license_plate", license_plate=plate)
    barcode = session.scalar(
        select(ProductBarcode)
        .options(joinedload(ProductBarcode.product))
        .where(ProductBarcode.code.in_(codes))
        .limit(1)
    )
    if barcode is not None:
        return Resolved(scan, "product", product=barcode.product, units=barcode.quantity)
    if scan.kind == "text" or scan.kind == "gtin":
        found = _resolve_text(session, scan)
        if found is not None:
            return found
    if scan.problem is not None:
        raise scan.problem
    raise UnknownBarcode(code=excerpt(scan.code))


def _resolve_text(session: Session, scan: ScannedCode) -> Resolved | None:
    code = scan.code
    location = session.scalar(
        select(Location).where((Location.barcode == code) | (Location.code == code)).limit(1)
    )
    if location is not None:
        return Resolved(scan, "location", location=location)
    plate = session.scalar(select(LicensePlate).where(LicensePlate.code == code))
    if plate is not None:
        return Resolved(scan, "license_plate", license_plate=plate)
    order = session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == code))
    if order is not None:
        return Resolved(scan, "purchase_order", purchase_order=order)
    user = session.scalar(select(User).where(User.badge_code == code, User.active.is_(True)))
    if user is not None:
        return Resolved(scan, "user", user=user)
    product = session.scalar(select(Product).where(Product.sku == code))
    if product is not None:
        return Resolved(scan, "product", product=product)
    return None


def product_id_for(session: Session, code: str) -> int:
    """The product a SKU or barcode names; the scanning service's words when it is not one."""
    return resolve(session, code).expect("product").product.id


class ProductRef(NamedTuple):  # a named tuple: made on every scan, in one step
    """A product as the scan path needs it: plain values, no ORM object."""

    id: int
    sku: str
    name: str
    tracking: str
    expiry_tracked: bool
    min_shelf_life_days: int = 0


class ProductScan(NamedTuple):  # a named tuple: made on every item scan, in one step
    scan: ScannedCode
    product: ProductRef
    units: int  # per scan: a case barcode multiplies


def _product_by_barcode(count: int) -> Prepared:
    """The floor's most frequent query, for ``count`` candidate codes (built once per count)."""
    return Prepared(
        select(Product.id, Product.sku, Product.name, Product.tracking, Product.expiry_tracked,
               ProductBarcode.quantity, Product.min_shelf_life_days)
        .join_from(ProductBarcode, Product, ProductBarcode.product_id == Product.id)
        .where(ProductBarcode.code.in_([bindparam(f"code{n}") for n in range(count)]))
        .limit(1))


# candidate codes -> the statement and its parameters' names
_PRODUCT_BY_BARCODE = {count: (_product_by_barcode(count), tuple(f"code{n}" for n in range(count)))
                       for count in range(1, 7)}


def product_by_barcode(session: Session, scan: ScannedCode) -> ProductScan | None:
    """The product whose barcode ``scan`` is, by one prebuilt tuple statement; None when it is
    none (a command, an SSCC, a location, an unknown code: ``resolve`` tells which)."""
    codes = scan.lookup_codes() if scan.kind != "command" and not scan.sscc else ()
    if not codes:
        return None
    codes = codes[:6]  # a code, an SSCC and GTIN-8/12/13/14 variants at most
    statement, names = _PRODUCT_BY_BARCODE[len(codes)]
    row = statement.first(connection(session), dict(zip(names, codes)))
    return None if row is None else ProductScan(scan, ProductRef(*row[:5], row[6]), row[5])


def resolve_product(session: Session, scanned: ScannedCode | str) -> ProductScan:
    """A scan that must name a product: one tuple query for a barcode, else ``resolve``'s
    full search and its errors (WrongScanKind for a location, UnknownBarcode...)."""
    scan = interpret(scanned) if isinstance(scanned, str) else scanned
    found = product_by_barcode(session, scan)
    if found is not None:
        return found
    resolved = resolve(session, scan).expect("product")
    product = resolved.product
    return ProductScan(scan, ProductRef(product.id, product.sku, product.name, product.tracking,
                                        product.expiry_tracked, product.min_shelf_life_days), resolved.units)


def what_is(session: Session, raw: str) -> tuple[str, str] | None:
    """(kind, label) of a scan the database knows (product, location, ...); None when it names
    nothing. The floor dialogue asks this before taking a scan as a lot, serial or reason."""
    try:
        found = resolve(session, raw)
    except ScanError:
        return None
    return found.kind, found.label
