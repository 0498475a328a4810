"""Purchase orders and ASNs import: one row per order line, the order's fields repeated."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.core.csv_rules import Column, Problem, Row, Table, duplicates
from app.db.models import Product, PurchaseOrder, PurchaseOrderLine
from app.services.imports.common import (
    LOOKUP,
    Counts,
    Importer,
    chunks,
    insert_rows,
    insert_tuples,
    key_lookup,
    present,
    update_rows,
)

COLUMNS = (
    Column("number", "text", "Order number as printed and scanned. An existing order that nothing "
           "was received on yet is replaced.", required=True, max_length=64),
    Column("kind", "choice", "po = purchase order, asn = advance shipping notice.",
           choices=("po", "asn"), default="po"),
    Column("supplier", "text", "Supplier name.", default="", max_length=128),
    Column("expected_date", "date", "When the goods are due."),
    Column("line_no", "integer", "Line number within the order.", required=True, minimum=1),
    Column("sku", "text", "Product ordered; must already exist.", required=True, max_length=64),
    Column("quantity", "integer", "Units expected.", required=True, minimum=1),
)
HEADER_FIELDS = ("kind", "supplier", "expected_date")


def _order_fields_agree(rows: list[Row], first: dict[str, tuple[int, dict]]) -> list[Problem]:
    """The order's own fields repeat on each of its lines and must say the same thing
    (``first``: each order's first row in every batch so far)."""
    problems = []
    for row in rows:
        number = row.get("number")
        if number is None:
            continue
        head_row, head = first.setdefault(number, (row.number, present(row, HEADER_FIELDS)))
        for name in HEADER_FIELDS:
            if name in row.values and name in head and row.get(name) != head[name]:
                problems.append(Problem(row.number, name, f"{number} says {head[name] or '(blank)'} "
                                        f"on row {head_row}, {row.get(name) or '(blank)'} here"))
    return problems


def _order_and(column: str):
    return lambda row: (row.get("number"), row.get(column)) if row.get(column) is not None else None


def _lookups(session: Session, table: Table) -> tuple[dict, dict]:
    """The batch's products by SKU and its stored orders by number (with what was received
    on them), looked up once for check() and apply()."""
    if "products" not in table.memo:
        table.memo["products"] = key_lookup(session, Product.__table__.c.sku, (Product.__table__.c.id,),
                                            (row.get("sku") for row in table.rows))
        orders = key_lookup(session, ORDERS.c.number, (ORDERS.c.id, ORDERS.c.status),
                            (row.get("number") for row in table.rows))
        touched = set()
        for part in chunks([order["id"] for order in orders.values()], LOOKUP):
            touched.update(session.scalars(select(LINES.c.purchase_order_id).where(
                LINES.c.purchase_order_id.in_(part),
                (LINES.c.quantity_received != 0) | (LINES.c.quantity_damaged != 0)).distinct()))
        for order in orders.values():
            order["touched"] = order["id"] in touched
        table.memo["orders"] = orders
    return table.memo["products"], table.memo["orders"]  # type: ignore[return-value]


def check(session: Session, table: Table) -> list[Problem]:
    rows = table.rows
    problems = (_order_fields_agree(rows, table.seen("order"))
                + duplicates(rows, "line_no", key=_order_and("line_no"), what="this line number",
                             first=table.seen("line_no"))
                + duplicates(rows, "sku", key=_order_and("sku"), what="this SKU", first=table.seen("sku")))
    products, orders = _lookups(session, table)
    for row in rows:
        sku = row.get("sku")
        if sku is not None and sku not in products:
            problems.append(Problem(row.number, "sku", f"no product {sku} (import products first)"))
        order = orders.get(row.get("number"))
        # Only an order nothing happened to yet: receiving counts and moves point at its lines.
        if order is not None and (order["status"] != "open" or order["touched"]):
            problems.append(Problem(row.number, "number", f"{row.get('number')} is "
                                    f"{order['status'].replace('_', ' ')} and cannot be replaced"))
    return problems


ORDERS, LINES = PurchaseOrder.__table__, PurchaseOrderLine.__table__
LINE_COLUMNS = ("purchase_order_id", "line_no", "product_id", "quantity_expected", "quantity_received",
                "quantity_damaged")
NEW_ORDER = {"kind": "po", "supplier": "", "status": "open", "expected_date": None}


def apply(session: Session, table: Table) -> Counts:
    """Per batch: the replaced orders' lines deleted and their fields updated, the new orders
    inserted (ids through RETURNING), every line inserted: a few executemany statements. The
    orders this import already wrote (earlier batches, ``shared``) only get more lines."""
    products, orders = _lookups(session, table)
    written: dict[str, int] = table.shared.setdefault("orders", {})
    new, replaced = {}, {}
    for row in table.rows:
        number = row.values["number"]
        if number in written or number in new or number in replaced:
            continue
        if number in orders:
            replaced[number] = {"id": orders[number]["id"], **present(row, HEADER_FIELDS)}
        else:
            new[number] = {**NEW_ORDER, "number": number, **present(row, HEADER_FIELDS)}
    for part in chunks([order["id"] for order in replaced.values()], LOOKUP):
        session.execute(delete(LINES).where(LINES.c.purchase_order_id.in_(part)))
    update_rows(session, ORDERS, list(replaced.values()))
    written.update({number: order["id"] for number, order in replaced.items()})
    written.update(insert_rows(session, ORDERS, list(new.values()), returning=(ORDERS.c.number, ORDERS.c.id)))
    insert_tuples(session, LINES, LINE_COLUMNS, [
        (written[values["number"]], values["line_no"], products[values["sku"]]["id"], values["quantity"], 0, 0)
        for values in (row.values for row in table.rows)])
    session.expire_all()  # ORM objects loaded before the import must not hide what the statements wrote
    totals = table.shared.setdefault("totals", {"lines": 0})
    totals["lines"] += len(table.rows)
    return Counts(len(new), len(replaced), f"{totals['lines']} lines")


IMPORTER = Importer(
    kind="purchase-orders",
    noun="orders",
    key="number",
    description="Purchase orders and ASNs to receive (one row per line).",
    columns=COLUMNS,
    check=check,
    apply=apply,
    batched=True,
)
