"""The pack screen, driven like a scanner would: a tote is scanned, every unit verified into
a parcel, wrong and extra items refused, the carton suggested or overridden, the weight typed,
label and packing slip printed, and an order with missing units split by a supervisor."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.core import clock
from app.db.uow import UnitOfWork
from app.services import printing
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.packing import parcels as packing
from app.services.waves import picking
from app.services.waves import release as waves
from app.ui.packing.attempt import parse_weight
from app.ui.packing.lines_model import COLUMNS, MISSING_BACKGROUND, PACKED_BACKGROUND, TOUCHED_BACKGROUND
from app.ui.packing.screen import PackScreen
from app.ui.printing.actions import print_queue
from tests.factories import gtin13
from tests.printing.conftest import page_texts
from tests.services.test_orders_support import add_cartons, key, ledger_problems, new_order, on_hand, put_stock
from tests.ui.test_picking_screen import shot
from tests.ui.test_receiving_screen import FakeNavigator, banner, press, scan

MILK_GTIN = "09501101530003"
CARTONS = (("BOX-S", 20, 15, 10, 5.0), ("BOX-M", 40, 30, 20, 15.0), ("BOX-L", 60, 40, 40, 25.0))


def picked_order(database, warehouse, number, lines, *, short_by=None, **extra):
    """An order allocated, released and picked by the services; ``short_by`` {sku: units}
    were not in their bin. Returns (order id, its tote code)."""
    short_by = dict(short_by or {})
    actor = warehouse.supervisor  # orders, allocation and waves are supervisor work
    order_id = new_order(database, actor, number, lines, **extra)
    with UnitOfWork(database) as uow:
        allocation.allocate_order(uow, order_id, actor=actor)
    with UnitOfWork(database) as uow:
        [wave] = waves.release_waves(uow, [order_id], actor=actor)
    while True:
        with UnitOfWork(database, write=False) as uow:
            task = picking.next_pick(uow.session, wave.wave_id)
        if task is None:
            return order_id, f"{wave.number}-T01"
        with UnitOfWork(database) as uow:
            picking.scan_location(uow, task.task_id, task.location, actor=actor)
        with UnitOfWork(database) as uow:
            missing = short_by.pop(task.sku, 0)
            if missing:
                picking.short_pick(uow, task.task_id, task.quantity - missing, "not there", actor=actor,
                                   idempotency_key=key())
            else:
                picking.scan_item(uow, task.task_id, task.sku, actor=actor, idempotency_key=key(),
                                  quantity=task.quantity, lot=task.lot)


def cells(screen, column):
    model = screen.lines_model
    return [model.index(row, COLUMNS.index(column)).data() for row in range(model.rowCount())]


def backgrounds(screen):
    model = screen.lines_model
    brushes = [model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) for row in range(model.rowCount())]
    return [brush.color() if brush is not None else None for brush in brushes]


def screen_sscc(database, order_id):
    """The SSCC of the order's first parcel."""
    with UnitOfWork(database, write=False) as uow:
        return packing.packing_view(uow.session, orders.load_order(uow.session, order_id)).parcels[0].sscc


def status(database, order_id):
    with UnitOfWork(database, write=False) as uow:
        return orders.get_order(uow.session, order_id).status


@pytest.fixture
def printed(context, warehouse, tmp_path):
    """This workstation prints labels and documents as PDF files into a folder."""
    folder = tmp_path / "printed"
    for kind, size in (("labels", "4x6"), ("documents", "a4")):
        context.bridge.run(printing.save_profile, printing.Profile("WS-TEST", kind, "pdf_file", str(folder), size),
                           actor=warehouse.admin)

    def files():
        assert print_queue(context.bridge).wait(30000)
        return sorted(path.name.split("-", 3)[-1] for path in folder.glob("*.pdf"))

    files.folder = folder
    return files


