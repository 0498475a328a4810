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

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.csv_rules import CellError, Column, ImportRejected, Problem, decode, parse_cell, read_table
from app.core.permissions import use_case
from app.db.models import Product
from app.db.models_picking import SalesOrder
from app.db.models_returns import ReturnUnit, Rma, RmaLine
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.imports.common import existing_by, json_documents
from app.services.returns.data import returned_quantity, shipped_units

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


def check_database(session: Session, drafts: list[Draft]) -> list[Problem]:
    problems: list[Problem] = []
    products = existing_by(session, Product.sku, (sku for d in drafts for _, _, sku, _, _ in d.lines))
    promised: dict[tuple[int, int], int] = defaultdict(int)  # (order, product) -> announced in this file
    for draft in drafts:
        order = session.scalar(select(SalesOrder).where(SalesOrder.channel == draft.channel,
                                                        SalesOrder.number == draft.order_number))
        if order is None:
            problems.append(Problem(draft.row, "order_number", f"no {draft.channel} order {draft.order_number}"))
            continue
        existing = session.scalar(select(Rma).where(Rma.channel == draft.channel, Rma.number == draft.number))
        if existing is not None and not _replaceable(session, existing):
            problems.append(Problem(draft.row, "rma_number", f"{draft.channel} RMA {draft.number} already "
                                                             "exists and units of it have arrived"))
        shipped = shipped_units(session, order.id)
        for row, column, sku, quantity, _ in draft.lines:
            product = products.get(sku)
            if product is None:
                problems.append(Problem(row, column, f"unknown SKU {sku}"))
                continue
            if product.id not in shipped:
                problems.append(Problem(row, column, f"{sku} was not shipped on {draft.channel} order {order.number}"))
                continue
            promised[order.id, product.id] += quantity
            left = (shipped[product.id].quantity - returned_quantity(session, order.id, product.id)
                    - _announced_elsewhere(session, order.id, product.id, existing))
            if promised[order.id, product.id] > left:
                problems.append(Problem(row, column.replace("sku", "quantity"),
                                        f"{quantity} x {sku} announced, only {max(left, 0)} of the "
                                        f"{shipped[product.id].quantity} shipped can still come back"))
    return problems


def _replaceable(session: Session, rma: Rma) -> bool:
    arrived = session.scalar(select(ReturnUnit.id).where(ReturnUnit.rma_id == rma.id).limit(1))
    return rma.status == "announced" and arrived is None


def _announced_elsewhere(session: Session, order_id: int, product_id: int, replacing: Rma | None) -> int:
    """Units other open RMAs of the order announce and have not delivered yet."""
    total = 0
    rows = session.execute(
        select(RmaLine.id, RmaLine.quantity, Rma.id).join(Rma, Rma.id == RmaLine.rma_id)
        .where(Rma.order_id == order_id, RmaLine.product_id == product_id,
               Rma.status.in_(("announced", "receiving")))
    ).all()
    for line_id, announced, rma_id in rows:
        if replacing is not None and rma_id == replacing.id:
            continue
        arrived = sum(session.scalars(select(ReturnUnit.quantity).where(
            ReturnUnit.rma_line_id == line_id, ReturnUnit.status != "cancelled")))
        total += max(announced - arrived, 0)
    return total


@use_case("import_rmas")
def import_rmas(uow: UnitOfWork, data: bytes, *, file: str, actor: Actor, dry_run: bool = False) -> ImportSummary:
    """Import every RMA of a CSV or JSON file (JSON: a ``.json`` name or content starting with
    '[' or '{'), or none of them. A dry run checks everything and writes nothing."""
    session = uow.session
    text = decode(data, file)
    is_json = file.lower().endswith(".json") or text.lstrip().startswith(("[", "{"))
    drafts, problems = parse_json(text) if is_json else parse_csv(text)
    if not problems:
        problems = check_database(session, drafts)
    if problems:
        raise ImportRejected(problems, file=file)
    products = existing_by(session, Product.sku, (sku for d in drafts for _, _, sku, _, _ in d.lines))
    replaced = 0
    for draft in drafts:
        order = session.scalar(select(SalesOrder).where(SalesOrder.channel == draft.channel,
                                                        SalesOrder.number == draft.order_number))
        rma = session.scalar(select(Rma).where(Rma.channel == draft.channel, Rma.number == draft.number))
        if rma is None:
            rma = Rma(channel=draft.channel, number=draft.number, order=order, status="announced", announced=True)
            session.add(rma)
        else:
            rma.lines.clear()
            rma.order = order
            replaced += 1
            session.flush()  # the replaced lines go before the new ones arrive
        for line_no, (_, _, sku, quantity, reason) in enumerate(draft.lines, start=1):
            product = products[sku]
            order_line = next((ln for ln in order.lines if ln.product_id == product.id), None)
            rma.lines.append(RmaLine(line_no=line_no, product=product, quantity=quantity, reason=reason,
                                     order_line_id=order_line.id if order_line else None))
    session.flush()
    lines = sum(len(draft.lines) for draft in drafts)
    summary = ImportSummary(len(drafts), lines, replaced)
    if dry_run:
        uow.rollback()
        return summary
    audit.record(session, actor, "rmas_imported", file=file, rmas=len(drafts), lines=lines, replaced=replaced)
    uow.commit()
    return summary
