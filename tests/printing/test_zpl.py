"""ZPL output: printer-native barcodes with the right data, sizes in dots, settings."""

from __future__ import annotations

import re

import pytest

from app.printing.barcodes import GS, code128, gs1_128
from app.printing.data import LABEL_2X1, LABEL_4X3, LABEL_4X6, SHEET_A4_3X8, ProductLabel
from app.printing.zpl import code128_field_data, render_labels_zpl
from tests.printing import samples


def decode_bc_field(field: str) -> str:
    """What a printer encodes for ^BC mode N field data: the inverse of our encoder,
    written from Zebra's invocation-code table.  FNC1 comes back as GS."""
    out, subset, i = [], None, 0
    literal = {">0": ">", "><": "^", ">=": "~"}
    while i < len(field):
        if field[i] == ">":
            code, i = field[i:i + 2], i + 2
            if code in (">9", ">:", ">;"):
                assert subset is None, "start code in the middle"
                subset = {">9": "A", ">:": "B", ">;": "C"}[code]
            elif code == ">8":
                out.append(GS)
            elif code in (">5", ">6", ">7"):
                subset = {">5": "C", ">6": "B", ">7": "A"}[code]
            elif code in literal:
                out.append(literal[code])
            else:
                raise AssertionError(f"unexpected invocation code {code}")
        elif subset == "C":
            pair, i = field[i:i + 2], i + 2
            assert pair.isdigit() and len(pair) == 2, f"odd digit in subset C: {field}"
            out.append(pair)
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def zpl_text(labels, size=LABEL_4X6, **options) -> str:
    return render_labels_zpl(labels, size, **options).decode("utf-8")


def barcode_fields(zpl: str, command: str = "^BC") -> list[str]:
    return re.findall(re.escape(command) + r"[^^]*\^FD(.*?)\^FS", zpl)


def test_sscc_is_a_printer_gs1_128_starting_in_subset_c_with_fnc1():
    zpl = zpl_text([samples.LICENSE_PLATE])
    assert f"^FD>;>800{samples.SSCC}^FS" in zpl
    assert "^BCN," in zpl


def test_every_code128_field_encodes_exactly_our_data():
    zpl = zpl_text([samples.LICENSE_PLATE, samples.RECEIVING, samples.LOCATION_PREFIXED,
                    samples.BADGE, samples.COMMANDS])
    decoded = [decode_bc_field(field) for field in barcode_fields(zpl)]
    expected_gs1 = [gs1_128(e).data for e in (
        [("02", samples.GTIN), ("15", "271231"), ("37", "48"), ("10", "L2311A")],
        [("00", samples.SSCC)],
        [("01", samples.GTIN), ("17", "270630"), ("10", "L2311A"), ("30", "24")])]
    # GS1 symbols begin with FNC1 (which makes them GS1-128); strip it to compare.
    assert [d[1:] for d in decoded[:3]] == expected_gs1
    assert all(d.startswith(GS) for d in decoded[:3])
    assert decoded[3:] == ["LOC:B12-04C", "EMP-00042", "CMD:CONFIRM", "CMD:CANCEL",
                           "CMD:NEXT"]


def test_characters_zpl_would_misread_are_escaped_in_barcodes_and_text():
    label = ProductLabel("A>B^C~D_1", "50% ^off~ _x_")
    zpl = zpl_text([label])
    [field] = barcode_fields(zpl)
    assert decode_bc_field(field) == "A>B^C~D_1"
    assert "^FH^FD50% _5Eoff_7E _5Fx_5F^FS" in zpl
    # no stray command prefixes inside field data
    for data in re.findall(r"\^FD(.*?)\^FS", zpl):
        assert "^" not in data and "~" not in data


def test_ean13_uses_the_printer_ean_command_with_12_digits():
    zpl = zpl_text([samples.PRODUCT_EAN])
    assert barcode_fields(zpl, "^BE") == ["950110153000"]
    assert re.search(r"\^BEN,\d+,Y,N", zpl)


def test_label_size_in_dots_follows_the_printer_resolution():
    at_203 = zpl_text([samples.LOCATION], dpi=203)
    at_300 = zpl_text([samples.LOCATION], dpi=300)
    assert "^PW812" in at_203 and "^LL1218" in at_203
    assert "^PW1200" in at_300 and "^LL1800" in at_300
    by_203 = int(re.search(r"\^BY(\d+)", at_203).group(1))
    by_300 = int(re.search(r"\^BY(\d+)", at_300).group(1))
    assert by_300 > by_203  # same physical size, more dots


