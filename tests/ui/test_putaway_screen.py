"""The put-away screen, driven like a scanner would: typed scans + Enter, keys, command barcodes.
Goods are received through the receiving service first; the stock is checked in the database."""

from __future__ import annotations

import json
import uuid

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select, update

from app.core.actor import system_actor
from app.core.putaway_rules import REASON_TEMPLATES, Reason
from app.db.models import AuditEntry, LicensePlate, Location, Move, OnHand, ScanJournal
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.putaway import setup as putaway_setup
from app.services.receiving import receipts as receiving
from app.ui.putaway.reasons import TRANSLATABLE_REASONS, reason_text
from app.ui.putaway.screen import PutawayScreen
from app.ui.putaway.waiting_model import COLUMNS, TASK_BACKGROUND
from tests.factories import gtin13

WIDGET, GADGET = gtin13(1), gtin13(2)
GS = "\x1d"
MILK_L7 = "]C10109501101530003" + "10L7" + GS + "17271231"


class FakeNavigator:
    def __init__(self):
        self.calls = []

    def go_home(self):
        self.calls.append("home")

    def open_screen(self, name):
        self.calls.append(name)

    def log_out(self):
        self.calls.append("logout")


def scan(qtbot, screen, text):
    """Type like a scanner: GS goes as a QKeyEvent (qtbot.keyClicks would abort on it)."""
    for index, part in enumerate(text.split(GS)):
        if index:
            QApplication.sendEvent(screen.scan_field, QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, GS))
        if part:
            qtbot.keyClicks(screen.scan_field, part)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)


def press(qtbot, screen, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(screen.scan_field, key, modifier)


def banner(screen):
    return screen.banner.state, screen.banner.text()


def waiting_rows(screen):
    model = screen.model
    return [[model.index(row, column).data() for column in range(len(COLUMNS))]
            for row in range(model.rowCount())]


def receive(database, wh, code, quantity):
    with UnitOfWork(database) as uow:
        receiving.receive_scan(uow, wh.orders["PO-1001"].id, code, actor=wh.operator,
                               idempotency_key=uuid.uuid4().hex, quantity=quantity)


def stock(database, wh, sku, location):
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(select(func.coalesce(func.sum(OnHand.quantity), 0)).where(
            OnHand.product_id == wh.products[sku].id, OnHand.location_id == wh.locations[location].id))


def ledger_ok(database):
    with UnitOfWork(database, write=False) as uow:
        return ledger.check_ledger(uow.session) == []


def putaway_moves(database):
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(Move).where(Move.reason == "putaway"))


def block(database, code):
    with UnitOfWork(database) as uow:
        uow.session.execute(update(Location).where(Location.code == code).values(blocked=True))
        uow.commit()


