"""GS1 element strings, symbol encoding and the module-width rule."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.printing import barcodes
from app.printing.barcodes import (
    AI_FORMATS,
    FNC1,
    GS,
    BarcodeTooWide,
    element_string,
    gs1_128,
    gs1_hri,
    module_dots,
    module_width,
    needs_separator,
)
from tests.printing.samples import GTIN, SSCC


def test_separator_only_after_variable_length_fields_that_are_not_last():
    elements = [("01", GTIN), ("10", "ABC"), ("17", "271231"), ("30", "24")]
    # (10) is variable: separator.  (17) is fixed: none.  (30) is last: none.
    assert element_string(elements) == f"01{GTIN}10ABC{GS}172712313024"
    assert element_string(elements, FNC1) == f"01{GTIN}10ABC{FNC1}172712313024"
    assert element_string([("10", "A"), ("21", "B")]) == f"10A{GS}21B"
    assert element_string([("01", GTIN), ("17", "271231")]) == f"01{GTIN}17271231"
    assert gs1_hri(elements) == f"(01){GTIN}(10)ABC(17)271231(30)24"


@pytest.mark.parametrize("ai,value,message", [
    ("01", "09501101530004", "wrong check digit"),
    ("00", "12345", "needs 18 characters"),
    ("10", "A" * 21, "needs 1..20 characters"),
    ("10", "lot#1", "characters GS1 forbids"),
    ("17", "27123", "needs 6 characters"),
    ("30", "12a", "digits only"),
    ("8200", "https://example.com", "not supported"),
])
def test_invalid_element_data_is_refused_naming_the_ai(ai, value, message):
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        element_string([(ai, value)])
    assert f"({ai})" in str(error.value)


def test_our_ai_table_agrees_with_biip_full_gs1_table():
    """Our small table must not contradict GS1 (as packaged by biip)."""
    from biip.gs1_application_identifiers import GS1ApplicationIdentifier

    for ai, (charset, low, high) in AI_FORMATS.items():
        official = GS1ApplicationIdentifier.extract(ai)
        assert official.ai == ai
        assert official.separator_required == needs_separator(ai), ai
        sample = "0" * high if charset == "N" else "A" * high
        assert re.match(official.pattern, ai + sample), (ai, official.format)
        too_long = sample + ("0" if charset == "N" else "A")
        assert not re.match(official.pattern, ai + too_long), (ai, official.format)
        if low > 1:
            assert not re.match(official.pattern, ai + sample[: low - 1]), ai


def test_gs1_128_symbol_text_and_scan_data():
    symbol = gs1_128([("00", SSCC)])
    assert symbol.text == f"(00){SSCC}"
    assert symbol.data == f"00{SSCC}"
    assert symbol.quiet_left == symbol.quiet_right == 10


def test_ean13_quiet_zones_and_check_digit():
    symbol = barcodes.ean13("9501101530003")
    assert (symbol.quiet_left, symbol.quiet_right, len(symbol.modules)) == (11, 7, 95)
    with pytest.raises(ValueError, match="check digit"):
        barcodes.ean13("9501101530004")


def test_code128_refuses_characters_a_scanner_cannot_send_back():
    with pytest.raises(ValueError, match="printable ASCII"):
        barcodes.code128("Lager-Ü1")
    with pytest.raises(ValueError):
        barcodes.code128("")


def test_module_width_fits_the_symbol_into_the_space():
    symbol = barcodes.code128("A-03-02")
    width = module_width(symbol, 200)
    assert symbol.total_modules * width <= 200
    assert width == pytest.approx(200 / symbol.total_modules)


def test_module_width_snaps_to_whole_printer_dots():
    symbol = barcodes.code128("A-03-02")
    width = module_width(symbol, 200, dpi=203)
    dots = width * 203 / 72
    assert dots == pytest.approx(round(dots)) and round(dots) >= 2
    assert symbol.total_modules * width <= 200


def test_module_width_is_capped_so_symbols_do_not_grow_absurdly():
    assert module_width(barcodes.code128("A"), 5000) == barcodes.MAX_MODULE


def test_symbol_that_cannot_fit_raises_with_numbers_a_user_can_act_on():
    symbol = barcodes.code128("X" * 40)
    with pytest.raises(BarcodeTooWide) as error:
        module_width(symbol, 144)
    assert f"needs {symbol.total_modules} modules" in str(error.value)
    assert "larger label" in str(error.value)
    with pytest.raises(BarcodeTooWide):
        module_dots(symbol, 406)


def test_bar_runs_cover_exactly_the_bar_modules():
    symbol = barcodes.code128("SKU-1")
    covered = {start + i for start, run in symbol.bar_runs() for i in range(run)}
    assert covered == {i for i, m in enumerate(symbol.modules) if m == "1"}


@pytest.mark.parametrize("value", ["A-03-02", "SKU-000123", "12345678", "ABC12345", "x"])
def test_bar_pattern_is_python_barcodes_own(value):
    from barcode import Code128

    assert barcodes.code128(value).modules == Code128(value).build()[0]


def test_gs1_bar_pattern_is_python_barcodes_own():
    from barcode import Gs1_128

    elements = [("01", GTIN), ("10", "AB1"), ("17", "271231")]
    data = element_string(elements, FNC1)
    assert gs1_128(elements).modules == Gs1_128(data).build()[0]


def _scan_symbol(symbol):
    """Draw one symbol alone on a PDF page and scan it back."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from tests.printing.conftest import decode, rasterize

    width = symbol.total_modules * 72 / 203 * 2 + 20  # 2 dots per module
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, 60))
    barcodes.draw_symbol(canvas, symbol, 10, 5, width - 20, 50, dpi=203)
    canvas.save()
    [page] = rasterize(buffer.getvalue())
    return decode(page)


