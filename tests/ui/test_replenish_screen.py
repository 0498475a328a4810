"""The Replenish screen driven by key events like a scanner: reserve bin (a typed code is
refused), item, quantity, face; the stock, the task and the scan journal are checked in the
database on every backend."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.db.models import ScanJournal
from app.db.models_replenishment import ReplenishmentTask
from app.db.uow import UnitOfWork
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.replenishment import faces
from app.ui.replenishment.floor_screen import ReplenishScreen
from tests.factories import add_location, gtin13
from tests.services.test_orders_support import ledger_problems, new_order, on_hand, put_stock
from tests.ui.test_putaway_screen import FakeNavigator
from tests.ui.test_scan_required import Keys


def enter(qtbot, screen, text, ms_per_key=4):
    screen.scan_field.clock = Keys(ms_per_key)
    qtbot.keyClicks(screen.scan_field, text)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)


@pytest.fixture
def waiting_order(database, warehouse):
    with UnitOfWork(database) as uow:
        add_location(uow.session, "F-01", "pick_face", zone="Z1", aisle="F", bay=1, level=1, slot=1, x=0.0, y=1.0)
        uow.commit()
    with UnitOfWork(database) as uow:
        faces.set_face_levels(uow, "F-01", "WIDGET", 5, 20, 6, actor=warehouse.supervisor)
    put_stock(database, warehouse, "WIDGET", "A-01-01", 50)
    put_stock(database, warehouse, "WIDGET", "F-01", 2)
    order_id = new_order(database, warehouse.supervisor, "5001", {"WIDGET": 10})
    with UnitOfWork(database) as uow:
        allocation.allocate_order(uow, order_id, actor=warehouse.supervisor)
    return order_id


def test_a_face_is_replenished_by_scans_and_the_waiting_order_allocated(qtbot, context, database, warehouse,
                                                                         waiting_order):
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    screen = ReplenishScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.prompt.text() == "Scan the reserve bin A-01-01"
    assert screen.model.rowCount() == 1 and screen.model.data(screen.model.index(0, 5)) == "8"
    enter(qtbot, screen, "A-01-01", ms_per_key=120)  # typed by hand: refused
    assert screen.banner.state == "error" and screen.banner.text().startswith("Scan the bin label")
    enter(qtbot, screen, "A-02-01")  # holds no WIDGET
    assert screen.banner.text() == "A-02-01 holds no free WIDGET to replenish from: scan a reserve bin that does."
    enter(qtbot, screen, "A-01-01")
    assert (screen.banner.state, screen.prompt.text()) == ("ok", "Scan WIDGET in A-01-01")
    enter(qtbot, screen, gtin13(2))
    assert screen.banner.text() == "GADGET is not WIDGET: take WIDGET."
    enter(qtbot, screen, gtin13(1))
    assert screen.prompt.text() == "How many do you take? 1 to 18, then Enter"
    enter(qtbot, screen, "18", ms_per_key=120)
    assert screen.prompt.text() == "Scan the pick face F-01"
    enter(qtbot, screen, "A-02-01")
    assert screen.banner.text() == "A-02-01 is not the pick face of WIDGET: take it to F-01."
    assert on_hand(database, warehouse, "WIDGET", "F-01") == (2, 2)
    enter(qtbot, screen, "F-01")
    assert (screen.banner.state, screen.banner.text()) == (
        "ok", "\u2713 18 \u00d7 WIDGET A-01-01 \u2192 F-01, 8 units for waiting orders")
    assert screen.prompt.text() == "No face needs replenishing. New tasks appear here."
    assert on_hand(database, warehouse, "WIDGET", "F-01") == (20, 10)
    assert on_hand(database, warehouse, "WIDGET", "A-01-01") == (32, 0)
    with UnitOfWork(database, write=False) as uow:
        task_status = uow.session.scalar(select(ReplenishmentTask.status))
        journal = uow.session.execute(select(ScanJournal.context, ScanJournal.raw, ScanJournal.outcome)
                                      .order_by(ScanJournal.id)).all()
        order = orders.get_order(uow.session, waiting_order)
    assert task_status == "done" and (order.status, order.backorder) == ("allocated", 0)
    assert journal == [
        ("replenish:reserve", "A-01-01", "refused"),
        ("replenish", "A-02-01", "error"),
        ("replenish:reserve", "A-01-01", "ok"),
        ("replenish", gtin13(2), "error"),
        ("replenish:item", gtin13(1), "ok"),
        ("replenish:item", "18", "answer"),
        ("replenish", "A-02-01", "error"),
        ("replenish", "F-01", "ok"),
    ]
    assert ledger_problems(database) == []


def test_esc_steps_back_then_leaves(qtbot, context, database, warehouse, waiting_order):
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    screen = ReplenishScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    enter(qtbot, screen, "A-01-01")
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Escape)
    assert screen.prompt.text() == "Scan the reserve bin A-01-01"
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Escape)
    assert context.navigator.calls == ["home"]
    assert on_hand(database, warehouse, "WIDGET", "A-01-01") == (50, 0)


def test_a_supervisor_sets_a_faces_levels_and_cancels_a_task(qtbot, context, database, warehouse, waiting_order):
    from app.ui.replenishment.faces_screen import FacesScreen

    context.bridge.log_in(warehouse.supervisor)
    screen = FacesScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.faces.rowCount() == 1 and screen.faces.item(0, 3).text() == "2"
    assert screen.tasks.rowCount() == 1 and screen.tasks.item(0, 3).text() == "8"
    screen.faces.selectRow(0)
    assert screen.location.text() == "F-01" and screen.max_units.value() == 20
    screen.max_units.setValue(30)
    screen.unit.setValue(12)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "F-01: WIDGET, min 5, max 30, unit 12"
    with UnitOfWork(database, write=False) as uow:
        [row] = faces.face_rows(uow.session)
    assert (row.max_units, row.unit) == (30, 12)
    screen.tasks.selectRow(0)
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Task for F-01 cancelled" and screen.tasks.rowCount() == 0
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(ReplenishmentTask.status)) == "cancelled"

