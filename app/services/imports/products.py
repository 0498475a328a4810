"""Products import: one row per SKU, with its unit GTIN, case GTIN and any other codes."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.core.csv_cells import barcode_key
from app.core.csv_rules import Column, Problem, Row, Table, duplicates
from app.core.scan import GTIN_LENGTHS, gtin_variants, is_digits
from app.db.models import OnHand, Product, ProductBarcode
from app.services.imports.common import Counts, Importer, chunks, one_of

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


class Code(NamedTuple):
    column: str
    code: str
    quantity: int
    kind: str  # gtin | case | internal
    key: str  # barcode_key(code): GTINs as GTIN-14


def row_codes(row: Row) -> list[Code]:
    codes = []
    values = row.values
    if values.get("gtin"):
        codes.append(Code("gtin", values["gtin"], 1, "gtin", values["gtin"].zfill(14)))
    if values.get("case_gtin"):
        codes.append(Code("case_gtin", values["case_gtin"], values.get("case_qty") or 1, "case",
                          values["case_gtin"].zfill(14)))
    for code, quantity in values.get("barcodes") or ():
        looks_gtin = is_digits(code) and len(code) in GTIN_LENGTHS
        kind = "case" if quantity > 1 else "gtin" if looks_gtin else "internal"
        codes.append(Code("barcodes", code, quantity, kind, code.zfill(14) if looks_gtin else code))
    return codes


def _row_rules(row: Row) -> list[Problem]:
    problems = []
    if row.get("case_gtin") and not row.get("case_qty") and "case_qty" not in row.invalid:
        problems.append(Problem(row.number, "case_qty", "required with case_gtin"))
    if row.get("case_qty") and not row.get("case_gtin") and "case_gtin" not in row.invalid:
        problems.append(Problem(row.number, "case_gtin", "case_qty is given, but no case_gtin"))
    return problems


def _barcodes_in_file(rows: list[Row], codes: list[list[Code]], first: dict) -> list[Problem]:
    """Codes an earlier row of the file (``first``: every batch so far, key -> row) already has."""
    problems = []
    for row, row_codes_ in zip(rows, codes, strict=True):
        for index, code in enumerate(row_codes_):
            where = first.setdefault(_compact(code.key), row.number)
            if where != row.number:
                problems.append(Problem(row.number, code.column, f"barcode {code.code} is already on row {where}"))
            elif any(other.key == code.key for other in row_codes_[:index]):
                problems.append(Problem(row.number, code.column, f"barcode {code.code} is already on this row"))
    return problems


def _compact(key: str) -> int | str:
    """A barcode key as kept for the whole file: GTINs as numbers (half the memory)."""
    return int(key) if len(key) == 14 and key.isdigit() and key.isascii() else key


def barcodes_in_database(session: Session, codes: list[Code]) -> dict[str, dict]:
    """Stored barcodes matching ``codes`` in any GTIN form, by barcode_key: id, code, kind,
    quantity and the product's sku (a few IN queries, no ORM objects)."""
    variants = []
    for code in codes:
        looks_gtin = is_digits(code.code) and len(code.code) in GTIN_LENGTHS
        variants.extend(gtin_variants(code.key) if looks_gtin else [code.code])
    found = {}
    query = select(BARCODES.c.id, BARCODES.c.code, BARCODES.c.kind, BARCODES.c.quantity, PRODUCTS.c.sku).join(
        PRODUCTS, PRODUCTS.c.id == BARCODES.c.product_id)
    for part in chunks(variants, LOOKUP):
        for barcode in session.execute(query.where(one_of(session, BARCODES.c.code, part))).mappings():
            found[barcode_key(barcode["code"])] = dict(barcode)
    return found


def _with_stock(session: Session, product_ids: list[int]) -> set[int]:
    stocked: set[int] = set()
    for part in chunks(product_ids):
        stocked.update(session.scalars(
            select(OnHand.product_id).where(OnHand.product_id.in_(part), OnHand.quantity > 0).distinct()
        ))
    return stocked


def check(session: Session, table: Table) -> list[Problem]:
    """One batch of the file (``Importer.batched``): nothing of the file is written yet."""
    rows = table.rows
    codes = _codes(table)
    first_codes = table.seen("barcode")
    problems = duplicates(rows, "sku", first=table.seen("sku")) + _barcodes_in_file(rows, codes, first_codes)
    for row in rows:
        problems += _row_rules(row)
    existing = _existing(session, table)
    stored = _stored(session, table)
    stocked = _with_stock(session, [product["id"] for product in existing.values()])
    for row, row_codes_ in zip(rows, codes, strict=True):
        sku = row.values.get("sku")
        product = existing.get(sku)
        for code in row_codes_:
            key = code.key
            if first_codes[_compact(key)] != row.number:
                continue  # an earlier row has it: reported above
            barcode = stored.get(key)
            if barcode is not None and barcode["sku"] != sku:
                problems.append(Problem(row.number, code.column,
                                        f"barcode {code.code} belongs to {barcode['sku']}"))
        tracking = row.values.get("tracking", product["tracking"] if product else "none")
        if row.get("expiry_tracked") and tracking == "none" and "tracking" not in row.invalid:
            problems.append(Problem(row.number, "expiry_tracked",
                                    "expiry is kept per lot: set tracking to lot or serial"))
        if product is not None and product["id"] in stocked:
            for name in STOCK_SENSITIVE:
                if name in row.values and row.get(name) != product[name]:
                    problems.append(Problem(
                        row.number, name,
                        f"{sku} has stock: {name} cannot change from {product[name]} to {row.get(name)}"))
    return problems


