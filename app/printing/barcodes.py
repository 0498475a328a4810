"""Barcode symbols: GS1 element strings, bar patterns, fitting, and drawing on a PDF canvas.

Code 128 and GS1-128 are encoded here, making python-barcode's choices in one pass (a
test holds the two to the same symbol values and bars); python-barcode encodes EAN-13.
We draw the bars ourselves as filled rectangles, vector-sharp, and choose the module
width: it is derived from the symbol's module count and the width available, so a
symbol never silently overflows its label.
"""

from __future__ import annotations

import math
import re
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
_BAR = re.compile("1+")


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
        for bar in _BAR.finditer(self.modules):
            yield bar.start(), bar.end() - bar.start()


# Code 128 symbol values 0..106 as bar/space widths (ISO/IEC 15417 table 1), then stop's.
_CODE128_WIDTHS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 "
    "112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 "
    "311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 "
    "112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 "
    "313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 "
    "122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 "
    "124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 "
    "114311 411113 411311 113141 114131 311141 411131 211412 211214 211232").split()
_CODE128_STOP = "11000111010" "11"  # stop pattern and its 2-module termination bar


def _modules_of(widths: str) -> str:
    return "".join(("1" if index % 2 == 0 else "0") * int(w) for index, w in enumerate(widths))


_CODE128_CODES = tuple(_modules_of(w) for w in _CODE128_WIDTHS)
# Code sets A and B: the character -> symbol value; FNC1 is 102 in every set,
# FNC1-FNC4 stand in as "\xf1", "\xf2", "\xf3", "\xf4" as in python-barcode.
_SET_A = {**{chr(c): c - 32 for c in range(32, 96)}, **{chr(c): c + 64 for c in range(32)},
          "\xf3": 96, "\xf2": 97, "\xf4": 101, FNC1: 102}
_SET_B = {**{chr(c): c - 32 for c in range(32, 128)}, "\xf3": 96, "\xf2": 97, "\xf4": 100, FNC1: 102}
_START_A, _START_B, _START_C = 103, 104, 105
_TO_A, _TO_B, _TO_C = 101, 100, 99


def _code128_values(data: str, *, gs1: bool = False) -> list[int]:
    """Code 128 symbol values (start, data, code set switches; no check character).

    The same choices as python-barcode 0.16.1 (Code128 / Gs1_128 ``_build``), so a symbol
    prints as it always has, in one pass instead of an object per symbol: start in set C;
    leave C for B (else A) at the first non-digit, flushing an odd digit left over; from
    A or B go to C ahead of four or more digits. Unlike python-barcode 0.16.1 a leading
    "99" is kept (its issue #251): only a real switch right after START C is folded into
    the start code. ``gs1``: ``data`` starts with FNC1 (GS1-128), which stays in set C.
    """
    if gs1:
        data = FNC1 + data
    encoded = [_START_C]
    append = encoded.append
    charset, pending = "C", ""  # pending: a lone digit waiting for its pair in set C
    for pos, char in enumerate(data):
        if charset == "C":
            if not char.isdigit() and not (gs1 and char == FNC1 and not pending):
                if char in _SET_B:
                    append(_TO_B)
                    charset = "B"
                elif char in _SET_A:
                    append(_TO_A)
                    charset = "A"
                if pending:
                    append((_SET_A if charset == "A" else _SET_B)[pending])
                    pending = ""
        elif _digits_ahead(data, pos):
            append(_TO_C)
            charset = "C"
        elif charset == "B" and char not in _SET_B and char in _SET_A:
            append(_TO_A)
            charset = "A"
        elif charset == "A" and char not in _SET_A and char in _SET_B:
            append(_TO_B)
            charset = "B"
        if charset == "C":
            if char == FNC1:
                append(102)
            elif char.isdigit() and char in _SET_B:
                if pending:
                    append(int(pending + char))
                    pending = ""
                else:
                    pending = char
            else:
                raise ValueError(f"Code 128 cannot encode {char!r}")
        else:
            value = (_SET_A if charset == "A" else _SET_B).get(char)
            if value is None:
                raise ValueError(f"Code 128 cannot encode {char!r}")
            append(value)
    if pending:
        append(_TO_B)
        append(_SET_B[pending])
    if len(encoded) > 1 and encoded[1] in (_TO_B, _TO_A):
        encoded[:2] = [_START_B if encoded[1] == _TO_B else _START_A]
    return encoded


