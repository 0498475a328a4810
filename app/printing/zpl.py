"""Labels as ZPL II for Zebra (and compatible) thermal printers.

The same layouts as the PDFs (layout.py), but barcodes are the printer's own: ^BC for
Code 128 / GS1-128 and ^BE for EAN-13, so bars land exactly on the print head's dots.
Code 128 data is sent with explicit start/switch codes (>; >: >5 >6 >8 ...) taken from
the symbol's encoding (barcodes.py), so the printed symbol is the one the PDF shows,
FNC1s included.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.printing.barcodes import Symbol, module_dots
from app.printing.data import LABEL_4X6, Label, LabelSize
from app.printing.layout import Bars, Box, Primitive, Stroke, Text, layout

SUPPORTED_DPI = (152, 203, 300, 600)

# Code 128 values that ZPL writes as invocation codes, in every subset.
_START = {103: (">9", "A"), 104: (">:", "B"), 105: (">;", "C")}
_SWITCH = {99: (">5", "C"), 100: (">6", "B"), 101: (">7", "A")}
# Characters that ZPL field data cannot carry literally inside ^BC: '>' starts an
# invocation code, '^' and '~' start commands.  Zebra's invocation codes for them:
_ESCAPE_128 = {">": ">0", "^": "><", "~": ">="}


def render_labels_zpl(labels: Iterable[Label], size: LabelSize = LABEL_4X6, *,
                      dpi: int = 203, darkness: int | None = None,
                      darkness_adjust: int | None = None,
                      offset_dots: tuple[int, int] = (0, 0), copies: int = 1) -> bytes:
    """One ^XA...^XZ format per label, UTF-8 encoded.

    ``darkness`` (0-30) is sent once as ~SD, the printer's stored setting;
    ``darkness_adjust`` (-30..30) as ^MD, relative to it, in every label.
    ``offset_dots`` shifts everything (^LH) to correct a misaligned roll.
    """
    if not isinstance(size, LabelSize) or not size.thermal:
        raise ValueError("ZPL is for thermal label sizes, not sheets or paper")
    if dpi not in SUPPORTED_DPI:
        raise ValueError(f"dpi must be one of {SUPPORTED_DPI}, got {dpi}")
    if darkness is not None and not 0 <= darkness <= 30:
        raise ValueError("darkness must be 0..30")
    if darkness_adjust is not None and not -30 <= darkness_adjust <= 30:
        raise ValueError("darkness_adjust must be -30..30")
    head = f"~SD{darkness:02d}\n" if darkness is not None else ""
    out = [head]
    for label in labels:
        out.append(label_zpl(label, size, dpi=dpi, darkness_adjust=darkness_adjust,
                             offset_dots=offset_dots, copies=copies))
    if len(out) == 1:
        raise ValueError("nothing to print: no labels given")
    return "".join(out).encode("utf-8")


def label_zpl(label: Label, size: LabelSize, *, dpi: int = 203,
              darkness_adjust: int | None = None, offset_dots: tuple[int, int] = (0, 0),
              copies: int = 1) -> str:
    """One label as one ZPL format (^XA ... ^XZ)."""
    width_dots, height_dots = size.dots(dpi)
    # ^CI28: field data is UTF-8.  ^PW/^LL: label size.  ^LH: home offset.
    lines = ["^XA", "^CI28", f"^PW{width_dots}", f"^LL{height_dots}",
             f"^LH{offset_dots[0]},{offset_dots[1]}"]
    if darkness_adjust is not None:
        lines.append(f"^MD{darkness_adjust}")
    scale = dpi / 72.0
    for item in layout(label, size.width, size.height):
        lines.extend(_primitive(item, scale))
    if copies != 1:
        lines.append(f"^PQ{copies}")
    lines.append("^XZ")
    return "\n".join(lines) + "\n"


def _primitive(item: Primitive, scale: float) -> list[str]:
    def d(value: float) -> int:
        return max(0, round(value * scale))

    if isinstance(item, Text):
        return [_text(d(item.x), d(item.top), d(item.width), d(item.size), item.text,
                      item.align)]
    if isinstance(item, Box):
        thick = max(1, min(d(item.width), d(item.height)))
        return [f"^FO{d(item.x)},{d(item.top)}^GB{d(item.width)},{d(item.height)},{thick}^FS"]
    if isinstance(item, Stroke):
        return [_stroke(item, d)]
    if isinstance(item, Bars):
        return _bars(item, d)
    raise TypeError(f"cannot render {item!r} as ZPL")


def _text(x: int, y: int, width: int, height: int, text: str, align: str) -> str:
    justify = {"left": "L", "center": "C", "right": "R"}[align]
    # ^A0: the scalable resident font.  ^FB clips to one line of the layout's width.
    return (f"^FO{x},{y}^A0N,{height},{height}^FB{width},1,0,{justify},0"
            f"^FH^FD{escape_text(text)}^FS")


def escape_text(text: str) -> str:
    """^FH hex escapes for the characters ZPL would read as commands."""
    return text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")


def _stroke(item: Stroke, d) -> str:
    x, y = d(min(item.x1, item.x2)), d(min(item.y1, item.y2))
    w, h, t = d(abs(item.x2 - item.x1)), d(abs(item.y2 - item.y1)), max(1, d(item.thickness))
    if w < t or h < t:  # horizontal or vertical: a filled box centred on the line
        if w < t:
            return f"^FO{x - t // 2},{y}^GB{t},{h + 1},{t}^FS"
        return f"^FO{x},{y - t // 2}^GB{w + 1},{t},{t}^FS"
    # ^GD: diagonal in a w x h box; R leans right (/), L leans left (\).
    going_down_right = (item.x2 - item.x1) * (item.y2 - item.y1) > 0
    return f"^FO{x},{y}^GD{w},{h},{t},B,{'L' if going_down_right else 'R'}^FS"


def _bars(item: Bars, d) -> list[str]:
    symbol = item.symbol
    box_w = d(item.width)
    module = module_dots(symbol, box_w)
    text_h = d(item.text_size * 1.15) if item.text_size else 0
    bar_h = max(1, d(item.height) - text_h)
    x = d(item.x) + (box_w - symbol.total_modules * module) // 2 + symbol.quiet_left * module
    y = d(item.top)
    if symbol.kind == "ean13":
        # ^BE prints its own digits (first digit outside, guards long); give it the room.
        interpretation = "Y" if item.text_size else "N"
        return [f"^FO{x},{y}^BY{module}^BEN,{bar_h},{interpretation},N"
                f"^FD{symbol.data[:12]}^FS"]
    lines = [f"^FO{x},{y}^BY{module}^BCN,{bar_h},N,N,N,N^FD{code128_field_data(symbol)}^FS"]
    if item.text_size:
        lines.append(_text(d(item.x), y + bar_h + 2, box_w, d(item.text_size), symbol.text,
                           "center"))
    return lines


def code128_field_data(symbol: Symbol) -> str:
    """^FD content for ^BC mode N: start code, data, switches and FNC1 spelled out."""
    values = symbol.values
    if not values:
        raise ValueError(f"{symbol.kind} is not Code 128")
    start, subset = _START[values[0]]
    out = [start]
    for value in values[1:]:
        if value == 102:
            out.append(">8")  # FNC1
        elif value in _SWITCH and _SWITCH[value][1] != subset:
            code, subset = _SWITCH[value]
            out.append(code)
        elif subset == "C":
            out.append(f"{value:02d}")
        elif value < 95 and (subset == "B" or value < 64):
            char = chr(value + 32)
            out.append(_ESCAPE_128.get(char, char))
        else:
            raise ValueError(f"Code 128 value {value} in subset {subset} has no ZPL form")
    return "".join(out)
