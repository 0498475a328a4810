"""CSV imports on every backend: all rows or none, every problem reported by row and column."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.core.actor import system_actor
from app.core.checkdigits import with_check_digit
from app.core.csv_cells import parse_cell
from app.core.csv_rules import Column, Problem, read_table
from app.db.models import Location, Product, PurchaseOrder, User
from app.db.uow import UnitOfWork
from app.services import ledger, scanning, users
from app.services.imports import ImportRejected, column_help, import_csv, importers
from app.services.receiving import receipts as receiving
from tests.factories import gtin13

ACTOR = system_actor("test")
CASE_GTIN = with_check_digit("1" + gtin13(500)[:12])


def run_import(database, tmp_path, kind, text, *, dry_run=False, encoding="utf-8"):
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(text.encode(encoding))
    with UnitOfWork(database) as uow:
        return import_csv(uow, kind, path, actor=ACTOR, dry_run=dry_run)


def problems_of(database, tmp_path, kind, text, **kwargs) -> list[str]:
    with pytest.raises(ImportRejected) as error:
        run_import(database, tmp_path, kind, text, **kwargs)
    return [str(problem) for problem in error.value.problems]


def count(database, model) -> int:
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def resolve(database, code):
    with UnitOfWork(database, write=False) as uow:
        found = scanning.resolve(uow.session, code)
        return found.kind, found.label, found.units


# --- products ---------------------------------------------------------------------------------
PRODUCTS = (
    "sku,name,tracking,expiry_tracked,gtin,case_gtin,case_qty,weight_kg,unit_cost,barcodes\n"
    f"TEA,Green tea,lot,yes,{gtin13(500)},{CASE_GTIN},12,0.25,1.9,INT-TEA:1;INT-TEA-6:6\n"
    f"CUP,Cup,none,no,{gtin13(501)},,,0.3,,\n"
)


def test_products_land_with_every_barcode_scannable(database, tmp_path):
    summary = run_import(database, tmp_path, "products", PRODUCTS)
    assert (summary.rows, summary.created, summary.updated) == (2, 2, 0)
    assert resolve(database, gtin13(500)) == ("product", "TEA", 1)
    assert resolve(database, CASE_GTIN) == ("product", "TEA", 12)
    assert resolve(database, "INT-TEA-6") == ("product", "TEA", 6)
    with UnitOfWork(database, write=False) as uow:
        tea = uow.session.scalar(select(Product).where(Product.sku == "TEA"))
        assert (tea.tracking, tea.expiry_tracked, tea.weight_kg, tea.unit_cost) == ("lot", True, 0.25, 1.9)


def test_reimport_updates_named_columns_and_leaves_the_rest(database, tmp_path):
    run_import(database, tmp_path, "products", PRODUCTS)
    summary = run_import(database, tmp_path, "products", f"sku,name,case_gtin,case_qty\nTEA,Green tea 20 bags,{CASE_GTIN},24\n")
    assert (summary.created, summary.updated) == (0, 1)
    assert resolve(database, CASE_GTIN) == ("product", "TEA", 24)
    assert resolve(database, gtin13(500)) == ("product", "TEA", 1)  # barcodes are never removed
    with UnitOfWork(database, write=False) as uow:
        tea = uow.session.scalar(select(Product).where(Product.sku == "TEA"))
        assert (tea.name, tea.tracking, tea.weight_kg) == ("Green tea 20 bags", "lot", 0.25)


def test_every_bad_row_is_reported_and_nothing_is_written(database, tmp_path):
    bad_gtin = gtin13(502)[:-1] + str((int(gtin13(502)[-1]) + 1) % 10)
    text = (
        "sku,name,tracking,gtin,case_gtin,case_qty,weight_kg\n"
        f"OK,Fine,none,{gtin13(503)},,,1\n"
        f"BAD1,Bad gtin,none,{bad_gtin},,,\n"
        "BAD2,Bad enum,sometimes,,,,heavy\n"
        f"OK,Same sku,none,{gtin13(503)},,,\n"
        f",No sku,none,,{CASE_GTIN},,\n"
    )
    problems = problems_of(database, tmp_path, "products", text)
    expected_digit = gtin13(502)[-1]
    assert problems == [
        f"row 3, gtin: check digit of {bad_gtin} should be {expected_digit}, not {bad_gtin[-1]}",
        "row 4, tracking: 'sometimes' is not one of none, lot, serial",
        "row 4, weight_kg: 'heavy' is not a number (decimals take a dot)",
        f"row 5, gtin: barcode {gtin13(503)} is already on row 2",
        "row 5, sku: OK is already on row 2",
        "row 6, case_qty: required with case_gtin",
        "row 6, sku: required, but empty",
    ]
    assert count(database, Product) == 0


def test_header_problems_are_reported_on_row_1(database, tmp_path):
    problems = problems_of(database, tmp_path, "products", "sku,weigth_kg\nA,1\n")
    assert problems[0] == "row 1, name: required column is missing"
    assert problems[1].startswith("row 1, weigth_kg: unknown column (known: barcodes, case_gtin")


def test_byte_order_mark_and_semicolons_from_spreadsheets_are_read(database, tmp_path):
    text = "sku;name;weight_kg\nSOAP;Soap, lavender;0.1\n"
    run_import(database, tmp_path, "products", text, encoding="utf-8-sig")
    assert resolve(database, "SOAP")[1] == "SOAP"


def test_a_file_that_is_not_utf8_is_refused_with_its_row(database, tmp_path):
    problems = problems_of(database, tmp_path, "products", "sku,name\nA,Café\n", encoding="cp1252")
    assert problems == ["row 2, name: byte 0xe9 at character 6 is not UTF-8 text (save the file as 'CSV UTF-8')"]


def test_barcode_of_another_product_is_refused(database, warehouse, tmp_path):
    problems = problems_of(database, tmp_path, "products", f"sku,name,barcodes\nNEW,New,0{gtin13(1)}:1\n")
    assert problems == [f"row 2, barcodes: barcode 0{gtin13(1)} belongs to WIDGET"]


def test_tracking_of_a_product_with_stock_cannot_change(database, warehouse, tmp_path):
    with UnitOfWork(database) as uow:
        ledger.post_move(uow.session, actor=ACTOR, product_id=warehouse.products["GADGET"].id, quantity=3,
                         source=warehouse.locations["SUPPLIER"], destination=warehouse.locations["A-01-01"],
                         reason="test", idempotency_key="t1")
        uow.commit()
    problems = problems_of(database, tmp_path, "products", "sku,name,tracking\nGADGET,Gadget,lot\nWIDGET,Widget,lot\n")
    assert problems == ["row 2, tracking: GADGET has stock: tracking cannot change from none to lot"]


def test_dry_run_reports_and_writes_nothing(database, tmp_path):
    summary = run_import(database, tmp_path, "products", PRODUCTS, dry_run=True)
    assert summary.created == 2 and "nothing was written" in summary.describe()
    assert count(database, Product) == 0


# --- locations ------------------------------------------------------------------------------
def test_locations_are_created_and_updated(database, warehouse, tmp_path):
    text = ("code,barcode,kind,zone,aisle,bay,level,slot,x,y,blocked\n"
            "C-01-01-1,LOC0001,pick_face,PICK,C,1,1,1,7.5,0.6,no\n"
            "A-01-01,,storage,Z9,A,1,1,1,3,1.5,yes\n")
    summary = run_import(database, tmp_path, "locations", text)
    assert (summary.created, summary.updated) == (1, 1)
    assert resolve(database, "LOC0001")[:2] == ("location", "C-01-01-1")
    with UnitOfWork(database, write=False) as uow:
        updated = uow.session.scalar(select(Location).where(Location.code == "A-01-01"))
        assert (updated.zone, updated.blocked, updated.barcode) == ("Z9", True, "A-01-01")


def test_location_codes_and_barcodes_stay_unambiguous(database, warehouse, tmp_path):
    text = ("code,barcode,kind\n"
            "X-1,DOCK-1,storage\n"
            "X-2,SAME,storage\n"
            "X-3,SAME,storage\n"
            "X-4,,shelf\n")
    assert problems_of(database, tmp_path, "locations", text) == [
        "row 2, barcode: DOCK-1 is already used by location DOCK-1",
        "row 4, barcode: SAME is already used on row 3",
        "row 5, kind: 'shelf' is not one of " + ", ".join(importers()["locations"].columns[2].choices),
    ]


def test_a_location_with_stock_history_cannot_turn_virtual(database, warehouse, tmp_path):
    with UnitOfWork(database) as uow:
        ledger.post_move(uow.session, actor=ACTOR, product_id=warehouse.products["GADGET"].id, quantity=1,
                         source=warehouse.locations["SUPPLIER"], destination=warehouse.locations["B-02-01"],
                         reason="test", idempotency_key="t2")
        uow.commit()
    text = "code,kind\nB-02-01,customer\nB-03-01,pick_face\n"
    assert problems_of(database, tmp_path, "locations", text) == [
        "row 2, kind: B-02-01 has stock history: it cannot change from storage to customer"
    ]


# --- users --------------------------------------------------------------------------------------
def test_users_can_log_in_with_the_imported_pin(database, warehouse, tmp_path):
    text = ("username,display_name,badge_code,role,pin,language\n"
            "maria,María López,B-9001,operator,0420,es\n"
            "olga,Olga O.,B-OP1,supervisor,,\n")
    summary = run_import(database, tmp_path, "users", text)
    assert (summary.created, summary.updated) == (1, 1)
    with UnitOfWork(database) as uow:
        maria = users.login_with_pin(uow, "maria", "0420", workstation="WS")
    assert maria.display_name == "María López"
    with UnitOfWork(database) as uow:
        olga = users.login_with_pin(uow, "olga", "1234", workstation="WS")  # blank PIN kept the old one
    assert olga.role == "supervisor"
    with UnitOfWork(database, write=False) as uow:
        assert users.user_language(uow.session, olga.user_id) == "en"  # blank language: the default


def test_user_rows_are_checked(database, warehouse, tmp_path):
    text = ("username,display_name,badge_code,role,pin,language\n"
            "new1,New One,B-SUP,operator,1111,en\n"
            "new2,New Two,B-9002,boss,12,english\n"
            "new3,New Three,B-9003,operator,,en\n")
    assert problems_of(database, tmp_path, "users", text) == [
        "row 2, badge_code: B-SUP is the badge of sam",
        "row 3, language: 'english' is not a language code like en or es",
        "row 3, pin: a PIN is 4 to 12 digits",
        "row 3, role: 'boss' is not one of operator, supervisor, admin",
        "row 4, pin: required for a new user",
    ]
    assert count(database, User) == 3


# --- purchase orders -----------------------------------------------------------------------------
def test_purchase_orders_arrive_open_with_their_lines(database, warehouse, tmp_path):
    text = ("number,kind,supplier,expected_date,line_no,sku,quantity\n"
            "PO-7,po,ACME,2026-12-01,1,WIDGET,24\n"
            "PO-7,po,ACME,2026-12-01,2,GADGET,5\n"
            "ASN-8,asn,PhoneCo,,1,PHONE,3\n")
    summary = run_import(database, tmp_path, "purchase-orders", text)
    assert (summary.created, summary.detail) == (2, "3 lines")
    with UnitOfWork(database) as uow:
        view = receiving.open_receipt(uow, "PO-7", actor=warehouse.operator)
    assert [(line.sku, line.expected) for line in view.lines] == [("WIDGET", 24), ("GADGET", 5)]
    with UnitOfWork(database, write=False) as uow:
        order = uow.session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == "PO-7"))
        assert (order.expected_date, order.status) == (dt.date(2026, 12, 1), "open")


def test_purchase_order_rows_must_agree_and_reference_known_products(database, warehouse, tmp_path):
    text = ("number,kind,supplier,line_no,sku,quantity\n"
            "PO-9,po,ACME,1,WIDGET,10\n"
            "PO-9,asn,ACME,1,NOPE,0\n"
            "PO-9,po,ACME,2,WIDGET,4\n")
    assert problems_of(database, tmp_path, "purchase-orders", text) == [
        "row 3, kind: PO-9 says po on row 2, asn here",
        "row 3, line_no: this line number is already on row 2",
        "row 3, quantity: must be at least 1, got 0",
        "row 3, sku: no product NOPE (import products first)",
        "row 4, sku: this SKU is already on row 2",
    ]


def test_an_order_being_received_is_not_replaced(database, warehouse, tmp_path):
    replacement = "number,line_no,sku,quantity\nPO-1002,1,PHONE,2\nPO-1001,1,GADGET,7\n"
    with UnitOfWork(database) as uow:
        receiving.receive_scan(uow, warehouse.orders["PO-1001"].id, gtin13(1), actor=warehouse.operator,
                               idempotency_key="r1")
    assert problems_of(database, tmp_path, "purchase-orders", replacement) == [
        "row 3, number: PO-1001 is partially received and cannot be replaced"
    ]
    summary = run_import(database, tmp_path, "purchase-orders", replacement.replace("PO-1001,1,GADGET,7\n", ""))
    assert (summary.created, summary.updated) == (0, 1)
    with UnitOfWork(database, write=False) as uow:
        order = uow.session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == "PO-1002"))
        assert [(line.product.sku, line.quantity_expected) for line in order.lines] == [("PHONE", 2)]
        assert order.kind == "asn"  # not in the file: unchanged


# --- the pure rules ---------------------------------------------------------------------------------
def test_cells_parse_the_way_spreadsheets_write_them():
    flag = Column("f", "boolean", "")
    assert [parse_cell(flag, text) for text in ("Yes", "x", "0", "")] == [True, True, False, None]
    codes = Column("b", "barcodes", "")
    assert parse_cell(codes, f" A-1 ; {gtin13(7)}:6 ;") == [("A-1", 1), (gtin13(7), 6)]


def test_a_quoted_cell_over_two_lines_is_one_spreadsheet_row():
    columns = (Column("sku", "text", "", required=True), Column("name", "text", ""))
    table = read_table('sku,name\nA,"two\nlines"\nB,x,extra\n', columns)
    assert [row.number for row in table.rows] == [2, 3]
    assert table.problems == [Problem(2, "name", "contains a control character (0x0a)"),
                              Problem(3, "column 3", "value in a column without a header")]


def test_every_import_documents_its_columns():
    for kind, importer in importers().items():
        text = column_help(kind)
        assert all(f"  {column.name} (" in text for column in importer.columns)
    assert "sku (required, text, max 64)" in column_help("products")
