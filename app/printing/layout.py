"""Where things go on each label, independent of the output format.

A layout is a list of primitives in points with the origin at the label's top-left
corner (the way ZPL counts).  The PDF renderer (labels.py) and the ZPL renderer
(zpl.py) draw the same list, so a label looks the same on paper and on a Zebra.
Sizes scale with the label, so one layout serves 2x1 in up to a whole A4 page.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.checkdigits import location_check_digits
from app.printing import barcodes
from app.printing.barcodes import Symbol
from app.printing.data import (
    BadgeLabel,
    CommandSheet,
    Label,
    LicensePlateLabel,
    LocationLabel,
    ProductLabel,
    ReceivingLabel,
    gtin14,
)
from app.printing.fonts import font, printable

ELLIPSIS = "..."  # ASCII: printer-resident ZPL fonts may lack U+2026
CHECK_SLACK = 1.15  # room for a printer-resident ZPL font whose digits run wider than Helvetica's


@dataclass(frozen=True)
class Text:
    x: float
    top: float
    width: float
    size: float  # font size in points; the line occupies about 1.15 * size
    text: str
    bold: bool = False
    align: str = "left"  # left | center | right


@dataclass(frozen=True)
class Bars:
    """A barcode with its quiet zones inside the box; human-readable line included."""

    x: float
    top: float
    width: float
    height: float
    symbol: Symbol
    text_size: float = 0.0  # 0 = no human-readable line under the bars


@dataclass(frozen=True)
class Box:
    """Filled rectangle: rules, separators."""

    x: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Stroke:
    """Straight thick line (arrows)."""

    x1: float
    y1: float
    x2: float
    y2: float
    thickness: float


Primitive = Text | Bars | Box | Stroke


# --------------------------------------------------------------------------- text helpers


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def text_width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font(bold), size)


def fit_text(text: str, width: float, size: float, *, bold: bool = False,
             min_size: float = 0.0) -> tuple[str, float]:
    """Shrink the font down to ``min_size``, then cut the text with an ellipsis."""
    text = printable(" ".join(text.split()), bold)
    natural = text_width(text, size, bold)
    if natural <= width:
        return text, size
    smaller = size * width / natural
    if smaller >= min_size:
        return text, smaller
    size = min_size
    while text and text_width(text + ELLIPSIS, size, bold) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS, size


def wrap_text(text: str, width: float, size: float, *, bold: bool = False,
              max_lines: int = 2) -> list[str]:
    """Word-wrap into at most ``max_lines``; the last line is cut with an ellipsis."""
    words, lines, current = printable(text, bold).split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if text_width(candidate, size, bold) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    last, _ = fit_text(lines[-1], width, size, bold=bold, min_size=size)
    return [fit_text(line, width, size, bold=bold, min_size=size)[0]
            for line in lines[:-1]] + [last]


class _Column:
    """Stacks lines top-down inside a box; keeps layout functions short."""

    def __init__(self, x: float, top: float, width: float):
        self.x, self.y, self.width, self.items = x, top, width, []

    def line(self, text: str, size: float, *, bold: bool = False, align: str = "left",
             min_size: float = 0.0, x: float | None = None,
             width: float | None = None) -> float:
        x = self.x if x is None else x
        width = self.width if width is None else width
        text, size = fit_text(text, width, size, bold=bold, min_size=min_size or size * 0.7)
        self.items.append(Text(x, self.y, width, size, text, bold, align))
        self.y += size * 1.15
        return size

    def lines(self, text: str, size: float, max_lines: int, *, bold: bool = False) -> None:
        for line in wrap_text(text, self.width, size, bold=bold, max_lines=max_lines):
            self.items.append(Text(self.x, self.y, self.width, size, line, bold))
            self.y += size * 1.15

    def rule(self, thickness: float, gap: float) -> None:
        self.y += gap
        self.items.append(Box(self.x, self.y, self.width, thickness))
        self.y += thickness + gap


MIN_BAR_HEIGHT = 12.0  # pt (~4 mm): below this a hand scanner's line easily misses


def bars(x: float, top: float, width: float, height: float, symbol: Symbol,
         text_size: float = 0.0) -> Bars:
    """A Bars primitive, refusing one squeezed too flat to scan."""
    if height - text_size * 1.15 < MIN_BAR_HEIGHT:
        raise ValueError(f"no room for the {symbol.kind} barcode {symbol.text!r}: "
                         f"{height:.0f} pt left; use a larger label size")
    return Bars(x, top, width, height, symbol, text_size)


def _bars_in(col: _Column, bottom: float, symbol: Symbol, text_size: float,
             max_ratio: float = 0.6) -> None:
    """Bars in the room left above ``bottom``: no taller than ``max_ratio`` of the
    width (taller only wastes label), centred vertically in that room."""
    room = bottom - col.y
    height = min(room, col.width * max_ratio)
    col.items.append(bars(col.x, col.y + (room - height) / 2, col.width, height, symbol,
                          text_size))


def _margin(width: float, height: float) -> float:
    return _clamp(min(width, height) * 0.06, 4, 14)


# --------------------------------------------------------------------------- layouts


def layout(label: Label, width: float, height: float) -> list[Primitive]:
    for kind, function in _LAYOUTS.items():
        if isinstance(label, kind):
            return function(label, width, height)
    raise TypeError(f"no label layout for {type(label).__name__}")


def _product(label: ProductLabel, w: float, h: float) -> list[Primitive]:
    m = _margin(w, h)
    col = _Column(m, m, w - 2 * m)
    col.line(label.sku, _clamp(h * 0.15, 8, 30), bold=True)
    col.lines(label.name, _clamp(h * 0.1, 6, 16), 1 if h < 100 else 2)
    col.y += m * 0.5
    symbol = barcodes.ean13(label.ean13) if label.barcode_kind == "ean13" \
        else barcodes.code128(label.sku)
    _bars_in(col, h - m, symbol, _clamp(h * 0.1, 6, 12))
    return col.items


def _location(label: LocationLabel, w: float, h: float) -> list[Primitive]:
    m = _margin(w, h)
    iw = w - 2 * m
    # One line: [arrow] code, then its check digits in the same large bold font at the right
    # (typed or spoken instead of scanning the label). The font is as large as fits them all.
    largest = _clamp(h * 0.38, 10, 120)
    code, check = printable(" ".join(label.code.split()), True), location_check_digits(label.code)
    gap, arrow_share = 0.4, 0.8 if label.arrow else 0.0
    per_point = text_width(code, 1, True) + gap + text_width(check, 1, True) * CHECK_SLACK + arrow_share
    size = max(min(largest, (iw - (m if label.arrow else 0.0)) / (per_point * 1.01)), largest * 0.2, 6.0)
    items: list[Primitive] = []
    arrow_side = size * arrow_share
    if label.arrow:
        # A square left of the code, as tall as its capitals (~0.75 of the font size).
        items += arrow(label.arrow, m, m + size * 0.04, arrow_side)
    text_x = m + (arrow_side + m if arrow_side else 0.0)
    check_w = text_width(check, size, True) * CHECK_SLACK
    code_w = w - m - text_x - check_w - size * gap
    text, _ = fit_text(code, code_w, size, bold=True, min_size=size)  # cut only below the smallest size
    items.append(Text(text_x, m, code_w, size, text, True, "center"))
    items.append(Text(w - m - check_w, m, check_w, size, check, True, "right"))
    top = m + size * 1.05 + m * 0.5
    # The big code is the human-readable text; repeat the data only when it differs.
    hri = _clamp(h * 0.08, 5, 10) if label.barcode != label.code else 0.0
    items.append(bars(m, top, iw, h - m - top, barcodes.code128(label.barcode), hri))
    return items


def arrow(direction: str, x: float, top: float, side: float) -> list[Stroke]:
    """Arrow drawn as three strokes (shaft and two head lines) in a square box."""
    t = side * 0.12
    # Pointing right, in unit coordinates of the box; other directions are rotations.
    unit = [((0.1, 0.5), (0.9, 0.5)), ((0.9, 0.5), (0.55, 0.15)), ((0.9, 0.5), (0.55, 0.85))]
    rotate = {"right": lambda u, v: (u, v), "left": lambda u, v: (1 - u, v),
              "down": lambda u, v: (v, u), "up": lambda u, v: (v, 1 - u)}[direction]
    strokes = []
    for a, b in unit:
        (x1, y1), (x2, y2) = rotate(*a), rotate(*b)
        strokes.append(Stroke(x + x1 * side, top + y1 * side, x + x2 * side, top + y2 * side, t))
    return strokes


def _license_plate(label: LicensePlateLabel, w: float, h: float) -> list[Primitive]:
    m = _margin(w, h)
    col = _Column(m, m, w - 2 * m)
    small = _clamp(h * 0.022, 6.5, 10)
    big = h >= 300  # full GS1 logistic label; smaller sizes keep SSCC essentials only
    with_contents = label.gtin is not None and h >= 200
    half = (col.width - m) / 2
    if big:
        top = col.y
        _address(col, "FROM", label.ship_from, small, col.x, half if label.ship_to else None)
        bottom = col.y
        if label.ship_to:
            col.y = top
            _address(col, "TO", label.ship_to, small, col.x + half + m, half)
            bottom = max(bottom, col.y)
        col.y = bottom
        col.rule(1.2, small * 0.4)
    else:
        col.line("FROM " + label.ship_from[0], small * 0.9)
    col.line("SSCC", small * 0.8)
    col.line(label.sscc, _clamp(h * 0.06, 9, 24), bold=True)
    fields = _lpn_fields(label)
    if fields and h >= 200:
        col.y += small * 0.3
        for index in range(0, len(fields), 2):
            row_top = col.y
            for offset, (title, value) in enumerate(fields[index:index + 2]):
                col.y = row_top
                x = col.x + offset * (half + m)
                col.line(title, small * 0.8, x=x, width=half)
                col.line(value, small * 1.3, bold=True, x=x, width=half)
        if label.contents:  # free text: give it the whole width
            col.line("CONTENTS", small * 0.8)
            col.line(label.contents, small * 1.3, bold=True)
    col.rule(1.2, small * 0.4)
    text_size = _clamp(h * 0.025, 6, 11)
    sscc = barcodes.gs1_128([("00", label.sscc)])
    room = h - m - col.y
    if with_contents:
        contents = barcodes.gs1_128(_contents_elements(label))
        col.items.append(bars(m, col.y, col.width, room / 2 - m * 0.5, contents, text_size))
        col.y += room / 2 + m * 0.5
        room = h - m - col.y
    col.items.append(bars(m, col.y, col.width, room, sscc, text_size))
    return col.items


def _address(col: _Column, title: str, lines, size: float, x: float, width) -> None:
    col.line(title, size * 0.8, x=x, width=width)
    col.line(lines[0], size * 1.2, bold=True, x=x, width=width)
    for line in lines[1:4]:
        col.line(line, size, x=x, width=width)


def _lpn_fields(label: LicensePlateLabel) -> list[tuple[str, str]]:
    fields = []
    if label.gtin:
        fields.append(("CONTENT (GTIN)", gtin14(label.gtin)))
    if label.count is not None:
        fields.append(("COUNT", str(label.count)))
    if label.lot:
        fields.append(("BATCH/LOT", label.lot))
    if label.best_before:
        fields.append(("BEST BEFORE", label.best_before.isoformat()))
    if label.expiry:
        fields.append(("USE BY / EXPIRY", label.expiry.isoformat()))
    if label.reference:
        fields.append(("ORDER / REF", label.reference))
    return fields


def _contents_elements(label: LicensePlateLabel) -> list[tuple[str, str]]:
    """(02)(15|17)(37)(10): fixed-length AIs first so only one FNC1 is needed."""
    elements = [("02", gtin14(label.gtin))]
    if label.best_before:
        elements.append(("15", barcodes.yymmdd(label.best_before)))
    if label.expiry:
        elements.append(("17", barcodes.yymmdd(label.expiry)))
    elements.append(("37", str(label.count)))
    if label.lot:
        elements.append(("10", label.lot))
    return elements


def receiving_elements(label: ReceivingLabel) -> list[tuple[str, str]]:
    elements = [("01", gtin14(label.gtin))]
    if label.expiry:
        elements.append(("17", barcodes.yymmdd(label.expiry)))
    if label.lot:
        elements.append(("10", label.lot))
    if label.qty is not None:
        elements.append(("30", str(label.qty)))
    return elements


def _receiving(label: ReceivingLabel, w: float, h: float) -> list[Primitive]:
    m = _margin(w, h)
    col = _Column(m, m, w - 2 * m)
    size = _clamp(h * 0.08, 6, 26)
    col.lines(label.name, size, 1 if h < 150 else 2, bold=True)
    info = [f"SKU {label.sku}"]
    if label.qty is not None:
        info.append(f"QTY {label.qty}")
    col.line("   ".join(info), size * 0.85)
    extra = []
    if label.lot:
        extra.append(f"LOT {label.lot}")
    if label.expiry:
        extra.append(f"EXP {label.expiry.isoformat()}")
    if extra:
        col.line("   ".join(extra), size * 0.85)
    col.y += m * 0.5
    symbol = barcodes.gs1_128(receiving_elements(label))
    _bars_in(col, h - m, symbol, _clamp(h * 0.05, 6, 11))
    return col.items


def _badge(label: BadgeLabel, w: float, h: float) -> list[Primitive]:
    m = _margin(w, h)
    col = _Column(m, m, w - 2 * m)
    col.line(label.name, _clamp(h * 0.2, 9, 40), bold=True, align="center", min_size=6)
    if label.role:
        col.line(label.role, _clamp(h * 0.1, 6, 18), align="center")
    col.y += m * 0.5
    _bars_in(col, h - m, barcodes.code128(label.badge_code), _clamp(h * 0.08, 5, 10))
    return col.items


def _command_sheet(label: CommandSheet, w: float, h: float) -> list[Primitive]:
    m = _margin(w, h)
    col = _Column(m, m, w - 2 * m)
    col.line(label.title, _clamp(h * 0.04, 8, 22), bold=True, align="center")
    col.rule(1, m * 0.3)
    row = (h - m - col.y) / len(label.commands)
    caption = _clamp(row * 0.18, 6, 16)
    bar_height = row - caption * 1.15 - m * 0.6
    if bar_height < 18:
        raise ValueError(f"{len(label.commands)} commands do not fit on this label size")
    for text, value in label.commands:
        top = col.y
        col.line(text, caption, bold=True, align="center")
        col.items.append(bars(m, col.y, col.width, bar_height, barcodes.code128(value)))
        col.y = top + row
    return col.items


_LAYOUTS = {ProductLabel: _product, LocationLabel: _location,
            LicensePlateLabel: _license_plate, ReceivingLabel: _receiving,
            BadgeLabel: _badge, CommandSheet: _command_sheet}
