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
from tests.ui.test_offline_floor import station  # noqa: F401 - fixture (proxy: tests/conftest.py)
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


def units_on(database, number):
    from app.db.models_returns import ReturnUnit, Rma

    with UnitOfWork(database, write=False) as uow:
        return [(u.product.sku, u.lot.code if u.lot else None, u.status, u.flags or "") for u in uow.session.scalars(
            select(ReturnUnit).join(Rma, Rma.id == ReturnUnit.rma_id).where(Rma.number == number)
            .order_by(ReturnUnit.id))]


def test_a_return_inspection_through_an_outage_receives_each_item_once_and_grades_it_when_the_server_is_back(
        qtbot, context, database, station, proxy, warehouse, tmp_path, monkeypatch, record_property):
    from PySide6.QtCore import Qt

    from app.main import make_bridge
    from app.services.imports.returns import import_rmas
    from app.ui.returns.label_output import RoutingLabelOutput
    from app.ui.returns.screen import ReturnsScreen
    from tests.services.test_returns_support import ship_order
    from tests.ui.test_returns_screen import PHONE_GTIN, banner, press
    from tests.ui.test_returns_screen import scan as scan_in

    printed = []
    monkeypatch.setattr(RoutingLabelOutput, "deliver", classmethod(
        lambda cls, label, context=None: printed.append(label.unit_code) or f"/labels/{label.unit_code}.pdf"))
    ship_order(database, warehouse, "1001", {"WIDGET": 3, "PHONE": ["SN1"]})
    with UnitOfWork(database) as uow:
        import_rmas(uow, b"channel,rma_number,order_number,sku,quantity,reason\n"
                         b"Shopify,RMA-7,1001,WIDGET,2,too big\nShopify,RMA-7,1001,PHONE,1,broken screen\n",
                    file="rmas.csv", actor=warehouse.supervisor)
    shipped_by_shortcut = problems(database)  # the test's shipment skips picking: its own counters
    assert all(p.kind == "order" for p in shipped_by_shortcut)
    path = tmp_path / "outbox.sqlite"
    context.bridge = make_bridge(station, "WS-TEST", outbox=path)
    desk = context.bridge.offline
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    screen = ReturnsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1280, 900)
    screen.show()
    scan_in(qtbot, screen, "RMA-7")
    scan_in(qtbot, screen, W)  # online: RU0000001 received, inspection starts
    assert banner(screen)[1].startswith("RU0000001: WIDGET")
    press(qtbot, screen, Qt.Key.Key_Escape)  # it waits for inspection

    meter = StallMeter()
    meter.start()
    proxy.refuse_all()  # the server is gone
    scan_in(qtbot, screen, W)  # after its retries: kept in the outbox
    assert banner(screen) == ("ok", "WIDGET Widget, blue received offline: grade it online.")
    scan_in(qtbot, screen, PHONE_GTIN)  # the serial is asked offline too, and kept with the same key
    assert banner(screen) == ("attention", "PHONE: scan or type its serial / lot number")
    scan_in(qtbot, screen, "SN1")
    assert banner(screen)[0] == "ok" and "PHONE Phone received offline" in banner(screen)[1]
    scan_in(qtbot, screen, W)  # the third WIDGET: shipped, but more than the RMA announced
    assert banner(screen)[0] == "attention" and "more than announced" in banner(screen)[1].lower()
    scan_in(qtbot, screen, W)  # a fourth: more than the order shipped, refused from the copy
    assert banner(screen) == ("error", "WIDGET: 3 shipped on order Shopify 1001, 3 already returned. "
                                       "This one is more than was shipped.")
    press(qtbot, screen, Qt.Key.Key_F8)  # closing the RMA needs the server
    assert banner(screen)[0] == "error" and "waits until the database is back" in banner(screen)[1]
    press(qtbot, screen, Qt.Key.Key_Down)  # grading a waiting unit needs the server (rules, approval, label)
    assert banner(screen)[0] == "error" and "waits until the database is back" in banner(screen)[1]
    assert screen.state is None
    assert desk.made_offline == 3 and screen.header.text().startswith("Shopify RMA-7    order 1001")
    assert units_on(database, "RMA-7") == [("WIDGET", None, "received", "")]  # nothing reached the server

    proxy.heal()
    qtbot.waitUntil(lambda: not desk.offline, timeout=30000)
    stall, replay = meter.stop(), desk.last_replay
    print(f"returns outage: {desk.made_offline} scans offline, replay of {replay.sent} in "
          f"{replay.seconds * 1000:.0f} ms, longest GUI stall {stall * 1000:.1f} ms")
    record_property("longest_gui_stall_ms", round(stall * 1000, 1))
    assert desk.last_replay.refused == 0 and desk.last_replay.already == 0
    assert units_on(database, "RMA-7") == [  # each item once, flags as the server sees them
        ("WIDGET", None, "received", ""), ("WIDGET", None, "received", ""), ("PHONE", "SN1", "received", ""),
        ("WIDGET", None, "received", "more_than_announced")]
    assert problems(database) == shipped_by_shortcut  # each unit held (reserved) on the returns location once
    assert Outbox(path).count(station.describe()) == 0

    press(qtbot, screen, Qt.Key.Key_Down)  # online again: a unit received offline is graded and routed
    scan_in(qtbot, screen, "B")
    press(qtbot, screen, Qt.Key.Key_Return)
    assert banner(screen)[0] in ("ok", "attention") and "grade B" in banner(screen)[1], banner(screen)
    assert printed and problems(database) == shipped_by_shortcut
