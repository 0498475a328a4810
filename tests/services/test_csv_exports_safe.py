"""Every CSV export neutralises cells a spreadsheet would execute (OWASP CSV injection), on
every backend: product names, SKUs and order numbers like =HYPERLINK(...) arrive as text."""

from __future__ import annotations

import csv
import io

from sqlalchemy import update

from app.cli import main
from app.db.models import LicensePlate, Product
from app.db.models_picking import Parcel, SalesOrder, Shipment
from app.db.uow import UnitOfWork
from app.services import counting
from app.services.packing import shipping
from app.services.returns.reports import export_inspections_csv
from app.services.stock.export import write_stock_csv
from app.services.waves import release
from tests.factories import gtin13
from tests.services.test_counting import count_at, plan_one, put_stock
from tests.services.test_returns_reports import inspected  # noqa: F401  (fixture)
from tests.services.test_returns_support import read

NAME = '=HYPERLINK("http://evil.example","click")'
SKU = "@SUM(1+1)"
ORDER = "=cmd|' /C calc'!A0"


def poison(database, sku="WIDGET"):
    with UnitOfWork(database) as uow:
        uow.session.execute(update(Product).where(Product.sku == sku).values(name=NAME))
        uow.session.execute(update(SalesOrder).values(number=ORDER))
        uow.commit()


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_neutralised(text: str, *expected: str) -> None:
    found = cells(text)
    for value in expected:
        assert "'" + value in found, f"{value!r} not exported as text"
    assert not any(cell.startswith(("=", "@", "\t", "\r")) for cell in found)


def test_stock_export(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 3)
    poison(database)
    out = io.StringIO()
    read(database, write_stock_csv, out)
    assert_neutralised(out.getvalue(), NAME)


def test_count_results_export(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 10)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 9)])
    poison(database)
    out = io.StringIO()
    read(database, counting.write_count_results_csv, out)
    assert_neutralised(out.getvalue(), NAME)


def test_returns_export_and_report(database, warehouse, inspected, capsys, tmp_path):  # noqa: F811
    poison(database)
    with UnitOfWork(database) as uow:
        uow.session.execute(update(Product).where(Product.sku == "GADGET").values(sku=SKU))
        uow.commit()
    out = io.StringIO()
    read(database, export_inspections_csv, out)
    assert_neutralised(out.getvalue(), SKU)
    report = tmp_path / "report.csv"
    assert main(["returns", "report", str(report), "--by", "product", "--database", database.url]) == 0
    assert_neutralised(report.read_text(), SKU)


def test_shipments_export(database, warehouse, inspected):  # noqa: F811
    with UnitOfWork(database) as uow:
        session = uow.session
        order = session.query(SalesOrder).first()
        plate = LicensePlate(code="-1+cmd", is_sscc=False)
        shipment = Shipment(carrier="DHL")
        session.add_all([plate, shipment])
        session.flush()
        session.add(Parcel(order_id=order.id, number=1, license_plate_id=plate.id, status="shipped",
                           tracking_ref="+TRACK=1", shipment_id=shipment.id))
        uow.commit()
    poison(database)
    out = io.StringIO()
    assert read(database, shipping.export_shipments_csv, out) == 1
    assert_neutralised(out.getvalue(), ORDER, "-1+cmd", "+TRACK=1")


def test_pick_list_export(database, warehouse, monkeypatch):
    row = release.PickListRow(1, "=A1", "A1", SKU, NAME, 2, 0, "", 1, f"Shopify {ORDER}", "open")
    monkeypatch.setattr(release, "picklist", lambda session, wave_id: [row])
    out = io.StringIO()
    assert read(database, release.export_picklist_csv, 1, out) == 1
    assert_neutralised(out.getvalue(), "=A1", SKU, NAME)
    assert "Shopify " + ORDER in cells(out.getvalue())  # starts with a letter: harmless