def _digits_ahead(data: str, pos: int) -> bool:
    """Four or more digits from ``pos`` on (python-barcode looks at most 10 characters ahead)."""
    count = 0
    for char in data[pos:pos + 4]:
        if not char.isdigit():
            return False
        count += 1
    return count == 4


def _code128_modules(data: str, *, gs1: bool = False) -> tuple[tuple[int, ...], str]:
    """Code 128 values (start, data, switches, FNC1 = 102; no check character) and the
    bar pattern (check character, stop and termination bar included)."""
    values = _code128_values(data, gs1=gs1)
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    codes = _CODE128_CODES
    return tuple(values), "".join([codes[v] for v in values]) + codes[check] + _CODE128_STOP


def code128(value: str, text: str | None = None) -> Symbol:
    if not value or not (value.isascii() and value.isprintable()):  # printable ASCII: 32..126
        raise ValueError(f"Code 128 labels take printable ASCII only, got {value!r}")
    values, modules = _code128_modules(value)
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
    values, modules = _code128_modules(element_string(elements, FNC1), gs1=True)
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
    # Bar width reduction: rasterisers (pdfium, Ghostscript in CUPS) round a bar edge
    # that sits on a dot boundary outwards, adding a dot to some bars and not others.
    # Pulling each edge a quarter dot inwards makes every bar exactly its dot count.
    shrink = 0.25 * 72.0 / dpi if dpi else 0.0
    canvas.setFillColorRGB(0, 0, 0)
    spans = [bar.span() for bar in _BAR.finditer(symbol.modules)]
    xs = [left + start * module + shrink for start, _ in spans]
    widths = [(end - start) * module - 2 * shrink for start, end in spans]
    if symbol.kind == "ean13":  # EAN guard bars run long
        drops = [text_h * 0.55 if start in _EAN_GUARDS else 0.0 for start, _ in spans]
        _fill_rects(canvas, xs, widths, [bars_bottom - drop for drop in drops], [bars_h + drop for drop in drops])
    else:
        _fill_rects(canvas, xs, widths, bars_bottom, bars_h)
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


def _fill_rects(canvas, xs: list[float], widths: list[float], bottom: float | list[float],  # noqa: ANN001 - a canvas
                height: float | list[float]) -> None:
    """Filled rectangles: the very operators ``canvas.rect(x, y, width, height, stroke=0,
    fill=1)`` writes for each, each distinct number formatted once (a symbol has 20 to 60 bars
    sharing their y, height and a few widths, on the printer's dot grid; a run of labels
    thousands of symbols, mostly at the same places). ``bottom`` and ``height``: one for every
    bar (most symbols: written once for all), or a list with one per bar."""
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfgen.canvas import PATH_OPS

    fill = PATH_OPS[0, 1, canvas._fillMode]
    text = _NUMBER_TEXT
    each = isinstance(bottom, list)
    numbers = {*xs, *widths, *bottom, *height} if each else {*xs, *widths, bottom, height}
    new = [number for number in numbers if number not in text]
    if new:
        if len(text) > 50_000:  # bars sit on a printer's dot grid: few distinct numbers in a run
            text.clear()
            new = list(numbers)
        text.update(zip(new, fp_str(new).split(" "), strict=True))
    if each:
        rects = [f"n {text[x]} {text[y]} {text[w]} {text[h]} re {fill}"
                 for x, y, w, h in zip(xs, bottom, widths, height, strict=True)]
    else:
        y, tail = f" {text[bottom]} ", f" {text[height]} re {fill}"
        rects = [f"n {text[x]}{y}{text[w]}{tail}" for x, w in zip(xs, widths, strict=True)]
    canvas.addLiteral("\n".join(rects))


_NUMBER_TEXT: dict[float, str] = {}  # a number as reportlab writes it (fp_str), for _fill_rects


# First module of each EAN-13 guard bar (start 101, centre 01010, end 101).
_EAN_GUARDS = frozenset({0, 2, 46, 48, 92, 94})
