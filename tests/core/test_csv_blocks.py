"""Reading a block of records a column at a time gives exactly what reading each record
alone gives: the same values, the same unreadable cells, the same problems (hypothesis over
cells that are valid, blank, padded, out of range or garbage, for every cell type)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.csv_rules import Column, _read_block, _read_row

COLUMNS = (
    Column("sku", "text", "", required=True, max_length=8),
    Column("name", "text", ""),
    Column("qty", "integer", "", minimum=1),
    Column("big", "integer", ""),
    Column("weight", "decimal", "", minimum=0),
    Column("ok", "boolean", "", default=False),
    Column("tracking", "choice", "", choices=("none", "lot"), default="none"),
    Column("due", "date", ""),
    Column("gtin", "gtin", ""),
    Column("codes", "barcodes", ""),
)
BY_NAME = {column.name: column for column in COLUMNS}
HEADER = tuple(BY_NAME)

CELL = st.one_of(
    st.sampled_from(["", " ", "A-1", " padded ", "x" * 9, "0", "1", "-3", "12", "2147483648", "1.5", "1e999",
                     "yes", "NO", "maybe", "lot", "LOT", "2026-02-29", "2028-02-29", "96385074", "96385075",
                     "4006381333931", "INT-1:2;4006381333931", "a b:1", "\x07", "１２", "nan", "1_000"]),
    st.text(max_size=12),
)
RECORDS = st.lists(st.lists(CELL, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(RECORDS)
def test_a_block_reads_like_its_records_one_by_one(records):
    block = [(number, cells) for number, cells in enumerate(records, start=2)]
    one_by_one: list = []
    expected = [_read_row(number, HEADER, cells, BY_NAME, one_by_one) for number, cells in block]
    together: list = []
    assert _read_block(block, HEADER, BY_NAME, together) == expected
    assert sorted(together) == sorted(one_by_one)


def test_records_that_do_not_match_the_header_are_read_one_by_one():
    problems: list = []
    rows = _read_block([(2, ["A", "Tea", "2"]), (3, ["B", "Cup", "1", "", "", "", "", "", "", "", "extra"])],
                       HEADER, BY_NAME, problems)
    assert [row.values["sku"] for row in rows] == ["A", "B"]
    assert [str(problem) for problem in problems] == ["row 3, column 11: value in a column without a header"]
