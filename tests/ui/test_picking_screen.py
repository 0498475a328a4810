"""The pick screen, driven like a scanner would: a wave is chosen, the picker is led bin by
bin, wrong bins and items are refused in red, short picks ask the found quantity and a
reason. With STOCKFLOOR_PICKING_SHOTS=DIR the screens are saved there as PNGs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.db.models import LicensePlate, Move, OnHand, ScanJournal
from app.db.uow import UnitOfWork
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.waves import release as waves
from app.ui.picking.picklist_model import COLUMNS, CURRENT_BACKGROUND, DONE_BACKGROUND, SHORT_BACKGROUND
from app.ui.picking.screen import PickScreen
from tests.factories import gtin13
from tests.services.test_orders_support import ledger_problems, new_order, on_hand, put_stock
from tests.ui.test_receiving_screen import FakeNavigator, banner, press, scan

MILK_GTIN = "09501101530003"
GS = "\x1d"


def shot(widget, name: str) -> None:
    """In the application's own style, at a floor terminal's size (only when asked for)."""
    folder = os.environ.get("STOCKFLOOR_PICKING_SHOTS")
    if folder:
        from app.ui.style import RESOURCES

        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.setStyleSheet((RESOURCES / "stylesheet.qss").read_text(encoding="utf-8"))
        widget.resize(1280, 800)
        QApplication.processEvents()
        QApplication.processEvents()  # what was laid out for the new style is painted
        widget.grab().save(str(Path(folder) / f"{name}.png"))
        widget.setStyleSheet("")


def release(database, actor, order_ids, mode="single", cart_slots=8):
    with UnitOfWork(database) as uow:
        for order_id in order_ids:
            allocation.allocate_order(uow, order_id, actor=actor)
    with UnitOfWork(database) as uow:
        return waves.release_waves(uow, order_ids, actor=actor, mode=mode, cart_slots=cart_slots)


def cells(screen, column):
    model = screen.list_model
    return [model.index(row, COLUMNS.index(column)).data() for row in range(model.rowCount())]


def backgrounds(screen):
    model = screen.list_model
    colours = []
    for row in range(model.rowCount()):
        brush = model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
        colours.append(brush.color() if brush is not None else None)
    return colours


def order_of(database, order_id):
    with UnitOfWork(database, write=False) as uow:
        return orders.get_order(uow.session, order_id)


def in_tote(database, order_id, sku):
    """Units of ``sku`` on the order's tote plate."""
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        order = orders.load_order(session, order_id)
        plate = session.get(LicensePlate, order.tote_plate_id)
        return sum(session.scalars(select(OnHand.quantity).where(
            OnHand.license_plate_id == plate.id,
            OnHand.product_id == next(line.product_id for line in order.lines if line.product.sku == sku))))


