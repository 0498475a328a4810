"""The routing label stuck on a returned unit after inspection: where it goes, in big type,
and what it is (RMA and line, SKU, grade, serial, flags), with a Code 128 of the unit's code
(RU0000012) that opens its RMA on the returns screen.

Composed here from app.printing's public pieces (layout primitives, barcode symbols, the
PDF primitive drawer, ZPL escaping), as app.printing has no routing label of its own:

    label = routing_label_for(session, unit)          # or InspectionResult.label
    pdf = routing_label_pdf(label)                     # 4 x 6 in by default, or LABEL_4X3
    zpl = routing_label_zpl(label)
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.printing import barcodes
from app.printing.data import LABEL_4X6, LabelSize
from app.printing.layout import Bars, Box, Primitive, Text, bars, fit_text, wrap_text

# What the label says for each disposition (labels are printed in English, like all labels).
HEADLINES = {"restock": "RESTOCK", "quarantine": "QUARANTINE", "refurbish": "REFURBISH",
             "return_to_vendor": "RETURN TO VENDOR", "scrap": "SCRAP"}
GRADE_WORDS = {"A": "like new", "B": "open box", "C": "damaged, repairable", "D": "scrap"}
FLAG_WORDS = {"serial_not_shipped": "serial not shipped on the order",
              "lot_not_shipped": "lot not shipped on the order",
              "returned_before": "returned before", "serial_in_stock": "serial already in stock",
              "not_announced": "not on the RMA", "more_than_announced": "more than announced"}


@dataclass(frozen=True)
class RoutingLabel:
    unit_code: str
    disposition: str
    destination: str  # location code
    destination_kind: str
    rma: str  # "Shopify RMA-7"
    line_no: int
    order: str
    sku: str
    name: str
    grade: str
    quantity: int = 1
    lot: str | None = None
    flags: tuple[str, ...] = ()
    inspected: dt.date | None = None
    inspector: str = ""

    @property
    def headline(self) -> str:
        return HEADLINES.get(self.disposition, self.disposition.upper())

    @property
    def where(self) -> str:
        """Where the unit is carried to, as the label says it."""
        if self.disposition == "return_to_vendor":
            return "BACK TO VENDOR"
        if self.disposition == "scrap":
            return "SCRAP BIN"
        if self.disposition == "restock":
            return f"PUT AWAY FROM {self.destination}"
        return f"TO {self.destination}"


def routing_label_for(session: Session, unit) -> RoutingLabel:  # noqa: ANN001 - a ReturnUnit
    from app.db.models import User

    inspector = session.get(User, unit.inspected_by) if unit.inspected_by else None
    destination = unit.destination
    return RoutingLabel(
        unit_code=unit.code, disposition=unit.disposition or "", grade=unit.grade or "",
        destination=destination.code if destination else "", destination_kind=destination.kind if destination else "",
        rma=f"{unit.rma.channel} {unit.rma.number}", line_no=unit.line.line_no,
        order=f"{unit.rma.order.channel} {unit.rma.order.number}", sku=unit.product.sku,
        name=unit.product.name, quantity=unit.quantity, lot=unit.lot.code if unit.lot else None,
        flags=tuple(f for f in (unit.flags or "").split(";") if f),
        inspected=unit.inspected_at.date() if unit.inspected_at else None,
        inspector=inspector.display_name if inspector else "",
    )


# --- layout -------------------------------------------------------------------------------
def routing_layout(label: RoutingLabel, width: float, height: float) -> list[Primitive]:
    """Primitives in points from the top-left corner; scales from 4 x 3 in to 4 x 6 in."""
    margin = max(8.0, min(width, height) * 0.05)
    inner = width - 2 * margin
    items: list[Primitive] = []
    y = margin

    def line(text: str, size: float, *, bold: bool = False, align: str = "left") -> None:
        nonlocal y
        fitted, used = fit_text(text, inner, size, bold=bold, min_size=size * 0.5)
        items.append(Text(margin, y, inner, used, fitted, bold, align))
        y += used * 1.15

    def rule(thickness: float) -> None:
        nonlocal y
        y += 3
        items.append(Box(margin, y, inner, thickness))
        y += thickness + 4

    big = min(height * 0.11, 48.0)
    line(label.headline, big, bold=True, align="center")
    line(label.where, big * 0.6, bold=True, align="center")
    rule(2.0)
    small = max(7.0, min(height * 0.035, 16.0))
    line(f"RMA {label.rma}  line {label.line_no}", small)
    line(f"Order {label.order}", small)
    line(f"{label.sku}  x{label.quantity}" if label.quantity != 1 else label.sku, small * 1.6, bold=True)
    for text in wrap_text(label.name, inner, small, max_lines=2 if height > 300 else 1):
        items.append(Text(margin, y, inner, small, text))
        y += small * 1.15
    grade = f"Grade {label.grade} ({GRADE_WORDS.get(label.grade, '')})"
    line(f"{grade}, lot/serial {label.lot}" if label.lot else grade, small, bold=True)
    if label.flags:
        line("CHECK: " + ", ".join(FLAG_WORDS.get(f, f) for f in label.flags), small, bold=True)
    if label.inspected:
        line(f"Inspected {label.inspected.isoformat()} {label.inspector}".strip(), small * 0.9)
    rule(1.0)
    symbol = barcodes.code128(label.unit_code)
    room = height - margin - y
    bar_height = min(room, inner * 0.4)  # at the bottom edge, where a hand scanner reaches it
    items.append(bars(margin, height - margin - bar_height, inner, bar_height, symbol,
                      max(6.0, min(height * 0.03, 12.0))))
    return items


def routing_label_pdf(label: RoutingLabel, size: LabelSize = LABEL_4X6, *, dpi: int = 203) -> bytes:
    """One label per page, bars snapped to the thermal printer's dots."""
    from reportlab.pdfgen.canvas import Canvas

    from app.printing.labels import draw_primitives

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(size.width, size.height), pageCompression=1)
    canvas.setTitle(f"Routing label {label.unit_code}")
    canvas.setCreator("Stockfloor")
    draw_primitives(canvas, routing_layout(label, size.width, size.height), 0.0, size.height, dpi=dpi)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def routing_label_zpl(label: RoutingLabel, size: LabelSize = LABEL_4X6, *, dpi: int = 203) -> bytes:
    """The same layout as ZPL II: resident font A0, the printer's own Code 128 (^BC)."""
    from app.printing.barcodes import module_dots
    from app.printing.zpl import code128_field_data, escape_text

    scale = dpi / 72.0

    def d(value: float) -> int:
        return max(0, round(value * scale))

    width, height = size.dots(dpi)
    out = ["^XA", "^CI28", f"^PW{width}", f"^LL{height}", "^LH0,0"]
    for item in routing_layout(label, size.width, size.height):
        if isinstance(item, Text):
            justify = {"left": "L", "center": "C", "right": "R"}[item.align]
            out.append(f"^FO{d(item.x)},{d(item.top)}^A0N,{d(item.size)},{d(item.size)}"
                       f"^FB{d(item.width)},1,0,{justify},0^FH^FD{escape_text(item.text)}^FS")
        elif isinstance(item, Box):
            thick = max(1, min(d(item.width), d(item.height)))
            out.append(f"^FO{d(item.x)},{d(item.top)}^GB{d(item.width)},{d(item.height)},{thick}^FS")
        elif isinstance(item, Bars):
            symbol = item.symbol
            module = module_dots(symbol, d(item.width))
            text_h = d(item.text_size * 1.15) if item.text_size else 0
            bar_h = max(1, d(item.height) - text_h)
            x = d(item.x) + (d(item.width) - symbol.total_modules * module) // 2 + symbol.quiet_left * module
            out.append(f"^FO{x},{d(item.top)}^BY{module}^BCN,{bar_h},N,N,N,N^FD{code128_field_data(symbol)}^FS")
            if item.text_size:
                out.append(f"^FO{d(item.x)},{d(item.top) + bar_h + 2}^A0N,{d(item.text_size)},{d(item.text_size)}"
                           f"^FB{d(item.width)},1,0,C,0^FH^FD{escape_text(symbol.text)}^FS")
    out.append("^XZ")
    return ("\n".join(out) + "\n").encode("utf-8")
