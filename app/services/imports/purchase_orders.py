"""Purchase orders and ASNs import: one row per order line, the order's fields repeated."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.csv_rules import Column, Problem, Row, Table, duplicates
from app.db.models import Product, PurchaseOrder, PurchaseOrderLine
from app.services.imports.common import Counts, Importer, existing_by, set_present

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


def _order_fields_agree(rows: list[Row]) -> list[Problem]:
    """The order's own fields repeat on each of its lines and must say the same thing."""
    first: dict[str, Row] = {}
    problems = []
    for row in rows:
        number = row.get("number")
        if number is None:
            continue
        head = first.setdefault(number, row)
        for name in HEADER_FIELDS:
            if name in row.values and name in head.values and row.get(name) != head.get(name):
                problems.append(Problem(row.number, name, f"{number} says {head.get(name) or '(blank)'} "
                                        f"on row {head.number}, {row.get(name) or '(blank)'} here"))
    return problems


def _order_and(column: str):
    return lambda row: (row.get("number"), row.get(column)) if row.get(column) is not None else None


def check(session: Session, table: Table) -> list[Problem]:
    rows = table.rows
    problems = (_order_fields_agree(rows)
                + duplicates(rows, "line_no", key=_order_and("line_no"), what="this line number")
                + duplicates(rows, "sku", key=_order_and("sku"), what="this SKU"))
    products = existing_by(session, Product.sku, (row.get("sku") for row in rows))
    orders = existing_by(session, PurchaseOrder.number, (row.get("number") for row in rows))
    for row in rows:
        sku = row.get("sku")
        if sku is not None and sku not in products:
            problems.append(Problem(row.number, "sku", f"no product {sku} (import products first)"))
        order = orders.get(row.get("number"))
        if order is not None and not _replaceable(order):
            problems.append(Problem(row.number, "number", f"{order.number} is "
                                    f"{order.status.replace('_', ' ')} and cannot be replaced"))
    return problems


def _replaceable(order: PurchaseOrder) -> bool:
    """Only an order nothing happened to yet: receiving counts and moves point at its lines."""
    untouched = all(line.quantity_received == 0 and line.quantity_damaged == 0 for line in order.lines)
    return order.status == "open" and untouched


def apply(session: Session, table: Table) -> Counts:
    products = existing_by(session, Product.sku, (row.get("sku") for row in table.rows))
    orders = existing_by(session, PurchaseOrder.number, (row.get("number") for row in table.rows))
    created = replaced = lines = 0
    seen: set[str] = set()
    for row in table.rows:
        number = row.get("number")
        order = orders.get(number)
        if number not in seen:
            seen.add(number)
            if order is None:
                order = orders[number] = PurchaseOrder(number=number, kind="po", supplier="",
                                                       status="open")
                session.add(order)
                created += 1
            else:
                order.lines.clear()
                replaced += 1
            set_present(order, row, HEADER_FIELDS)
            session.flush()  # the replaced lines go before the new ones arrive
        order.lines.append(PurchaseOrderLine(
            line_no=row.get("line_no"), product=products[row.get("sku")],
            quantity_expected=row.get("quantity"), quantity_received=0, quantity_damaged=0))
        lines += 1
    session.flush()
    return Counts(created, replaced, f"{lines} lines")


IMPORTER = Importer(
    kind="purchase-orders",
    noun="orders",
    key="number",
    description="Purchase orders and ASNs to receive (one row per line).",
    columns=COLUMNS,
    check=check,
    apply=apply,
)
