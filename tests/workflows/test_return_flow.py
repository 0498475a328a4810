"""A return from start to end on every backend, through the real outbound services: an order
is imported, allocated, picked, packed and dispatched; the channel announces its RMA; the
parcel comes back and every unit is inspected and routed to each disposition. Nothing is
sellable before inspection, every unit ends where its disposition says, the ledger agrees.
And the same RMA import and inspection export by command line."""

from __future__ import annotations

import argparse
import csv
import io

import pytest
from sqlalchemy import func, select

from app.core.returns_rules import DispositionRule, ReturnExceedsShipped, ScrapNeedsApproval
from app.db.models import Move
from app.db.uow import UnitOfWork
from app.services.imports.orders import import_orders
from app.services.imports.returns import import_rmas
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.packing import parcels as packing
from app.services.packing import shipping
from app.services.putaway import tasks as putaway
from app.services.returns import receive as returns
from app.services.returns.inspection import Inspection, inspect_unit
from app.services.returns.reports import export_inspections_csv
from app.services.returns.setup import set_rule
from app.services.waves import picking
from app.services.waves import release as waves
from tests.factories import gtin13
from tests.services.test_orders_support import add_cartons, key, ledger_problems, new_order, on_hand, put_stock
from tests.services.test_returns_support import add_places, open_rma, receive, ship_order
from tests.services.test_returns_support import inspect as inspect_unit_now

PHONE = "]C1010" + gtin13(4) + "21"
ORDER_CSV = (
    "channel,order_number,sku,quantity,ship_to_name,ship_to_address1,ship_to_city,ship_to_postcode,"
    "ship_to_country,carrier\n"
    "Shopify,1001,WIDGET,5,Ada Lovelace,1 Analytical St,London,N1 9GU,GB,DHL\n"
    "Shopify,1001,GADGET,1,Ada Lovelace,1 Analytical St,London,N1 9GU,GB,DHL\n"
    "Shopify,1001,PHONE,1,Ada Lovelace,1 Analytical St,London,N1 9GU,GB,DHL\n"
)
RMA_CSV = ("channel,rma_number,order_number,sku,quantity,reason\n"
           "Shopify,RMA-77,1001,WIDGET,5,did not fit\n"
           "Shopify,RMA-77,1001,GADGET,1,defective\n"
           "Shopify,RMA-77,1001,PHONE,1,changed my mind\n")


def run(database, use_case, *args, **kwargs):
    with UnitOfWork(database) as uow:
        return use_case(uow, *args, **kwargs)


def read(database, query, *args, **kwargs):
    with UnitOfWork(database, write=False) as uow:
        return query(uow.session, *args, **kwargs)


def ship_the_order(database, warehouse) -> str:
    """Import -> allocate -> wave -> pick -> pack -> dispatch, as the floor does it.
    Returns the parcel's SSCC."""
    op = warehouse.operator
    run(database, import_orders, ORDER_CSV.encode(), file="shop.csv", actor=warehouse.supervisor)
    run(database, allocation.allocate_waiting_orders, actor=warehouse.supervisor)
    [order] = read(database, orders.list_orders)
    [wave] = run(database, waves.release_waves, [order.order_id], actor=warehouse.supervisor)
    while (task := read(database, picking.next_pick, wave.wave_id)) is not None:
        run(database, picking.scan_location, task.task_id, task.location, actor=op)
        scan = PHONE + task.lot if task.lot else task.sku
        run(database, picking.scan_item, task.task_id, scan, actor=op, idempotency_key=key(),
            quantity=None if task.lot else task.quantity)
    start = run(database, packing.start_packing, "1001", actor=op)
    for line in start.order.lines:
        for _ in range(line.picked):
            run(database, packing.pack_scan, order.order_id, PHONE + "SN1" if line.sku == "PHONE" else line.sku,
                actor=op, idempotency_key=key())
    view = read(database, lambda s: packing.packing_view(s, orders.load_order(s, order.order_id)))
    run(database, packing.close_parcel, view.open_parcel.parcel_id, actor=op, weight_kg=2.0)
    run(database, packing.finish_packing, order.order_id, actor=op)
    shipment = run(database, shipping.dispatch, "DHL", actor=warehouse.supervisor)
    assert shipment.orders_shipped == ("Shopify 1001",)
    return shipment.parcels[0]


