"""Paper documents (receiving report, put-away list, and the like) with reportlab platypus.

One generic engine, ``render_table_document``: a title block, a table whose header
row repeats on every page, an optional scannable Code 128 per line, and "Page x of y"
in the footer.  Specific documents are thin functions that pick columns.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from app.printing.barcodes import Symbol, code128, draw_symbol, module_width
from app.printing.data import PutawayList, ReceivingReport
from app.printing.fonts import pdf_fonts, printable
from app.printing.words import words

TARGET_MODULE = 1.0  # pt; ~0.35 mm bars read well from office laser paper
_CELL_PAD = 12  # reportlab's default 6 pt left + right cell padding


@dataclass(frozen=True)
class Column:
    header: str
    attr: str  # attribute of a dataclass row, or key of a mapping row
    width: float = 1.0  # relative to the other columns
    align: str = "LEFT"  # LEFT | RIGHT | CENTER
    format: Callable[[Any], str] | None = None
    bold: bool = False  # for the one value the reader must not miss


def render_table_document(title: str, meta_lines: Sequence[str], columns: Sequence[Column],
                          rows: Sequence[Any], *, barcode_column: str | None = None,
                          barcode_header: str | None = None, page_size: str = "A4",
                          footer: str = "", language: str = "en") -> bytes:
    """A4 or Letter PDF: title, meta lines, then the table (header repeated per page).
    ``language``: the words the engine adds itself ("Page x of y", "Scan"); the caller passes
    the rest already in that language (app/printing/words.py).

    ``barcode_column`` names the row attribute drawn as Code 128 in a last column,
    sized so the longest value fits; raises ``BarcodeTooWide`` if it cannot.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    pagesize = {"A4": A4, "LETTER": LETTER}.get(page_size.upper())
    if pagesize is None:
        raise ValueError(f"page size must be A4 or Letter, got {page_size!r}")
    margin = 15 * mm
    regular, bold = pdf_fonts()
    body = ParagraphStyle("cell", fontName=regular, fontSize=9, leading=11)
    head = ParagraphStyle("head", parent=body, fontName=bold)
    styles = {(a, b): ParagraphStyle(f"cell-{a}-{b}", parent=head if b else body,
                                     alignment={"LEFT": 0, "CENTER": 1, "RIGHT": 2}[a])
              for a in ("LEFT", "CENTER", "RIGHT") for b in (False, True)}
    usable = pagesize[0] - 2 * margin

    symbols = [code128(str(_value(row, barcode_column))) if _value(row, barcode_column)
               else None for row in rows] if barcode_column else []
    barcode_w = 0.0
    present = [s for s in symbols if s]
    if present:
        widest = max(present, key=lambda s: s.total_modules)
        barcode_w = min(widest.total_modules * TARGET_MODULE, usable * 0.4) + _CELL_PAD
        module_width(widest, barcode_w - _CELL_PAD)  # BarcodeTooWide before any page
    widths = _column_widths(columns, rows, usable - barcode_w)

    data = [[Paragraph(_markup(c.header), head) for c in columns]]
    for index, row in enumerate(rows):
        cells = [Paragraph(_markup(_text(_value(row, c.attr), c.format)),
                           styles[c.align, c.bold]) for c in columns]
        if barcode_w:
            symbol = symbols[index]
            cells.append(barcode_flowable(symbol, barcode_w - _CELL_PAD, 34) if symbol else "")
        data.append(cells)
    if barcode_w:
        data[0].append(Paragraph(_markup(barcode_header or words(language)("Scan")), head))
        widths.append(barcode_w)

    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    title_style = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20)
    story = [Paragraph(_markup(title), title_style), Spacer(1, 4)]
    story += [Paragraph(_markup(line), body) for line in meta_lines]
    story += [Spacer(1, 8), table]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=margin,
                                 rightMargin=margin, topMargin=margin, bottomMargin=margin,
                                 title=title, creator="Stockfloor")
    document.build(story, canvasmaker=_numbered_canvas(printable(footer or title), margin,
                                                       regular, words(language)("Page {number} of {total}")))
    return buffer.getvalue()


