"""Opening stock and adjustments from CSV: `stockfloor import stock FILE.csv` (admins).

One row per stock key (SKU, location, lot, license plate). A positive quantity moves units
into the bin from a virtual location (the supplier for opening_balance, inventory loss for the
other reasons); a negative one moves them out to inventory loss. Like every import, all rows
or none: every row is checked first (the SKU and bin exist, lots and serials fit the product's
tracking, a lot's expiry agrees with the one on record, a plate is not elsewhere, removals do
not take more than is free), every problem is listed by row and column and nothing is
written. Otherwise the whole file lands in one transaction through the ledger — one audit
entry for the file, one move per row pointing back to it — in a fixed number of statements
however long the file is.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.checkdigits import is_valid_gs1
from app.core.csv_rules import Column, ImportRejected, Problem, Row, Table, decode, duplicates, read_table
from app.core.permissions import use_case
from app.db.models import VIRTUAL_LOCATION_KINDS, AuditEntry, LicensePlate, Location, Lot, OnHand, Product, utcnow
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.config import special_location
from app.services.imports.common import chunks, read_import_file

REASONS = ("opening_balance", "adjustment", "found", "damaged", "lost", "expired")
DOCUMENT_TYPE = "stock_import"

COLUMNS = (
    Column("sku", "text", "The product's SKU (import products first).", required=True, max_length=64),
    Column("location", "text", "Code of the bin the stock is in: a physical location, not blocked "
           "when stock is added.", required=True, max_length=64),
    Column("lot", "text", "Lot code (lot-tracked products) or serial number (serial-tracked, one "
           "unit per row); blank for products without tracking.", max_length=64),
    Column("expiry", "date", "Expiry of a new lot (products with expiry dates); an existing lot's "
           "expiry must match."),
    Column("license_plate", "text", "License plate (LPN or SSCC) the units are on; blank = loose.",
           max_length=32),
    Column("quantity", "integer", "Units to add; negative to take units out (to inventory loss). "
           "Not 0.", required=True),
    Column("reason", "choice", "Why: opening_balance comes from the supplier location, the others "
           "from or to inventory loss.", default="opening_balance", choices=REASONS),
)


@dataclass(frozen=True)
class StockImportSummary:
    file: str
    rows: int
    units_in: int
    units_out: int
    lots_created: int
    plates_created: int
    dry_run: bool

    def describe(self) -> str:
        rows = f"{self.rows} row{'s' if self.rows != 1 else ''}"
        verb = "valid; would move" if self.dry_run else "imported; moved"
        text = (f"{self.file}: {rows} {verb} {self.units_in} units in and {self.units_out} out "
                f"({self.lots_created} new lots, {self.plates_created} new license plates)")
        return text + (". Dry run: nothing was written." if self.dry_run else ".")


@dataclass
class _Lookup:
    """What check() found in the database, for apply()."""

    products: dict  # SKU -> (id, sku, tracking, expiry_tracked)
    locations: dict  # code -> (id, code, kind, blocked)
    lots: dict  # (product id, code) -> (id, product_id, code, expiry)
    plates: dict  # code -> (id, code)


def _key(row: Row) -> tuple | None:
    if row.get("sku") is None or row.get("location") is None:
        return None
    return row.get("sku"), row.get("location"), row.get("lot"), row.get("license_plate")


def _rows_by(session: Session, columns: tuple, key, keys: Iterable) -> dict:  # noqa: ANN001
    """Plain rows (attribute access, no ORM objects: files have tens of thousands of rows) of
    ``columns`` whose ``key`` is one of ``keys``, by that key."""
    found = {}
    for part in chunks(keys):
        for row in session.execute(select(*columns).where(key.in_(part))):
            found[getattr(row, key.key)] = row
    return found


_PRODUCT = (Product.id, Product.sku, Product.tracking, Product.expiry_tracked)
_LOCATION = (Location.id, Location.code, Location.kind, Location.blocked)
_LOT = (Lot.id, Lot.product_id, Lot.code, Lot.expiry)
_PLATE = (LicensePlate.id, LicensePlate.code)


def _lookup(session: Session, rows: list[Row]) -> _Lookup:
    products = _rows_by(session, _PRODUCT, Product.sku, (row.get("sku") for row in rows))
    locations = _rows_by(session, _LOCATION, Location.code, (row.get("location") for row in rows))
    wanted = {(products[row.get("sku")].id, row.get("lot")) for row in rows
              if row.get("sku") in products and row.get("lot") is not None}
    lots = {}
    for part in chunks(wanted):
        for lot in session.execute(select(*_LOT).where(tuple_(Lot.product_id, Lot.code).in_(part))):
            lots[(lot.product_id, lot.code)] = lot
    plates = _rows_by(session, _PLATE, LicensePlate.code, (row.get("license_plate") for row in rows))
    return _Lookup(products, locations, lots, plates)


def _stock_of(session: Session, places: Iterable[tuple[int, int]]) -> dict[tuple, tuple]:
    """(product, location, lot, plate) -> (on hand, reserved) for the (product, location) pairs
    rows take units from."""
    found: dict[tuple, tuple] = {}
    for part in chunks(places):
        for row in session.execute(
            select(OnHand.product_id, OnHand.location_id, OnHand.lot_id, OnHand.license_plate_id,
                   OnHand.quantity, OnHand.reserved)
            .where(tuple_(OnHand.product_id, OnHand.location_id).in_(part))
        ):
            found[tuple(row[:4])] = (row.quantity, row.reserved)
    return found


def _plates_elsewhere(session: Session, plate_ids: Iterable[int]) -> dict[int, set[int]]:
    """Plate -> the locations holding stock on it."""
    holders: dict[int, set[int]] = {}
    for part in chunks(plate_ids):
        for plate_id, location_id in session.execute(
            select(OnHand.license_plate_id, OnHand.location_id)
            .where(OnHand.license_plate_id.in_(part), OnHand.quantity > 0).distinct()
        ):
            holders.setdefault(plate_id, set()).add(location_id)
    return holders


def _serials_in_stock(session: Session, lot_ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for part in chunks(lot_ids):
        found.update(session.scalars(
            select(OnHand.lot_id).join(Location, Location.id == OnHand.location_id)
            .where(OnHand.lot_id.in_(part), OnHand.quantity > 0, Location.kind.not_in(VIRTUAL_LOCATION_KINDS))))
    return found


def _row_problems(row: Row, found: _Lookup) -> list[Problem]:
    """What is wrong with one row on its own (its references and its tracking)."""
    problems: list[Problem] = []
    sku, code, lot, expiry, quantity = (row.get(name) for name in ("sku", "location", "lot", "expiry", "quantity"))
    product = found.products.get(sku)
    location = found.locations.get(code)
    if sku is not None and product is None:
        problems.append(Problem(row.number, "sku", f"no product {sku} (import products first)"))
    if code is not None and location is None:
        problems.append(Problem(row.number, "location", f"no location {code} (import locations first)"))
    elif location is not None and location.kind in VIRTUAL_LOCATION_KINDS:
        problems.append(Problem(row.number, "location", f"{code} is a virtual {location.kind} location: "
                                "it holds no stock"))
    elif location is not None and location.blocked and isinstance(quantity, int) and quantity > 0:
        problems.append(Problem(row.number, "location", f"{code} is blocked: it takes no stock"))
    if quantity == 0:
        problems.append(Problem(row.number, "quantity", "must not be 0"))
    if product is None:
        return problems
    if product.tracking == "none" and lot is not None:
        problems.append(Problem(row.number, "lot", f"{sku} is not lot or serial tracked: leave it blank"))
    if product.tracking != "none" and lot is None and "lot" not in row.invalid:
        what = "serial number" if product.tracking == "serial" else "lot"
        problems.append(Problem(row.number, "lot", f"{sku} is {product.tracking} tracked: a {what} is required"))
    if product.tracking == "serial" and isinstance(quantity, int) and abs(quantity) != 1:
        problems.append(Problem(row.number, "quantity", f"{sku} is serial tracked: one unit per row (1 or -1)"))
    if expiry is not None and lot is None:
        problems.append(Problem(row.number, "expiry", "an expiry belongs to a lot: give the lot too"))
    existing = found.lots.get((product.id, lot)) if lot is not None else None
    if existing is not None and expiry is not None and existing.expiry is not None and existing.expiry != expiry:
        problems.append(Problem(row.number, "expiry", f"lot {lot} of {sku} expires on {existing.expiry}, "
                                f"not {expiry}"))
    if (existing is None and lot is not None and product.expiry_tracked and expiry is None
            and isinstance(quantity, int) and quantity > 0 and "expiry" not in row.invalid):
        problems.append(Problem(row.number, "expiry", f"{sku} has expiry dates: a new lot needs one"))
    return problems


def check(session: Session, table: Table) -> list[Problem]:
    rows = table.rows
    problems = duplicates(rows, "sku", key=_key, what="this SKU, location, lot and license plate")
    found = _lookup(session, rows)
    table.memo["lookup"] = found
    clean = []
    for row in rows:
        own = _row_problems(row, found)
        problems += own
        if not own and not row.invalid and row.get("sku") is not None and row.get("location") is not None \
                and row.get("quantity") is not None:
            clean.append(row)
    # Rows that read cleanly: their quantities against the stock on record.
    ids = [(found.products[row.get("sku")], found.locations[row.get("location")], row) for row in clean]
    stock = _stock_of(session, ((p.id, loc.id) for p, loc, row in ids if row.get("quantity") < 0))
    plates = _plates_elsewhere(session, (plate.id for plate in found.plates.values()))
    serial_products = {product.id for product in found.products.values() if product.tracking == "serial"}
    serials = _serials_in_stock(session, (lot.id for (product_id, _), lot in found.lots.items()
                                          if product_id in serial_products))
    for product, location, row in ids:
        lot = found.lots.get((product.id, row.get("lot"))) if row.get("lot") is not None else None
        plate = found.plates.get(row.get("license_plate"))
        quantity = row.get("quantity")
        if plate is not None and plates.get(plate.id, set()) - {location.id}:
            problems.append(Problem(row.number, "license_plate", f"{plate.code} holds stock in another location"))
        if quantity > 0 and product.tracking == "serial" and lot is not None and lot.id in serials:
            problems.append(Problem(row.number, "lot", f"serial {lot.code} of {product.sku} is already in stock"))
        if quantity < 0:
            on_hand, reserved = stock.get((product.id, location.id, lot.id if lot else None,
                                           plate.id if plate else None), (0, 0))
            if on_hand - reserved < -quantity:
                problems.append(Problem(row.number, "quantity", f"{location.code} has {on_hand - reserved} "
                                        f"free units of {product.sku} there (on hand {on_hand}, reserved "
                                        f"{reserved}); cannot take {-quantity}"))
    return problems


def _new_lots(session: Session, table: Table, found: _Lookup) -> int:
    wanted: dict[tuple[int, str], dict] = {}
    for row in table.rows:
        product = found.products[row.get("sku")]
        if row.get("lot") is not None and (product.id, row.get("lot")) not in found.lots:
            wanted.setdefault((product.id, row.get("lot")), {"product_id": product.id, "code": row.get("lot"),
                                                             "expiry": row.get("expiry")})
    if wanted:
        for lot in session.execute(insert(Lot).returning(*_LOT), list(wanted.values())):
            found.lots[(lot.product_id, lot.code)] = lot
    return len(wanted)


def _new_plates(session: Session, table: Table, found: _Lookup) -> int:
    wanted = {row.get("license_plate") for row in table.rows
              if row.get("license_plate") is not None and row.get("license_plate") not in found.plates}
    if wanted:
        now = utcnow()
        codes = sorted(wanted)
        for plate in session.execute(insert(LicensePlate).returning(*_PLATE),
                                     [{"code": code, "is_sscc": _is_sscc(code), "created_at": now}
                                      for code in codes]):
            found.plates[plate.code] = plate
    return len(wanted)


def _is_sscc(code: str) -> bool:
    return len(code) == 18 and code.isdigit() and is_valid_gs1(code)


def apply(session: Session, table: Table, actor: Actor, file: str) -> StockImportSummary:
    found: _Lookup = table.memo["lookup"]  # type: ignore[assignment]
    lots_created = _new_lots(session, table, found)
    plates_created = _new_plates(session, table, found)
    units_in = sum(row.get("quantity") for row in table.rows if row.get("quantity") > 0)
    units_out = -sum(row.get("quantity") for row in table.rows if row.get("quantity") < 0)
    reasons = sorted({row.get("reason") for row in table.rows})
    audit_id = session.execute(insert(AuditEntry).returning(AuditEntry.id), [audit.entry(
        actor, "stock_import", file=file, rows=len(table.rows), units_in=units_in, units_out=units_out,
        reasons=reasons)]).scalar_one()
    supplier = special_location(session, "supplier")
    loss = special_location(session, "inventory_loss")
    batch = uuid.uuid4().hex[:16]
    moves = []
    for row in table.rows:
        product, location = found.products[row.get("sku")], found.locations[row.get("location")]
        lot = found.lots.get((product.id, row.get("lot"))) if row.get("lot") is not None else None
        plate = found.plates.get(row.get("license_plate"))
        quantity, reason = row.get("quantity"), row.get("reason")
        outside = supplier if reason == "opening_balance" and quantity > 0 else loss
        moves.append(ledger.BulkMove(
            product_id=product.id, quantity=abs(quantity),
            source=outside if quantity > 0 else location, destination=location if quantity > 0 else outside,
            reason=reason, idempotency_key=f"stock-import:{batch}:{row.number}",
            lot_id=lot.id if lot else None, license_plate_id=plate.id if plate else None))
    ledger.post_moves(session, moves, actor=actor, document_type=DOCUMENT_TYPE, document_id=audit_id)
    return StockImportSummary(file, len(table.rows), units_in, units_out, lots_created, plates_created,
                              dry_run=False)


@use_case("import_stock")
def import_stock(uow: UnitOfWork, path: Path, *, actor: Actor, dry_run: bool = False) -> StockImportSummary:
    """Check every row of ``path``, then move all of it through the ledger in one transaction
    (or nothing: ImportRejected lists every problem). A dry run does it all and rolls back."""
    table = read_table(decode(read_import_file(path), path.name), COLUMNS)
    problems = table.problems + check(uow.session, table)
    if problems:
        raise ImportRejected(problems, file=path.name)
    summary = apply(uow.session, table, actor, path.name)
    if dry_run:
        uow.rollback()
        return StockImportSummary(**{**summary.__dict__, "dry_run": True})
    uow.commit()
    return summary


def column_help() -> str:
    return "\n".join(
        f"  {column.name} ({'required' if column.required else 'optional'}, {column.type_text()})\n"
        f"      {column.meaning}"
        for column in COLUMNS
    )
