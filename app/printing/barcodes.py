"""Barcode symbols: GS1 element strings, bar patterns, fitting, and drawing on a PDF canvas.

python-barcode only *encodes* here (its ``build()`` bar pattern, a string of 0/1
modules); we draw the bars ourselves as filled rectangles, which is ~1 ms per label,
vector-sharp, and lets us choose the module width: it is derived from the symbol's
module count and the width available, so a symbol never silently overflows its label.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.core.checkdigits import is_valid_gs1

GS = "\x1d"  # what a scanner sends for FNC1 between GS1 fields
FNC1 = "\xf1"  # python-barcode's stand-in for FNC1 inside Gs1_128 data

# Module width limits, in points.  0.7 pt (~0.25 mm, 2 dots at 203 dpi) is the narrowest
# that thermal printers and ordinary scanners resolve reliably; 2.88 pt (1.016 mm) is
# the GS1 logistics maximum, past which a symbol only gets wider, not better.
MIN_MODULE = 0.7
MAX_MODULE = 2.88

# --------------------------------------------------------------------------- GS1 elements

# Element strings whose length is predefined by the AI's first two digits (GS1 General
# Specifications, "predefined length" table): value = total length of AI + data.  Only
# these may be followed by another AI without an FNC1 separator.
PREDEFINED_LENGTH = {
    "00": 20, "01": 16, "02": 16, "03": 16, "04": 18, "11": 8, "12": 8, "13": 8,
    "14": 8, "15": 8, "16": 8, "17": 8, "18": 8, "19": 8, "20": 4, "31": 10, "32": 10,
    "33": 10, "34": 10, "35": 10, "36": 10, "41": 16,
}

# AI -> (charset, min length, max length) for the AIs our labels may use.  "N" is
# digits, "X" is the GS1 AI encodable character set 82.  Kept deliberately small;
# a test checks every entry against biip's full AI table.
AI_FORMATS = {
    "00": ("N", 18, 18), "01": ("N", 14, 14), "02": ("N", 14, 14),
    "10": ("X", 1, 20), "11": ("N", 6, 6), "13": ("N", 6, 6), "15": ("N", 6, 6),
    "16": ("N", 6, 6), "17": ("N", 6, 6), "20": ("N", 2, 2), "21": ("X", 1, 20),
    "22": ("X", 1, 20), "240": ("X", 1, 30), "241": ("X", 1, 30), "30": ("N", 1, 8),
    "37": ("N", 1, 8), "400": ("X", 1, 30), "401": ("X", 1, 30), "403": ("X", 1, 30),
    "410": ("N", 13, 13), "413": ("N", 13, 13), "414": ("N", 13, 13),
    "420": ("X", 1, 20), "90": ("X", 1, 30),
    **{f"310{d}": ("N", 6, 6) for d in "012345"},  # net weight, kg
    **{f"330{d}": ("N", 6, 6) for d in "012345"},  # gross weight, kg (logistic)
    **{str(ai): ("X", 1, 90) for ai in range(91, 100)},  # company internal
}
_CSET82 = frozenset("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
                    "abcdefghijklmnopqrstuvwxyz")
_CHECK_DIGIT_AIS = {"00", "01", "02", "410", "413", "414"}

Elements = Sequence[tuple[str, str]]


def check_element(ai: str, value: str) -> None:
    """Raise ValueError naming the AI when ``value`` is not valid data for it."""
    if ai not in AI_FORMATS:
        raise ValueError(f"AI ({ai}) is not supported on Stockfloor labels")
    charset, low, high = AI_FORMATS[ai]
    if not low <= len(value) <= high:
        size = str(low) if low == high else f"{low}..{high}"
        raise ValueError(f"AI ({ai}) needs {size} characters, got {value!r}")
    if charset == "N" and not value.isdigit():
        raise ValueError(f"AI ({ai}) takes digits only, got {value!r}")
    if charset == "X" and not set(value) <= _CSET82:
        bad = "".join(sorted(set(value) - _CSET82))
        raise ValueError(f"AI ({ai}) value {value!r} has characters GS1 forbids: {bad!r}")
    if ai in _CHECK_DIGIT_AIS and not is_valid_gs1(value):
        raise ValueError(f"AI ({ai}) value {value!r} has a wrong check digit")


def needs_separator(ai: str) -> bool:
    return ai[:2] not in PREDEFINED_LENGTH


def element_string(elements: Elements, separator: str = GS) -> str:
    """Concatenate AIs and values, with ``separator`` after every variable-length
    element that is not last (GS for scan data, FNC1 for encoding, ``>8`` for ZPL)."""
    parts = []
    for index, (ai, value) in enumerate(elements):
        check_element(ai, value)
        parts.append(ai + value)
        if needs_separator(ai) and index < len(elements) - 1:
            parts.append(separator)
    return "".join(parts)


def gs1_hri(elements: Elements) -> str:
    """Human-readable interpretation: '(01)09501101530003(10)ABC'."""
    return "".join(f"({ai}){value}" for ai, value in elements)


def yymmdd(day) -> str:
    return day.strftime("%y%m%d")


# --------------------------------------------------------------------------- symbols


@dataclass(frozen=True)
class Symbol:
    """An encoded linear symbol: its bar pattern plus the text printed under it."""

    kind: str  # "code128", "gs1-128" or "ean13"
    data: str  # encoded data (GS1: element string with GS separators)
    text: str  # human-readable line
    modules: str  # "1" = bar module, "0" = space module, start to stop
    quiet_left: int
    quiet_right: int
    elements: tuple[tuple[str, str], ...] = ()  # GS1 only
    values: tuple[int, ...] = ()  # Code 128 only: symbol values, for ZPL

    @property
    def total_modules(self) -> int:
        return self.quiet_left + len(self.modules) + self.quiet_right

    def bar_runs(self) -> Iterable[tuple[int, int]]:
        """(first module, width in modules) of each bar; adjacent modules merged."""
        start = None
        for index, module in enumerate(self.modules):
            if module == "1" and start is None:
                start = index
            elif module != "1" and start is not None:
                yield start, index - start
                start = None
        if start is not None:
            yield start, len(self.modules) - start


@functools.cache
def _encoders():
    """python-barcode's Code128 / Gs1_128 with one fix.

    python-barcode 0.16.1 drops a leading "99" from Code 128 data (issue #251, fixed
    upstream after 0.16.1): its start-code optimisation mistakes the digit pair 99 for
    the "switch to subset C" code.  Only a real switch (100 = to B, 101 = to A) right
    after START C may be folded into the start code.
    """
    from barcode import Code128, Gs1_128

    def fold_start(self, encoded: list[int]) -> list[int]:
        if len(encoded) > 1 and encoded[0] == 105 and encoded[1] in (100, 101):
            encoded[:2] = [{100: 104, 101: 103}[encoded[1]]]
        return encoded

    fixed = {"_try_to_optimize": fold_start}
    return type("Code128", (Code128,), fixed), type("Gs1_128", (Gs1_128,), fixed)


def _code128_modules(encoder, data: str) -> tuple[tuple[int, ...], str]:
    """Code 128 values (start, data, switches, FNC1 = 102; no check character) and the
    bar pattern, from one encoding pass: the same as python-barcode's ``build()``,
    without encoding twice when ZPL also needs the values."""
    from barcode.charsets import code128 as tables

    values = tuple(encoder(data).encoded)  # a fresh object: python-barcode keeps state
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    modules = "".join(tables.CODES[v] for v in (*values, check)) + tables.STOP + "11"
    return values, modules


def code128(value: str, text: str | None = None) -> Symbol:
    if not value or any(not 32 <= ord(c) < 127 for c in value):
        raise ValueError(f"Code 128 labels take printable ASCII only, got {value!r}")
    values, modules = _code128_modules(_encoders()[0], value)
    return Symbol("code128", value, value if text is None else text, modules, 10, 10,
                  values=values)


def ean13(gtin: str) -> Symbol:
    from barcode import EAN13

    if not (len(gtin) == 13 and gtin.isdigit() and is_valid_gs1(gtin)):
        raise ValueError(f"EAN-13 needs 13 digits with a valid check digit, got {gtin!r}")
    modules = EAN13(gtin[:12]).build()[0]
    # GS1 quiet zones for EAN-13: 11 modules left, 7 right.
    return Symbol("ean13", gtin, gtin, modules, 11, 7)


def gs1_128(elements: Elements) -> Symbol:
    elements = tuple((ai, value) for ai, value in elements)
    if not elements:
        raise ValueError("a GS1-128 symbol needs at least one element")
    values, modules = _code128_modules(_encoders()[1], element_string(elements, FNC1))
    return Symbol("gs1-128", element_string(elements, GS), gs1_hri(elements), modules,
                  10, 10, elements, values)


# --------------------------------------------------------------------------- fitting


class BarcodeTooWide(ValueError):
    """The symbol cannot be printed at a scannable module width in the space given."""

    def __init__(self, symbol: Symbol, available: float, module: float, minimum: float,
                 unit: str = "pt"):
        self.symbol, self.available, self.module, self.minimum = (symbol, available, module,
                                                                  minimum)
        super().__init__(
            f"{symbol.kind} {symbol.text!r} needs {symbol.total_modules} modules; "
            f"{available:.0f} {unit} of width leaves {module:.2f} {unit} per module, below "
            f"the {minimum:.2f} {unit} minimum. Use a larger label or shorter data.")


def module_width(symbol: Symbol, available: float, *, dpi: int | None = None,
                 minimum: float = MIN_MODULE, maximum: float = MAX_MODULE) -> float:
    """Widest module (pt) that fits the symbol and its quiet zones into ``available``.

    With ``dpi`` the width is rounded down to whole printer dots: a module of 2.4
    dots prints as a mix of 2- and 3-dot bars, which is what makes codes unreadable.
    """
    width = min(available / symbol.total_modules, maximum)
    if dpi:
        dot = 72.0 / dpi
        width = math.floor(width / dot + 1e-6) * dot
    if width < minimum - 1e-6:
        raise BarcodeTooWide(symbol, available, width, minimum)
    return width


def module_dots(symbol: Symbol, available_dots: int, *, min_dots: int = 2,
                max_dots: int = 10) -> int:
    """The same choice in printer dots, for ZPL's ^BY."""
    dots = min(available_dots // symbol.total_modules, max_dots)
    if dots < min_dots:
        raise BarcodeTooWide(symbol, available_dots, dots, min_dots, "dots")
    return dots


# --------------------------------------------------------------------------- drawing


def draw_symbol(canvas, symbol: Symbol, x: float, y: float, width: float, height: float, *,
                text_size: float = 0.0, dpi: int | None = None,
                minimum: float = MIN_MODULE, maximum: float = MAX_MODULE) -> float:
    """Draw ``symbol`` centred in the box (x, y = bottom-left, reportlab units).

    ``height`` includes the human-readable line when ``text_size`` > 0.  Returns the
    module width used.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    module = module_width(symbol, width, dpi=dpi, minimum=minimum, maximum=maximum)
    left = x + (width - symbol.total_modules * module) / 2 + symbol.quiet_left * module
    if dpi:  # start on a dot boundary so every bar keeps its exact dot count
        dot = 72.0 / dpi
        left = round(left / dot) * dot
    text_h = text_size * 1.15 if text_size else 0.0
    bars_bottom = y + text_h
    bars_h = height - text_h
    guards = _EAN_GUARDS if symbol.kind == "ean13" else ()
    # Bar width reduction: rasterisers (pdfium, Ghostscript in CUPS) round a bar edge
    # that sits on a dot boundary outwards, adding a dot to some bars and not others.
    # Pulling each edge a quarter dot inwards makes every bar exactly its dot count.
    shrink = 0.25 * 72.0 / dpi if dpi else 0.0
    canvas.setFillColorRGB(0, 0, 0)
    for start, run in symbol.bar_runs():
        drop = text_h * 0.55 if start in guards else 0.0  # EAN guard bars run long
        canvas.rect(left + start * module + shrink, bars_bottom - drop,
                    run * module - 2 * shrink, bars_h + drop, stroke=0, fill=1)
    if not text_size:
        return module
    baseline = y + text_size * 0.2
    # Barcode text is always ASCII (Code 128 / GS1 data), so the standard font will do.
    if symbol.kind == "ean13":
        size = min(text_size, 42 * module / stringWidth("000000", "Helvetica", 1) * 0.9)
        canvas.setFont("Helvetica", size)
        canvas.drawRightString(left - module, baseline, symbol.text[0])
        canvas.drawCentredString(left + 24 * module, baseline, symbol.text[1:7])
        canvas.drawCentredString(left + 71 * module, baseline, symbol.text[7:])
    else:
        size = min(text_size, width / max(stringWidth(symbol.text, "Helvetica", 1), 1))
        canvas.setFont("Helvetica", size)
        canvas.drawCentredString(x + width / 2, baseline, symbol.text)
    return module


# First module of each EAN-13 guard bar (start 101, centre 01010, end 101).
_EAN_GUARDS = frozenset({0, 2, 46, 48, 92, 94})
