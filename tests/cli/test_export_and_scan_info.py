"""`stockfloor export stock` and `stockfloor scan-info`."""

from __future__ import annotations

import pytest

from app.db.uow import UnitOfWork
from app.services.receiving import receipts as receiving
from tests.factories import gtin13

MILK_GS1 = "]C10109501101530003" + "10LOT7<GS>" + "17271231"


def test_export_lists_every_non_zero_row(database, warehouse, receive, cli, tmp_path):
    receive(gtin13(1), quantity=2)
    receive(MILK_GS1.replace("<GS>", "\x1d"), quantity=4)
    receive(gtin13(2))
    with UnitOfWork(database) as uow:  # GADGET back to the supplier: a zero on-hand row stays behind
        receiving.undo_last_receipt_scan(uow, warehouse.orders["PO-1001"].id, actor=warehouse.operator)
    target = tmp_path / "stock.csv"
    result = cli("--database", database.url, "export", "stock", target)
    assert result.code == 0 and result.err == f"2 on-hand rows written to {target}\n"
    assert target.read_text(encoding="utf-8") == (
        "sku,name,location,lot,expiry,license_plate,on_hand,reserved,available,blocked\n"
        "MILK,Milk 1 l,DOCK-1,LOT7,2027-12-31,,4,0,0,0\n"
        'WIDGET,"Widget, blue",DOCK-1,,,,2,0,0,0\n'
    )
    to_stdout = cli("--database", database.url, "export", "stock", "-")
    assert to_stdout.out == target.read_text(encoding="utf-8") and to_stdout.err == ""


def test_gs1_scan_is_explained_and_resolved(database, warehouse, cli):
    result = cli("--database", database.url, "scan-info", MILK_GS1)
    assert result.code == 0
    assert result.out == (
        "raw: ]C10109501101530003" "10LOT7<GS>17271231\n"
        "kind: gs1\n"
        "symbology identifier: ]C1\n"
        "GTIN: 09501101530003\n"
        "lot: LOT7\n"
        "expiry: 2027-12-31\n"
        "database: product MILK (Milk 1 l), lot tracked\n"
    )
    typed_escape = cli("--database", database.url, "scan-info", MILK_GS1.replace("<GS>", r"\x1d"))
    assert typed_escape.out == result.out


def test_ean_and_case_codes_resolve(database, warehouse, cli):
    assert "database: product WIDGET (Widget, blue)\n" in cli("--database", database.url, "scan-info", gtin13(1)).out
    case = cli("--database", database.url, "scan-info", gtin13(101))
    assert "database: product WIDGET (Widget, blue), 12 units per scan\n" in case.out
    location = cli("--database", database.url, "scan-info", "A-01-01")
    # The check digits, as printed large on the label: typed or spoken instead of scanning.
    assert location.out.endswith("database: location A-01-01 (storage), check digits 10\n")


def test_a_wrong_check_digit_is_exit_1(database, warehouse, cli):
    wrong = gtin13(1)[:-1] + str((int(gtin13(1)[-1]) + 1) % 10)
    result = cli("--database", database.url, "scan-info", wrong)
    assert result.code == 1
    assert f"problem: GTIN check digit is {wrong[-1]}, expected {gtin13(1)[-1]} ('{wrong}').\n" in result.out


def test_garbage_is_a_bad_scan(cli):
    result = cli("scan-info", "ab\x07c")
    assert (result.code, result.out) == (1, "raw: ab<0x07>c\nbad scan: 'ab<0x07>c' contains characters "
                                            "a barcode cannot hold.\n")
    broken_gs1 = cli("scan-info", "]C101095011015300")
    assert broken_gs1.code == 1 and "The GTIN in ']C101095011015300' cannot be read" in broken_gs1.out


def test_without_a_database_the_scan_is_still_explained(data_dir, cli):
    result = cli("scan-info", "SF:confirm")
    assert (result.code, result.out) == (0, "raw: SF:confirm\nkind: command\ncommand: CONFIRM\n")
    plain = cli("scan-info", gtin13(1))
    assert plain.code == 0
    assert plain.out.endswith(f"database: none at {data_dir / 'stockfloor.sqlite'} (interpretation only)\n")
    assert not (data_dir / "stockfloor.sqlite").exists()


def test_scan_info_reads_unmarked_gs1_with_a_variable_last_field(cli):
    result = cli("scan-info", "010952123400059410ABC")
    assert "kind: gs1\n" in result.out and "GTIN: 09521234000594\n" in result.out and "lot: ABC\n" in result.out


@pytest.mark.parametrize("raw", ["²", "①①①①", "\ud800", "A" * 10_000, "AB\x85C", "]C10109521234000594" + "17271332"])
def test_scan_info_answers_any_text_in_one_short_line(cli, raw):
    result = cli("scan-info", raw)
    assert result.code == 1 and "Traceback" not in result.err
    bad = [line for line in result.out.splitlines() if line.startswith("bad scan: ")]
    assert len(bad) == 1 and len(bad[0]) < 250 and "pattern" not in bad[0]
    result.out.encode("utf-8")
