"""Importing customer orders from CSV (one row per order line) or JSON (a list of orders).

Same standard as the other imports (app.core.csv_rules): every problem is reported with its
row, column and reason, and nothing is written unless there are none. An order number may
exist once per channel, in the file and in the database. For JSON the "row" is the order's
position in the list (1 = first) and the column a path such as ``lines[2].sku``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import Actor
from app.core.csv_cells import CellError, parse_cell
from app.core.csv_rules import Column, ImportRejected, Problem, Row, decode, decoded_lines, read_batches
from app.core.permissions import use_case
from app.db.models import Product
from app.db.models_picking import SalesOrder, SalesOrderLine
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.imports.common import (
    BATCH_ROWS,
    LOOKUP,
    chunks,
    insert_tuples,
    json_documents,
    key_lookup,
)
from app.services.orders.documents import OrderInput, ShipTo

ORDER_COLUMNS = (
    Column("channel", "text", "Sales channel: Shopify, Amazon, eBay...", required=True, max_length=32),
    Column("order_number", "text", "The channel's order number (unique per channel).",
           required=True, max_length=64),
    Column("ship_to_name", "text", "Recipient.", required=True, max_length=128),
    Column("ship_to_address1", "text", "Street and number.", required=True, max_length=128),
    Column("ship_to_address2", "text", "More address.", default="", max_length=128),
    Column("ship_to_city", "text", "City.", required=True, max_length=64),
    Column("ship_to_postcode", "text", "Postcode.", required=True, max_length=16),
    Column("ship_to_country", "text", "ISO country code, two letters (DE, US...).",
           required=True, max_length=2),
    Column("carrier", "text", "Carrier: DHL, UPS...", required=True, max_length=32),
    Column("service", "text", "Carrier service: Express, Standard...", default="", max_length=32),
    Column("priority", "integer", "Higher is picked first.", default=0, minimum=0),
    Column("ship_by", "date", "Latest dispatch date."),
)
LINE_COLUMNS = (
    Column("sku", "text", "Product SKU.", required=True, max_length=64),
    Column("quantity", "integer", "Units ordered.", required=True, minimum=1),
)
CSV_COLUMNS = ORDER_COLUMNS + LINE_COLUMNS
ORDER_FIELDS = tuple(c.name for c in ORDER_COLUMNS[2:])  # every row of one order must agree
JSON_SHIP_TO = {"name", "address1", "address2", "city", "postcode", "country"}


@dataclass
class Draft:
    row: int  # where the order starts
    values: dict[str, object]
    lines: list[tuple[int, str, str, int]] = field(default_factory=list)  # (row, column, sku, qty)

    @property
    def key(self) -> tuple[str, str]:
        return (self.values["channel"], self.values["order_number"])

    def to_input(self) -> OrderInput:
        v = self.values
        ship_to = ShipTo(v["ship_to_name"], v["ship_to_address1"], v["ship_to_city"],
                         v["ship_to_postcode"], v["ship_to_country"], v["ship_to_address2"] or "")
        return OrderInput(v["channel"], v["order_number"], ship_to, v["carrier"],
                          tuple((sku, qty) for _, _, sku, qty in self.lines),
                          v["service"] or "", v["priority"] or 0, v["ship_by"])


@dataclass(frozen=True)
class ImportSummary:
    orders: int
    lines: int


def _country(value: str, row: int, column: str, problems: list[Problem]) -> str:
    if not (len(value) == 2 and value.isalpha()):
        problems.append(Problem(row, column, f"'{value}' is not a two-letter country code"))
    return value.upper()


def read_csv(lines: Iterable[str]) -> tuple[list[Draft], list[Problem]]:
    """The orders of a CSV file given line by line, read in batches of BATCH_ROWS rows:
    memory holds one batch's rows and the orders so far, never the file's text."""
    problems: list[Problem] = []
    drafts: dict[tuple, Draft] = {}
    for table in read_batches(lines, CSV_COLUMNS, size=BATCH_ROWS):
        problems += table.problems
        for row in table.rows:
            _add_row(drafts, row, problems)
    return list(drafts.values()), problems


def _add_row(drafts: dict[tuple, Draft], row: Row, problems: list[Problem]) -> None:
    if any(row.get(c.name) is None for c in CSV_COLUMNS if c.required):
        return  # its cells were reported already
    values = {c.name: row.get(c.name) for c in ORDER_COLUMNS}
    values["ship_to_country"] = _country(values["ship_to_country"], row.number, "ship_to_country", problems)
    draft = drafts.get((values["channel"], values["order_number"]))
    if draft is None:
        draft = drafts[(values["channel"], values["order_number"])] = Draft(row.number, values)
    else:
        for name in ORDER_FIELDS:
            if values[name] != draft.values[name]:
                problems.append(Problem(row.number, name, f"differs from row {draft.row} of order "
                                                          f"{values['order_number']}"))
    _add_line(draft, row.number, "sku", row.get("sku"), row.get("quantity"), problems)


def _add_line(draft: Draft, row: int, column: str, sku: str, quantity: int, problems: list[Problem]) -> None:
    earlier = next((r for r, _, s, _ in draft.lines if s == sku), None)
    if earlier is not None:
        problems.append(Problem(row, column, f"{sku} is already on row {earlier} of order "
                                             f"{draft.values['order_number']}"))
    else:
        draft.lines.append((row, column, sku, quantity))


def parse_json(text: str) -> tuple[list[Draft], list[Problem]]:
    data, problems = json_documents(text, "orders", "orders")
    if problems:
        return [], problems
    drafts, problems, first = [], [], {}
    for number, item in enumerate(data, start=1):
        draft = _json_order(number, item, problems)
        if draft is None:
            continue
        if draft.key in first:
            problems.append(Problem(number, "order_number",
                                    f"{draft.key[0]} order {draft.key[1]} is already order {first[draft.key]} of this file"))
        else:
            first[draft.key] = number
            drafts.append(draft)
    return drafts, problems


def _json_order(number: int, item: object, problems: list[Problem]) -> Draft | None:
    if not isinstance(item, dict):
        problems.append(Problem(number, "", "an order must be an object"))
        return None
    before = len(problems)
    ship_to = item.get("ship_to") if isinstance(item.get("ship_to"), dict) else {}
    if not isinstance(item.get("ship_to"), dict):
        problems.append(Problem(number, "ship_to", "required: an object with name, address1, city, postcode, country"))
    problems += [Problem(number, f"ship_to.{key}", "unknown field") for key in ship_to if key not in JSON_SHIP_TO]
    known = {c.name for c in ORDER_COLUMNS if not c.name.startswith("ship_to")} | {"ship_to", "lines"}
    problems += [Problem(number, key, "unknown field") for key in item if key not in known]
    values = {}
    for column in ORDER_COLUMNS:
        if column.name.startswith("ship_to_"):
            key = column.name.removeprefix("ship_to_")
            raw, path = ship_to.get(key), f"ship_to.{key}"
        else:
            raw, path = item.get(column.name), column.name
        values[column.name] = _cell(column, raw, number, path, problems)
    if values["ship_to_country"]:
        values["ship_to_country"] = _country(values["ship_to_country"], number, "ship_to.country", problems)
    draft = Draft(number, values)
    lines = item.get("lines")
    if not isinstance(lines, list) or not lines:
        problems.append(Problem(number, "lines", "required: a list of {sku, quantity}"))
        lines = []
    for index, line in enumerate(lines, start=1):
        path = f"lines[{index}]"
        if not isinstance(line, dict):
            problems.append(Problem(number, path, "a line must be an object with sku and quantity"))
            continue
        problems += [Problem(number, f"{path}.{key}", "unknown field") for key in line if key not in ("sku", "quantity")]
        sku = _cell(LINE_COLUMNS[0], line.get("sku"), number, f"{path}.sku", problems)
        quantity = _cell(LINE_COLUMNS[1], line.get("quantity"), number, f"{path}.quantity", problems)
        if sku is not None and quantity is not None:
            _add_line(draft, number, f"{path}.sku", sku, quantity, problems)
    return draft if len(problems) == before else None


def _cell(column: Column, value: object, row: int, path: str, problems: list[Problem]) -> object:
    if isinstance(value, (dict, list, bool)):
        problems.append(Problem(row, path, f"must be {column.type_text()}"))
        return None
    try:
        return parse_cell(column, "" if value is None else str(value))
    except CellError as exc:
        problems.append(Problem(row, path, str(exc)))
        return None


def check_database(session: Session, drafts: list[Draft], known: dict | None = None) -> list[Problem]:
    """Unknown SKUs, and order numbers the channel already has (``known``: the drafts' SKUs
    looked up already, see known_products)."""
    problems = []
    known = known_products(session, drafts) if known is None else known
    for draft in drafts:
        problems += [Problem(row, column, f"unknown SKU {sku}")
                     for row, column, sku, _ in draft.lines if sku not in known]
    by_key = {draft.key: draft for draft in drafts}
    for part in chunks(by_key, LOOKUP // 2):
        for channel, number in session.execute(
            select(SalesOrder.channel, SalesOrder.number)
            .where(tuple_(SalesOrder.channel, SalesOrder.number).in_(part))
        ):
            problems.append(Problem(by_key[(channel, number)].row, "order_number",
                                    f"{channel} order {number} already exists"))
    return problems


def known_products(session: Session, drafts: list[Draft]) -> dict[str, dict]:
    """The drafts' SKUs that exist, with their product ids (a query per LOOKUP SKUs)."""
    products = Product.__table__
    return key_lookup(session, products.c.sku, (products.c.id,), (sku for d in drafts for _, _, sku, _ in d.lines))


