"""The admin's "Scans required" screen for the warehouse rule scan_required_at, through the real
widgets and keys; a floor screen already open obeys the change at once, tote questions too."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.core.errors import InvalidInput
from app.db.models import AuditEntry, ScanJournal, WarehouseSetting
from app.db.uow import UnitOfWork
from app.services import config
from app.ui.admin.scan_rules_screen import ScanRulesScreen
from app.ui.picking.screen import PickScreen
from app.ui.receiving.screen import ReceivingScreen
from tests.factories import gtin13
from tests.services.test_orders_support import new_order, put_stock
from tests.ui.test_picking_screen import release
from tests.ui.test_receiving_screen import FakeNavigator
from tests.ui.test_scan_required import enter


def rules_screen(qtbot, context, actor):
    context.bridge.log_in(actor)
    context.navigator = FakeNavigator()
    screen = ScanRulesScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def stored_rule(database):
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(select(WarehouseSetting.value).where(WarehouseSetting.key == "scan_required_at"))


def test_the_admin_ticks_prompt_kinds_by_keyboard_and_an_open_floor_screen_obeys_at_once(
        qtbot, context, database, warehouse):
    with UnitOfWork(database) as uow:
        config.set_rule(uow.session, "scan_required_at", "item", actor=warehouse.admin)
        uow.commit()
    floor = ReceivingScreen(context)  # open before the change, on the same workstation
    qtbot.addWidget(floor)
    screen = rules_screen(qtbot, context, warehouse.admin)
    assert screen.title.text() == "Scans required"
    assert [kind for kind, box in screen.boxes.items() if box.isChecked()] == ["item"]
    assert screen.focusWidget() is screen.boxes["location"]
    qtbot.keyClick(screen.boxes["location"], Qt.Key.Key_Space)  # tick locations
    qtbot.keyClick(screen.boxes["location"], Qt.Key.Key_Tab)
    qtbot.keyClick(screen.boxes["item"], Qt.Key.Key_Space)  # untick items
    for _ in range(3):
        qtbot.keyClick(screen.focusWidget(), Qt.Key.Key_Tab)
    assert screen.focusWidget() is screen.save_button
    qtbot.keyClick(screen.save_button, Qt.Key.Key_Space)
    assert screen.status.text() == "Saved: a scan is required at locations."
    assert stored_rule(database) == "location"
    screen.boxes["document"].setChecked(True)
    qtbot.keyClick(screen.save_button, Qt.Key.Key_Space)
    assert screen.status.text() == "Saved: a scan is required at locations, documents."
    with UnitOfWork(database, write=False) as uow:
        changes = [json.loads(row.details) for row in uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "warehouse_rule_set").order_by(AuditEntry.id))]
    assert [(c["before"], c["value"]) for c in changes][-2:] == [("item", "location"), ("location", "location,document")]
    # The receiving screen opened before: a typed PO is refused now, a typed item is not.
    context.bridge.log_in(warehouse.operator)
    floor.show()
    enter(qtbot, floor, "PO-1001", ms_per_key=120)
    assert floor.banner.state == "error" and floor.receipt is None
    enter(qtbot, floor, "PO-1001", ms_per_key=4)
    enter(qtbot, floor, gtin13(1), ms_per_key=120)
    assert floor.banner.text().startswith("+1 WIDGET")
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert context.navigator.calls[-1] == "home"


def test_nothing_ticked_accepts_typing_everywhere_and_only_the_admin_may_save(qtbot, context, database,
                                                                            warehouse):
    screen = rules_screen(qtbot, context, warehouse.supervisor)
    screen.boxes["tote"].setChecked(True)
    qtbot.keyClick(screen.save_button, Qt.Key.Key_Space)
    assert screen.status.text() == "Sam Supervisor may not set scan required at."
    assert stored_rule(database) is None
    context.bridge.log_in(warehouse.admin)
    screen.boxes["tote"].setChecked(False)
    qtbot.keyClick(screen.save_button, Qt.Key.Key_Space)
    assert screen.status.text() == "Saved: typed codes are accepted at every prompt."
    assert stored_rule(database) == ""
    with UnitOfWork(database) as uow, pytest.raises(InvalidInput):
        config.set_scan_required_at(uow, ("bin",), actor=warehouse.admin)


def test_a_typed_tote_label_is_refused_when_totes_must_be_scanned(qtbot, context, database, warehouse):
    with UnitOfWork(database) as uow:
        config.set_rule(uow.session, "scan_required_at", "tote", actor=warehouse.admin)
        uow.commit()
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    first = new_order(database, warehouse.supervisor, "1001", {"WIDGET": 1})
    second = new_order(database, warehouse.supervisor, "1002", {"WIDGET": 1}, channel="eBay")
    [wave] = release(database, warehouse.supervisor, [first, second], mode="batch", cart_slots=4)
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    screen = PickScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    enter(qtbot, screen, wave.number, ms_per_key=120)  # documents may be typed here
    enter(qtbot, screen, "A-01-01", ms_per_key=120)
    enter(qtbot, screen, gtin13(1), ms_per_key=120)
    label = f"{wave.number}-T01"
    assert screen.prompt.text() == f"Into tote 1: scan its label {label}"
    enter(qtbot, screen, label, ms_per_key=120)
    assert (screen.banner.state, screen.banner.text()) == (
        "error", f"Scan the label: a typed code is not accepted here. Into tote 1: scan its label {label}")
    assert screen.prompt.text() == f"Into tote 1: scan its label {label}"  # still asked
    enter(qtbot, screen, label, ms_per_key=4)
    assert screen.banner.state == "ok"
    with UnitOfWork(database, write=False) as uow:
        refused = uow.session.scalars(select(ScanJournal.raw).where(ScanJournal.outcome == "refused")).all()
    assert refused == [label]