def inspect(database, actor, unit_id, grade, **kwargs):
    return run(database, inspect_unit, unit_id, Inspection(grade), actor=actor, idempotency_key=key(), **kwargs)


def test_a_shipped_order_comes_back_and_every_unit_is_routed(database, warehouse):
    op, sup = warehouse.operator, warehouse.supervisor
    put_stock(database, warehouse, "WIDGET", "A-01-01", 5)
    put_stock(database, warehouse, "GADGET", "B-03-01", 1)
    put_stock(database, warehouse, "PHONE", "A-02-01", 1, lot="SN1")
    add_cartons(database, ("BOX-M", 40, 30, 20, 20))
    add_places(database, ("REFURB-1", "refurbish"))
    sscc = ship_the_order(database, warehouse)

    # The channel announces the return; the parcel is recognised by its own SSCC.
    run(database, import_rmas, RMA_CSV.encode(), file="shopify-returns.csv", actor=warehouse.supervisor)
    opened = run(database, returns.open_return, f"]C100{sscc}", actor=op)
    assert (opened.matched_by, opened.rma.number, opened.rma.expected) == ("parcel", "RMA-77", 7)
    rma_id = opened.rma.rma_id

    # Every unit arrives; one widget more than was shipped is refused.
    units = [run(database, returns.receive_item, rma_id, gtin13(1), actor=op, idempotency_key=key()).unit
             for _ in range(5)]
    gadget = run(database, returns.receive_item, rma_id, gtin13(2), actor=op, idempotency_key=key()).unit
    phone = run(database, returns.receive_item, rma_id, PHONE + "SN1", actor=op, idempotency_key=key()).unit
    assert phone.flags == ()  # the serial that was shipped
    with pytest.raises(ReturnExceedsShipped):
        run(database, returns.receive_item, rma_id, gtin13(1), actor=op, idempotency_key=key())

    # Nothing returned is sellable before inspection.
    assert on_hand(database, warehouse, "WIDGET", "RET-1") == (5, 5)
    blocked = new_order(database, warehouse.supervisor, "2001", {"WIDGET": 1, "PHONE": 1})
    assert run(database, allocation.allocate_order, blocked, actor=warehouse.supervisor).reserved_now == 0
    assert read(database, putaway.list_waiting, sources=("receiving",)) == []

    # Inspection: each disposition once.
    run(database, set_rule, DispositionRule("sku", "GADGET", "C", "return_to_vendor"), actor=sup)
    results = {
        "restock": inspect(database, op, units[0].unit_id, "A"),
        "refurbish": inspect(database, op, units[1].unit_id, "C"),
        "scrap": inspect(database, op, units[2].unit_id, "D"),
        "quarantine": inspect(database, op, units[3].unit_id, "B", disposition="quarantine", approval=warehouse.approval),
        "return_to_vendor": inspect(database, op, gadget.unit_id, "C"),
    }
    with pytest.raises(ScrapNeedsApproval):
        inspect(database, op, phone.unit_id, "D")  # a 300.00 phone is not scrapped by an operator
    results["restock_phone"] = inspect(database, op, phone.unit_id, "A")
    inspect(database, op, units[4].unit_id, "B")
    assert {name: (r.plan.disposition, r.plan.destination) for name, r in results.items()} == {
        "restock": ("restock", "RET-1"), "refurbish": ("refurbish", "REFURB-1"), "scrap": ("scrap", "LOSS"),
        "quarantine": ("quarantine", "QUAR-1"), "return_to_vendor": ("return_to_vendor", "SUPPLIER"),
        "restock_phone": ("restock", "RET-1")}
    assert all(r.label.unit_code.startswith("RU") for r in results.values())

    # Stock is where each disposition put it.
    assert on_hand(database, warehouse, "WIDGET", "RET-1") == (2, 0)
    assert on_hand(database, warehouse, "WIDGET", "REFURB-1") == (1, 0)
    assert on_hand(database, warehouse, "WIDGET", "QUAR-1") == (1, 0)
    assert on_hand(database, warehouse, "GADGET", "RET-1") == (0, 0)
    assert on_hand(database, warehouse, "PHONE", "RET-1") == (1, 0)
    with UnitOfWork(database, write=False) as uow:
        reasons = dict(uow.session.execute(select(Move.reason, func.sum(Move.quantity))
                                           .where(Move.document_type == "rma").group_by(Move.reason)).all())
    assert reasons == {"return": 7, "return_refurbish": 1, "return_scrap": 1, "return_quarantine": 1,
                       "return_to_vendor": 1}

    # Restocked units become sellable only once put away into a pickable bin.
    assert run(database, allocation.allocate_order, blocked, actor=warehouse.supervisor).reserved_now == 0
    for scan, bin_code in ((gtin13(1), "B-01-01"), (PHONE + "SN1", "B-02-01")):
        task = run(database, putaway.start_putaway, scan, actor=op, source="RET-1")
        run(database, putaway.confirm_putaway, task, bin_code, actor=op, idempotency_key=key(),
            reason="returns shelf")
    assert run(database, allocation.allocate_order, blocked, actor=warehouse.supervisor).reserved_now == 2

    assert run(database, returns.close_rma, rma_id, actor=op).status == "closed"
    out = io.StringIO()
    assert read(database, export_inspections_csv, out) == 7
    refunds = sorted(row["refund"] for row in csv.DictReader(io.StringIO(out.getvalue())))
    assert refunds == ["full", "full", "none", "none", "none", "partial", "partial"]
    assert ledger_problems(database) == []


