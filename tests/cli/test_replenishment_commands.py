"""Pick faces from CSV, then `orders allocate`: what a face cannot cover while reserve holds it
waits for a replenishment task, and the command says so."""

from __future__ import annotations

from app.db.uow import UnitOfWork
from tests.factories import add_location
from tests.services.test_orders_support import new_order, put_stock


def test_pick_faces_import_and_an_allocation_that_waits(database, warehouse, tmp_path, cli, as_supervisor):
    with UnitOfWork(database) as uow:
        add_location(uow.session, "F-01", "pick_face", zone="Z1", aisle="F", bay=1, level=1, slot=1, x=0.0, y=1.0)
        uow.commit()
    path = tmp_path / "faces.csv"
    path.write_text("location,sku,min_units,max_units,unit\nF-01,WIDGET,5,20,6\n", encoding="utf-8")
    imported = cli("--database", database.url, "import", "pick-faces", path)
    assert (imported.code, imported.out) == (0, "faces.csv: 1 row imported; pick faces: 1 created, 0 updated.\n")
    put_stock(database, warehouse, "WIDGET", "A-01-01", 50)
    put_stock(database, warehouse, "WIDGET", "F-01", 2)
    new_order(database, warehouse.supervisor, "7001", {"WIDGET": 10})
    allocated = cli("--database", database.url, "orders", "allocate")
    assert allocated.code == 0
    assert allocated.out == "Shopify 7001: 2 reserved, backorder 8\n"
    assert allocated.err.splitlines()[-2:] == ["Orders allocated: 1; units reserved: 2; on backorder: 8.", "Units waiting for replenishment: 8 (tasks: 1)."]