ORDER_NAMES = ("id", "channel", "number", "status", "ship_to_name", "ship_to_address1", "ship_to_address2",
               "ship_to_city", "ship_to_postcode", "ship_to_country", "carrier", "service", "priority", "ship_by", "created_at")


def _new_order_ids(session: Session, count: int) -> list[int]:
    """``count`` ids for new orders, in one statement. PostgreSQL: drawn from the table's
    sequence. SQLite: the ones after the largest, which SQLite would give itself (a writer's
    transaction begins IMMEDIATE and so holds the database's write lock until it ends)."""
    if session.get_bind().dialect.name == "postgresql":
        return session.connection().exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('sales_orders', 'id')) FROM generate_series(1, %s)",
            (count,)).scalars().all()
    orders = SalesOrder.__table__
    first = session.execute(select(func.coalesce(func.max(orders.c.id), 0))).scalar_one() + 1
    return list(range(first, first + count))


def _write_orders(session: Session, drafts: list[Draft]) -> dict[tuple[str, str], int]:
    """The orders as plain tuples with ids taken beforehand: no INSERT ... RETURNING (psycopg
    would parse again every page of one too long for its statement cache), nothing compiled
    or bound per row; dates converted once per row as the dialect stores them."""
    orders = SalesOrder.__table__
    dialect = session.get_bind().dialect
    date = orders.c.ship_by.type.bind_processor(dialect) or (lambda value: value)
    now = (orders.c.created_at.type.bind_processor(dialect) or (lambda value: value))(clock.now())
    ids = _new_order_ids(session, len(drafts))
    insert_tuples(session, orders, ORDER_NAMES, [
        (order_id, v["channel"], v["order_number"], "open", v["ship_to_name"], v["ship_to_address1"],
         v["ship_to_address2"] or "", v["ship_to_city"], v["ship_to_postcode"], v["ship_to_country"],
         v["carrier"], v["service"] or "", v["priority"] or 0, date(v["ship_by"]), now)
        for order_id, v in zip(ids, (draft.values for draft in drafts))])
    return {draft.key: order_id for order_id, draft in zip(ids, drafts)}