@pytest.mark.parametrize("dpi", [203, 300])
def test_barcodes_fit_inside_the_printable_width(dpi):
    zpl = zpl_text([samples.LICENSE_PLATE], dpi=dpi)
    width = int(re.search(r"\^PW(\d+)", zpl).group(1))
    symbols = [gs1_128([("02", samples.GTIN), ("15", "271231"), ("37", "48"),
                        ("10", "L2311A")]), gs1_128([("00", samples.SSCC)])]
    placements = re.findall(r"\^FO(\d+),\d+\^BY(\d+)\^BC", zpl)
    assert len(placements) == 2
    for (x, module), symbol in zip(placements, symbols):
        x, module = int(x), int(module)
        assert module >= 2
        assert x - 10 * module >= 0  # left quiet zone on the label
        assert x + (len(symbol.modules) + 10) * module <= width  # and the right one


def test_darkness_offset_and_copies():
    zpl = zpl_text([samples.LOCATION, samples.BADGE], darkness=18, darkness_adjust=-4,
                   offset_dots=(24, 8), copies=3)
    assert zpl.startswith("~SD18\n^XA")
    assert zpl.count("~SD") == 1
    assert zpl.count("^MD-4") == 2 and zpl.count("^LH24,8") == 2 and zpl.count("^PQ3") == 2


def test_one_format_per_label_and_utf8_text():
    zpl = zpl_text([samples.LICENSE_PLATE, samples.PRODUCT_128, samples.LOCATION])
    assert zpl.count("^XA") == zpl.count("^XZ") == 3
    assert zpl.count("^CI28") == 3
    assert "Düsseldorf" in zpl


def test_label_too_small_for_the_data_is_refused():
    with pytest.raises(ValueError, match="larger label"):
        render_labels_zpl([samples.RECEIVING], LABEL_2X1)


@pytest.mark.parametrize("options,message", [
    ({"dpi": 250}, "dpi"), ({"darkness": 31}, "darkness"), ({"darkness_adjust": -40}, "darkness")])
def test_bad_printer_settings_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        render_labels_zpl([samples.LOCATION], LABEL_4X6, **options)


def test_sheets_are_not_zpl():
    with pytest.raises(ValueError, match="thermal"):
        render_labels_zpl([samples.LOCATION], SHEET_A4_3X8)


def test_code128_field_matches_python_barcode_values_for_mixed_data():
    for value in ["12345678", "AB12345678CD", "1A2B3C", "A>1", "LOC:B12-04C", "999",
                  "9912345678", "99-A-01", "0099"]:
        assert decode_bc_field(code128_field_data(code128(value))) == value


# --- location labels: the check digits, large, beside the code ----------------------------------
LOCATION_CODES = ("A-03-02", "B-12-04-C", "DOCK-1", "QUAR-1", "R-01-01-1")


def top_line_texts(zpl: str) -> list[tuple[int, int, int, int, str, str]]:
    """(x, y, height, box width, justification, text) of every ^A0 text field, top first."""
    fields = re.findall(r"\^FO(\d+),(\d+)\^A0N,(\d+),\d+\^FB(\d+),1,0,([LCR]),0\^FH\^FD(.*?)\^FS", zpl)
    return sorted((int(x), int(y), int(h), int(w), j, text) for x, y, h, w, j, text in fields)


@pytest.mark.parametrize("size", [LABEL_2X1, LABEL_4X3, LABEL_4X6], ids=lambda s: s.name)
@pytest.mark.parametrize("arrow", [None, "up"])
def test_location_labels_print_the_check_digits_as_large_as_the_code(size, arrow):
    from app.core.checkdigits import location_check_digits
    from app.printing.data import LocationLabel

    dpi = 203
    width_dots, _ = size.dots(dpi)
    for code in LOCATION_CODES:
        zpl = zpl_text([LocationLabel(code, code, arrow)], size, dpi=dpi)
        top = [field for field in top_line_texts(zpl) if field[1] == min(f[1] for f in top_line_texts(zpl))]
        (code_x, _, code_h, code_w, code_j, code_text), (check_x, _, check_h, check_w, check_j, check_text) = top
        assert (code_text, check_text) == (code, location_check_digits(code))  # whole, never cut
        assert check_h == code_h >= 40  # large: at least 5 mm at 203 dpi, as large as the code
        assert (code_j, check_j) == ("C", "R")
        assert code_x + code_w <= check_x and check_x + check_w <= width_dots
        # The same data as the bars.
        assert [decode_bc_field(field) for field in barcode_fields(zpl)] == [code]


def test_the_pdf_location_label_shows_the_whole_code_and_its_check_digits():
    from app.core.checkdigits import location_check_digits
    from app.printing.data import LocationLabel
    from app.printing.labels import render_labels_pdf
    from tests.printing.conftest import page_texts

    for size in (LABEL_2X1, LABEL_4X6):
        for code in LOCATION_CODES:
            [text] = page_texts(render_labels_pdf([LocationLabel(code, code, "left")], size))
            assert text.split()[:2] == [code, location_check_digits(code)], (size.name, text)
