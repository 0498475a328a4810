"""The shared CSV writer of every export: no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.csv_safe import TRIGGERS, dict_writer, safe_cell, writer


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://evil","x")', "=cmd|' /C calc'!A0", "+1+cmd", "-2+3",
                                       "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_a_spreadsheet_would_run_get_a_quote(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("plain", [-3, 2.5, "-3", "+1.50", "A=1", "Tea", "", None, "'=1"])
def test_numbers_and_plain_text_stay_as_they_are(plain):
    assert safe_cell(plain) == plain


@given(st.lists(st.text(max_size=12), max_size=6))
def test_no_written_cell_starts_a_formula(cells):
    out = io.StringIO()
    writer(out).writerow(cells)
    [row] = list(csv.reader(io.StringIO(out.getvalue()))) or [[]]
    for cell in row:
        assert not cell.startswith(TRIGGERS) or cell.lstrip("+-").replace(".", "", 1).isdigit()


def test_the_dict_writer_neutralises_values_not_the_header():
    out = io.StringIO()
    w = dict_writer(out, ["key", "n"])
    w.writeheader()
    w.writerows([{"key": "=1+1", "n": 3}])
    assert out.getvalue().splitlines() == ["key,n", "'=1+1,3"]