def apply(session: Session, table: Table) -> Counts:
    """Bulk statements (Core INSERT/UPDATE executemany, the new ids through RETURNING), no
    ORM object per row: a batch costs the same few statements whatever its rows."""
    existing = {sku: product["id"] for sku, product in _existing(session, table).items()}
    stored = _stored(session, table)
    new_rows = [row for row in table.rows if row.values["sku"] not in existing]
    if new_rows:  # multi-row INSERT ... RETURNING (SQLAlchemy's insertmanyvalues), any order
        existing.update(session.execute(insert(PRODUCTS).returning(PRODUCTS.c.sku, PRODUCTS.c.id), [
            {**NEW_PRODUCT, "sku": row.values["sku"], **_present(row)} for row in new_rows]).all())
    for fields, part in _updates(table.rows, existing, {row.values["sku"] for row in new_rows}):
        session.execute(update(PRODUCTS).where(PRODUCTS.c.id == bindparam("product_id")).values(
            {name: bindparam(name) for name in fields}), part)
    new_codes, changed_codes = [], []
    for row, row_codes_ in zip(table.rows, _codes(table), strict=True):
        for code in row_codes_:
            barcode = stored.get(code.key)
            if barcode is None:  # barcodes are added or updated, never removed by an import
                new_codes.append({"product_id": existing[row.values["sku"]], "code": code.code,
                                  "kind": code.kind, "quantity": code.quantity})
            elif (barcode["kind"], barcode["quantity"]) != (code.kind, code.quantity):
                changed_codes.append({"barcode_id": barcode["id"], "kind": code.kind, "quantity": code.quantity})
    if new_codes:
        session.execute(insert(BARCODES), new_codes)
    if changed_codes:
        session.execute(update(BARCODES).where(BARCODES.c.id == bindparam("barcode_id")).values(
            kind=bindparam("kind"), quantity=bindparam("quantity")), changed_codes)
    session.expire_all()  # ORM objects loaded before the import must not hide what the statements wrote
    new_total = table.shared["new barcodes"] = table.shared.get("new barcodes", 0) + len(new_codes)
    created = len(new_rows)
    return Counts(created, len(table.rows) - created, f"{new_total} new barcodes" if new_total else "")


# What a new product is when the file leaves a column out (the model's defaults).
NEW_PRODUCT = {"unit": "each", "tracking": "none", "expiry_tracked": False, "min_shelf_life_days": 0,
               "product_group": None,
               "weight_kg": None, "length_cm": None, "width_cm": None, "height_cm": None, "unit_cost": None}
PRODUCTS, BARCODES = Product.__table__, ProductBarcode.__table__
LOOKUP = 5000  # bound parameters per IN (...) lookup: below SQLite's 32,766 and PostgreSQL's 65,535


def _codes(table: Table) -> list[list[Code]]:
    """Every row's codes, worked out once for check() and once for apply()."""
    if "_codes" not in table.memo:
        table.memo["_codes"] = [row_codes(row) for row in table.rows]
    return table.memo["_codes"]  # type: ignore[return-value]


def _existing(session: Session, table: Table) -> dict[str, dict]:
    """The batch's products already in the database by SKU (id and the stock-sensitive
    fields), looked up by check() and kept for apply()."""
    if "existing" not in table.memo:
        query = select(PRODUCTS.c.sku, PRODUCTS.c.id, *{PRODUCTS.c[name] for name in ("tracking", *STOCK_SENSITIVE)})
        found = {}
        for part in chunks((row.values.get("sku") for row in table.rows), LOOKUP):
            found.update((product["sku"], dict(product))
                         for product in session.execute(query.where(one_of(session, PRODUCTS.c.sku, part))).mappings())
        table.memo["existing"] = found
    return table.memo["existing"]  # type: ignore[return-value]


def _stored(session: Session, table: Table) -> dict[str, dict]:
    """The batch's barcodes already in the database, looked up by check() and kept for apply()."""
    if "stored" not in table.memo:
        table.memo["stored"] = barcodes_in_database(session, [c for codes in _codes(table) for c in codes])
    return table.memo["stored"]  # type: ignore[return-value]


def _present(row: Row) -> dict[str, object]:
    """The row's cells for FIELDS; a column absent from the file is left out."""
    return {name: row.values[name] for name in FIELDS if name in row.values}


def _updates(rows: list[Row], ids: dict[str, int], created: set) -> list[tuple[tuple[str, ...], list[dict]]]:
    """UPDATE parameter sets for products that existed, grouped by the columns the file has."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        if row.values["sku"] in created:
            continue
        values = _present(row)
        if values:
            groups.setdefault(tuple(values), []).append({"product_id": ids[row.values["sku"]], **values})
    return list(groups.items())


IMPORTER = Importer(
    kind="products",
    noun="products",
    key="sku",
    description="Products and their barcodes (one row per SKU).",
    columns=COLUMNS,
    check=check,
    apply=apply,
    batched=True,
)
