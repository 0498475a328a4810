"""Packing and returns inspection through an outage of the shared database, on the real
screens: PostgreSQL behind the loopback proxy, the open order (or return) checked against its
local copy, every scan kept in the outbox and replayed once with its key when the server is
back. Nothing lost, nothing counted twice, ``db check`` clean."""

from __future__ import annotations

from sqlalchemy import select

from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.integrity import check_documents
from app.services.outbox.store import Outbox
from app.ui.offline.status import OfflineStatus
from tests.factories import gtin13
from tests.ui.test_dialogue_burst import post_scan
from tests.ui.test_offline_floor import proxy, station  # noqa: F401 - fixtures
from tests.ui.test_receiving_screen import FakeNavigator, scan
from tests.ui.test_scan_faults import StallMeter, banners

W, G = gtin13(1), gtin13(2)


def problems(database):
    with UnitOfWork(database, write=False) as uow:
        return ledger.check_ledger(uow.session) + check_documents(uow.session)


def packed(database, order_id):
    from app.db.models_picking import SalesOrderLine

    with UnitOfWork(database, write=False) as uow:
        return {line.product.sku: line.quantity_packed for line in uow.session.scalars(
            select(SalesOrderLine).where(SalesOrderLine.order_id == order_id))}


def parcels(database, order_id):
    from app.services.orders import documents as orders
    from app.services.packing import parcels as packing

    with UnitOfWork(database, write=False) as uow:
        view = packing.packing_view(uow.session, orders.load_order(uow.session, order_id))
        return [(p.number, p.status, sorted(p.items)) for p in view.parcels]


def test_packing_an_order_through_an_outage_packs_each_scan_once_into_the_right_parcel(
        qtbot, context, database, station, proxy, warehouse, tmp_path, record_property):
    from app.main import make_bridge
    from app.ui.packing.screen import PackScreen
    from tests.services.test_orders_support import add_cartons, put_stock
    from tests.ui.test_packing_screen import CARTONS, picked_order

    add_cartons(database, *CARTONS)
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    put_stock(database, warehouse, "GADGET", "B-01-01", 10)
    order_id, tote = picked_order(database, warehouse, "1001", {"WIDGET": 4, "GADGET": 2})
    path = tmp_path / "outbox.sqlite"
    context.bridge = make_bridge(station, "WS-TEST", outbox=path)
    desk = context.bridge.offline
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    screen = PackScreen(context)
    status = OfflineStatus(context.bridge)
    qtbot.addWidget(screen)
    qtbot.addWidget(status)
    screen.show()
    scan(qtbot, screen, tote)
    scan(qtbot, screen, W)  # online: parcel 1 opens on the server
    assert screen.banner.state == "ok"

    shown = banners(screen)
    meter = StallMeter()
    meter.start()
    proxy.refuse_all()  # the server is gone
    for text in (W, "SF:QTY:2", W, G):
        post_scan(screen.scan_field, text)
    qtbot.waitUntil(lambda: desk.made_offline == 3 and screen.dialogue.idle, timeout=30000)
    scan(qtbot, screen, W)  # all 4 WIDGET are in the parcel (1 online, 3 offline): refused from the copy
    assert screen.banner.state == "error" and "this one is extra" in screen.banner.text()
    scan(qtbot, screen, "SF:CLOSE:1.5")  # weighing and closing (label, SSCC) needs the server
    assert screen.banner.state == "error" and "waits until the database is back" in screen.banner.text()
    scan(qtbot, screen, G)
    qtbot.waitUntil(lambda: desk.made_offline == 4 and screen.dialogue.idle, timeout=30000)
    offline_stall = meter.stop()
    assert screen.banner.text().startswith("+1 GADGET \u2192 parcel 1 (2 of 2)")
    assert [state for state, _ in shown].count("ok") == 4  # each kept scan green, none red
    assert status.text().startswith("Offline")
    assert packed(database, order_id) == {"WIDGET": 1, "GADGET": 0}  # nothing reached the server yet

    meter = StallMeter()
    meter.start()
    proxy.heal()
    qtbot.waitUntil(lambda: not desk.offline, timeout=30000)
    stall = max(offline_stall, meter.stop())
    replay = desk.last_replay
    print(f"packing outage: {desk.made_offline} scans offline, replay of {replay.sent} in "
          f"{replay.seconds * 1000:.0f} ms, longest GUI stall {stall * 1000:.1f} ms")
    record_property("longest_gui_stall_ms", round(stall * 1000, 1))
    assert replay.refused == 0 and replay.already == 0
    assert packed(database, order_id) == {"WIDGET": 4, "GADGET": 2}  # each scan once
    assert parcels(database, order_id) == [(1, "open", [("GADGET", "", 2), ("WIDGET", "", 4)])]
    assert problems(database) == []
    assert Outbox(path).count(station.describe()) == 0
    scan(qtbot, screen, "SF:CLOSE:1.5")  # online again: the parcel closes with its label
    assert screen.banner.state == "ok", screen.banner.text()
