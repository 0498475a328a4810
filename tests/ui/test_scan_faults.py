"""The real receiving screen on a workstation that reaches PostgreSQL through a loopback proxy
that fails on purpose: a lost COMMIT reply is retried on the worker with the scan's own key,
the operator sees one green result, and scans typed meanwhile wait and land in order."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from sqlalchemy import select

from app.db.models import PurchaseOrderLine, ScanJournal
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.integrity import check_documents
from app.ui.receiving.screen import ReceivingScreen
from tests.factories import gtin13
from tests.support.pgproxy import station_behind
from tests.ui.test_dialogue_burst import post_scan
from tests.ui.test_receiving_screen import FakeNavigator, scan

W, G = gtin13(1), gtin13(2)


@pytest.fixture
def station(database, proxy, monkeypatch):
    """A workstation database that reaches the server only through the proxy."""
    station = station_behind(proxy, database, monkeypatch, why="faults between workstation and server: PostgreSQL only")
    yield station
    station.dispose()


class StallMeter:
    """The longest gap between ticks of a 5 ms timer on the GUI thread: how long the window
    could not repaint or take a key."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.longest


def banners(screen) -> list[tuple[str, str]]:
    """Every message the banner shows from now on."""
    shown: list[tuple[str, str]] = []
    original = screen.banner.show_message

    def show(state, text):
        shown.append((state, text))
        original(state, text)

    screen.banner.show_message = show
    return shown


def receiving_floor(database, warehouse):
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        assert ledger.check_ledger(session) == [] and check_documents(session) == []
        lines = dict(session.execute(select(PurchaseOrderLine.line_no, PurchaseOrderLine.quantity_received)
            .where(PurchaseOrderLine.purchase_order_id == warehouse.orders["PO-1001"].id)).all())
        journal = [(j.raw, j.outcome) for j in session.scalars(
            select(ScanJournal).where(ScanJournal.context == "receiving").order_by(ScanJournal.id))]
    return lines, journal


def test_a_lost_commit_reply_on_the_floor_gives_one_unit_one_green_result_and_scans_wait_in_order(
        qtbot, context, database, station, proxy, warehouse, record_property):
    from app.main import make_bridge

    context.bridge = make_bridge(station, "WS-TEST")
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    screen = ReceivingScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    scan(qtbot, screen, "PO-1001")
    shown = banners(screen)
    meter = StallMeter()
    meter.start()
    proxy.drop_next_commit_reply()
    for text in (W, G, "SF:QTY:2", W):  # the first commit's reply is lost; the rest wait
        post_scan(screen.scan_field, text)
    qtbot.waitUntil(lambda: screen.dialogue.idle and len([s for s in shown if s[0] == "ok"]) == 3,
                    timeout=30000)
    stall = meter.stop()
    assert proxy.on_commit is None  # the fault did happen
    record_property("longest_gui_stall_ms", round(stall * 1000, 1))
    print(f"longest GUI-thread stall during the lost-commit scan: {stall * 1000:.1f} ms")
    assert screen.dialogue.most_waiting > 1  # scans did wait for the worker
    assert [state for state, _ in shown] == ["ok", "ok", "attention", "ok"]
    assert shown[0][1].startswith("+1 WIDGET") and "(1 of 10)" in shown[0][1]
    assert shown[1][1].startswith("+1 GADGET")
    assert shown[3][1].startswith("+2 WIDGET") and "(3 of 10)" in shown[3][1]
    lines, journal = receiving_floor(database, warehouse)
    assert lines == {1: 3, 2: 1, 3: 0}  # one unit for the lost reply, then the waiting scans in order
    assert journal[-3:] == [(W, "ok"), (G, "ok"), (W, "ok")]
    assert [raw for raw, outcome in journal if outcome == "ok" and raw in (W, G)] == [W, G, W]