@pytest.fixture
def screen(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    widget = PutawayScreen(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


@pytest.fixture
def received(database, warehouse, screen):
    """PO-1001 on the dock: 10 WIDGET, 5 GADGET, 20 MILK lot L7; the list shows it."""
    receive(database, warehouse, WIDGET, 10)
    receive(database, warehouse, GADGET, 5)
    receive(database, warehouse, MILK_L7, 20)
    screen.refresh()
    return screen


# --- the list --------------------------------------------------------------------------------
def test_the_list_shows_what_waits_in_walking_order(qtbot, received):
    assert received.prompt.text() == "Scan an item or a license plate"
    assert received.scan_field.hasFocus()
    assert received.caption.text() == "Waiting to be put away    lines: 3    units: 35"
    assert received.model.header_titles() == ("Location", "SKU", "Name", "Lot", "License plate", "Quantity")
    assert waiting_rows(received) == [
        ["DOCK-1", "GADGET", "Gadget", "", "", "5"],
        ["DOCK-1", "MILK", "Milk 1 l", "L7", "", "20"],
        ["DOCK-1", "WIDGET", "Widget, blue", "", "", "10"],
    ]
    assert not received.panel.isVisible()


def test_an_empty_dock_says_so(screen):
    assert screen.caption.text() == "Nothing waits to be put away."
    assert screen.model.rowCount() == 0


# --- scanning what to put away ------------------------------------------------------------------
def test_scanning_an_item_shows_the_suggestion_with_its_reason(qtbot, received, database, warehouse):
    scan(qtbot, received, WIDGET)
    assert banner(received) == ("ok", "10 \u00d7 WIDGET Widget, blue on DOCK-1")
    panel = received.panel
    assert panel.isVisible()
    assert panel.headline.text() == "Take 10 \u00d7 WIDGET to A-01-01"
    assert panel.reason.text() == "A-01-01 is the nearest empty bin."
    assert panel.details.text() == "From DOCK-1: 10 \u00d7 WIDGET Widget, blue"
    assert panel.alternatives.text() == "Also possible: A-02-01, A-03-01, B-01-01"
    assert received.prompt.text() == "Scan the destination A-01-01"
    widget_row = [row[1] for row in waiting_rows(received)].index("WIDGET")
    brush = received.model.index(widget_row, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert brush.color() == TASK_BACKGROUND
    assert received.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "F2 / SF:QTY: put away part of it" in received.keys.text()


def test_a_bin_holding_the_same_product_is_suggested_and_says_why(qtbot, received):
    scan(qtbot, received, WIDGET)
    scan(qtbot, received, "SF:QTY:4")
    scan(qtbot, received, "A-01-01")
    scan(qtbot, received, MILK_L7)
    assert received.panel.headline.text() == "Take 20 \u00d7 MILK to A-02-01"
    assert received.panel.details.text() == "From DOCK-1: 20 \u00d7 MILK Milk 1 l, lot L7, expires 2027-12-31"
    scan(qtbot, received, "SF:CANCEL")
    scan(qtbot, received, WIDGET)
    assert received.panel.headline.text() == "Take 6 \u00d7 WIDGET to A-01-01"
    assert received.panel.reason.text() == "A-01-01 already holds WIDGET."


def test_a_home_location_that_cannot_take_the_goods_is_named(qtbot, received, database, warehouse):
    from app.core.putaway_rules import PutawayRule

    with UnitOfWork(database) as uow:
        putaway_setup.set_putaway_rule(uow, PutawayRule("product", "WIDGET", home_location="B-03-01"),
                                       actor=warehouse.supervisor)
    scan(qtbot, received, WIDGET)
    assert received.panel.headline.text() == "Take 10 \u00d7 WIDGET to B-03-01"
    assert received.panel.reason.text() == "B-03-01 is the home location of WIDGET."
    scan(qtbot, received, "SF:CANCEL")
    block(database, "B-03-01")
    scan(qtbot, received, WIDGET)
    assert received.panel.headline.text() == "Take 10 \u00d7 WIDGET to A-01-01"
    assert received.panel.alternatives.text().splitlines()[-1] == "Not suggested: Location B-03-01 is blocked."


def test_when_no_bin_fits_any_bin_with_room_is_asked_for(qtbot, received, database):
    with UnitOfWork(database) as uow:
        uow.session.execute(update(Location).where(Location.kind == "storage").values(blocked=True))
        uow.commit()
    scan(qtbot, received, GADGET)
    assert received.panel.headline.text() == "Take 5 \u00d7 GADGET to any bin with room"
    assert received.panel.reason.text() == "No bin can take 5 x GADGET: scan any bin that has room."
    assert not received.panel.alternatives.isVisible()
    assert received.prompt.text() == "Scan any bin with room"


def test_scanning_a_location_or_nothing_waiting_is_red_and_journaled(qtbot, screen, database):
    scan(qtbot, screen, "A-01-01")
    assert banner(screen) == ("error", "A-01-01 is a location, scan a product or a license plate.")
    scan(qtbot, screen, GADGET)
    assert banner(screen) == ("error", "No GADGET waits to be put away on receiving, returns, quarantine.")
    assert screen.prompt.text() == "Scan an item or a license plate"
    with UnitOfWork(database, write=False) as uow:
        journal = uow.session.execute(select(ScanJournal.context, ScanJournal.raw)
                                      .where(ScanJournal.outcome == "error").order_by(ScanJournal.id)).all()
    assert journal == [("putaway", "A-01-01"), ("putaway", GADGET)]


# --- scanning the destination --------------------------------------------------------------------
def test_scanning_the_suggested_bin_moves_the_goods(qtbot, received, database, warehouse):
    scan(qtbot, received, WIDGET)
    scan(qtbot, received, "A-01-01")
    assert banner(received) == ("ok", "\u2713 10 \u00d7 WIDGET \u2192 A-01-01")
    assert (stock(database, warehouse, "WIDGET", "A-01-01"), stock(database, warehouse, "WIDGET", "DOCK-1")) == (10, 0)
    assert [row[1] for row in waiting_rows(received)] == ["GADGET", "MILK"]
    assert received.caption.text() == "Waiting to be put away    lines: 2    units: 25"
    assert received.prompt.text() == "Scan an item or a license plate"
    assert not received.panel.isVisible()
    assert putaway_moves(database) == 1 and ledger_ok(database)


def test_another_valid_bin_asks_why_in_the_scan_field_and_records_the_reason(qtbot, received, database):
    scan(qtbot, received, GADGET)
    scan(qtbot, received, "B-03-01")
    assert received.prompt.text() == (
        "A-01-01 was suggested: say why B-03-01 is used instead.\n1 Suggested bin is full    "
        "2 Suggested bin is blocked physically    3 Better location    4 Other")
    scan(qtbot, received, WIDGET)  # an item scanned at the reason question is refused, not lost as data
    assert banner(received)[0] == "error" and banner(received)[1].startswith("Not recorded: that is WIDGET's barcode.")
    scan(qtbot, received, "9")
    assert banner(received)[1].startswith("Not a reason: type its number from the list.")
    assert putaway_moves(database) == 0
    scan(qtbot, received, "1")
    assert banner(received) == ("ok", "\u2713 5 \u00d7 GADGET \u2192 B-03-01, reason: Suggested bin is full")
    with UnitOfWork(database, write=False) as uow:
        deviations = [json.loads(entry.details) for entry in uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "putaway_deviation"))]
    assert [(d["suggested"], d["used"], d["reason"]) for d in deviations] == [
        ("A-01-01", "B-03-01", "Suggested bin is full")]
    assert putaway_moves(database) == 1  # the retry with the reason moved the goods once


def test_other_reason_asks_for_words(qtbot, received, database):
    scan(qtbot, received, GADGET)
    scan(qtbot, received, "B-02-01")
    scan(qtbot, received, "4")
    assert received.prompt.text() == "Say why in a few words, then Enter"
    scan(qtbot, received, "pallet too high")
    assert banner(received) == ("ok", "\u2713 5 \u00d7 GADGET \u2192 B-02-01, reason: Other: pallet too high")


def test_a_cancelled_reason_moves_nothing_and_keeps_the_task(qtbot, received, database, warehouse):
    scan(qtbot, received, GADGET)
    scan(qtbot, received, "B-03-01")
    scan(qtbot, received, "SF:CANCEL")
    assert banner(received) == (
        "attention", "Not put away: A-01-01 was suggested: say why B-03-01 is used instead.")
    assert stock(database, warehouse, "GADGET", "DOCK-1") == 5
    assert received.prompt.text() == "Scan the destination A-01-01"
    scan(qtbot, received, "A-01-01")
    assert banner(received)[0] == "ok" and stock(database, warehouse, "GADGET", "A-01-01") == 5


def test_a_supervisor_approves_another_bin_when_the_warehouse_says_so(qtbot, received, database, warehouse):
    with UnitOfWork(database) as uow:
        putaway_setup.set_deviation_policy(uow, "supervisor", actor=warehouse.admin)
    scan(qtbot, received, GADGET)
    scan(qtbot, received, "B-02-01")
    assert received.prompt.text() == (
        "A-01-01 was suggested. A supervisor must approve using B-02-01 instead. Supervisor: scan your badge")
    scan(qtbot, received, "B-SUP")
    scan(qtbot, received, "4321")
    assert banner(received) == ("ok", "\u2713 5 \u00d7 GADGET \u2192 B-02-01, approved by Sam Supervisor")
    assert stock(database, warehouse, "GADGET", "B-02-01") == 5


def test_a_blocked_bin_is_red_with_the_reason(qtbot, received, database, warehouse):
    block(database, "B-01-01")
    scan(qtbot, received, GADGET)
    scan(qtbot, received, "B-01-01")
    assert banner(received) == ("error", "Location B-01-01 is blocked.")
    assert received.prompt.text() == "Scan the destination A-01-01"
    assert stock(database, warehouse, "GADGET", "DOCK-1") == 5
    with UnitOfWork(database, write=False) as uow:  # journaled once, by the service
        outcomes = uow.session.scalars(select(ScanJournal.outcome).where(ScanJournal.raw == "B-01-01")).all()
    assert outcomes == ["error"]


def test_a_full_bin_and_a_dock_are_red_with_the_reason(qtbot, received, database, warehouse):
    with UnitOfWork(database) as uow:
        putaway_setup.set_location_capacity(uow, putaway_setup.CapacityRow("B-02-01", max_units=3),
                                            actor=warehouse.supervisor)
    scan(qtbot, received, GADGET)
    scan(qtbot, received, "B-02-01")
    assert banner(received) == ("error", "B-02-01 holds 0 units, room for 3: 5 more do not fit.")
    scan(qtbot, received, "QUAR-1")
    assert banner(received) == (
        "error", "QUAR-1 is a quarantine location: put away into a storage bin or pick face.")


def test_a_product_where_a_bin_is_expected_is_red(qtbot, received, database):
    scan(qtbot, received, GADGET)
    scan(qtbot, received, WIDGET)
    assert banner(received) == ("error", "WIDGET is a product, scan a location.")
    assert received.prompt.text() == "Scan the destination A-01-01"
    assert putaway_moves(database) == 0


# --- quantity, plates, undo, leaving -------------------------------------------------------------
def test_part_of_an_item_by_key_and_by_command_barcode(qtbot, received, database, warehouse):
    press(qtbot, received, Qt.Key.Key_F2)
    assert banner(received) == ("error", "Scan an item first, then F2 to put away part of it.")
    scan(qtbot, received, WIDGET)
    press(qtbot, received, Qt.Key.Key_F2)
    assert received.prompt.text() == "Type or scan how many to put away, then Enter"
    scan(qtbot, received, "11")
    assert banner(received) == ("error", "Put away 1 to 10: 10 wait on DOCK-1.")
    scan(qtbot, received, "SF:QTY")
    scan(qtbot, received, "4")
    assert banner(received) == ("attention", "4 of 10: scan the destination")
    assert received.panel.headline.text() == "Take 4 of 10 \u00d7 WIDGET to A-01-01"
    scan(qtbot, received, "A-01-01")
    assert banner(received) == ("ok", "\u2713 4 \u00d7 WIDGET \u2192 A-01-01, 6 still wait on DOCK-1")
    scan(qtbot, received, WIDGET)
    scan(qtbot, received, "SF:QTY:2")
    scan(qtbot, received, "A-01-01")
    assert (stock(database, warehouse, "WIDGET", "A-01-01"), stock(database, warehouse, "WIDGET", "DOCK-1")) == (6, 4)
    assert ledger_ok(database)


def test_a_whole_license_plate_goes_with_one_scan(qtbot, screen, database, warehouse):
    with UnitOfWork(database) as uow:
        session = uow.session
        plate = LicensePlate(code="LPN-7", is_sscc=False)
        session.add(plate)
        session.flush()
        for sku, quantity in (("WIDGET", 5), ("GADGET", 3)):
            ledger.post_move(session, actor=system_actor(), product_id=warehouse.products[sku].id,
                             quantity=quantity, source=session.get(Location, warehouse.locations["SUPPLIER"].id),
                             destination=session.get(Location, warehouse.locations["DOCK-1"].id),
                             reason="receipt", idempotency_key=uuid.uuid4().hex, to_license_plate_id=plate.id)
        uow.commit()
    screen.refresh()
    assert [row[4] for row in waiting_rows(screen)] == ["LPN-7", "LPN-7"]
    scan(qtbot, screen, "LPN-7")
    assert banner(screen) == ("ok", "Plate LPN-7: 8 units on DOCK-1")
    assert screen.panel.headline.text() == "Take plate LPN-7 (8 units) to A-01-01"
    assert screen.model.highlighted_rows() == [0, 1]
    press(qtbot, screen, Qt.Key.Key_F2)
    assert banner(screen) == ("error", "License plate LPN-7 moves whole: scan an item on it to move part of it.")
    scan(qtbot, screen, "A-01-01")
    assert banner(screen) == ("ok", "\u2713 Plate LPN-7: 8 units \u2192 A-01-01")
    assert (stock(database, warehouse, "WIDGET", "A-01-01"), stock(database, warehouse, "GADGET", "A-01-01")) == (5, 3)
    assert screen.model.rowCount() == 0 and ledger_ok(database)


def test_undo_by_key_and_by_barcode_brings_the_goods_back(qtbot, received, database, warehouse):
    scan(qtbot, received, WIDGET)
    scan(qtbot, received, "A-01-01")
    scan(qtbot, received, MILK_L7)
    scan(qtbot, received, "A-02-01")
    press(qtbot, received, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert banner(received) == ("attention", "Undone: 20 \u00d7 MILK (L7) from A-02-01 back to DOCK-1")
    scan(qtbot, received, GADGET)  # a task in hand is dropped by undo: the stock changed
    scan(qtbot, received, "SF:UNDO")
    assert banner(received) == ("attention", "Undone: 10 \u00d7 WIDGET from A-01-01 back to DOCK-1")
    assert received.prompt.text() == "Scan an item or a license plate"
    scan(qtbot, received, "SF:UNDO")
    assert banner(received) == ("attention", "Nothing of yours to undo")
    assert received.caption.text() == "Waiting to be put away    lines: 3    units: 35"
    assert stock(database, warehouse, "WIDGET", "DOCK-1") == 10 and ledger_ok(database)


def test_escape_clears_the_quantity_then_drops_the_task_then_goes_home(qtbot, context, received, database):
    scan(qtbot, received, WIDGET)
    scan(qtbot, received, "SF:QTY:3")
    press(qtbot, received, Qt.Key.Key_Escape)
    assert banner(received) == ("attention", "Quantity cleared: all of it goes")
    assert received.panel.headline.text() == "Take 10 \u00d7 WIDGET to A-01-01"
    scan(qtbot, received, "SF:CANCEL")
    assert banner(received) == ("attention", "Nothing moved: it stays on DOCK-1")
    assert received.prompt.text() == "Scan an item or a license plate"
    assert context.navigator.calls == []
    press(qtbot, received, Qt.Key.Key_Escape)
    assert context.navigator.calls == ["home"]
    assert putaway_moves(database) == 0


def test_commands_that_mean_nothing_here_are_refused(qtbot, received):
    scan(qtbot, received, "SF:DAMAGED")
    assert banner(received) == ("error", "SF:DAMAGED does nothing here. Scan an item or a license plate")


def test_the_put_away_list_is_printed_by_barcode_and_by_key(qtbot, context, received, warehouse, tmp_path):
    from app.services import printing
    from app.ui.printing.actions import print_queue

    folder = tmp_path / "printed"
    context.bridge.run(printing.save_profile, printing.Profile(
        "WS-TEST", "documents", "pdf_file", str(folder), "a4"), actor=warehouse.admin)
    queue = print_queue(context.bridge)
    with qtbot.waitSignal(queue.job_done, timeout=30000) as done:
        scan(qtbot, received, "SF:PRINT")
        assert banner(received)[0] == "ok" and banner(received)[1].startswith("Printing Put-away list")
    assert not done.args[0].failed
    with qtbot.waitSignal(queue.job_done, timeout=30000):
        press(qtbot, received, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(list(folder.glob("*.pdf"))) == 2
    assert banner(received)[0] == "ok"


# --- language ----------------------------------------------------------------------------------
def test_every_suggestion_reason_is_listed_for_translators():
    assert TRANSLATABLE_REASONS == REASON_TEMPLATES


@pytest.fixture
def translations(qapp, tmp_path):
    from app.ui.i18n import Translations

    switcher = Translations(qapp, cache=tmp_path / "i18n")
    yield switcher
    switcher.set_language("en")


def test_a_spanish_user_reads_spanish(qtbot, context, received, warehouse, translations):
    context.bridge.log_in(warehouse.supervisor)
    translations.set_language("es")
    QApplication.processEvents()  # LanguageChange is posted, then every widget retranslates
    assert received.title.text() == "Ubicar"
    assert received.prompt.text() == "Escanee un artículo o una matrícula"
    assert received.caption.text() == "Esperan ser ubicados    líneas: 3    unidades: 35"
    assert received.model.header_titles() == ("Ubicación", "SKU", "Nombre", "Lote", "Matrícula", "Cantidad")
    scan(qtbot, received, WIDGET)
    assert banner(received) == ("ok", "10 \u00d7 WIDGET Widget, blue en DOCK-1")
    assert received.panel.headline.text() == "Lleve 10 \u00d7 WIDGET a A-01-01"
    assert received.panel.reason.text() == "A-01-01 es el hueco vacío más cercano."
    assert received.prompt.text() == "Escanee el destino A-01-01"
    scan(qtbot, received, "B-01-01")  # a supervisor may deviate, still with a reason
    scan(qtbot, received, "1")
    assert banner(received) == (
        "ok", "\u2713 10 \u00d7 WIDGET \u2192 B-01-01, motivo: El hueco sugerido está lleno")
    assert reason_text(Reason("same_lot", {"location": "A-01-01", "lot": "L7", "sku": "MILK"})) == (
        "A-01-01 ya contiene el lote L7 de MILK.")
    translations.set_language("en")
    QApplication.processEvents()
    assert received.prompt.text() == "Scan an item or a license plate"


def test_opening_the_screen_reads_what_waits_once(qtbot, context, warehouse, database):
    from tests.services.test_scale_statements import statements

    context.bridge.log_in(warehouse.operator)
    receive(database, warehouse, gtin13(1), 4)
    with statements(database) as seen:
        widget = PutawayScreen(context)
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
    assert len([s for s in seen if "on_hand" in s]) == 1
    assert waiting_rows(widget) == [["DOCK-1", "WIDGET", "Widget, blue", "", "", "4"]]
