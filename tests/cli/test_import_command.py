"""`stockfloor import KIND FILE.csv`: all rows or none, every problem with its row and column."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.checkdigits import with_check_digit
from app.db.models import Location, Product, PurchaseOrder, User
from app.db.uow import UnitOfWork
from tests.factories import gtin13

CASE = with_check_digit("1" + gtin13(1)[:12])


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def count(database, model) -> int:
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_a_warehouse_from_four_files(database, tmp_path, cli):
    files = {
        "locations": "code,kind,aisle,bay,level,slot,x,y\nDOCK,receiving,,,,,0,0\nSUP,supplier,,,,,,\n"
                     "A-01-01-1,pick_face,A,1,1,1,1.5,0.6\n",
        "products": f"sku,name,gtin,case_gtin,case_qty\nTEA,Tea,{gtin13(1)},{CASE},6\n"
                    f"CUP,Cup,{gtin13(2)},,\n",
        "purchase-orders": "number,supplier,line_no,sku,quantity\nPO-1,Tea Ltd,1,TEA,12\nPO-1,Tea Ltd,2,CUP,3\n",
        # last: once a database has users, commands run as one of them (--user or a token)
        "users": "username,display_name,badge_code,role,pin,language\nana,Ana,B-7,operator,1234,es\n",
    }
    outputs = []
    for kind, text in files.items():
        result = cli("--database", database.url, "import", kind, write(tmp_path, f"{kind}.csv", text))
        assert result.code == 0, result.err
        outputs.append(result.out)
    assert outputs == [
        "locations.csv: 3 rows imported; locations: 3 created, 0 updated.\n",
        "products.csv: 2 rows imported; products: 2 created, 0 updated (3 new barcodes).\n",
        "purchase-orders.csv: 2 rows imported; orders: 1 created, 0 updated (2 lines).\n",
        "users.csv: 1 row imported; users: 1 created, 0 updated.\n",
    ]
    scan = cli("--database", database.url, "scan-info", CASE)
    assert "database: product TEA (Tea), 6 units per scan\n" in scan.out
    assert "database: PO PO-1 from Tea Ltd (open)\n" in cli("--database", database.url, "scan-info", "PO-1").out


def test_workflow_importers_are_offered_too(database, warehouse, tmp_path, cli, as_supervisor):
    path = write(tmp_path, "caps.csv", "location,max_units\nA-01-01,100\n")
    result = cli("--database", database.url, "import", "bin-capacities", path)
    assert (result.code, result.out) == (0, "caps.csv: 1 row imported; bins: 1 created, 0 updated.\n")


def test_bad_rows_are_all_listed_and_nothing_is_written(database, tmp_path, cli):
    text = ("sku,name,gtin,unit_cost\n"
            "OK,Fine,,1.5\n"
            f"BAD,Bad,{gtin13(3)[:-1]}0,\n"
            "OK,Again,,\n"
            "CHEAP,Cheap,,-2\n")
    result = cli("--database", database.url, "import", "products", write(tmp_path, "p.csv", text))
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines() == [
        f"row 3, gtin: check digit of {gtin13(3)[:-1]}0 should be {gtin13(3)[-1]}, not 0",
        "row 4, sku: OK is already on row 2",
        "row 5, unit_cost: must be at least 0, got -2",
        "p.csv: 3 problem(s), nothing was imported.",
    ]
    assert count(database, Product) == 0


def test_a_missing_column_is_named(database, tmp_path, cli):
    result = cli("--database", database.url, "import", "locations",
                 write(tmp_path, "l.csv", "code,zone\nA-1,Z\n"))
    assert result.code == 1
    assert result.err.splitlines()[0] == "row 1, kind: required column is missing"
    assert count(database, Location) == 0


def test_a_byte_order_mark_is_fine(sqlite_database, tmp_path, cli):
    path = write(tmp_path, "u.csv", "username,display_name,badge_code,role,pin\nbo,Bo,B-8,admin,4321\n",
                 encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = cli("--database", sqlite_database.sqlite_path, "import", "users", path)
    assert result.code == 0 and count(sqlite_database, User) == 1


def test_dry_run_writes_nothing(sqlite_database, tmp_path, cli):
    path = write(tmp_path, "o.csv", "number,line_no,sku,quantity\nPO-5,1,NOPE,1\n")
    rejected = cli("--database", sqlite_database.sqlite_path, "import", "purchase-orders", path, "--dry-run")
    assert rejected.code == 1 and "row 2, sku: no product NOPE (import products first)" in rejected.err
    path = write(tmp_path, "p.csv", "sku,name\nA,Apple\n")
    result = cli("--database", sqlite_database.sqlite_path, "import", "products", path, "--dry-run")
    assert result.out == "p.csv: 1 row valid; would create 1 and update 0 products. Dry run: nothing was written.\n"
    assert count(sqlite_database, Product) == 0 and count(sqlite_database, PurchaseOrder) == 0


def test_a_missing_file_is_exit_2(sqlite_database, tmp_path, cli):
    result = cli("--database", sqlite_database.sqlite_path, "import", "products", tmp_path / "nope.csv")
    assert result.code == 2 and result.err == f"stockfloor: {tmp_path / 'nope.csv'}: no such file\n"


def test_help_lists_the_columns(cli):
    result = cli("import", "products", "--help")
    assert result.code == 0
    assert "  case_qty (optional, integer >= 2)\n      Units in one case_gtin case.\n" in result.out
