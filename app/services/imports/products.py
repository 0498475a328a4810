"""Products import: one row per SKU, with its unit GTIN, case GTIN and any other codes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.core.csv_rules import Column, Problem, Row, Table, barcode_key, duplicates
from app.core.scan import GTIN_LENGTHS, gtin_variants, is_digits
from app.db.models import OnHand, Product, ProductBarcode
from app.services.imports.common import Counts, Importer, chunks, existing_by

COLUMNS = (
    Column("sku", "text", "Stock-keeping unit. The key: a SKU already in the database is updated.",
           required=True, max_length=64),
    Column("name", "text", "Product name as operators see it.", required=True, max_length=255),
    Column("unit", "text", "Unit of measure (each, pack...); quantities are whole units.",
           default="each", max_length=16),
    Column("tracking", "choice", "Lot or serial numbers captured on receipt.",
           choices=("none", "lot", "serial"), default="none"),
    Column("expiry_tracked", "boolean", "Lots carry an expiry date (needs tracking lot or serial).",
           default=False),
    Column("min_shelf_life_days", "integer",
           "Days of shelf life a lot must still have on receipt (0: only expired lots are held).",
           default=0, minimum=0),
    Column("product_group", "text", "Free grouping for reports and put-away.", max_length=64),
    Column("gtin", "gtin", "The unit's GTIN (check digit verified)."),
    Column("case_gtin", "gtin", "GTIN of a case, usually a GTIN-14; needs case_qty."),
    Column("case_qty", "integer", "Units in one case_gtin case.", minimum=2),
    Column("weight_kg", "decimal", "Weight of one unit in kg.", minimum=0),
    Column("length_cm", "decimal", "Length of one unit in cm.", minimum=0),
    Column("width_cm", "decimal", "Width of one unit in cm.", minimum=0),
    Column("height_cm", "decimal", "Height of one unit in cm.", minimum=0),
    Column("unit_cost", "decimal", "Cost of one unit (stock valuation).", minimum=0),
    Column("barcodes", "barcodes",
           "More codes and the units each stands for, e.g. 'INT-77:1;95012345678903:6'. "
           "All-digit codes of GTIN length must have a valid check digit."),
)
FIELDS = ("name", "unit", "tracking", "expiry_tracked", "min_shelf_life_days", "product_group",
          "weight_kg", "length_cm", "width_cm", "height_cm", "unit_cost")
# Changing these on a product with stock would change what the stock on the shelf means.
STOCK_SENSITIVE = ("tracking", "unit")


@dataclass(frozen=True)
class Code:
    column: str
    code: str
    quantity: int
    kind: str  # gtin | case | internal


def row_codes(row: Row) -> list[Code]:
    codes = []
    if row.get("gtin"):
        codes.append(Code("gtin", row.get("gtin"), 1, "gtin"))
    if row.get("case_gtin"):
        codes.append(Code("case_gtin", row.get("case_gtin"), row.get("case_qty") or 1, "case"))
    for code, quantity in row.get("barcodes") or ():
        looks_gtin = is_digits(code) and len(code) in GTIN_LENGTHS
        kind = "case" if quantity > 1 else "gtin" if looks_gtin else "internal"
        codes.append(Code("barcodes", code, quantity, kind))
    return codes


def _row_rules(row: Row) -> list[Problem]:
    problems = []
    if row.get("case_gtin") and not row.get("case_qty") and "case_qty" not in row.invalid:
        problems.append(Problem(row.number, "case_qty", "required with case_gtin"))
    if row.get("case_qty") and not row.get("case_gtin") and "case_gtin" not in row.invalid:
        problems.append(Problem(row.number, "case_gtin", "case_qty is given, but no case_gtin"))
    return problems


def _barcodes_in_file(rows: list[Row], codes: list[list[Code]]) -> list[Problem]:
    problems = []
    first: dict[str, tuple[int, str]] = {}
    for row, row_codes_ in zip(rows, codes, strict=True):
        for code in row_codes_:
            key = barcode_key(code.code)
            if key in first:
                where, sku = first[key]
                owner = "this row" if where == row.number else f"row {where} ({sku})"
                problems.append(Problem(row.number, code.column, f"barcode {code.code} is already on {owner}"))
            else:
                first[key] = (row.number, str(row.get("sku")))
    return problems


def barcodes_in_database(session: Session, codes: list[str]) -> dict[str, ProductBarcode]:
    """Stored barcodes matching ``codes`` in any GTIN form, by barcode_key."""
    variants = []
    for code in codes:
        looks_gtin = is_digits(code) and len(code) in GTIN_LENGTHS
        variants.extend(gtin_variants(barcode_key(code)) if looks_gtin else [code])
    found = existing_by(session, ProductBarcode.code, variants)
    # Their products in a few IN queries: barcode.product then comes from the identity map.
    existing_by(session, Product.id, {barcode.product_id for barcode in found.values()})
    return {barcode_key(code): barcode for code, barcode in found.items()}


def _with_stock(session: Session, product_ids: list[int]) -> set[int]:
    stocked: set[int] = set()
    for part in chunks(product_ids):
        stocked.update(session.scalars(
            select(OnHand.product_id).where(OnHand.product_id.in_(part), OnHand.quantity > 0).distinct()
        ))
    return stocked


def check(session: Session, table: Table) -> list[Problem]:
    rows = table.rows
    codes = _codes(table)
    problems = duplicates(rows, "sku") + _barcodes_in_file(rows, codes)
    for row in rows:
        problems += _row_rules(row)
    existing = existing_by(session, Product.sku, (row.get("sku") for row in rows))
    stored = _stored(session, table)
    stocked = _with_stock(session, [product.id for product in existing.values()])
    for row, row_codes_ in zip(rows, codes, strict=True):
        sku = row.get("sku")
        product = existing.get(sku)
        for code in row_codes_:
            barcode = stored.get(barcode_key(code.code))
            if barcode is not None and barcode.product.sku != sku:
                problems.append(Problem(row.number, code.column,
                                        f"barcode {code.code} belongs to {barcode.product.sku}"))
        tracking = row.values.get("tracking", getattr(product, "tracking", "none"))
        if row.get("expiry_tracked") and tracking == "none" and "tracking" not in row.invalid:
            problems.append(Problem(row.number, "expiry_tracked",
                                    "expiry is kept per lot: set tracking to lot or serial"))
        if product is not None and product.id in stocked:
            for name in STOCK_SENSITIVE:
                if name in row.values and row.get(name) != getattr(product, name):
                    problems.append(Problem(
                        row.number, name,
                        f"{sku} has stock: {name} cannot change from {getattr(product, name)} "
                        f"to {row.get(name)}"))
    return problems


def apply(session: Session, table: Table) -> Counts:
    """Bulk statements (Core INSERT/UPDATE executemany), no ORM object per row: a 100k-row
    file lands in seconds and in bounded memory."""
    existing = existing_ids(session, (row.get("sku") for row in table.rows))
    stored = _stored(session, table)
    new_rows = [row for row in table.rows if row.get("sku") not in existing]
    for part in _batches(new_rows):  # plain executemany, the ids are read back by SKU
        session.execute(insert(PRODUCTS), [{**NEW_PRODUCT, "sku": row.get("sku"), **_present(row)} for row in part])
    existing.update(existing_ids(session, (row.get("sku") for row in new_rows)))
    for fields, part in _updates(table.rows, existing, {row.get("sku") for row in new_rows}):
        session.execute(update(PRODUCTS).where(PRODUCTS.c.id == bindparam("product_id")).values(
            {name: bindparam(name) for name in fields}), part)
    new_codes, changed_codes = [], []
    for row, row_codes_ in zip(table.rows, _codes(table), strict=True):
        for code in row_codes_:
            barcode = stored.get(barcode_key(code.code))
            if barcode is None:  # barcodes are added or updated, never removed by an import
                new_codes.append({"product_id": existing[row.get("sku")], "code": code.code,
                                  "kind": code.kind, "quantity": code.quantity})
            elif (barcode.kind, barcode.quantity) != (code.kind, code.quantity):
                changed_codes.append({"barcode_id": barcode.id, "kind": code.kind, "quantity": code.quantity})
    for part in _batches(new_codes):
        session.execute(insert(BARCODES), part)
    for part in _batches(changed_codes):
        session.execute(update(BARCODES).where(BARCODES.c.id == bindparam("barcode_id")).values(
            kind=bindparam("kind"), quantity=bindparam("quantity")), part)
    session.expire_all()  # objects loaded by check() must not hide what the statements wrote
    created = len(new_rows)
    return Counts(created, len(table.rows) - created, f"{len(new_codes)} new barcodes" if new_codes else "")


# What a new product is when the file leaves a column out (the model's defaults).
NEW_PRODUCT = {"unit": "each", "tracking": "none", "expiry_tracked": False, "min_shelf_life_days": 0,
               "product_group": None,
               "weight_kg": None, "length_cm": None, "width_cm": None, "height_cm": None, "unit_cost": None}
BATCH = 5000
PRODUCTS, BARCODES = Product.__table__, ProductBarcode.__table__


def _codes(table: Table) -> list[list[Code]]:
    """Every row's codes, worked out once for check() and apply()."""
    if "codes" not in table.memo:
        table.memo["codes"] = [row_codes(row) for row in table.rows]
    return table.memo["codes"]  # type: ignore[return-value]