def write_orders(session: Session, drafts: list[Draft], known: dict[str, dict]) -> None:
    """Every order and line through INSERT executemany: a few statements however many
    orders; what add_order writes for one."""
    if not drafts:
        return
    ids = _write_orders(session, drafts)
    insert_tuples(session, SalesOrderLine.__table__, ("order_id", "line_no", "product_id", "quantity",
                                                      "quantity_picked", "quantity_packed"), [
        (ids[draft.key], line_no, known[sku]["id"], quantity, 0, 0)
        for draft in drafts for line_no, (_, _, sku, quantity) in enumerate(draft.lines, start=1)])
    session.expire_all()  # ORM objects loaded before the import must not hide what the statements wrote


@use_case("import_orders")
def import_orders(
    uow: UnitOfWork, data: bytes, *, file: str, actor: Actor, dry_run: bool = False
) -> ImportSummary:
    """Import every order of a CSV or JSON file (JSON: a ``.json`` name or content starting
    with '[' or '{'), or none of them. A dry run checks everything and writes nothing."""
    start = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if file.lower().endswith(".json") or start in (b"[", b"{"):
        drafts, problems = parse_json(decode(data, file))
    else:  # line by line: the file's text is never held whole
        drafts, problems = read_csv(decoded_lines(io.BytesIO(data), file))
    known = {} if problems else known_products(uow.session, drafts)
    if not problems:
        problems = check_database(uow.session, drafts, known)
    if problems:
        raise ImportRejected(problems, file=file)
    write_orders(uow.session, drafts, known)
    lines = sum(len(draft.lines) for draft in drafts)
    if dry_run:
        uow.rollback()
        return ImportSummary(len(drafts), lines)
    audit.record(uow.session, actor, "orders_imported", file=file, orders=len(drafts), lines=lines)
    uow.commit()
    return ImportSummary(len(drafts), lines)