def _column_widths(columns: Sequence[Column], rows: Sequence[Any], usable: float) -> list[float]:
    """Share ``usable`` by the columns' relative widths, but never so narrow that a
    word (a date, a header, a location code) has to break mid-word."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    minimum = []
    for c in columns:
        words = c.header.split() + [word for row in rows
                                    for word in _text(_value(row, c.attr), c.format).split()]
        widest = max((stringWidth(printable(w), pdf_fonts()[1], 9) for w in words), default=0)
        minimum.append(min(widest + _CELL_PAD, usable / 2))
    fixed: dict[int, float] = {}
    while True:  # pin columns that would be too narrow, share the rest again
        free = usable - sum(fixed.values())
        share = sum(c.width for i, c in enumerate(columns) if i not in fixed) or 1
        widths = [fixed.get(i, free * c.width / share) for i, c in enumerate(columns)]
        short = {i: minimum[i] for i, w in enumerate(widths) if i not in fixed and w < minimum[i]}
        if not short:
            return widths
        fixed.update(short)


def _markup(text: str) -> str:
    return escape(printable(text))


def _value(row: Any, attr: str | None) -> Any:
    if attr is None:
        return None
    return row[attr] if isinstance(row, Mapping) else getattr(row, attr)


def _text(value: Any, fmt: Callable[[Any], str] | None) -> str:
    if fmt is not None:
        return fmt(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _numbered_canvas(footer: str, margin: float, font: str, page_of: str = "Page {number} of {total}"):
    """A canvas class that learns the page count at save time, for 'Page x of y'."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(font, 8)
                self.drawString(margin, margin / 2, footer)
                self.drawRightString(self._pagesize[0] - margin, margin / 2,
                                     printable(page_of.format(number=number, total=len(self._pages))))
                super().showPage()
            super().save()

    return NumberedCanvas


@functools.cache
def _barcode_flowable_class():
    # Built on first use so that importing this module does not import reportlab.
    from reportlab.platypus import Flowable

    class BarcodeFlowable(Flowable):
        def __init__(self, symbol: Symbol, width: float, height: float, text_size: float):
            super().__init__()
            self.symbol, self.width, self.height = symbol, width, height
            self.text_size = text_size

        def wrap(self, available_width, available_height):
            return self.width, self.height

        def draw(self):
            draw_symbol(self.canv, self.symbol, 0, 0, self.width, self.height,
                        text_size=self.text_size, maximum=TARGET_MODULE * 1.5)

    return BarcodeFlowable


def barcode_flowable(symbol: Symbol, width: float, height: float, text_size: float = 6.5):
    """A platypus Flowable drawing ``symbol`` (with its text) in width x height."""
    return _barcode_flowable_class()(symbol, width, height, text_size)


# --------------------------------------------------------------------------- documents


def _qty(value: Any) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def receiving_report_pdf(report: ReceivingReport, *, page_size: str = "A4", language: str | None = None) -> bytes:
    language = language or report.language
    _ = words(language)
    expected = sum(line.qty_expected for line in report.lines)
    received = sum(line.qty_received for line in report.lines)
    columns = [Column(_("SKU"), "sku", 1.2), Column(_("Product"), "name", 2.6),
               Column(_("Lot"), "lot", 1.0), Column(_("Expiry"), "expiry", 1.0),
               Column(_("Expected"), "qty_expected", 0.8, "RIGHT", _qty),
               Column(_("Received"), "qty_received", 0.8, "RIGHT", _qty)]
    meta = [_("Supplier: {supplier}").format(supplier=report.supplier),
            _("Received: {when} by {operator}").format(when=f"{report.received_at:%Y-%m-%d %H:%M}",
                                                       operator=report.operator),
            _("Lines: {lines}, expected {expected}, received {received}, difference {difference}").format(
                lines=len(report.lines), expected=expected, received=received,
                difference=f"{received - expected:+d}")]
    title = _("Receiving report {number}").format(number=report.receipt_number)
    return render_table_document(title, meta, columns, report.lines, barcode_column="barcode",
                                 page_size=page_size, footer=title, language=language)


def putaway_list_pdf(putaway: PutawayList, *, page_size: str = "A4", language: str | None = None) -> bytes:
    language = language or putaway.language
    _ = words(language)
    rows = [{"number": i, **asdict(task)} for i, task in enumerate(putaway.tasks, start=1)]
    columns = [Column(_("#"), "number", 0.55, "RIGHT"), Column(_("SKU"), "sku", 1.2),
               Column(_("Product"), "name", 2.4), Column(_("Lot"), "lot", 0.9),
               Column(_("Qty"), "qty", 0.6, "RIGHT", _qty), Column(_("From"), "from_location", 1.0),
               Column(_("To"), "to_location", 1.1, bold=True)]
    meta = [_("Created: {when} for {operator}").format(when=f"{putaway.created_at:%Y-%m-%d %H:%M}",
                                                       operator=putaway.operator),
            _("Tasks: {tasks}. Scan the destination barcode after placing goods.").format(
                tasks=len(putaway.tasks))]
    title = _("Put-away list {reference}").format(reference=putaway.reference)
    return render_table_document(title, meta, columns, rows, barcode_column="to_location_barcode",
                                 barcode_header=_("Scan destination"), page_size=page_size,
                                 footer=title, language=language)
