"""Every label type at every size, printed to PDF, rasterised at 203 dpi and scanned."""

from __future__ import annotations

import biip
import pytest

from app.printing.barcodes import BarcodeTooWide
from app.printing.data import (
    LABEL_2X1,
    LABEL_4X3,
    LABEL_4X6,
    PAGE_A4,
    SHEET_A4_3X8,
    SHEET_LETTER_3X10,
    LocationLabel,
    ProductLabel,
)
from app.printing.labels import render_labels_pdf
from tests.printing import samples
from tests.printing.conftest import decode, decoded_texts, page_texts, rasterize, save_shot

# What does not fit on a 2 x 1 in label: GTIN + expiry + lot need 240-330
# modules, and three command barcodes need more than an inch of height.
TOO_SMALL_FOR_2X1 = {"receiving", "receiving_short", "commands"}
# On 2 x 1 in the logistic label keeps only its SSCC symbol.
EXPECTED_2X1 = {**samples.EXPECTED, "license_plate": {samples.HRI_SSCC}}

CASES = [(name, size) for size in (LABEL_2X1, LABEL_4X3, LABEL_4X6)
         for name in samples.LABELS if not (size is LABEL_2X1 and name in TOO_SMALL_FOR_2X1)]


@pytest.mark.parametrize("name,size", CASES, ids=[f"{n}-{s.name}" for n, s in CASES])
def test_every_barcode_on_a_thermal_label_scans_to_the_exact_data(name, size):
    pdf = render_labels_pdf([samples.LABELS[name]], size)
    [page] = rasterize(pdf)
    save_shot(page, f"{name}_{size.name}")
    assert page.size == size.dots(203)
    expected = EXPECTED_2X1[name] if size is LABEL_2X1 else samples.EXPECTED[name]
    assert set(decoded_texts(page)) == expected


@pytest.mark.parametrize("name", sorted(TOO_SMALL_FOR_2X1))
def test_data_too_long_for_the_label_is_refused_with_a_reason(name):
    with pytest.raises(ValueError) as error:
        render_labels_pdf([samples.LABELS[name]], LABEL_2X1)
    message = str(error.value)
    assert "do not fit" in message or "Use a larger label" in message


def test_receiving_barcode_is_too_wide_for_2x1_and_says_how_many_modules():
    with pytest.raises(BarcodeTooWide, match=r"needs \d+ modules"):
        render_labels_pdf([samples.RECEIVING], LABEL_2X1)


def test_gs1_symbols_carry_fnc1_separators_that_a_gs1_parser_accepts():
    [page] = rasterize(render_labels_pdf([samples.LICENSE_PLATE], LABEL_4X6))
    results = {r.text: r for r in decode(page)}
    contents = results[samples.HRI_CONTENTS]
    assert contents.symbology_identifier == "]C1"  # GS1-128, not plain Code 128
    assert contents.bytes == b"0209501101530003152712313748\x1d10L2311A"
    parsed = biip.parse("]C1" + contents.bytes.decode())
    values = {e.ai.ai: e.value for e in parsed.gs1_message.element_strings}
    assert values == {"02": samples.GTIN, "15": "271231", "37": "48", "10": "L2311A"}
    sscc = biip.parse("]C1" + results[samples.HRI_SSCC].bytes.decode())
    assert sscc.sscc.value == samples.SSCC and sscc.sscc_error is None


def test_many_thermal_labels_give_one_page_each_in_order():
    labels = [LocationLabel(f"A-01-{n:02d}", f"A-01-{n:02d}") for n in range(1, 6)]
    pages = rasterize(render_labels_pdf(labels, LABEL_2X1))
    assert [decoded_texts(page) for page in pages] == [[l.barcode] for l in labels]


def test_a4_sheet_of_3x8_locations_every_label_scans():
    arrows = [None, "up", "down", "left", "right"]
    labels = [LocationLabel(f"A-{r:02d}-{c:02d}", f"A-{r:02d}-{c:02d}", arrows[(r + c) % 5])
              for r in range(1, 7) for c in range(1, 6)]  # 30 labels: 24 + 6
    pdf = render_labels_pdf(labels, SHEET_A4_3X8)
    pages = rasterize(pdf)
    save_shot(pages[0], "locations_A4_3x8")
    assert len(pages) == 2
    assert pages[0].size == pytest.approx(PAGE_A4.dots(203), abs=1)
    found = [decoded_texts(page) for page in pages]
    assert found[0] == sorted(l.barcode for l in labels[:24])
    assert found[1] == sorted(l.barcode for l in labels[24:])


@pytest.mark.parametrize("sheet", [SHEET_A4_3X8, SHEET_LETTER_3X10], ids=lambda s: s.name)
def test_product_sheets_scan_in_every_cell(sheet):
    labels = [ProductLabel(f"SKU-{n:05d}", f"Product {n}") for n in range(sheet.per_page)]
    [page] = rasterize(render_labels_pdf(labels, sheet))
    assert decoded_texts(page) == sorted(l.sku for l in labels)


