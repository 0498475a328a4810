"""The receiving screen, driven like a scanner would: typed scans + Enter, keys, command barcodes."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.db.models import Lot, Move, OnHand, ScanJournal
from app.db.uow import UnitOfWork
from app.services import ledger
from app.ui.receiving.lines_model import COLUMNS, COMPLETE_BACKGROUND, TOUCHED_BACKGROUND
from app.ui.receiving.screen import ReceivingScreen
from tests.factories import gtin13

MILK_GTIN = "09501101530003"
GS = "\x1d"


class FakeNavigator:
    def __init__(self):
        self.calls = []

    def go_home(self):
        self.calls.append("home")

    def open_screen(self, name):
        self.calls.append(name)

    def log_out(self):
        self.calls.append("logout")


def send_text(qtbot, widget, text):
    """Type like a scanner: GS goes as a QKeyEvent (qtbot.keyClicks would abort on it)."""
    for index, part in enumerate(text.split(GS)):
        if index:
            QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, GS))
        if part:
            qtbot.keyClicks(widget, part)


def scan(qtbot, screen, text):
    send_text(qtbot, screen.scan_field, text)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)


def press(qtbot, screen, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(screen.scan_field, key, modifier)


def banner(screen):
    return screen.banner.state, screen.banner.text()


def cell(screen, sku, column):
    model = screen.lines_model
    row = [line.sku for line in model.lines].index(sku)
    return model.index(row, COLUMNS.index(column)).data()


def row_background(screen, sku):
    model = screen.lines_model
    row = [line.sku for line in model.lines].index(sku)
    brush = model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
    return brush.color() if brush is not None else None


def on_hand(database, warehouse, sku, location):
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(select(OnHand.quantity).where(
            OnHand.product_id == warehouse.products[sku].id,
            OnHand.location_id == warehouse.locations[location].id,
        )) or 0


@pytest.fixture
def screen(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    widget = ReceivingScreen(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    return widget


@pytest.fixture
def opened(qtbot, screen):
    scan(qtbot, screen, "PO-1001")
    return screen


def approve(qtbot, screen, badge="B-SUP", pin="4321"):
    """The supervisor answers in the scan field: badge, then PIN."""
    scan(qtbot, screen, badge)
    assert screen.scan_field.echoMode() == screen.scan_field.EchoMode.Password
    scan(qtbot, screen, pin)


def journal(database):
    with UnitOfWork(database, write=False) as uow:
        return [(j.context, j.raw, j.outcome) for j in uow.session.scalars(
            select(ScanJournal).order_by(ScanJournal.id))]


# --- step 1: open a receipt -------------------------------------------------------------------
def test_scanning_a_purchase_order_opens_it(qtbot, screen):
    assert screen.prompt.text() == "Scan a purchase order or ASN"
    assert screen.scan_field.hasFocus()
    scan(qtbot, screen, "PO-1001")
    assert banner(screen) == ("ok", "PO-1001 from ACME: scan the first product")
    assert screen.prompt.text() == "Scan a product of PO-1001"
    assert screen.header.text().split() == ["PO-1001", "ACME", "purchase", "order", "0", "of", "35", "units"]
    assert [[cell(screen, sku, c) for c in COLUMNS] for sku in ("WIDGET", "GADGET", "MILK")] == [
        ["WIDGET", "Widget, blue", "10", "0", "0", "10"],
        ["GADGET", "Gadget", "5", "0", "0", "5"],
        ["MILK", "Milk 1 l", "20", "0", "0", "20"],
    ]
    assert screen.lines_model.headerData(5, Qt.Orientation.Horizontal) == "Remaining"
    assert "F8 / SF:CLOSE: close receipt" in screen.keys.text()


def test_wrong_kind_of_scan_is_red_with_the_services_words_and_journaled(qtbot, screen, database):
    scan(qtbot, screen, "A-01-01")
    assert banner(screen) == ("error", "A-01-01 is a location, scan a purchase order.")
    assert screen.prompt.text() == "Scan a purchase order or ASN"
    scan(qtbot, screen, "PO-1001")
    scan(qtbot, screen, "A-01-01")
    assert banner(screen) == ("error", "A-01-01 is a location, scan a product.")
    with UnitOfWork(database, write=False) as uow:
        journal = uow.session.execute(
            select(ScanJournal.context, ScanJournal.raw, ScanJournal.outcome)
            .where(ScanJournal.outcome == "error")).all()
    assert journal == [("receiving", "A-01-01", "error")] * 2


def test_open_receipts_are_chosen_with_arrow_keys_and_enter(qtbot, screen):
    listed = [receipt.number for receipt in screen.open_list.receipts]
    assert sorted(listed) == ["PO-1001", "PO-1002"]
    assert screen.open_caption.text() == "Or choose an open receipt: arrow keys, then Enter"
    press(qtbot, screen, Qt.Key.Key_Down)
    press(qtbot, screen, Qt.Key.Key_Down)  # stops at the last one
    assert screen.open_list.selected_number() == listed[1]
    press(qtbot, screen, Qt.Key.Key_Up)
    assert screen.open_list.selected_number() == listed[0]
    press(qtbot, screen, Qt.Key.Key_Down)
    press(qtbot, screen, Qt.Key.Key_Return)
    assert screen.prompt.text() == f"Scan a product of {listed[1]}"
    assert screen.scan_field.hasFocus()


# --- step 2: receive ------------------------------------------------------------------------
def test_item_scans_update_the_table_and_the_banner(qtbot, opened, database, warehouse):
    for _ in range(3):
        scan(qtbot, opened, gtin13(1))
    assert banner(opened) == ("ok", "+1 WIDGET Widget, blue \u2192 DOCK-1 (3 of 10)")
    assert (cell(opened, "WIDGET", "received"), cell(opened, "WIDGET", "remaining")) == ("3", "7")
    assert row_background(opened, "WIDGET") == TOUCHED_BACKGROUND
    assert row_background(opened, "GADGET") is None
    assert "3 of 35 units" in opened.header.text()
    assert on_hand(database, warehouse, "WIDGET", "DOCK-1") == 3


def test_case_barcode_counts_twelve_and_marks_the_line_over(qtbot, context, screen, warehouse):
    context.bridge.log_in(warehouse.supervisor)  # a supervisor may receive over the order
    scan(qtbot, screen, "PO-1001")
    scan(qtbot, screen, gtin13(101))
    assert banner(screen) == ("ok", "+12 WIDGET Widget, blue \u2192 DOCK-1 (12 of 10)")
    assert cell(screen, "WIDGET", "remaining") == "\u2713 +2"


def test_quantity_by_key_and_by_command_barcode_applies_to_the_next_item_only(qtbot, opened):
    press(qtbot, opened, Qt.Key.Key_F2)
    assert opened.prompt.text() == "Type or scan the quantity for the next item, then Enter"
    scan(qtbot, opened, "4")
    assert opened.mode.isVisible() and opened.mode.text() == "Next item: quantity 4"
    assert banner(opened) == ("attention", "Next item counts 4 times: scan it")
    scan(qtbot, opened, gtin13(2))
    assert banner(opened) == ("ok", "+4 GADGET Gadget \u2192 DOCK-1 (4 of 5)")
    assert not opened.mode.isVisible()
    scan(qtbot, opened, "SF:QTY:3")
    scan(qtbot, opened, gtin13(1))
    scan(qtbot, opened, gtin13(1))
    assert banner(opened) == ("ok", "+1 WIDGET Widget, blue \u2192 DOCK-1 (4 of 10)")
    scan(qtbot, opened, "SF:QTY:0")
    assert banner(opened) == ("error", "A quantity is a number from 1 to 9999.")


def test_an_item_scanned_at_the_quantity_question_is_refused_and_records_nothing(qtbot, opened, database):
    scan(qtbot, opened, "SF:QTY")
    scan(qtbot, opened, gtin13(1))
    assert banner(opened) == ("error", "A quantity is a number from 1 to 9999: type or scan it, then Enter.")
    assert opened.prompt.text() == "Type or scan the quantity for the next item, then Enter"
    assert cell(opened, "WIDGET", "received") == "0"
    scan(qtbot, opened, "SF:CANCEL")  # drops the question only: the receipt stays open
    assert banner(opened) == ("attention", "Cancelled: nothing recorded")
    assert opened.prompt.text() == "Scan a product of PO-1001"
    press(qtbot, opened, Qt.Key.Key_F2)
    press(qtbot, opened, Qt.Key.Key_Escape)  # F2 then Esc: the same
    assert opened.prompt.text() == "Scan a product of PO-1001"
    assert journal(database)[-3:] == [
        ("receiving:receive", "SF:QTY", "command"),
        ("receiving:receive", gtin13(1), "refused"),
        ("receiving:receive", "SF:CANCEL", "command"),
    ]


def test_gs1_barcode_brings_lot_and_expiry(qtbot, opened, database):
    scan(qtbot, opened, "SF:QTY:4")
    scan(qtbot, opened, "]C10109501101530003" + "10LOT7" + GS + "17271231")
    assert banner(opened) == (
        "ok", "+4 MILK Milk 1 l \u2192 DOCK-1 (4 of 20), lot LOT7, expiry 2027-12-31")
    with UnitOfWork(database, write=False) as uow:
        lot = uow.session.scalar(select(Lot).where(Lot.code == "LOT7"))
        assert lot.expiry == dt.date(2027, 12, 31)


def test_missing_lot_and_expiry_are_asked_in_the_scan_field_and_the_same_scan_is_retried(
        qtbot, opened, database):
    scan(qtbot, opened, MILK_GTIN)
    assert banner(opened) == ("attention", "Scan or type the lot of MILK")
    assert opened.prompt.text() == "Scan or type the lot of MILK"
    scan(qtbot, opened, "L9")
    assert banner(opened) == ("attention", "Scan or type the expiry of MILK (YYYY-MM-DD)")
    scan(qtbot, opened, "2027-02-30")
    assert banner(opened) == ("error", "An expiry is a date: type it as YYYY-MM-DD or scan the GS1 label.")
    scan(qtbot, opened, "2027-01-01")
    assert banner(opened) == ("ok", "+1 MILK Milk 1 l \u2192 DOCK-1 (1 of 20), lot L9, expiry 2027-01-01")
    with UnitOfWork(database, write=False) as uow:
        assert len(uow.session.scalars(select(Move)).all()) == 1


def test_wrong_scans_at_the_lot_question_are_refused_and_a_gs1_label_answers(qtbot, opened, database):
    scan(qtbot, opened, MILK_GTIN)
    scan(qtbot, opened, gtin13(1))  # another product's barcode is not a lot
    assert banner(opened) == ("error", "Not recorded: that is WIDGET's barcode. Scan or type the lot of MILK")
    scan(qtbot, opened, "A-01-01")
    assert banner(opened) == ("error", "Not recorded: that is A-01-01, not a lot. Scan or type the lot of MILK")
    scan(qtbot, opened, "PO-1001")
    assert banner(opened)[0] == "error"
    scan(qtbot, opened, "SF:DAMAGED")  # a command is never an answer
    assert banner(opened) == (
        "error", "SF:DAMAGED is a command, not an answer. Scan or type the lot of MILK (SF:CANCEL: cancel)")
    assert cell(opened, "MILK", "received") == "0" and cell(opened, "WIDGET", "received") == "0"
    scan(qtbot, opened, "]C10109501101530003" + "17271231" + "10LOT8")  # its own label: lot + expiry
    assert banner(opened) == ("ok", "+1 MILK Milk 1 l \u2192 DOCK-1 (1 of 20), lot LOT8, expiry 2027-12-31")
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.execute(select(Move.quantity, Lot.code).join(Lot, Move.lot_id == Lot.id)).all() == [
            (1, "LOT8")]
    assert [(row[1], row[2]) for row in journal(database)][-6:] == [
        (gtin13(1), "refused"), ("A-01-01", "refused"), ("PO-1001", "refused"), ("SF:DAMAGED", "refused"),
        ("]C10109501101530003" + "17271231" + "10LOT8", "answer"), (MILK_GTIN, "ok")]


def test_cancelled_lot_question_receives_nothing(qtbot, opened):
    scan(qtbot, opened, MILK_GTIN)
    scan(qtbot, opened, "SF:CANCEL")
    assert banner(opened) == (
        "attention", "Not received: MILK is tracked by lot: scan the lot (GS1 barcode) or enter it.")
    assert cell(opened, "MILK", "received") == "0"
    assert opened.receipt is not None  # F2/lot then SF:CANCEL drops the question, not the receipt


def test_over_receipt_asks_a_supervisor_on_the_spot(qtbot, opened):
    scan(qtbot, opened, "SF:QTY:5")
    scan(qtbot, opened, gtin13(2))
    scan(qtbot, opened, gtin13(2))
    assert banner(opened) == ("attention", "GADGET: 6 would be received, 5 expected (tolerance 10%). "
                                           "A supervisor must approve. Supervisor: scan your badge")
    scan(qtbot, opened, gtin13(2))  # an item scan never lands in the badge
    assert banner(opened)[0] == "error" and cell(opened, "GADGET", "received") == "5"
    approve(qtbot, opened, pin="0000")
    assert banner(opened) == ("error", "Badge or PIN not recognised.")
    approve(qtbot, opened)
    assert banner(opened) == (
        "ok", "+1 GADGET Gadget \u2192 DOCK-1 (6 of 5), approved by Sam Supervisor")
    assert cell(opened, "GADGET", "remaining") == "\u2713 +1"


def test_declined_approval_is_amber_and_receives_nothing(qtbot, opened, database, warehouse):
    scan(qtbot, opened, "SF:QTY:6")
    scan(qtbot, opened, gtin13(2))
    scan(qtbot, opened, "SF:CANCEL")
    assert banner(opened) == ("attention", "Not received: GADGET: 6 would be received, 5 expected "
                                           "(tolerance 10%). A supervisor must approve.")
    assert cell(opened, "GADGET", "received") == "0"
    assert opened.mode.text() == "Next item: quantity 6"  # the mark stays for a new try
    assert on_hand(database, warehouse, "GADGET", "DOCK-1") == 0


def test_unexpected_serial_product_asks_approval_once_then_the_serial(qtbot, opened, database):
    scan(qtbot, opened, gtin13(4))
    assert banner(opened)[1].startswith("PHONE is not on PO-1001. A supervisor must approve receiving it.")
    approve(qtbot, opened)
    assert banner(opened) == ("attention", "Scan or type the lot of PHONE")
    scan(qtbot, opened, "SN-77")
    assert banner(opened) == (
        "ok", "+1 PHONE Phone \u2192 DOCK-1 (not on PO-1001), lot SN-77, approved by Sam Supervisor")
    assert cell(opened, "PHONE", "expected") == "0"
    assert "4321" not in [row[1] for row in journal(database)]  # a PIN is never journaled


def test_damaged_mark_sends_the_next_item_to_quarantine(qtbot, opened, database, warehouse):
    press(qtbot, opened, Qt.Key.Key_F4)
    assert opened.mode.text() == "Next item: DAMAGED, to quarantine"
    scan(qtbot, opened, gtin13(1))
    assert banner(opened) == ("attention", "DAMAGED +1 WIDGET Widget, blue \u2192 QUAR-1 (1 of 10)")
    assert (cell(opened, "WIDGET", "received"), cell(opened, "WIDGET", "damaged")) == ("0", "1")
    scan(qtbot, opened, gtin13(1))
    assert banner(opened)[0] == "ok"  # only the next item was damaged
    scan(qtbot, opened, "SF:DAMAGED")
    scan(qtbot, opened, "SF:DAMAGED")  # scanned twice: the mark is off again
    assert banner(opened) == ("attention", "Damaged mark removed")
    assert on_hand(database, warehouse, "WIDGET", "QUAR-1") == 1
    assert on_hand(database, warehouse, "WIDGET", "DOCK-1") == 1


def test_undo_by_key_and_by_barcode_reverses_my_last_scans(qtbot, opened, database, warehouse):
    scan(qtbot, opened, gtin13(1))
    scan(qtbot, opened, gtin13(2))
    press(qtbot, opened, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert banner(opened) == ("attention", "Undone: -1 GADGET Gadget from DOCK-1 (0 of 5)")
    scan(qtbot, opened, "SF:UNDO")
    assert banner(opened) == ("attention", "Undone: -1 WIDGET Widget, blue from DOCK-1 (0 of 10)")
    scan(qtbot, opened, "SF:UNDO")
    assert banner(opened) == ("attention", "Nothing of yours to undo on PO-1001")
    assert cell(opened, "WIDGET", "received") == "0"
    with UnitOfWork(database, write=False) as uow:
        assert ledger.check_ledger(uow.session) == []
    assert on_hand(database, warehouse, "WIDGET", "DOCK-1") == 0


def test_closing_a_partial_receipt_leaves_the_rest_open(qtbot, opened):
    scan(qtbot, opened, gtin13(1))
    scan(qtbot, opened, "SF:CLOSE")
    assert banner(opened) == ("attention", "PO-1001 stays open: 34 of 35 units still expected")
    assert opened.prompt.text() == "Scan a purchase order or ASN"
    assert "PO-1001" in [receipt.number for receipt in opened.open_list.receipts]


def test_closing_a_complete_receipt_by_key(qtbot, opened):
    for quantity, code in ((10, gtin13(1)), (5, gtin13(2)), (20, "]C10109501101530003" + "10L1" + GS + "17270101")):
        scan(qtbot, opened, f"SF:QTY:{quantity}")
        scan(qtbot, opened, code)
    assert all(row_background(opened, sku) == COMPLETE_BACKGROUND for sku in ("WIDGET", "GADGET"))
    assert cell(opened, "GADGET", "remaining") == "\u2713"
    press(qtbot, opened, Qt.Key.Key_F8)
    assert banner(opened) == ("ok", "PO-1001 received")
    assert [receipt.number for receipt in opened.open_list.receipts] == ["PO-1002"]


def test_escape_clears_marks_then_leaves_the_receipt_then_goes_home(qtbot, context, opened):
    press(qtbot, opened, Qt.Key.Key_F4)
    press(qtbot, opened, Qt.Key.Key_Escape)
    assert banner(opened) == ("attention", "Quantity and damaged marks cleared")
    assert not opened.mode.isVisible()
    scan(qtbot, opened, "SF:CANCEL")
    assert banner(opened) == ("attention", "Left PO-1001: everything scanned is saved")
    assert opened.prompt.text() == "Scan a purchase order or ASN"
    assert context.navigator.calls == []
    press(qtbot, opened, Qt.Key.Key_Escape)
    assert context.navigator.calls == ["home"]


def test_commands_that_mean_nothing_here_are_refused(qtbot, screen):
    scan(qtbot, screen, "SF:UNDO")
    assert banner(screen) == ("error", "Open a receipt first: scan a purchase order or ASN.")
    scan(qtbot, screen, "PO-1001")
    scan(qtbot, screen, "SF:EMPTY")
    assert banner(screen) == ("error", "SF:EMPTY does nothing here. Scan a product of PO-1001.")
    scan(qtbot, screen, "SF:PRINT")  # before any item: nothing of mine to label yet
    assert banner(screen) == ("error", "Nothing to print: nothing was received on PO-1001.")


# --- language -----------------------------------------------------------------------------
@pytest.fixture
def translations(qapp, tmp_path):
    from app.ui.i18n import Translations

    switcher = Translations(qapp, cache=tmp_path / "i18n")
    yield switcher
    switcher.set_language("en")


def test_a_spanish_supervisor_reads_spanish(qtbot, context, screen, warehouse, translations):
    from app.services import users

    context.bridge.log_in(warehouse.supervisor)
    # What the shell does at log-in: the user's own language.
    translations.set_language(context.bridge.query(users.user_language, warehouse.supervisor.user_id))
    QApplication.processEvents()  # LanguageChange is posted, then every widget retranslates
    assert screen.prompt.text() == "Escanee un pedido de compra o un aviso de envío"
    scan(qtbot, screen, "PO-1001")
    assert banner(screen) == ("ok", "PO-1001 de ACME: escanee el primer producto")
    assert screen.lines_model.header_titles() == (
        "SKU", "Nombre", "Esperado", "Recibido", "Dañado", "Pendiente")
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("ok", "+1 WIDGET Widget, blue \u2192 DOCK-1 (1 de 10)")
    press(qtbot, screen, Qt.Key.Key_F4)
    assert screen.mode.text() == "Siguiente artículo: DAÑADO, a cuarentena"
    scan(qtbot, screen, "A-01-01")
    assert banner(screen)[0] == "error" and banner(screen)[1].startswith("A-01-01 es una ubicaci")
    scan(qtbot, screen, "SF:CLOSE")
    assert banner(screen) == ("attention", "PO-1001 sigue abierto: faltan 34 de 35 unidades")
    translations.set_language("en")
    QApplication.processEvents()
    assert screen.prompt.text() == "Scan a purchase order or ASN"


def test_print_command_and_f7_print_gs1_labels_for_my_last_scan(qtbot, opened, context, warehouse, tmp_path):
    import pypdfium2

    from app.services import printing
    from app.ui.printing.actions import print_queue
    from tests.printing.conftest import decoded_texts

    folder = tmp_path / "printed"
    context.bridge.run(printing.save_profile, printing.Profile(
        "WS-TEST", "labels", "pdf_file", str(folder), "4x6"), actor=warehouse.admin)
    scan(qtbot, opened, "]C10109501101530003" + "10LOT7" + GS + "17271231")
    queue = print_queue(context.bridge)
    with qtbot.waitSignal(queue.job_done, timeout=30000) as done:
        scan(qtbot, opened, "SF:PRINT")
    assert not done.args[0].failed and banner(opened)[0] == "ok"
    [pdf] = folder.glob("*.pdf")
    page = pypdfium2.PdfDocument(str(pdf))[0].render(scale=203 / 72).to_pil()
    texts = decoded_texts(page)
    assert texts == ["(01)09501101530003(17)271231(10)LOT7(30)1"]  # GTIN, expiry, lot, count
    with qtbot.waitSignal(queue.job_done, timeout=30000):
        press(qtbot, opened, Qt.Key.Key_F7)
    assert len(list(folder.glob("*.pdf"))) == 2


# --- opening the screen: the list is read once, in one statement, however long it is ---------------
def test_opening_the_screen_reads_the_open_receipts_once(qtbot, context, warehouse, database):
    from tests.services.test_scale_statements import add_purchase_orders, statements

    def open_screen() -> tuple[list[str], ReceivingScreen]:
        with statements(database) as seen:
            widget = ReceivingScreen(context)
            qtbot.addWidget(widget)
            widget.show()
            qtbot.waitExposed(widget)
        return [s for s in seen if "purchase_orders" in s], widget

    context.bridge.log_in(warehouse.operator)
    few, widget = open_screen()
    shown = widget.open_list.count()
    add_purchase_orders(database, warehouse, 5000, 40)
    many, widget = open_screen()
    assert len(few) == len(many) == 1
    assert widget.open_list.count() == shown + 40
    texts = [widget.open_list.model().index(row, 0).data() for row in range(widget.open_list.count())]
    assert "PO-5039    ACME    purchase order    0 of 10 units" in texts
# --- expired lots and short shelf life --------------------------------------------------------
def audit_actions(database, prefix):
    from app.db.models import AuditEntry

    with UnitOfWork(database, write=False) as uow:
        return [(row.action, row.user_id) for row in uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like(prefix + "%")).order_by(AuditEntry.id))]


def test_an_expired_lot_asks_a_supervisor_who_accepts_it_to_the_dock(qtbot, opened, database, warehouse):
    scan(qtbot, opened, "SF:QTY:2")
    scan(qtbot, opened, "]C10109501101530003" + "10OLD1" + GS + "17260610")
    assert banner(opened) == ("attention", "MILK lot OLD1 expired on 2026-06-10. (SF:CANCEL: to quarantine) "
                                           "Supervisor: scan your badge")
    scan(qtbot, opened, gtin13(1))  # an item scan is not a badge
    assert banner(opened)[0] == "error" and on_hand(database, warehouse, "WIDGET", "DOCK-1") == 0
    approve(qtbot, opened)
    assert banner(opened) == ("attention", "+2 MILK Milk 1 l \u2192 DOCK-1 (2 of 20), lot OLD1, "
                                           "expiry 2026-06-10, approved by Sam Supervisor, short shelf life accepted")
    assert (on_hand(database, warehouse, "MILK", "DOCK-1"), on_hand(database, warehouse, "MILK", "QUAR-1")) == (2, 0)
    assert audit_actions(database, "short_shelf_life") == [("short_shelf_life_accept", warehouse.supervisor.user_id)]
    assert [row for row in journal(database) if row[0].startswith("receiving")][-4:] == [
        ("receiving:receive", gtin13(1), "refused"),
        ("receiving:receive", "B-SUP", "answer"),
        ("receiving:receive", "****", "answer"),
        ("receiving", "]C10109501101530003" + "10OLD1" + GS + "17260610", "ok"),
    ]


def test_short_shelf_life_without_a_supervisor_goes_to_quarantine(qtbot, opened, database, warehouse):
    from sqlalchemy import update

    from app.db.models import Product

    with UnitOfWork(database) as uow:
        uow.session.execute(update(Product).where(Product.sku == "MILK").values(min_shelf_life_days=30))
        uow.commit()
    scan(qtbot, opened, MILK_GTIN)
    scan(qtbot, opened, "L5")
    scan(qtbot, opened, "2026-07-01")
    assert banner(opened)[1].startswith("MILK lot L5 expires 2026-07-01: 14 days left, at least 30 required.")
    assert opened.prompt.text().endswith("Supervisor: scan your badge")
    press(qtbot, opened, Qt.Key.Key_Escape)
    assert banner(opened) == ("attention", "+1 MILK Milk 1 l \u2192 QUAR-1 (1 of 20), lot L5, expiry 2026-07-01, "
                                           "short shelf life: held in quarantine")
    assert (on_hand(database, warehouse, "MILK", "DOCK-1"), on_hand(database, warehouse, "MILK", "QUAR-1")) == (0, 1)
    assert audit_actions(database, "short_shelf_life") == [("short_shelf_life_quarantine", warehouse.operator.user_id)]
    with UnitOfWork(database, write=False) as uow:
        last = uow.session.scalars(select(ScanJournal).order_by(ScanJournal.id.desc())).first()
        assert (last.raw, last.outcome, last.message) == (
            MILK_GTIN, "ok", "1 x MILK -> QUAR-1 (lot L5 expires 2026-07-01: quarantine)")
    press(qtbot, opened, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert on_hand(database, warehouse, "MILK", "QUAR-1") == 0