@pytest.fixture
def screen(qtbot, context, database, warehouse, printed):
    add_cartons(database, *CARTONS)
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    widget = PackScreen(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    yield widget
    print_queue(context.bridge).wait(30000)


def test_weights_are_typed_like_a_person_writes_them():
    assert [parse_weight(text) for text in ("1.25", "1,25", "3", "0", "-1", "1e3", "abc", "1000")] == [
        1.25, 1.25, 3.0, None, None, None, None, None]


def test_a_tote_is_verified_unit_by_unit_into_a_parcel_that_closes_with_carton_and_weight(
        qtbot, screen, database, warehouse, printed):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    put_stock(database, warehouse, "GADGET", "B-01-01", 10)
    order_id, tote = picked_order(database, warehouse, "1001", {"WIDGET": 2, "GADGET": 1})
    screen.refresh()
    assert screen.waiting.item(0).text() == f"Shopify 1001    tote {tote}    3 unit(s)    DHL"
    scan(qtbot, screen, tote)
    assert banner(screen) == ("ok", "Shopify 1001: scan the first item")
    assert screen.prompt.text() == "Scan each item into parcel 1 (3 left in the tote)"
    assert screen.header.text() == "Shopify 1001    DHL    Ada Lovelace, London GB"
    assert cells(screen, "sku") == ["WIDGET", "GADGET"] and cells(screen, "to_pack") == ["2", "1"]
    scan(qtbot, screen, "MILK")
    assert banner(screen) == ("error", "MILK is not on order Shopify 1001: put it aside.")
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("ok", "+1 WIDGET \u2192 parcel 1 (1 of 2)")
    assert backgrounds(screen) == [TOUCHED_BACKGROUND, None]
    assert screen.parcels.item(0).text().startswith("Parcel 1    open    1 unit(s)    SSCC 10614141")
    scan(qtbot, screen, gtin13(1))
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("error", "All 2 WIDGET of order Shopify 1001 are packed: this one is extra.")
    scan(qtbot, screen, gtin13(2))
    assert banner(screen) == (
        "ok", "+1 GADGET \u2192 parcel 1 (1 of 1)    Tote empty: F8 / SF:CLOSE to weigh and close")
    assert cells(screen, "state") == ["\u2713", "\u2713"]
    assert backgrounds(screen) == [PACKED_BACKGROUND, TOUCHED_BACKGROUND]
    assert screen.carton.text() == "Carton: BOX-S (suggested; scan another carton or F5 to change)"
    scan(qtbot, screen, "box-m")  # the packer takes a bigger box: its code overrides
    assert banner(screen) == ("ok", "Carton BOX-M for parcel 1")
    assert screen.carton.text() == "Carton: BOX-M (chosen; F5 to change)"
    shot(screen, "pack_order")
    press(qtbot, screen, Qt.Key.Key_F8)
    assert screen.prompt.text() == "Weigh parcel 1: type or scan its weight in kg, then Enter"
    scan(qtbot, screen, "heavy")
    assert banner(screen) == ("error", "A weight is a number of kilograms, e.g. 1.25.")
    scan(qtbot, screen, gtin13(1))  # an item at the weight question records nothing
    assert banner(screen)[0] == "error" and cells(screen, "state") == ["\u2713", "\u2713"]
    scan(qtbot, screen, "1,25")
    assert banner(screen)[0] == "ok"
    assert banner(screen)[1].startswith("Parcel 1 closed: BOX-M, 1.25 kg, 3 unit(s). Label and packing slip: ")
    assert banner(screen)[1].endswith("    Shopify 1001 packed: 1 parcel(s) for DHL")
    assert screen.prompt.text() == "Scan a tote or an order number"
    assert status(database, order_id) == "packed"
    assert printed() == ["packing_slip-Shopify_1001.pdf", "parcels-Shopify_1001.pdf"]
    with UnitOfWork(database, write=False) as uow:  # the Print jobs screen names the order, not its id
        assert sorted((job.what, job.title) for job in printing.recent_jobs(uow.session)) == [
            ("packing_slip", "Shopify 1001"), ("parcels", "Shopify 1001")]
    [label] = printed.folder.glob("*parcels-Shopify_1001.pdf")
    [slip] = printed.folder.glob("*packing_slip-Shopify_1001.pdf")
    sscc = screen_sscc(database, order_id)
    assert sscc in page_texts(label.read_bytes())[0].replace(" ", "")
    assert "Packing slip Shopify 1001" in page_texts(slip.read_bytes())[0]
    assert on_hand(database, warehouse, "WIDGET", "SHIP-1") == (2, 0)
    assert ledger_problems(database) == []


def test_several_parcels_per_order_and_a_weight_in_the_close_command(qtbot, screen, database, warehouse, printed):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    order_id, tote = picked_order(database, warehouse, "1001", {"WIDGET": 3})
    scan(qtbot, screen, tote)
    scan(qtbot, screen, "SF:QTY:2")
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("ok", "+2 WIDGET \u2192 parcel 1 (2 of 3)")
    scan(qtbot, screen, "SF:CLOSE:0.9")
    assert banner(screen)[1].startswith("Parcel 1 closed: BOX-S, 0.9 kg, 2 unit(s).")
    assert screen.prompt.text() == "Scan each item into parcel 2 (1 left in the tote)"
    scan(qtbot, screen, gtin13(1))
    assert banner(screen)[1].startswith("+1 WIDGET \u2192 parcel 2 (3 of 3)")
    assert [screen.parcels.item(row).text().split("    ")[:3] for row in range(2)] == [
        ["Parcel 1", "closed", "2 unit(s)"], ["Parcel 2", "open", "1 unit(s)"]]
    scan(qtbot, screen, "SF:CLOSE")
    scan(qtbot, screen, "0.5")
    assert banner(screen)[1].endswith("Shopify 1001 packed: 2 parcel(s) for DHL")
    assert status(database, order_id) == "packed"
    assert len(printed()) == 4  # a label and a slip per parcel


def test_missing_units_block_the_order_until_a_supervisor_splits_them(qtbot, screen, database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    put_stock(database, warehouse, "GADGET", "B-01-01", 10)
    order_id, tote = picked_order(database, warehouse, "1001", {"WIDGET": 3, "GADGET": 1},
                                  short_by={"WIDGET": 1})
    scan(qtbot, screen, tote)
    assert cells(screen, "state") == ["1 missing", ""]
    scan(qtbot, screen, "SF:QTY:2")
    scan(qtbot, screen, gtin13(1))
    assert backgrounds(screen)[0] == TOUCHED_BACKGROUND
    scan(qtbot, screen, gtin13(2))
    assert backgrounds(screen)[0] == MISSING_BACKGROUND
    scan(qtbot, screen, "SF:CLOSE:1.5")
    assert banner(screen)[0] == "attention"
    assert banner(screen)[1].endswith("    Order Shopify 1001 is missing 1 x WIDGET: a supervisor must split "
                                      "the order to close it. F7 / SF:SPLIT")
    assert screen.prompt.text() == "1 unit(s) never picked: a supervisor splits them off (F7 / SF:SPLIT)"
    assert screen.carton.text() == ""  # the parcel is closed and the tote empty: no carton to suggest
    press(qtbot, screen, Qt.Key.Key_F9)
    assert banner(screen)[1].startswith("Order Shopify 1001 is missing 1 x WIDGET")
    press(qtbot, screen, Qt.Key.Key_F7)
    assert screen.prompt.text() == ("Split the units of Shopify 1001 that were never picked off into a "
                                    "backorder? Supervisor: scan your badge")
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert banner(screen) == ("attention", "Not split: a supervisor must approve")
    scan(qtbot, screen, "SF:SPLIT")
    scan(qtbot, screen, "B-SUP")
    scan(qtbot, screen, "4321")
    assert banner(screen) == ("ok", "Split: 1 \u00d7 WIDGET to backorder Shopify 1001-BO1, approved by Sam Supervisor."
                                    "    Shopify 1001 packed: 1 parcel(s) for DHL")
    assert status(database, order_id) == "packed"
    with UnitOfWork(database, write=False) as uow:
        [backorder] = orders.find_orders(uow.session, "1001-BO1")
        assert (backorder.status, [(line.product.sku, line.quantity) for line in backorder.lines]) == (
            "open", [("WIDGET", 1)])


@pytest.mark.parametrize("short", [False, True])
def test_a_label_printer_that_refuses_leaves_the_banner_red_after_the_parcel_closes(
        qtbot, screen, context, database, warehouse, short):
    """The label job fails within moments (connection refused) while the parcel is being closed:
    the failure must not be painted over by "Parcel 1 closed" or the amber missing-units line."""
    context.bridge.run(printing.save_profile, printing.Profile("WS-TEST", "labels", "zpl_tcp", "127.0.0.1:1", "4x6"),
                       actor=warehouse.admin)
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    _order_id, tote = picked_order(database, warehouse, "1001", {"WIDGET": 2},
                                   short_by={"WIDGET": 1} if short else None)
    scan(qtbot, screen, tote)
    scan(qtbot, screen, gtin13(1))
    if not short:
        scan(qtbot, screen, gtin13(1))
    scan(qtbot, screen, "SF:CLOSE:1.5")
    assert print_queue(context.bridge).wait(30000)
    qtbot.wait(50)
    assert banner(screen)[0] == "error"
    assert banner(screen)[1].startswith("Not printed: Printer 127.0.0.1:1 ")
    assert banner(screen)[1].endswith("Retry it from Print jobs.")


def test_the_carton_is_chosen_from_a_list_and_escape_leaves_the_order(qtbot, screen, database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    picked_order(database, warehouse, "1001", {"WIDGET": 1})
    picked_order(database, warehouse, "1002", {"WIDGET": 1}, channel="eBay")
    screen.refresh()
    assert [screen.waiting.item(row).text().split("    ")[0] for row in range(2)] == ["Shopify 1001", "eBay 1002"]
    press(qtbot, screen, Qt.Key.Key_Down)
    press(qtbot, screen, Qt.Key.Key_Return)
    assert banner(screen) == ("ok", "eBay 1002: scan the first item")
    scan(qtbot, screen, gtin13(1))
    press(qtbot, screen, Qt.Key.Key_F5)
    assert sorted(screen.prompt.text().split("\n")[1].split("    ")) == ["1 BOX-S", "2 BOX-M", "3 BOX-L"]
    scan(qtbot, screen, "BOX-XL")
    assert banner(screen)[0] == "error"
    scan(qtbot, screen, "3")
    assert screen.carton.text() == "Carton: BOX-L (chosen; F5 to change)"
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert banner(screen) == ("attention", "Left eBay 1002: everything packed is saved")
    scan(qtbot, screen, "1002")  # the order number works as well as the tote
    assert screen.parcels.item(0).text().startswith("Parcel 1    open    1 unit(s)")
    press(qtbot, screen, Qt.Key.Key_F8)
    scan(qtbot, screen, "SF:CANCEL")
    assert banner(screen) == ("attention", "Cancelled: nothing recorded")
    press(qtbot, screen, Qt.Key.Key_Escape)
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert screen.context.navigator.calls == ["home"]


def test_two_lots_in_one_tote_ask_for_the_lot_of_the_scanned_unit(qtbot, screen, database, warehouse):
    soon, later = clock.today() + dt.timedelta(days=20), clock.today() + dt.timedelta(days=40)
    put_stock(database, warehouse, "MILK", "A-01-01", 2, lot="L1", expiry=soon)
    put_stock(database, warehouse, "MILK", "A-02-01", 5, lot="L2", expiry=later)
    order_id, tote = picked_order(database, warehouse, "1001", {"MILK": 3})
    scan(qtbot, screen, tote)
    scan(qtbot, screen, MILK_GTIN)
    assert banner(screen) == ("attention", "Scan the lot of the item (GS1 label) or type it")
    assert screen.prompt.text() == "Scan the lot of the item (GS1 label) or type it"
    scan(qtbot, screen, "L9")
    assert banner(screen) == ("error", "Lot L9 of MILK is not the one reserved: pick lot L1 or L2.")
    scan(qtbot, screen, f"]C101{MILK_GTIN}10L2")  # the unit's own label names its lot
    assert banner(screen) == ("ok", "+1 MILK \u2192 parcel 1 (1 of 3)")
    with UnitOfWork(database, write=False) as uow:
        view = packing.packing_view(uow.session, orders.load_order(uow.session, order_id))
    assert view.open_parcel.items == (("MILK", "L2", 1),)


def test_ctrl_z_and_sf_undo_take_my_last_scan_out_of_the_open_parcel_not_a_closed_one(
        qtbot, screen, database, warehouse, printed):
    from sqlalchemy import select

    from app.db.models import Move, ScanJournal

    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    order_id, tote = picked_order(database, warehouse, "1001", {"WIDGET": 3})
    scan(qtbot, screen, tote)
    scan(qtbot, screen, "SF:QTY:2")
    scan(qtbot, screen, gtin13(1))
    scan(qtbot, screen, "SF:CLOSE:0.9")
    scan(qtbot, screen, gtin13(1))
    assert screen.parcels.item(1).text().split("    ")[:3] == ["Parcel 2", "open", "1 unit(s)"]
    press(qtbot, screen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert banner(screen) == ("attention", "Undone: -1 WIDGET out of parcel 2: back in the tote")
    assert screen.prompt.text() == "Scan each item into parcel 2 (1 left in the tote)"
    assert cells(screen, "to_pack") == ["1"]
    assert on_hand(database, warehouse, "WIDGET", "PACK-1") == (0, 0)
    assert on_hand(database, warehouse, "WIDGET", "CARTS") == (1, 0)
    shot(screen, "pack_undone")
    scan(qtbot, screen, "SF:UNDO")  # the scan before went into parcel 1, which is closed
    assert banner(screen)[0] == "error"
    assert banner(screen)[1].startswith("Parcel ") and banner(screen)[1].endswith(
        " is closed: 'undo' is not possible.")
    assert on_hand(database, warehouse, "WIDGET", "SHIP-1") == (2, 0)
    scan(qtbot, screen, gtin13(1))
    assert banner(screen)[1].startswith("+1 WIDGET \u2192 parcel 2 (3 of 3)")
    with UnitOfWork(database, write=False) as uow:
        reasons = uow.session.scalars(select(Move.reason).where(Move.reason.like("pack%")).order_by(Move.id)).all()
        journaled = uow.session.scalars(select(ScanJournal.outcome).where(ScanJournal.raw == "SF:UNDO")).all()
    assert reasons == ["pack", "pack", "pack_undo", "pack"] and journaled == ["command"]
    assert ledger_problems(database) == []