def _stored(session: Session, table: Table) -> dict[str, ProductBarcode]:
    """The file's barcodes already in the database, looked up once for check() and apply()."""
    if "stored" not in table.memo:
        table.memo["stored"] = barcodes_in_database(session, [c.code for codes in _codes(table) for c in codes])
    return table.memo["stored"]  # type: ignore[return-value]


def _present(row: Row) -> dict[str, object]:
    """The row's cells for FIELDS; a column absent from the file is left out."""
    return {name: row.values[name] for name in FIELDS if name in row.values}


def _batches(items: list) -> list[list]:
    return [items[start:start + BATCH] for start in range(0, len(items), BATCH)]


def _updates(rows: list[Row], ids: dict[str, int], created: set) -> list[tuple[tuple[str, ...], list[dict]]]:
    """UPDATE parameter sets for products that existed, grouped by the columns the file has."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        if row.get("sku") in created:
            continue
        values = _present(row)
        if values:
            groups.setdefault(tuple(values), []).append({"product_id": ids[row.get("sku")], **values})
    return [(fields, part) for fields, items in groups.items() for part in _batches(items)]


def existing_ids(session: Session, skus) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(skus):
        found.update(session.execute(select(Product.sku, Product.id).where(Product.sku.in_(part))).all())
    return found


IMPORTER = Importer(
    kind="products",
    noun="products",
    key="sku",
    description="Products and their barcodes (one row per SKU).",
    columns=COLUMNS,
    check=check,
    apply=apply,
)
