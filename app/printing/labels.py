"""Labels to PDF: one label per page on thermal sizes, or a grid on A4/Letter sheets."""

from __future__ import annotations

import io
from collections.abc import Iterable

from app.printing.barcodes import draw_symbol
from app.printing.data import LABEL_4X6, Label, LabelSize, SheetLayout
from app.printing.fonts import font
from app.printing.layout import Bars, Box, Primitive, Stroke, Text, layout

THERMAL_DPI = 203  # the common thermal head; pass the printer's own value when known


def render_labels_pdf(labels: Iterable[Label], size: LabelSize | SheetLayout = LABEL_4X6,
                      *, dpi: int | None = None, title: str = "Labels") -> bytes:
    """All ``labels`` in one PDF.

    ``dpi`` snaps bar widths to whole printer dots.  It defaults to 203 for thermal
    sizes; sheets for office printers are left unsnapped (600+ dpi hides the rounding).
    Raises ``BarcodeTooWide`` if some label's data cannot be printed scannably at
    this size.
    """
    from reportlab.pdfgen.canvas import Canvas

    labels = list(labels)
    if not labels:
        raise ValueError("nothing to print: no labels given")
    if isinstance(size, SheetLayout):
        page_w, page_h, cell = size.page_width, size.page_height, size.label
    else:
        page_w, page_h, cell = size.width, size.height, size
    if dpi is None and cell.thermal:
        dpi = THERMAL_DPI
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_w, page_h), pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("Stockfloor")
    for index, label in enumerate(labels):
        if isinstance(size, SheetLayout):
            if index and index % size.per_page == 0:
                canvas.showPage()
            x, top = size.origin(index)
        else:
            if index:
                canvas.showPage()
            x, top = 0.0, 0.0
        primitives = layout(label, cell.width, cell.height)
        draw_primitives(canvas, primitives, x, page_h - top, dpi=dpi)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def draw_primitives(canvas, primitives: Iterable[Primitive], x: float, top: float, *,
                    dpi: int | None = None) -> None:
    """Draw a layout whose top-left corner is at (x, top) in reportlab coordinates."""
    for item in primitives:
        if isinstance(item, Text):
            _draw_text(canvas, item, x, top)
        elif isinstance(item, Bars):
            draw_symbol(canvas, item.symbol, x + item.x, top - item.top - item.height,
                        item.width, item.height, text_size=item.text_size, dpi=dpi)
        elif isinstance(item, Box):
            canvas.setFillColorRGB(0, 0, 0)
            canvas.rect(x + item.x, top - item.top - item.height, item.width, item.height,
                        stroke=0, fill=1)
        elif isinstance(item, Stroke):
            canvas.setLineWidth(item.thickness)
            canvas.setLineCap(1)  # round caps make the arrow head join cleanly
            canvas.line(x + item.x1, top - item.y1, x + item.x2, top - item.y2)


def _draw_text(canvas, item: Text, x: float, top: float) -> None:
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(font(item.bold), item.size)
    baseline = top - item.top - item.size * 0.8
    if item.align == "center":
        canvas.drawCentredString(x + item.x + item.width / 2, baseline, item.text)
    elif item.align == "right":
        canvas.drawRightString(x + item.x + item.width, baseline, item.text)
    else:
        canvas.drawString(x + item.x, baseline, item.text)