def test_mixed_label_types_on_one_sheet():
    labels = [samples.PRODUCT_EAN, samples.LOCATION, samples.BADGE, samples.RECEIVING_SHORT,
              samples.LICENSE_PLATE]
    [page] = rasterize(render_labels_pdf(labels, SHEET_A4_3X8))
    assert set(decoded_texts(page)) == {"9501101530003", "A-03-02", "EMP-00042",
                                        samples.HRI_RECEIVING_SHORT, samples.HRI_SSCC}


def test_long_product_name_is_cut_with_an_ellipsis_not_overflowing():
    label = ProductLabel("SKU-1", "Extremely long product name " * 6)
    for size in (LABEL_2X1, LABEL_4X6):
        [text] = page_texts(render_labels_pdf([label], size))
        assert "..." in text
        assert "Extremely long product name" in text


@pytest.mark.parametrize("name", sorted(samples.LABELS))
def test_no_text_leaves_the_label(name):
    import pypdfium2

    size = LABEL_4X6 if name in TOO_SMALL_FOR_2X1 else LABEL_2X1
    document = pypdfium2.PdfDocument(render_labels_pdf([samples.LABELS[name]], size))
    page = document[0]
    width, height = page.get_size()
    text = page.get_textpage()
    for index in range(text.count_chars()):
        left, bottom, right, top = text.get_charbox(index)
        assert 0 <= left and right <= width and 0 <= bottom and top <= height, index


@pytest.mark.parametrize("direction", ["up", "down", "left", "right"])
def test_location_arrow_points_where_asked(direction):
    """The arrow's head (two strokes meeting) puts more ink on the side it points to."""
    from app.printing.layout import Stroke, layout

    label = LocationLabel("A-03-02", "A-03-02", direction)
    strokes = [p for p in layout(label, LABEL_4X3.width, LABEL_4X3.height)
               if isinstance(p, Stroke)]
    scale = 203 / 72
    left = min(min(s.x1, s.x2) for s in strokes) * scale
    top = min(min(s.y1, s.y2) for s in strokes) * scale
    right = max(max(s.x1, s.x2) for s in strokes) * scale
    bottom = max(max(s.y1, s.y2) for s in strokes) * scale
    [page] = rasterize(render_labels_pdf([label], LABEL_4X3))
    box = page.convert("L").crop((int(left), int(top), int(right), int(bottom)))
    w, h = box.size
    halves = {"left": (0, 0, w // 2, h), "right": (w - w // 2, 0, w, h),
              "up": (0, 0, w, h // 2), "down": (0, h - h // 2, w, h)}
    opposite = {"left": "right", "right": "left", "up": "down", "down": "up"}

    def ink(region):
        return sum(1 for p in box.crop(region).tobytes() if p < 128)

    assert ink(halves[direction]) > 1.2 * ink(halves[opposite[direction]]) > 0
    # and the code text starts right of the arrow instead of running over it
    text = next(p for p in layout(label, LABEL_4X3.width, LABEL_4X3.height)
                if hasattr(p, "text"))
    assert text.x >= right / scale


def test_thermal_pdf_pages_have_the_label_size_for_the_printer_driver():
    import pypdfium2

    document = pypdfium2.PdfDocument(render_labels_pdf([samples.BADGE], LABEL_4X3))
    assert document[0].get_size() == pytest.approx((288, 216))


def test_empty_label_list_is_an_error():
    with pytest.raises(ValueError, match="nothing to print"):
        render_labels_pdf([], LABEL_4X6)


@pytest.mark.parametrize("value", ["999", "9912345678", "99-A-01"])
def test_codes_starting_with_99_keep_their_99(value):
    """python-barcode 0.16.1 silently drops a leading '99' (its issue #251)."""
    [page] = rasterize(render_labels_pdf([LocationLabel(value, value)], LABEL_4X3))
    assert decoded_texts(page) == [value]


def test_names_beyond_western_europe_print_as_letters_not_boxes():
    from app.printing.fonts import STANDARD, pdf_fonts

    label = ProductLabel("SKU-1", "Łódź żółć Привет 東京")
    [text] = page_texts(render_labels_pdf([label], LABEL_4X3))
    if pdf_fonts() == STANDARD:  # no DejaVu/Arial on this machine: Helvetica only
        assert "?ód? ?ó?? ?????? ??" in text
    else:
        assert "Łódź żółć Привет ??" in text  # no CJK in DejaVu Sans: honest '?'
    assert "\u25a0" not in text and "\ufffd" not in text


def test_a_label_too_short_for_its_barcode_is_refused_not_squashed():
    from app.printing.data import LabelSize

    strip = LabelSize.inches("4x0.5in", 4, 0.5)
    with pytest.raises(ValueError, match="no room for the .* barcode"):
        render_labels_pdf([ProductLabel("SKU-1", "A name")], strip)