_ascii = st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=24)
_cset82 = st.text(st.sampled_from(sorted(barcodes._CSET82)), min_size=1, max_size=20)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(_ascii)
def test_any_printable_ascii_code128_scans_back_exactly(value):
    [result] = _scan_symbol(barcodes.code128(value))
    assert result.text == value


@settings(max_examples=40, deadline=None, derandomize=True)
@given(lot=_cset82, qty=st.integers(0, 10**8 - 1), serial=st.text("0123456789", max_size=20))
def test_any_gs1_element_mix_scans_back_with_its_separators(lot, qty, serial):
    elements = [("01", GTIN), ("10", lot), ("30", str(qty))]
    if serial:
        elements.insert(1, ("21", serial))
    symbol = gs1_128(elements)
    [result] = _scan_symbol(symbol)
    assert result.bytes.decode() == symbol.data  # GS exactly where FNC1 was encoded
    assert result.text == symbol.text


def _python_barcode_symbol(data: str, gs1: bool) -> tuple[tuple[int, ...], str]:
    """What python-barcode encodes for ``data`` (with its leading-"99" bug, issue #251, fixed:
    only a real code set switch after START C is folded into the start code)."""
    from barcode import Code128, Gs1_128

    def fold_start(self, encoded):
        if len(encoded) > 1 and encoded[0] == 105 and encoded[1] in (100, 101):
            encoded[:2] = [{100: 104, 101: 103}[encoded[1]]]
        return encoded

    encoder = type("Encoder", (Gs1_128 if gs1 else Code128,), {"_try_to_optimize": fold_start})
    return tuple(encoder(data).encoded), encoder(data).build()[0]  # fresh objects: it keeps state


_code128_data = st.text(st.one_of(st.sampled_from("0123456789"), st.characters(max_codepoint=127),
                                  st.sampled_from([FNC1, "\xf2", "\xf3", "\xf4"])), min_size=1, max_size=30)


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(data=_code128_data, gs1=st.booleans())
def test_code128_values_and_bars_are_the_ones_python_barcode_chooses(data, gs1):
    """Our one-pass encoder picks the same code sets, switches and bars, so labels print as
    they did when python-barcode encoded them (digit runs, odd digits, FNC1, sets A and B)."""
    assert barcodes._code128_modules(data, gs1=gs1) == _python_barcode_symbol(data, gs1)


@pytest.mark.parametrize("value", ["999", "99", "9912345678", "99-A-01", "L000000", "A0-39-49", "1234a", "a1234b5"])
def test_code128_examples_match_python_barcode(value):
    symbol = barcodes.code128(value)
    assert (symbol.values, symbol.modules) == _python_barcode_symbol(value, False)


@pytest.mark.parametrize("symbol", [barcodes.code128("A-03-02"), barcodes.ean13(GTIN[1:]),
                                    gs1_128([("01", GTIN), ("10", "AB1")])], ids=lambda s: s.kind)
def test_bars_are_written_as_one_canvas_rect_per_bar_writes_them(symbol):
    """draw_symbol writes all the bars in one piece: the very operators, numbers as formatted."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    def rects(draw) -> list[str]:
        canvas = Canvas(io.BytesIO())
        draw(canvas)
        return [line for line in "\n".join(canvas._code).split("\n") if line.endswith(" re f*")]

    def one_rect_per_bar(canvas) -> None:  # the bars as draw_symbol placed them before
        dot = 72 / 203
        module = module_width(symbol, 200, dpi=203)
        left = round((10 + (200 - symbol.total_modules * module) / 2 + symbol.quiet_left * module) / dot) * dot
        guards = barcodes._EAN_GUARDS if symbol.kind == "ean13" else ()
        text_h = 8 * 1.15
        for start, run in symbol.bar_runs():
            drop = text_h * 0.55 if start in guards else 0.0
            canvas.rect(left + start * module + dot / 4, 5 + text_h - drop, run * module - dot / 2,
                        50 - text_h + drop, stroke=0, fill=1)

    drawn = rects(lambda canvas: barcodes.draw_symbol(canvas, symbol, 10, 5, 200, 50, text_size=8, dpi=203))
    assert len(drawn) == len(list(symbol.bar_runs()))
    assert drawn == rects(one_rect_per_bar)


def test_a_full_number_cache_starts_afresh(monkeypatch):
    """The formatted numbers are kept for the next symbols; once there are very many the cache
    starts again, with every number the symbol at hand needs (those it had before too)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    symbol = barcodes.code128("A-03-02")

    def drawn(x: float) -> str:
        canvas = Canvas(io.BytesIO())
        barcodes.draw_symbol(canvas, symbol, x, 5, 200, 50, dpi=203)
        return "\n".join(canvas._code)

    monkeypatch.setattr(barcodes, "_NUMBER_TEXT", {})
    expected = drawn(12)
    barcodes._NUMBER_TEXT.update({n + 0.123: "x" for n in range(50_001)})
    drawn(10)  # its numbers stay known, then one more number (at 12) fills the cache
    assert drawn(12) == expected
    assert len(barcodes._NUMBER_TEXT) < 100
