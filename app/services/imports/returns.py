"""Importing RMAs the sales channels announced, from CSV (one row per line) or JSON.

Same standard as the other imports (app.core.csv_rules): every problem is reported with its
row, column and reason, and nothing is written unless there are none. For JSON the "row" is
the RMA's position in the list (1 = first) and the column a path such as ``lines[2].sku``.

Checked against the database: the original order exists in the channel and shipped each
SKU; no RMA announces more units than the order shipped, less what came back already and
what other open RMAs announce. An RMA number already known is replaced while nothing of it
has arrived, refused after that.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.csv_cells import CellError, parse_cell
from app.core.csv_rules import Column, ImportRejected, Problem, decode, read_table
from app.core.permissions import use_case
from app.db.models import Location, Move, Product
from app.db.models_picking import SalesOrder, SalesOrderLine
from app.db.models_returns import ReturnUnit, Rma, RmaLine
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.imports.common import LOOKUP, chunks, insert_rows, json_documents, key_lookup, update_rows
from app.services.returns.data import ORDER_DOCUMENT

RMA_COLUMNS = (
    Column("channel", "text", "Sales channel of the original order: Shopify, Amazon...",
           required=True, max_length=32),
    Column("rma_number", "text", "The channel's RMA (return authorisation) number, unique per channel.",
           required=True, max_length=64),
    Column("order_number", "text", "The original order's number in that channel.", required=True, max_length=64),
)
LINE_COLUMNS = (
    Column("sku", "text", "Product being returned.", required=True, max_length=64),
    Column("quantity", "integer", "Units announced.", required=True, minimum=1),
    Column("reason", "text", "The customer's reason, as the channel gives it.", default="", max_length=128),
)
CSV_COLUMNS = RMA_COLUMNS + LINE_COLUMNS


@dataclass
class Draft:
    row: int
    channel: str
    number: str
    order_number: str
    lines: list[tuple[int, str, str, int, str]] = field(default_factory=list)  # row, column, sku, qty, reason

    @property
    def key(self) -> tuple[str, str]:
        return (self.channel, self.number)


@dataclass(frozen=True)
class ImportSummary:
    rmas: int
    lines: int
    replaced: int = 0


def parse_csv(text: str) -> tuple[list[Draft], list[Problem]]:
    table = read_table(text, CSV_COLUMNS)
    problems = list(table.problems)
    drafts: dict[tuple[str, str], Draft] = {}
    for row in table.rows:
        if any(row.get(c.name) is None for c in CSV_COLUMNS if c.required):
            continue  # reported already
        key = (row.get("channel"), row.get("rma_number"))
        draft = drafts.setdefault(key, Draft(row.number, *key, row.get("order_number")))
        if row.get("order_number") != draft.order_number:
            problems.append(Problem(row.number, "order_number",
                                    f"RMA {draft.number} says order {draft.order_number} on row {draft.row}"))
        _add_line(draft, row.number, "sku", row.get("sku"), row.get("quantity"), row.get("reason") or "", problems)
    return list(drafts.values()), problems


def _add_line(draft: Draft, row: int, column: str, sku: str, quantity: int, reason: str,
              problems: list[Problem]) -> None:
    earlier = next((r for r, _, s, _, _ in draft.lines if s == sku), None)
    if earlier is not None:
        problems.append(Problem(row, column, f"{sku} is already on row {earlier} of RMA {draft.number}"))
    else:
        draft.lines.append((row, column, sku, quantity, reason))


def parse_json(text: str) -> tuple[list[Draft], list[Problem]]:
    data, problems = json_documents(text, "rmas", "RMAs")
    if problems:
        return [], problems
    drafts, problems, first = [], [], {}
    for number, item in enumerate(data, start=1):
        draft = _json_rma(number, item, problems)
        if draft is None:
            continue
        if draft.key in first:
            problems.append(Problem(number, "rma_number", f"{draft.channel} RMA {draft.number} is "
                                                          f"already RMA {first[draft.key]} of this file"))
        else:
            first[draft.key] = number
            drafts.append(draft)
    return drafts, problems


def _json_rma(number: int, item: object, problems: list[Problem]) -> Draft | None:
    if not isinstance(item, dict):
        problems.append(Problem(number, "", "an RMA must be an object"))
        return None
    before = len(problems)
    known = {c.name for c in RMA_COLUMNS} | {"lines"}
    problems += [Problem(number, key, "unknown field") for key in item if key not in known]
    values = {c.name: _cell(c, item.get(c.name), number, c.name, problems) for c in RMA_COLUMNS}
    draft = Draft(number, values["channel"], values["rma_number"], values["order_number"])
    lines = item.get("lines")
    if not isinstance(lines, list) or not lines:
        problems.append(Problem(number, "lines", "required: a list of {sku, quantity, reason}"))
        lines = []
    for index, line in enumerate(lines, start=1):
        path = f"lines[{index}]"
        if not isinstance(line, dict):
            problems.append(Problem(number, path, "a line must be an object with sku, quantity and reason"))
            continue
        problems += [Problem(number, f"{path}.{key}", "unknown field")
                     for key in line if key not in {c.name for c in LINE_COLUMNS}]
        cells = {c.name: _cell(c, line.get(c.name), number, f"{path}.{c.name}", problems) for c in LINE_COLUMNS}
        if cells["sku"] is not None and cells["quantity"] is not None:
            _add_line(draft, number, f"{path}.sku", cells["sku"], cells["quantity"], cells["reason"] or "", problems)
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


@dataclass
class Facts:
    """What the database says about a file's RMAs, in a few queries for the whole file."""

    orders: dict[tuple[str, str], int]  # (channel, order number) -> order id
    rmas: dict[tuple[str, str], dict]  # (channel, RMA number) -> id, status, arrived
    products: dict[str, dict]  # sku -> id
    shipped: dict[tuple[int, int], int]  # (order id, product id) -> units shipped
    returned: dict[tuple[int, int], int]  # (order id, product id) -> units back on any RMA
    open_lines: list[tuple[int, int, int, int]]  # (rma id, order id, product id, units still awaited)
    order_lines: dict[tuple[int, int], int]  # (order id, product id) -> the order's first line with it


