"""From the shop's order file to the carrier's van, on every backend: import, allocate,
release a batch wave, pick by scans (one bin is short), pack with verification, split the
backorder off, dispatch per carrier, export the confirmations. The ledger agrees throughout."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from app.core.picking_rules import NothingToDispatch, NotOnOrder, WrongPickLocation
from app.db.models import Location, Move
from app.db.uow import UnitOfWork
from app.services.imports.orders import import_orders
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.packing import parcels as packing
from app.services.packing import shipping
from app.services.waves import picking
from app.services.waves import release as waves
from tests.services.test_orders_support import add_cartons, key, ledger_problems, on_hand, put_stock

ORDERS_CSV = (
    "channel,order_number,sku,quantity,ship_to_name,ship_to_address1,ship_to_city,ship_to_postcode,"
    "ship_to_country,carrier,service,priority,ship_by\n"
    "Shopify,1001,WIDGET,4,Ada Lovelace,1 Analytical St,London,N1 9GU,GB,DHL,Express,1,\n"
    "Shopify,1001,GADGET,1,Ada Lovelace,1 Analytical St,London,N1 9GU,GB,DHL,Express,1,\n"
)
ORDERS_JSON = [{
    "channel": "Amazon", "order_number": "302-555", "carrier": "DHL", "service": "Parcel",
    "ship_to": {"name": "Grace Hopper", "address1": "9 Compiler Rd", "city": "Arlington",
                "postcode": "22201", "country": "US"},
    "lines": [{"sku": "WIDGET", "quantity": 2}],
}]


def run(database, use_case, *args, **kwargs):
    with UnitOfWork(database) as uow:
        return use_case(uow, *args, **kwargs)


def read(database, query, *args, **kwargs):
    with UnitOfWork(database, write=False) as uow:
        return query(uow.session, *args, **kwargs)


def pick_everything(database, actor, wave_id, *, short_at: str):
    """Walk the wave; at ``short_at`` the bin holds one unit less than asked."""
    visited = []
    while (task := read(database, picking.next_pick, wave_id)) is not None:
        visited.append(task.location)
        if task.sequence == 1:  # a slip of the hand first: the wrong bin is refused
            wrong = "B-03-01" if task.location != "B-03-01" else "A-01-01"
            with pytest.raises(WrongPickLocation):
                run(database, picking.scan_location, task.task_id, wrong, actor=actor)
        run(database, picking.scan_location, task.task_id, task.location, actor=actor)
        if task.location == short_at:
            run(database, picking.short_pick, task.task_id, task.quantity - 1, "box torn open",
                actor=actor, idempotency_key=key())
            continue
        for _ in range(task.quantity):  # one scan per unit, as on the floor
            run(database, picking.scan_item, task.task_id, task.sku, actor=actor, idempotency_key=key())
    return visited


def test_orders_travel_from_import_to_the_carrier(database, warehouse):
    op, sup = warehouse.operator, warehouse.supervisor
    put_stock(database, warehouse, "WIDGET", "A-01-01", 5, days_ago=10)
    put_stock(database, warehouse, "WIDGET", "B-02-01", 5, days_ago=2)
    put_stock(database, warehouse, "GADGET", "B-03-01", 3)
    add_cartons(database, ("BOX-S", 25, 20, 10, 10))

    # 1. Import: the shop's CSV and the marketplace's JSON.
    run(database, import_orders, ORDERS_CSV.encode(), file="shopify.csv", actor=warehouse.supervisor)
    run(database, import_orders, json.dumps(ORDERS_JSON).encode(), file="amazon.json", actor=warehouse.supervisor)

    # 2. Allocate: FIFO puts both orders' widgets on the older stock first.
    results = run(database, allocation.allocate_waiting_orders, actor=sup)
    assert [(r.order.number, r.reserved_now, r.backorder) for r in results] == [
        ("1001", 5, 0), ("302-555", 2, 0)]
    assert on_hand(database, warehouse, "WIDGET", "A-01-01") == (5, 5)

    # 3. Release both onto one cart.
    releasable = read(database, waves.list_releasable_orders, carrier="DHL")
    [wave] = run(database, waves.release_waves, [o.order_id for o in releasable], actor=sup, mode="batch")
    assert [(label, slot) for _, label, slot in wave.orders] == [("Shopify 1001", 1), ("Amazon 302-555", 2)]

    # 4. Pick: B-02-01 turns out one widget short; no other bin can replace it.
    visited = pick_everything(database, op, wave.wave_id, short_at="B-02-01")
    assert set(visited) == {"A-01-01", "B-02-01", "B-03-01"}
    assert read(database, lambda s: waves.wave_view(s, waves.get_wave(s, wave.wave_id))).status == "done"
    shop, amazon = (read(database, orders.get_order, o.order_id) for o in releasable)
    assert shop.status == amazon.status == "picked"
    assert (shop.backorder, amazon.backorder) == (0, 1)  # its widget from B-02-01 was missing
    missing_order = amazon

    # 5. Pack: the tote is scanned, a foreign item refused, every unit verified.
    for view in (shop, amazon):
        start = run(database, packing.start_packing, f"{wave.number}-T{view.tote_slot:02d}", actor=op)
        with pytest.raises(NotOnOrder):
            run(database, packing.pack_scan, view.order_id, "MILK", actor=op, idempotency_key=key())
        for line in start.order.lines:
            for _ in range(line.picked):
                run(database, packing.pack_scan, view.order_id, line.sku, actor=op, idempotency_key=key())
        parcel = read(database, lambda s: packing.packing_view(s, orders.load_order(s, view.order_id))).open_parcel
        run(database, packing.close_parcel, parcel.parcel_id, actor=op, weight_kg=1.1)
    split = run(database, packing.split_order, missing_order.order_id, actor=sup)
    assert split.backorder.lines[0].quantity == 1 and split.backorder.status == "open"
    for view in (shop, amazon):
        assert run(database, packing.finish_packing, view.order_id, actor=op).order.status == "packed"

    # 6. Dispatch: the DHL list holds both parcels; handing them over ships both orders.
    rows = read(database, shipping.dispatch_list, "DHL")
    assert sorted(r.order for r in rows) == ["1001", "302-555"] and all(r.carton == "BOX-S" for r in rows)
    assert read(database, shipping.dispatch_list, "UPS") == []
    shipment = run(database, shipping.dispatch, "DHL", actor=sup)
    assert sorted(shipment.orders_shipped) == ["Amazon 302-555", "Shopify 1001"]
    with pytest.raises(NothingToDispatch):
        run(database, shipping.dispatch, "DHL", actor=sup)
    assert {read(database, orders.get_order, o.order_id).status for o in releasable} == {"shipped"}

    # Every unit went bin -> tote -> bench -> lane -> customer; the short one to loss.
    for code in ("CARTS", "PACK-1", "SHIP-1"):
        assert on_hand(database, warehouse, "WIDGET", code) == (0, 0)
    assert on_hand(database, warehouse, "WIDGET", "A-01-01") == (0, 0)
    assert on_hand(database, warehouse, "WIDGET", "B-02-01") == (4, 0)
    with UnitOfWork(database, write=False) as uow:
        customer = uow.session.scalar(select(Location.id).where(Location.code == "CUSTOMER"))
        shipped = uow.session.scalar(select(func.sum(Move.quantity)).where(
            Move.to_location_id == customer, Move.reason == "ship"))
        reasons = dict(uow.session.execute(select(Move.reason, func.count()).group_by(Move.reason)).all())
    assert shipped == 6  # 4 + 1 + 2 ordered, one widget short
    assert {r: reasons[r] for r in ("pick", "short_pick", "pack", "stage", "ship")} == {
        "pick": 6, "short_pick": 1, "pack": 6, "stage": 3, "ship": 3}
    assert ledger_problems(database) == []

    # 7. Confirmations for the channels.
    out = io.StringIO()
    assert read(database, shipping.export_shipments_csv, out) == 2
    exported = {row["order"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert exported["302-555"]["channel"] == "Amazon" and exported["1001"]["parcels"] == "1"
    assert exported["1001"]["tracking_ref"] == exported["1001"]["sscc"]
    assert exported["1001"]["shipment"] == shipment.number


def cli(database, capsys, *argv: str) -> tuple[int, str, str]:
    """Run one outbound command as `stockfloor` would (the lead wires the same calls)."""
    import argparse

    from app.cli import picking as picking_cli

    common = argparse.ArgumentParser(add_help=False)
    parser = argparse.ArgumentParser(prog="stockfloor")
    commands = parser.add_subparsers(dest="command", required=True)
    picking_cli.register(commands, common)
    kinds = commands.add_parser("import").add_subparsers(dest="kind", required=True)
    picking_cli.register_import(kinds, common)
    args = parser.parse_args(argv)
    args.target = database.url
    code = args.run(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_same_trip_by_command_line(database, warehouse, tmp_path, capsys, as_supervisor):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    put_stock(database, warehouse, "GADGET", "B-03-01", 10)
    bad = tmp_path / "bad.csv"
    bad.write_text(ORDERS_CSV.replace("GADGET,1", "NOPE,1"))
    code, _, err = cli(database, capsys, "import", "orders", str(bad))
    assert code == 1 and "row 3, sku: unknown SKU NOPE" in err
    good = tmp_path / "orders.json"
    good.write_text(json.dumps(ORDERS_JSON))
    assert cli(database, capsys, "import", "orders", str(good), "--dry-run")[0] == 0
    assert read(database, orders.list_orders) == []
    code, out, _ = cli(database, capsys, "import", "orders", str(good))
    assert (code, out) == (0, "orders.json: 1 orders with 1 lines imported.\n")
    code, out, _ = cli(database, capsys, "orders", "allocate")
    assert out == "Amazon 302-555: 2 reserved, backorder 0\n"
    code, out, _ = cli(database, capsys, "waves", "release", "--carrier", "DHL")
    assert out == "W000001: 1 picks, 2 units (1:Amazon 302-555)\n"
    code, out, _ = cli(database, capsys, "picklist", "export", "W000001", "-o", "-")
    assert out.splitlines()[1].startswith("1,A-01-01,WIDGET,")
    pdf = tmp_path / "list.pdf"
    cli(database, capsys, "picklist", "export", "1", "--format", "pdf", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    code, out, err = cli(database, capsys, "shipments", "export", "-")
    assert (code, out.strip()) == (0, ",".join(shipping.EXPORT_HEADER))
