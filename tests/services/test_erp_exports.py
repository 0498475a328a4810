"""Exports for the shop and the ERP, on every backend: stock with on hand / reserved /
available / blocked (and the sellable-only and per-SKU modes), shipment lines per parcel,
the goods receipt of a purchase order; every text cell through csv_safe."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import update

from app.core.errors import NotFound
from app.db.models import Location, Product
from app.db.models_picking import SalesOrder
from app.db.uow import UnitOfWork
from app.services.orders import allocation
from app.services.stock import erp_export
from app.services.stock.export import COLUMNS, SKU_COLUMNS, write_stock_csv
from tests.services.test_csv_exports_safe import NAME, poison
from tests.services.test_orders_support import new_order, put_stock
from tests.workflows.test_kpi_month import script_march


def read(database, export, *args, **kwargs) -> list[list[str]]:
    out = io.StringIO()
    with UnitOfWork(database, write=False) as uow:
        export(uow.session, out, *args, **kwargs)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_stock_shows_what_is_reserved_available_and_blocked(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    put_stock(database, warehouse, "WIDGET", "B-02-01", 4)
    put_stock(database, warehouse, "WIDGET", "QUAR-1", 2)
    put_stock(database, warehouse, "GADGET", "B-03-01", 5)
    order_id = new_order(database, warehouse.supervisor, "9001", {"GADGET": 3})
    with UnitOfWork(database) as uow:
        allocation.allocate_order(uow, order_id, actor=warehouse.supervisor)
    with UnitOfWork(database) as uow:
        uow.session.execute(update(Location).where(Location.code == "B-02-01").values(blocked=True))
        uow.commit()
    poison(database)  # WIDGET's name becomes a formula

    rows = read(database, write_stock_csv)
    assert tuple(rows[0]) == COLUMNS
    assert [[r[0], r[2], *r[6:]] for r in rows[1:]] == [
        ["GADGET", "B-03-01", "5", "3", "2", "0"],
        ["WIDGET", "A-01-01", "10", "0", "10", "0"],
        ["WIDGET", "B-02-01", "4", "0", "0", "4"],  # a blocked bin
        ["WIDGET", "QUAR-1", "2", "0", "0", "2"],  # quarantine
    ]
    assert rows[2][1] == "'" + NAME  # a spreadsheet reads the name as text
    sellable = read(database, write_stock_csv, sellable=True)
    assert [(r[0], r[2]) for r in sellable[1:]] == [("GADGET", "B-03-01"), ("WIDGET", "A-01-01")]
    per_sku = read(database, write_stock_csv, per_sku=True)
    assert tuple(per_sku[0]) == SKU_COLUMNS
    assert [[r[0], *r[2:]] for r in per_sku[1:]] == [["GADGET", "5", "3", "2", "0"], ["WIDGET", "16", "0", "10", "6"]]
    assert read(database, write_stock_csv, sellable=True, per_sku=True)[2][2:] == ["10", "0", "10", "0"]


def test_shipment_lines_and_the_goods_receipt(database, warehouse):
    script_march(database, warehouse)
    with UnitOfWork(database) as uow:  # names and order numbers a spreadsheet would run
        uow.session.execute(update(Product).where(Product.sku == "WIDGET").values(name=NAME))
        uow.session.execute(update(SalesOrder).values(number="=" + SalesOrder.number))
        uow.commit()
    lines = read(database, erp_export.export_shipment_lines_csv)
    assert tuple(lines[0]) == erp_export.SHIPMENT_LINE_COLUMNS
    body = [dict(zip(lines[0], row, strict=True)) for row in lines[1:]]
    assert [(r["channel"], r["sku"], r["quantity"], r["parcel"]) for r in body] == [
        ("Shopify", "WIDGET", "2", "1"), ("Shopify", "GADGET", "1", "1"), ("Amazon", "WIDGET", "3", "1")]
    assert all(r["order"].startswith("'=") for r in body)  # order numbers poisoned, exported as text
    assert all(r["sscc"] and r["tracking_ref"] == r["sscc"] for r in body)
    assert body[0]["name"] == "'" + NAME
    assert read(database, erp_export.export_shipment_lines_csv, carrier="UPS")[1:] == []

    receipt = read(database, erp_export.export_goods_receipt_csv, "PO-1001")
    assert tuple(receipt[0]) == erp_export.RECEIPT_COLUMNS
    rows = [dict(zip(receipt[0], row, strict=True)) for row in receipt[1:]]
    assert [(r["line"], r["sku"], r["expected"], r["received"], r["damaged"]) for r in rows] == [
        ("1", "WIDGET", "10", "10", "0"), ("2", "GADGET", "5", "5", "0"), ("3", "MILK", "20", "0", "0")]
    assert rows[0]["last_received_at"] == "2026-03-02T09:00:00+00:00" and rows[2]["last_received_at"] == ""
    assert {r["status"] for r in rows} == {"partially_received"}
    with pytest.raises(NotFound):
        read(database, erp_export.export_goods_receipt_csv, "PO-NOPE")
