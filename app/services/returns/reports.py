"""What came back and what became of it: the inspection export for the sales channels
(refund recommendations), and the return report (return rate and grades by channel,
product, customer reason or month) as rows, or as a PDF via app/printing/documents.py.

Return rate = units returned / units shipped in the same period and group; shipped units
are the ledger's moves into the customer location (there is no "shipped" per reason, so
the reason report leaves the rate empty).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.core import clock, csv_safe
from app.core.errors import InvalidInput
from app.core.returns_rules import GRADES, refund_kind
from app.db.models import Location, Move, Product, User
from app.db.models_picking import SalesOrder
from app.db.models_returns import ReturnUnit, Rma, RmaLine
from app.services.returns.data import ORDER_DOCUMENT

EXPORT_HEADER = ("rma", "channel", "order", "line", "unit", "sku", "lot", "quantity", "customer_reason",
                 "grade", "checklist_failed", "findings", "disposition", "destination", "refund",
                 "refund_pct", "flags", "inspected_at", "inspector", "notes")
GROUPS = ("channel", "product", "reason", "month")


def _disposed(session: Session, since: dt.datetime | None, until: dt.datetime | None) -> list[ReturnUnit]:
    query = (select(ReturnUnit).where(ReturnUnit.status == "disposed")
             .options(joinedload(ReturnUnit.rma).joinedload(Rma.order), joinedload(ReturnUnit.line),
                      joinedload(ReturnUnit.product), joinedload(ReturnUnit.lot),
                      joinedload(ReturnUnit.destination))
             .order_by(ReturnUnit.inspected_at, ReturnUnit.id))
    if since is not None:
        query = query.where(ReturnUnit.inspected_at >= since)
    if until is not None:
        query = query.where(ReturnUnit.inspected_at < until)
    return list(session.scalars(query))


def export_inspections_csv(session: Session, file: TextIO, *, since: dt.datetime | None = None,
                           until: dt.datetime | None = None) -> int:
    """One row per inspected unit: grade, disposition and the refund recommendation
    (full / partial / none and its %). Returns the number of rows."""
    units = _disposed(session, since, until)
    inspectors = dict(session.execute(select(User.id, User.display_name)).all())
    writer = csv_safe.writer(file)
    writer.writerow(EXPORT_HEADER)
    for unit in units:
        checklist = json.loads(unit.checklist) if unit.checklist else {}
        pct = unit.refund_pct or 0.0
        writer.writerow([
            unit.rma.number, unit.rma.channel, unit.rma.order.number, unit.line.line_no, unit.code,
            unit.product.sku, unit.lot.code if unit.lot else "", unit.quantity, unit.line.reason,
            unit.grade, ";".join(code for code, ok in checklist.items() if not ok), unit.findings,
            unit.disposition, unit.destination.code if unit.destination else "", refund_kind(pct),
            f"{pct:g}", unit.flags, unit.inspected_at.isoformat(timespec="seconds") if unit.inspected_at else "",
            inspectors.get(unit.inspected_by, ""), unit.notes,
        ])
    return len(units)


@dataclass
class ReportRow:
    key: str
    shipped: int | None = 0
    returned: int = 0
    grades: dict[str, int] = field(default_factory=lambda: {grade: 0 for grade in GRADES})
    waiting: int = 0  # received, not inspected yet

    @property
    def rate_pct(self) -> float | None:
        if not self.shipped:
            return None
        return round(100.0 * self.returned / self.shipped, 1)

    def as_dict(self) -> dict[str, object]:
        rate = self.rate_pct
        return {"key": self.key, "shipped": "" if self.shipped is None else self.shipped,
                "returned": self.returned, "rate": "" if rate is None else f"{rate:g}%",
                **{f"grade_{g.lower()}": n for g, n in self.grades.items()}, "waiting": self.waiting}


def _month(at: dt.datetime) -> str:
    """The workstation's calendar month of a stored instant (not the UTC month)."""
    return clock.local(at).strftime("%Y-%m")


