"""Count documents as PDF: the count sheet a counter takes to the floor, and the inventory
record accuracy report. Both read the counting service and are drawn by the generic table
engine of app.printing.documents; the texts are English, like the other printed documents.

The engine draws one barcode per line, so the count sheet gives each kind of line its own:
the first line carries the count number (scanning it opens the count on the counting
screen), a location line its location code, a product line its SKU. All three resolve
on the counting screen. A blind sheet has no "Expected" column at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.printing.documents import Column, render_table_document
from app.printing.words import words
from app.services.counting import count_sheet, inventory_accuracy
from app.services.counting.planning import CountSheet

WRITE_IN = "Other items found here:"


def _kind(kind: str) -> str:
    return kind.replace("_", " ")


def count_sheet_rows(sheet: CountSheet, language: str = "en") -> list[dict]:
    """The sheet's table: the count, then per location its line and one line per item on
    record (plus a line to write in what else is found). ``scan`` is each line's barcode."""
    _ = words(language)
    rows: list[dict] = [{"location": _("Count"), "sku": sheet.number, "counted": "",
                         "name": _("Scan to open this count on the counting screen"),
                         "lot": "", "expected": "", "scan": sheet.number}]
    current = None
    for row in sheet.rows:
        if row.location != current:
            if current is not None:
                rows.append(_write_in(_))
            current = row.location
            zone = _("zone {zone}").format(zone=row.zone) if row.zone else ""
            rows.append({"location": row.location, "sku": "", "name": zone, "lot": "",
                         "expected": "", "counted": "", "scan": row.location})
        if row.sku is None:
            rows.append({"location": "", "sku": "", "name": _("Nothing on record here"), "lot": "",
                         "expected": "" if row.expected is None else row.expected,
                         "counted": "", "scan": ""})
            continue
        rows.append({"location": "", "sku": row.sku, "name": row.name or "", "lot": row.lot or "",
                     "expected": "" if row.expected is None else row.expected, "counted": "",
                     "scan": row.sku})
    if current is not None:
        rows.append(_write_in(_))
    return rows


def _write_in(_: Callable[[str], str]) -> dict:
    return {"location": "", "sku": "", "name": _(WRITE_IN), "lot": "", "expected": "",
            "counted": "", "scan": ""}


def count_sheet_pdf(session: Session, count_id: int, *, page_size: str = "A4", language: str = "en") -> bytes:
    """The printed count sheet; a blind count shows what to count, never how many."""
    _ = words(language)
    sheet = count_sheet(session, count_id)
    columns = [Column(_("Location"), "location", 1.0, bold=True), Column(_("SKU"), "sku", 1.1),
               Column(_("Product"), "name", 2.3), Column(_("Lot"), "lot", 0.9)]
    if not sheet.blind:
        columns.append(Column(_("Expected"), "expected", 0.8, "RIGHT"))
    columns.append(Column(_("Counted"), "counted", 1.0, "RIGHT"))
    kind = _(_kind(sheet.kind))
    meta = [
        _("{kind} count, due {due}, counter: {counter}").format(
            kind=kind[:1].upper() + kind[1:], due=sheet.due_date.isoformat(), counter=sheet.counter or _("anyone")),
        _("Blind count: quantities on record are not printed. Write what you count under 'Counted'.")
        if sheet.blind else
        _("Expected: the quantity on record when this sheet was printed; stock may move before it is counted."),
        _("On the counting screen scan the location first, then every item in it."),
    ]
    title = _("Count sheet {number}").format(number=sheet.number)
    rows = count_sheet_rows(sheet, language)
    return render_table_document(title, meta, columns, rows, barcode_column="scan",
                                 page_size=page_size, footer=title, language=language)


def accuracy_report_rows(session: Session, *, period: str = "month", since: dt.date | None = None,
                         until: dt.date | None = None) -> list[dict]:
    """Accuracy by ABC class, then by zone, per period, as the report's table rows."""
    rows = []
    for grouping, label in (("class", "Class"), ("zone", "Zone")):
        for row in inventory_accuracy(session, period=period, by=grouping, since=since, until=until):
            rows.append({"by": label, "group": row.group or "-", "period": row.period_start,
                         "lines": row.lines, "within": row.within_tolerance,
                         "accuracy": f"{100 * row.accuracy:.1f} %"})
    return rows


def accuracy_report_pdf(session: Session, *, period: str = "month", since: dt.date | None = None,
                        until: dt.date | None = None, page_size: str = "A4") -> bytes:
    """Inventory record accuracy (share of counted lines within tolerance) per week or
    month, by ABC class and by zone."""
    rows = accuracy_report_rows(session, period=period, since=since, until=until)
    overall = inventory_accuracy(session, period=period, since=since, until=until)
    lines = sum(row.lines for row in overall)
    within = sum(row.within_tolerance for row in overall)
    span = f"{since.isoformat() if since else 'the first count'} to " \
           f"{until.isoformat() if until else 'today'}"
    meta = [f"Counted lines finished from {span}, per {period}.",
            f"Overall: {within} of {lines} lines within tolerance"
            + (f" ({100 * within / lines:.1f} %)." if lines else ".")]
    columns = [Column("By", "by", 0.7), Column("Group", "group", 0.9),
               Column(f"{period.capitalize()} from", "period", 1.1),
               Column("Lines counted", "lines", 1.0, "RIGHT"),
               Column("Within tolerance", "within", 1.1, "RIGHT"),
               Column("Accuracy", "accuracy", 0.9, "RIGHT", bold=True)]
    return render_table_document("Inventory record accuracy", meta, columns, rows,
                                 page_size=page_size, footer="Inventory record accuracy")
