"""End to end through the real shell: orders are imported, a supervisor releases them onto a
cart in the waves screen, an operator picks everything by typed scans and packs it with
verification, the supervisor dispatches per carrier; the ledger agrees and the stock is at
the customer. Every screen is opened from the home screen by keyboard, people log in by badge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.db.models import Location, Move
from app.db.uow import UnitOfWork
from app.services import ledger, printing
from app.services.imports.orders import import_orders
from app.services.orders import documents as orders
from app.ui.packing.screen import PackScreen
from app.ui.picking.screen import PickScreen
from app.ui.printing.actions import print_queue
from app.ui.shell.home import FUNCTION_KEYS
from app.ui.waves.screen import WavesScreen
from tests.services.test_orders_support import add_cartons, put_stock
from tests.workflows.test_receiving_gui import type_scan, window  # noqa: F401 - the shell fixture

ORDERS_CSV = (
    "channel,order_number,sku,quantity,ship_to_name,ship_to_address1,ship_to_city,ship_to_postcode,"
    "ship_to_country,carrier,service,priority,ship_by\n"
    "Shopify,1001,WIDGET,3,Ada Lovelace,1 Analytical St,London,N1 9GU,GB,DHL,Express,1,\n"
    "Shopify,1001,GADGET,1,Ada Lovelace,1 Analytical St,London,N1 9GU,GB,DHL,Express,1,\n"
    "Amazon,302-555,WIDGET,2,Grace Hopper,9 Compiler Rd,Arlington,22201,US,UPS,Standard,0,\n"
)


def log_in(qtbot, window, badge):
    if window.bridge.actor is not None:
        qtbot.keyClick(window.stack.currentWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    type_scan(qtbot, window.login.scan_field, badge)
    if window.login.badge is not None:  # supervisors: the PIN, asked in the scan field (masked)
        assert window.login.scan_field.echoMode() == window.login.scan_field.EchoMode.Password
        type_scan(qtbot, window.login.scan_field, "4321")
    assert window.stack.currentWidget() is window.home
    QApplication.processEvents()


def open_tile(qtbot, window, name, kind):
    """A function key for the first tiles; further tiles by arrow keys and Enter, as a person would."""
    home = window.home
    index = [entry.name for entry in home.entries].index(name)
    if index < len(FUNCTION_KEYS):
        qtbot.keyClick(home.scan_field, getattr(Qt.Key, f"Key_F{index + 1}"))
    else:
        qtbot.keyClick(home.scan_field, Qt.Key.Key_Down)  # onto the first tile
        for _ in range(index):
            qtbot.keyClick(home.focusWidget(), Qt.Key.Key_Right)
        assert home.focusWidget() is home.tiles[index]
        qtbot.keyClick(home.focusWidget(), Qt.Key.Key_Return)
    screen = window.stack.currentWidget()
    assert isinstance(screen, kind)
    return screen


def go_home(qtbot, screen):
    target = screen.scan_field if hasattr(screen, "scan_field") else screen
    while screen.isVisible():
        qtbot.keyClick(target, Qt.Key.Key_Escape)


def test_orders_go_from_the_import_to_the_carrier_through_the_screens(qtbot, window, database, warehouse,
                                                                      tmp_path):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 4)
    put_stock(database, warehouse, "WIDGET", "B-02-01", 6)
    put_stock(database, warehouse, "GADGET", "B-03-01", 2)
    add_cartons(database, ("BOX-S", 25, 20, 10, 10.0))
    with UnitOfWork(database) as uow:
        import_orders(uow, ORDERS_CSV.encode(), file="orders.csv", actor=warehouse.supervisor)
    for kind, size in (("labels", "4x6"), ("documents", "a4")):
        window.bridge.run(printing.save_profile, printing.Profile("WS-TEST", kind, "pdf_file",
                                                                  str(tmp_path / "printed"), size),
                          actor=warehouse.admin)

    # The supervisor allocates and releases both orders onto one cart (Spanish: her language).
    log_in(qtbot, window, "B-SUP")
    desk = open_tile(qtbot, window, "waves", WavesScreen)
    qtbot.keyClick(desk, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert desk.banner.state == "ok" and desk.release.table.rowCount() == 2
    qtbot.keyClick(desk.release.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(desk, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    assert desk.banner.state == "ok" and desk.banner.text().startswith("Liberada 1 ola: W000001")
    go_home(qtbot, desk)

    # The operator walks the cart: every bin, every unit, by scans.
    log_in(qtbot, window, "B-OP1")
    picker = open_tile(qtbot, window, "pick", PickScreen)
    qtbot.keyClick(picker.scan_field, Qt.Key.Key_Return)  # the next wave
    assert picker.prompt.text() == "Go to A-01-01 \u2014 scan the location"
    visited = []
    while picker.task is not None:
        task = picker.task
        visited.append((task.location, task.sku, task.tote_slot))
        type_scan(qtbot, picker.scan_field, task.location)
        for _ in range(task.quantity):
            type_scan(qtbot, picker.scan_field, task.sku)
            type_scan(qtbot, picker.scan_field, f"{task.wave}-T{task.tote_slot:02d}")  # batch cart: the tote
        assert picker.banner.state == "ok", picker.banner.text()
    assert picker.banner.text().endswith("W000001 is picked: take the cart to packing")
    # The route goes up aisle A and back down aisle B; the first bin serves both totes.
    assert visited == [("A-01-01", "WIDGET", 1), ("A-01-01", "WIDGET", 2), ("B-03-01", "GADGET", 1),
                       ("B-02-01", "WIDGET", 2)]
    go_home(qtbot, picker)

    # Packing: each tote verified unit by unit into one parcel, weighed, closed.
    packer = open_tile(qtbot, window, "pack", PackScreen)
    for tote in ("W000001-T01", "W000001-T02"):
        type_scan(qtbot, packer.scan_field, tote)
        for line in packer.view.order.lines:
            for _ in range(line.picked):
                type_scan(qtbot, packer.scan_field, line.sku)
        type_scan(qtbot, packer.scan_field, "GADGET")  # one too many: refused
        assert packer.banner.state == "error"
        type_scan(qtbot, packer.scan_field, "SF:CLOSE")
        type_scan(qtbot, packer.scan_field, "1.4")
        assert packer.banner.state == "ok" and " packed: 1 parcel(s) for " in packer.banner.text()
    assert print_queue(window.bridge).wait(30000)
    assert len(list((tmp_path / "printed").glob("*.pdf"))) == 4  # a label and a slip per parcel
    go_home(qtbot, packer)

    # The supervisor hands the parcels to DHL and UPS.
    log_in(qtbot, window, "B-SUP")
    desk = open_tile(qtbot, window, "waves", WavesScreen)
    qtbot.keyClick(desk, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    for carrier in ("DHL", "UPS"):
        assert desk.dispatch.carrier.currentData() == carrier
        qtbot.keyClick(desk, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
        assert desk.banner.state == "ok" and carrier in desk.banner.text()
    assert desk.dispatch.carrier.count() == 0

    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        assert ledger.check_ledger(session) == []
        assert {order.status for order in orders.list_orders(session)} == {"shipped"}
        customer = session.scalar(select(Location.id).where(Location.code == "CUSTOMER"))
        shipped = dict(session.execute(
            select(Move.product_id, func.sum(Move.quantity))
            .where(Move.to_location_id == customer, Move.reason == "ship").group_by(Move.product_id)).all())
    assert shipped == {warehouse.products["WIDGET"].id: 5, warehouse.products["GADGET"].id: 1}