def gather(session: Session, drafts: list[Draft]) -> Facts:
    orders_table, rmas_table = SalesOrder.__table__, Rma.__table__
    orders: dict[tuple[str, str], int] = {}
    for part in chunks({(d.channel, d.order_number) for d in drafts}, LOOKUP // 2):
        orders.update(((channel, number), order_id) for channel, number, order_id in session.execute(
            select(orders_table.c.channel, orders_table.c.number, orders_table.c.id)
            .where(tuple_(orders_table.c.channel, orders_table.c.number).in_(part))))
    rmas: dict[tuple[str, str], dict] = {}
    for part in chunks({d.key for d in drafts}, LOOKUP // 2):
        for rma in session.execute(select(rmas_table.c.channel, rmas_table.c.number, rmas_table.c.id,
                                          rmas_table.c.status)
                                   .where(tuple_(rmas_table.c.channel, rmas_table.c.number).in_(part))).mappings():
            rmas[(rma["channel"], rma["number"])] = {"id": rma["id"], "status": rma["status"], "arrived": False}
    by_id = {rma["id"]: rma for rma in rmas.values()}
    for part in chunks(by_id, LOOKUP):
        for rma_id in session.scalars(select(ReturnUnit.rma_id).where(ReturnUnit.rma_id.in_(part)).distinct()):
            by_id[rma_id]["arrived"] = True
    products = key_lookup(session, Product.__table__.c.sku, (Product.__table__.c.id,),
                          (sku for d in drafts for _, _, sku, _, _ in d.lines))
    shipped: dict[tuple[int, int], int] = {}
    returned: dict[tuple[int, int], int] = {}
    open_lines: list[tuple[int, int, int, int]] = []
    order_lines: dict[tuple[int, int], int] = {}
    customers = select(Location.id).where(Location.kind == "customer")
    for part in chunks(set(orders.values()), LOOKUP):
        for order_id, product_id, quantity in session.execute(
                select(Move.document_id, Move.product_id, func.sum(Move.quantity))
                .where(Move.document_type == ORDER_DOCUMENT, Move.document_id.in_(part),
                       Move.to_location_id.in_(customers))
                .group_by(Move.document_id, Move.product_id)):
            shipped[(order_id, product_id)] = int(quantity)
        for order_id, product_id, quantity in session.execute(
                select(Rma.order_id, ReturnUnit.product_id, func.sum(ReturnUnit.quantity))
                .join(Rma, Rma.id == ReturnUnit.rma_id)
                .where(Rma.order_id.in_(part), ReturnUnit.status != "cancelled")
                .group_by(Rma.order_id, ReturnUnit.product_id)):
            returned[(order_id, product_id)] = int(quantity)
        arrived = (select(func.coalesce(func.sum(ReturnUnit.quantity), 0))
                   .where(ReturnUnit.rma_line_id == RmaLine.id, ReturnUnit.status != "cancelled")
                   .scalar_subquery())
        for rma_id, order_id, product_id, announced, came in session.execute(
                select(Rma.id, Rma.order_id, RmaLine.product_id, RmaLine.quantity, arrived)
                .join(Rma, Rma.id == RmaLine.rma_id)
                .where(Rma.order_id.in_(part), Rma.status.in_(("announced", "receiving")))):
            open_lines.append((rma_id, order_id, product_id, max(announced - int(came), 0)))
        for order_id, product_id, line_id in session.execute(
                select(SalesOrderLine.order_id, SalesOrderLine.product_id, SalesOrderLine.id)
                .where(SalesOrderLine.order_id.in_(part))
                .order_by(SalesOrderLine.order_id, SalesOrderLine.line_no)):
            order_lines.setdefault((order_id, product_id), line_id)
    return Facts(orders, rmas, products, shipped, returned, open_lines, order_lines)


def check_database(session: Session, drafts: list[Draft], facts: Facts | None = None) -> list[Problem]:
    """Every RMA against the database: the order, the RMA already known, the SKUs shipped and
    what may still come back. The same few queries for any number of RMAs (gather)."""
    facts = gather(session, drafts) if facts is None else facts
    problems: list[Problem] = []
    awaited: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)  # -> [(rma id, units)]
    for rma_id, order_id, product_id, units in facts.open_lines:
        awaited[(order_id, product_id)].append((rma_id, units))
    promised: dict[tuple[int, int], int] = defaultdict(int)  # (order, product) -> announced in this file
    for draft in drafts:
        order_id = facts.orders.get((draft.channel, draft.order_number))
        if order_id is None:
            problems.append(Problem(draft.row, "order_number", f"no {draft.channel} order {draft.order_number}"))
            continue
        existing = facts.rmas.get(draft.key)
        if existing is not None and not (existing["status"] == "announced" and not existing["arrived"]):
            problems.append(Problem(draft.row, "rma_number", f"{draft.channel} RMA {draft.number} already "
                                                             "exists and units of it have arrived"))
        for row, column, sku, quantity, _ in draft.lines:
            product = facts.products.get(sku)
            if product is None:
                problems.append(Problem(row, column, f"unknown SKU {sku}"))
                continue
            key = (order_id, product["id"])
            if key not in facts.shipped:
                problems.append(Problem(row, column, f"{sku} was not shipped on {draft.channel} order "
                                                     f"{draft.order_number}"))
                continue
            promised[key] += quantity
            elsewhere = sum(units for rma_id, units in awaited[key]
                            if existing is None or rma_id != existing["id"])
            left = facts.shipped[key] - facts.returned.get(key, 0) - elsewhere
            if promised[key] > left:
                problems.append(Problem(row, column.replace("sku", "quantity"),
                                        f"{quantity} x {sku} announced, only {max(left, 0)} of the "
                                        f"{facts.shipped[key]} shipped can still come back"))
    return problems


def write_rmas(session: Session, drafts: list[Draft], facts: Facts) -> int:
    """The RMAs and their lines through executemany (new RMAs' ids through RETURNING; a
    replaced RMA loses its lines and points at the order again). Returns how many were replaced."""
    rmas, lines = Rma.__table__, RmaLine.__table__
    replaced = {draft.key: facts.rmas[draft.key]["id"] for draft in drafts if draft.key in facts.rmas}
    for part in chunks(list(replaced.values()), LOOKUP):
        session.execute(delete(lines).where(lines.c.rma_id.in_(part)))
    update_rows(session, rmas, [{"id": replaced[d.key], "order_id": facts.orders[(d.channel, d.order_number)]}
                                for d in drafts if d.key in replaced])
    ids = dict(replaced)
    ids.update(((channel, number), rma_id) for channel, number, rma_id in insert_rows(session, rmas, [
        {"channel": d.channel, "number": d.number, "order_id": facts.orders[(d.channel, d.order_number)],
         "status": "announced", "announced": True} for d in drafts if d.key not in replaced],
        returning=(rmas.c.channel, rmas.c.number, rmas.c.id)))
    rows = []
    for draft in drafts:
        order_id = facts.orders[(draft.channel, draft.order_number)]
        for line_no, (_, _, sku, quantity, reason) in enumerate(draft.lines, start=1):
            product_id = facts.products[sku]["id"]
            rows.append({"rma_id": ids[draft.key], "line_no": line_no, "product_id": product_id,
                         "quantity": quantity, "reason": reason,
                         "order_line_id": facts.order_lines.get((order_id, product_id))})
    insert_rows(session, lines, rows)
    session.expire_all()  # ORM objects loaded before the import must not hide what the statements wrote
    return len(replaced)


@use_case("import_rmas")
def import_rmas(uow: UnitOfWork, data: bytes, *, file: str, actor: Actor, dry_run: bool = False) -> ImportSummary:
    """Import every RMA of a CSV or JSON file (JSON: a ``.json`` name or content starting with
    '[' or '{'), or none of them. A dry run checks everything and writes nothing."""
    session = uow.session
    text = decode(data, file)
    is_json = file.lower().endswith(".json") or text.lstrip().startswith(("[", "{"))
    drafts, problems = parse_json(text) if is_json else parse_csv(text)
    facts = None if problems else gather(session, drafts)
    if not problems:
        problems = check_database(session, drafts, facts)
    if problems:
        raise ImportRejected(problems, file=file)
    replaced = write_rmas(session, drafts, facts)
    lines = sum(len(draft.lines) for draft in drafts)
    summary = ImportSummary(len(drafts), lines, replaced)
    if dry_run:
        uow.rollback()
        return summary
    audit.record(session, actor, "rmas_imported", file=file, rmas=len(drafts), lines=lines, replaced=replaced)
    uow.commit()
    return summary