def return_report(session: Session, group_by: str, *, since: dt.datetime | None = None,
                  until: dt.datetime | None = None) -> list[ReportRow]:
    """Returned units (by the day they arrived), their grades, and units shipped, per group."""
    if group_by not in GROUPS:
        raise InvalidInput(field="group", reason=f"'{group_by}' is not one of {', '.join(GROUPS)}")
    rows: dict[str, ReportRow] = {}

    def row(key: str) -> ReportRow:
        return rows.setdefault(key, ReportRow(key, None if group_by == "reason" else 0))

    query = (select(ReturnUnit, Rma.channel, Product.sku, RmaLine.reason)
             .join(Rma, Rma.id == ReturnUnit.rma_id).join(Product, Product.id == ReturnUnit.product_id)
             .join(RmaLine, RmaLine.id == ReturnUnit.rma_line_id)
             .where(ReturnUnit.status != "cancelled"))
    if since is not None:
        query = query.where(ReturnUnit.received_at >= since)
    if until is not None:
        query = query.where(ReturnUnit.received_at < until)
    for unit, channel, sku, reason in session.execute(query):
        key = {"channel": channel, "product": sku, "reason": reason or "(none)",
               "month": _month(unit.received_at)}[group_by]
        entry = row(key)
        entry.returned += unit.quantity
        if unit.status == "received":
            entry.waiting += unit.quantity
        elif unit.grade:
            entry.grades[unit.grade] += unit.quantity
    if group_by != "reason":
        for key, quantity in _shipped(session, group_by, since, until).items():
            row(key).shipped += quantity
    return sorted(rows.values(), key=lambda r: (-(r.returned), r.key) if group_by != "month" else r.key)


def _shipped(session: Session, group_by: str, since: dt.datetime | None,
             until: dt.datetime | None) -> dict[str, int]:
    customer = select(Location.id).where(Location.kind == "customer")
    query = (select(Move.quantity, Move.created_at, SalesOrder.channel, Product.sku)
             .join(SalesOrder, SalesOrder.id == Move.document_id).join(Product, Product.id == Move.product_id)
             .where(Move.document_type == ORDER_DOCUMENT, Move.to_location_id.in_(customer)))
    if since is not None:
        query = query.where(Move.created_at >= since)
    if until is not None:
        query = query.where(Move.created_at < until)
    totals: dict[str, int] = defaultdict(int)
    for quantity, at, channel, sku in session.execute(query):
        totals[{"channel": channel, "product": sku, "month": _month(at)}[group_by]] += quantity
    return totals


def return_report_pdf(session: Session, group_by: str, *, since: dt.datetime | None = None,
                      until: dt.datetime | None = None, page_size: str = "A4") -> bytes:
    from app.printing.documents import Column, render_table_document

    rows = [r.as_dict() for r in return_report(session, group_by, since=since, until=until)]
    title = f"Returns by {group_by}"
    columns = [Column(group_by.capitalize(), "key", 2.2), Column("Shipped", "shipped", 0.8, "RIGHT"),
               Column("Returned", "returned", 0.8, "RIGHT"), Column("Rate", "rate", 0.7, "RIGHT", bold=True),
               *(Column(f"Grade {g}", f"grade_{g.lower()}", 0.6, "RIGHT") for g in GRADES),
               Column("Waiting", "waiting", 0.7, "RIGHT")]
    if since and until:
        period = f"{since:%Y-%m-%d} to {until:%Y-%m-%d}"
    else:
        period = f"since {since:%Y-%m-%d}" if since else f"until {until:%Y-%m-%d}" if until else "all time"
    meta = [f"Period: {period}",
            f"Returned units: {sum(r['returned'] for r in rows)}. Grades count inspected units; "
            "waiting units are not inspected yet."]
    return render_table_document(title, meta, columns, rows, page_size=page_size, footer=title)