@pytest.fixture
def screen(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    widget = PickScreen(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


@pytest.fixture
def one_order_wave(database, warehouse):
    """Order 1001: 3 WIDGET from A-02-01 and 1 GADGET from B-01-01, released as one wave."""
    put_stock(database, warehouse, "WIDGET", "A-02-01", 10)
    put_stock(database, warehouse, "GADGET", "B-01-01", 5)
    order_id = new_order(database, warehouse.supervisor, "1001", {"WIDGET": 3, "GADGET": 1})
    [wave] = release(database, warehouse.supervisor, [order_id])
    return order_id, wave


# --- choosing a wave ---------------------------------------------------------------------------
def test_without_waves_the_picker_is_told_who_releases_them(qtbot, screen):
    assert screen.prompt.text() == "Scan a wave or one of its totes, or press Enter for the next wave"
    assert screen.open_caption.text() == "No waves are waiting. A supervisor releases them."
    press(qtbot, screen, Qt.Key.Key_Return)
    assert banner(screen) == ("attention", "No waves are waiting. A supervisor releases them.")
    scan(qtbot, screen, "A-01-01")
    assert banner(screen) == ("error", "A-01-01 is not a wave: scan a wave number like W000012 or a tote.")


def test_enter_opens_the_next_wave_and_the_first_prompt_says_where_to_go(qtbot, screen, one_order_wave):
    _, wave = one_order_wave
    screen.refresh()
    assert [w.number for w in screen.wave_list.waves] == [wave.number]
    assert screen.wave_list.item(0).text() == (
        f"{wave.number}    single order, 1 order(s)    0 of 2 lines picked    released")
    press(qtbot, screen, Qt.Key.Key_Return)
    assert banner(screen) == ("ok", f"{wave.number}: 2 line(s), go to A-02-01")
    assert screen.prompt.text() == "Go to A-02-01 \u2014 scan the location"
    assert screen.header.text() == f"{wave.number}    0 of 2 line(s)    0 of 4 unit(s)    tote 1: Shopify 1001"
    assert cells(screen, "location") == ["A-02-01", "B-01-01"]  # walking order
    assert cells(screen, "state") == ["\u25b6", ""]
    assert backgrounds(screen) == [CURRENT_BACKGROUND, None]
    assert screen.scan_field.hasFocus()
    shot(screen, "pick_go_to_location")


def test_wrong_location_and_wrong_item_are_red_with_the_services_words(qtbot, screen, database, warehouse,
                                                                       one_order_wave):
    _, wave = one_order_wave
    scan(qtbot, screen, wave.number)
    scan(qtbot, screen, "B-03-01")
    assert banner(screen) == ("error", "B-03-01 is not the pick location, go to A-02-01.")
    shot(screen, "pick_wrong_location")
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("error", "WIDGET is a product, scan a location.")
    scan(qtbot, screen, "A-02-01")
    assert banner(screen) == ("ok", "At A-02-01: pick 3 \u00d7 WIDGET")
    assert screen.prompt.text() == "Pick 3 \u00d7 WIDGET Widget, blue \u2192 tote 1"
    shot(screen, "pick_item_prompt")
    scan(qtbot, screen, gtin13(2))
    assert banner(screen) == ("error", "GADGET is not the item to pick at A-02-01, pick WIDGET.")
    scan(qtbot, screen, "SF:QTY:4")
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("error", "Only 3 more WIDGET to pick here, 4 scanned.")
    with UnitOfWork(database, write=False) as uow:
        refused = uow.session.scalars(select(ScanJournal.raw).where(
            ScanJournal.context == "picking", ScanJournal.outcome == "error")).all()
    assert refused == ["B-03-01", gtin13(1), gtin13(2), gtin13(1)]
    assert on_hand(database, warehouse, "WIDGET", "A-02-01") == (10, 3)  # nothing moved


def test_the_wave_is_picked_by_repeated_scans_and_quantities(qtbot, screen, database, warehouse, one_order_wave):
    order_id, wave = one_order_wave
    press(qtbot, screen, Qt.Key.Key_Return)
    scan(qtbot, screen, "A-02-01")
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("ok", "+1 WIDGET \u2192 tote 1 (1 of 3)")
    assert screen.prompt.text() == "Pick 2 \u00d7 WIDGET Widget, blue \u2192 tote 1"
    press(qtbot, screen, Qt.Key.Key_F2)
    assert screen.prompt.text() == "Type or scan the quantity for the next item, then Enter"
    scan(qtbot, screen, "2")
    assert screen.mode.text() == "Next item counts 2 times" and screen.mode.isVisibleTo(screen)
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("ok", "+2 WIDGET \u2192 tote 1 (3 of 3)    Next: B-01-01")
    assert screen.prompt.text() == "Go to B-01-01 \u2014 scan the location"
    assert cells(screen, "state") == ["\u2713", "\u25b6"]
    assert backgrounds(screen) == [DONE_BACKGROUND, CURRENT_BACKGROUND]
    assert not screen.mode.isVisibleTo(screen)
    scan(qtbot, screen, "B-01-01")
    scan(qtbot, screen, "GADGET")
    assert banner(screen) == (
        "ok", f"+1 GADGET \u2192 tote 1 (1 of 1)    {wave.number} is picked: take the cart to packing")
    assert screen.prompt.text() == "Scan a wave or one of its totes, or press Enter for the next wave"
    assert screen.wave_list.count() == 0
    assert order_of(database, order_id).status == "picked"
    assert (in_tote(database, order_id, "WIDGET"), in_tote(database, order_id, "GADGET")) == (3, 1)
    assert on_hand(database, warehouse, "WIDGET", "A-02-01") == (7, 0)
    assert ledger_problems(database) == []


def test_short_pick_asks_the_found_quantity_and_a_reason_then_goes_on(qtbot, screen, database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-02-01", 3)
    put_stock(database, warehouse, "WIDGET", "B-02-01", 5)
    order_id = new_order(database, warehouse.supervisor, "1001", {"WIDGET": 3})
    [wave] = release(database, warehouse.supervisor, [order_id])
    press(qtbot, screen, Qt.Key.Key_Return)
    assert screen.prompt.text() == "Go to A-02-01 \u2014 scan the location"
    press(qtbot, screen, Qt.Key.Key_F6)
    assert banner(screen) == ("error", "Scan location A-02-01 first, then report what is missing.")
    scan(qtbot, screen, "A-02-01")
    assert screen.prompt.text() == "Pick 3 \u00d7 WIDGET Widget, blue \u2192 tote 1"
    scan(qtbot, screen, gtin13(1))
    press(qtbot, screen, Qt.Key.Key_F6)
    assert screen.prompt.text() == "How many WIDGET are at A-02-01? Type the number found (0 to 1), then Enter"
    assert banner(screen) == ("attention", screen.prompt.text())
    scan(qtbot, screen, "2")
    assert banner(screen) == ("error", "A quantity is a number from 0 to 1: type or scan it, then Enter.")
    scan(qtbot, screen, "1")
    assert screen.prompt.text() == (
        "1 of 2 WIDGET found at A-02-01. Why?\n1 Bin empty    2 Fewer in the bin than expected    "
        "3 Damaged, cannot be sent    4 Another product in the bin    5 Other")
    scan(qtbot, screen, "A-02-01")  # a location is not a reason: refused, nothing written off
    assert banner(screen)[0] == "error" and on_hand(database, warehouse, "WIDGET", "A-02-01") == (2, 2)
    scan(qtbot, screen, "2")
    assert banner(screen) == ("attention", "Short: 1 of 2 WIDGET \u2192 tote 1, 1 written off. "
                                           "1 more reserved in other bins: at the end of the list. "
                                           "A count of A-02-01 is requested.")
    assert screen.prompt.text() == "Go to B-02-01 \u2014 scan the location"
    assert cells(screen, "location") == ["A-02-01", "B-02-01"]
    assert cells(screen, "state") == ["1 short", "\u25b6"]
    assert backgrounds(screen) == [SHORT_BACKGROUND, CURRENT_BACKGROUND]
    assert on_hand(database, warehouse, "WIDGET", "A-02-01") == (0, 0)
    with UnitOfWork(database, write=False) as uow:
        written_off = uow.session.scalars(select(Move.quantity).where(Move.reason == "short_pick")).all()
    assert written_off == [1]
    scan(qtbot, screen, "B-02-01")
    scan(qtbot, screen, gtin13(1))
    assert banner(screen)[1].endswith(f"{wave.number} is picked: take the cart to packing")
    assert order_of(database, order_id).status == "picked"
    assert in_tote(database, order_id, "WIDGET") == 3
    assert ledger_problems(database) == []


def test_an_empty_bin_is_one_command_and_a_cancelled_reason_changes_nothing(qtbot, screen, database, warehouse,
                                                                           one_order_wave):
    order_id, _ = one_order_wave
    press(qtbot, screen, Qt.Key.Key_Return)
    scan(qtbot, screen, "A-02-01")
    scan(qtbot, screen, "SF:EMPTY")
    assert screen.prompt.text().startswith("0 of 3 WIDGET found at A-02-01. Why?")
    scan(qtbot, screen, "SF:CANCEL")
    assert banner(screen) == ("attention", "Short pick cancelled: nothing was written off")
    assert on_hand(database, warehouse, "WIDGET", "A-02-01") == (10, 3)
    scan(qtbot, screen, "SF:EMPTY")
    scan(qtbot, screen, "1")
    assert banner(screen) == ("attention", "Short: 0 of 3 WIDGET \u2192 tote 1, 3 written off. 3 on backorder. "
                                           "A count of A-02-01 is requested.")
    assert screen.prompt.text() == "Go to B-01-01 \u2014 scan the location"
    assert order_of(database, order_id).backorder == 3


def test_a_lot_tracked_item_asks_for_its_lot_and_takes_the_same_scan_again(qtbot, screen, database, warehouse):
    put_stock(database, warehouse, "MILK", "A-03-01", 6, lot="L7")
    order_id = new_order(database, warehouse.supervisor, "1001", {"MILK": 2})
    release(database, warehouse.supervisor, [order_id])
    press(qtbot, screen, Qt.Key.Key_Return)
    scan(qtbot, screen, "A-03-01")
    assert screen.prompt.text() == "Pick 2 \u00d7 MILK Milk 1 l (lot L7) \u2192 tote 1"
    scan(qtbot, screen, "SF:QTY:2")
    scan(qtbot, screen, MILK_GTIN)
    assert banner(screen) == ("attention", "Scan the lot of MILK")
    assert screen.prompt.text() == "Scan the lot of MILK" and screen.mode.text() == "Next item counts 2 times"
    scan(qtbot, screen, "L8")
    assert banner(screen) == ("error", "Lot L8 of MILK is not the one reserved: pick lot L7.")
    scan(qtbot, screen, f"]C101{MILK_GTIN}10L7")  # the GS1 label brings its lot along
    assert banner(screen)[0] == "ok" and "+2 MILK" in banner(screen)[1]
    assert in_tote(database, order_id, "MILK") == 2


def test_batch_wave_sends_each_order_to_its_tote_and_a_tote_scan_opens_it(qtbot, screen, database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    put_stock(database, warehouse, "GADGET", "B-03-01", 10)
    first = new_order(database, warehouse.supervisor, "1001", {"WIDGET": 2}, priority=2)
    second = new_order(database, warehouse.supervisor, "1002", {"WIDGET": 1, "GADGET": 2}, channel="eBay")
    [wave] = release(database, warehouse.supervisor, [first, second], mode="batch", cart_slots=4)
    scan(qtbot, screen, f"{wave.number}-T02")  # any tote of the cart opens its wave
    assert cells(screen, "tote_slot") == ["1", "2", "2"]
    assert cells(screen, "location") == ["A-01-01", "A-01-01", "B-03-01"]
    scan(qtbot, screen, "A-01-01")
    assert screen.prompt.text() == "Pick 2 \u00d7 WIDGET Widget, blue \u2192 tote 1"
    assert screen.header.text().endswith("tote 1: Shopify 1001")
    scan(qtbot, screen, "SF:QTY:2")
    scan(qtbot, screen, gtin13(1))
    assert screen.prompt.text() == f"Into tote 1: scan its label {wave.number}-T01"
    scan(qtbot, screen, f"{wave.number}-T02")  # the wrong tote: refused, nothing picked
    assert banner(screen) == ("error", f"Wrong label {wave.number}-T02: scan {wave.number}-T01.")
    assert in_tote(database, first, "WIDGET") == 0
    scan(qtbot, screen, f"{wave.number}-T01")
    # Same bin, next order: the location stays confirmed only for its own task.
    assert screen.prompt.text() == "Go to A-01-01 \u2014 scan the location"
    scan(qtbot, screen, "A-01-01")
    assert screen.prompt.text() == "Pick 1 \u00d7 WIDGET Widget, blue \u2192 tote 2"
    assert screen.header.text().endswith("tote 2: eBay 1002")
    shot(screen, "pick_batch_tote_2")
    for item in (gtin13(1), "B-03-01", gtin13(2), gtin13(2)):
        scan(qtbot, screen, item)
        if item != "B-03-01":
            scan(qtbot, screen, f"{wave.number}-T02")
    assert banner(screen)[1].endswith(f"{wave.number} is picked: take the cart to packing")
    assert (in_tote(database, first, "WIDGET"), in_tote(database, second, "WIDGET"),
            in_tote(database, second, "GADGET")) == (2, 1, 2)


def test_on_a_batch_cart_a_wrong_item_is_refused_before_the_tote_is_asked(qtbot, screen, database, warehouse):
    from app.db.models_picking import PickTask

    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    put_stock(database, warehouse, "GADGET", "B-03-01", 10)
    first = new_order(database, warehouse.supervisor, "1001", {"WIDGET": 2}, priority=2)
    second = new_order(database, warehouse.supervisor, "1002", {"GADGET": 1}, channel="eBay")
    [wave] = release(database, warehouse.supervisor, [first, second], mode="batch", cart_slots=4)
    scan(qtbot, screen, wave.number)
    scan(qtbot, screen, "A-01-01")
    scan(qtbot, screen, gtin13(2))  # a GADGET at the WIDGET bin: told now, no tote asked
    assert banner(screen) == ("error", "GADGET is not the item to pick at A-01-01, pick WIDGET.")
    assert screen.prompt.text() == "Pick 2 \u00d7 WIDGET Widget, blue \u2192 tote 1"
    scan(qtbot, screen, "B-03-01")  # a location at the item step: refused as well
    assert banner(screen)[0] == "error"
    assert screen.prompt.text() == "Pick 2 \u00d7 WIDGET Widget, blue \u2192 tote 1"
    scan(qtbot, screen, gtin13(1))  # the right item: now the tote
    assert screen.prompt.text() == f"Into tote 1: scan its label {wave.number}-T01"
    scan(qtbot, screen, f"{wave.number}-T01")
    assert banner(screen) == ("ok", "+1 WIDGET \u2192 tote 1 (1 of 2)")
    assert (in_tote(database, first, "WIDGET"), in_tote(database, second, "GADGET")) == (1, 0)
    with UnitOfWork(database, write=False) as uow:
        mispicks = uow.session.scalar(select(PickTask.mispicks).where(PickTask.order_id == first))
    assert mispicks == 1  # the wrong item counts against the order's accuracy; the location does not
    assert ledger_problems(database) == []


def test_escape_clears_then_leaves_the_wave_then_goes_home(qtbot, screen, one_order_wave):
    _, wave = one_order_wave
    press(qtbot, screen, Qt.Key.Key_Return)
    scan(qtbot, screen, "A-02-01")
    press(qtbot, screen, Qt.Key.Key_F2)
    scan(qtbot, screen, "SF:CANCEL")  # a cancel scanned while the quantity is asked only drops the question
    assert banner(screen) == ("attention", "Cancelled: nothing recorded")
    assert screen.prompt.text() == "Pick 3 \u00d7 WIDGET Widget, blue \u2192 tote 1"
    scan(qtbot, screen, "SF:QTY:2")
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert banner(screen) == ("attention", "Cleared: scan again")
    assert screen.pending_quantity is None
    scan(qtbot, screen, "SF:CANCEL")
    assert banner(screen) == ("attention", f"Left {wave.number}: everything picked is saved")
    assert screen.wave_list.item(0).text().startswith(wave.number)
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert screen.context.navigator.calls == ["home"]


def test_spanish_pick_screen(qtbot, screen, translations, one_order_wave):
    translations.set_language("es")
    QApplication.processEvents()
    press(qtbot, screen, Qt.Key.Key_Return)
    scan(qtbot, screen, "B-03-01")
    assert screen.title.text() == "Preparar"
    assert screen.prompt.text() == "Vaya a A-02-01 \u2014 escanee la ubicación"
    assert banner(screen) == ("error", "B-03-01 no es la ubicación de preparación; vaya a A-02-01.")
    shot(screen, "pick_spanish")


def test_the_location_is_confirmed_by_its_check_digits_and_a_second_wrong_check_alerts(
        qtbot, screen, database, one_order_wave):
    from app.core.checkdigits import location_check_digits

    _, wave = one_order_wave
    scan(qtbot, screen, wave.number)
    right = location_check_digits("A-02-01")
    wrong = f"{(int(right) + 1) % 100:02d}"
    scan(qtbot, screen, wrong)
    assert banner(screen) == ("error", "Wrong check digits for A-02-01: scan its label or say its check digits.")
    scan(qtbot, screen, wrong)
    assert banner(screen)[1].startswith("ALERT: wrong check digits twice.")
    assert screen.prompt.text() == "Go to A-02-01 \u2014 scan the location"
    scan(qtbot, screen, right)
    assert banner(screen) == ("ok", "At A-02-01: pick 3 \u00d7 WIDGET")
    with UnitOfWork(database, write=False) as uow:
        rows = uow.session.execute(select(ScanJournal.raw, ScanJournal.outcome).where(
            ScanJournal.context.like("picking%")).order_by(ScanJournal.id)).all()
    assert [tuple(row) for row in rows][-3:] == [(wrong, "refused"), (wrong, "alert"), (right, "ok")]


def test_ctrl_z_and_sf_undo_put_my_last_pick_back_and_a_finished_task_is_refused(
        qtbot, screen, database, warehouse, one_order_wave):
    order_id, wave = one_order_wave
    press(qtbot, screen, Qt.Key.Key_Return)
    scan(qtbot, screen, "A-02-01")
    scan(qtbot, screen, gtin13(1))
    scan(qtbot, screen, gtin13(1))
    press(qtbot, screen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert banner(screen) == ("attention", "Undone: -1 WIDGET from tote 1: put it back in A-02-01")
    assert screen.prompt.text() == "Pick 2 \u00d7 WIDGET Widget, blue \u2192 tote 1"
    assert on_hand(database, warehouse, "WIDGET", "A-02-01") == (9, 2)
    assert in_tote(database, order_id, "WIDGET") == 1
    shot(screen, "pick_undone")
    scan(qtbot, screen, "SF:UNDO")
    assert on_hand(database, warehouse, "WIDGET", "A-02-01") == (10, 3)
    scan(qtbot, screen, "SF:UNDO")
    assert banner(screen) == ("attention", f"Nothing of yours to undo on {wave.number}")
    scan(qtbot, screen, "SF:QTY:3")
    scan(qtbot, screen, gtin13(1))
    assert screen.prompt.text() == "Go to B-01-01 \u2014 scan the location"
    scan(qtbot, screen, "SF:UNDO")
    assert banner(screen) == ("error", f"Pick 1 of {wave.number} is done: 'undo' is not possible.")
    assert order_of(database, order_id).lines[0].picked == 3 and in_tote(database, order_id, "WIDGET") == 3
    with UnitOfWork(database, write=False) as uow:
        reasons = uow.session.scalars(select(Move.reason).order_by(Move.id)).all()
        commands = uow.session.scalars(select(ScanJournal.outcome).where(ScanJournal.raw == "SF:UNDO")).all()
    assert reasons[-5:] == ["pick", "pick", "pick_undo", "pick_undo", "pick"]
    assert commands == ["command", "command", "command"]
    assert ledger_problems(database) == []