def cli(database, capsys, *argv: str) -> tuple[int, str, str]:
    """Run a returns command as `stockfloor` would, wired the way the lead wires it (imported
    here, after the UI tests: app.cli's own error classes would join their translation check)."""
    from app.cli import returns as returns_cli

    common = argparse.ArgumentParser(add_help=False)
    parser = argparse.ArgumentParser(prog="stockfloor")
    commands = parser.add_subparsers(dest="command", required=True)
    returns_cli.register_import(commands.add_parser("import").add_subparsers(dest="kind", required=True), common)
    returns_cli.register_export(commands.add_parser("export").add_subparsers(dest="what", required=True), common)
    returns_cli.register(commands, common)
    args = parser.parse_args(argv)
    args.target = database.url
    code = args.run(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_imports_rmas_and_exports_inspections(database, warehouse, tmp_path, capsys, as_supervisor):
    ship_order(database, warehouse, "1001", {"WIDGET": 2})
    bad = tmp_path / "bad.csv"
    bad.write_text("channel,rma_number,order_number,sku,quantity\nShopify,RMA-7,1001,WIDGET,3\n")
    code, _, err = cli(database, capsys, "import", "rmas", str(bad))
    assert code == 1 and "row 2, quantity: 3 x WIDGET announced, only 2 of the 2 shipped" in err
    good = tmp_path / "rmas.csv"
    good.write_text("channel,rma_number,order_number,sku,quantity,reason\nShopify,RMA-7,1001,WIDGET,1,late\n")
    assert cli(database, capsys, "import", "rmas", str(good)) == (0, "rmas.csv: 1 RMAs with 1 lines imported.\n", "")
    rma_id = open_rma(database, warehouse.operator, "RMA-7").rma.rma_id
    inspect_unit_now(database, warehouse.operator, receive(database, warehouse.operator, rma_id, gtin13(1)).unit.unit_id, "B")
    code, out, _ = cli(database, capsys, "export", "inspections", "-")
    assert code == 0 and out.splitlines()[1].startswith("RMA-7,Shopify,1001,1,RU0000001,WIDGET,,1,late,B,")
    report = tmp_path / "report.pdf"
    assert cli(database, capsys, "export", "return-report", str(report), "--by", "product")[0] == 0
    assert report.read_bytes().startswith(b"%PDF")
    code, out, _ = cli(database, capsys, "returns", "report", "-", "--by", "channel")
    assert out.splitlines()[:2] == ["key,shipped,returned,rate,grade_a,grade_b,grade_c,grade_d,waiting",
                                    "Shopify,2,1,50%,0,1,0,0,0"]
