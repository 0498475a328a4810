"""The returns screen, driven like a scanner would: typed scans + Enter, F-keys, command
barcodes. What the operator sees (banner, prompt, panel, table) and where stock went."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.db.models import ScanJournal
from app.db.uow import UnitOfWork
from app.services.imports.returns import import_rmas
from app.services.returns import receive as returns
from app.ui.returns.label_output import PrinterUnavailable, RoutingLabelOutput
from app.ui.returns.screen import ReturnsScreen
from app.ui.returns.units_model import COLUMNS
from tests.factories import gtin13
from tests.services.test_returns_support import read, ship_order, stock

GS = "\x1d"
PHONE_GTIN = "0" + gtin13(4)
SHOTS = os.environ.get("STOCKFLOOR_RETURNS_SHOTS")  # a folder: keep screenshots for a human


def send_text(qtbot, widget, text):
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


def table(screen):
    model = screen.units_model
    return [[model.index(row, column).data() for column in range(len(COLUMNS))] for row in range(model.rowCount())]


def shot(qtbot, screen, name):
    """With STOCKFLOOR_RETURNS_SHOTS set, a screenshot as the operator sees it: the
    application's style, the layout settled."""
    from app.ui.style import apply_style

    if not SHOTS:
        return

    app = QApplication.instance()
    style, sheet = app.style().name(), app.styleSheet()
    apply_style(app)
    try:
        qtbot.wait(50)
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        assert screen.grab().save(str(Path(SHOTS) / f"{name}.png"))
    finally:
        app.setStyleSheet(sheet)
        app.setStyle(style)


@pytest.fixture
def labels(monkeypatch):
    """Routing labels land here instead of a printer."""
    printed = []

    def deliver(cls, label, context=None):
        printed.append(label)
        return f"/labels/{label.unit_code}.pdf"

    monkeypatch.setattr(RoutingLabelOutput, "deliver", classmethod(deliver))
    return printed


@pytest.fixture
def screen(qtbot, context, database, warehouse, labels):
    ship_order(database, warehouse, "1001", {"WIDGET": 3, "PHONE": ["SN1"]})
    with UnitOfWork(database) as uow:
        import_rmas(uow, b"channel,rma_number,order_number,sku,quantity,reason\n"
                         b"Shopify,RMA-7,1001,WIDGET,2,too big\nShopify,RMA-7,1001,PHONE,1,broken screen\n",
                    file="rmas.csv", actor=warehouse.supervisor)
    context.bridge.log_in(warehouse.operator)
    widget = ReturnsScreen(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    return widget


def test_scan_rma_item_grade_confirm_routes_the_unit_and_prints_its_label(qtbot, screen, database, warehouse, labels):
    assert screen.prompt.text() == "Scan the RMA, the order number, the customer's parcel or an item"
    assert screen.open_list.item(0).text() == "Shopify RMA-7    order 1001    0 of 3 units"
    shot(qtbot, screen, "returns_start")
    scan(qtbot, screen, "RMA-7")
    assert banner(screen) == ("ok", "Shopify RMA-7, order 1001: scan the first item")
    assert screen.header.text() == "Shopify RMA-7    order 1001    announced    0 of 3 units    0 waiting"
    scan(qtbot, screen, gtin13(1))
    assert banner(screen) == ("ok", "RU0000001: WIDGET Widget, blue received. Check it and grade it.")
    assert screen.prompt.text() == "Check RU0000001 and grade it"
    assert screen.panel.reason_line.text() == "Customer's reason: too big"
    assert table(screen) == [["RU0000001", "WIDGET", "", "", "waiting for inspection", ""]]
    press(qtbot, screen, Qt.Key.Key_F1)  # packaging intact: yes
    press(qtbot, screen, Qt.Key.Key_F4)
    press(qtbot, screen, Qt.Key.Key_F4)  # clean: no
    assert screen.panel.checks.text().splitlines() == [
        "F1  \u2713  Packaging intact", "F2  \u2610  Complete", "F3  \u2610  Working", "F4  \u2717  Clean"]
    assert "(checklist)" in screen.panel.grade_boxes["B"].text()  # a failed "clean" allows B at best
    scan(qtbot, screen, "SF:GRADE-B")
    assert banner(screen) == ("ok", "Grade B (open box) \u2192 Restock \u2192 RET-1. Enter to confirm.")
    assert screen.panel.plan_line.text().splitlines()[0] == "Grade B \u2192 Restock \u2192 RET-1    refund 50%"
    shot(qtbot, screen, "inspection_screen")
    scan(qtbot, screen, "SF:CONFIRM")
    assert banner(screen) == ("ok", "RU0000001 grade B \u2192 Restock \u2192 RET-1")
    assert screen.prompt.text() == "Scan an item of Shopify RMA-7"
    assert table(screen) == [["RU0000001", "WIDGET", "", "B", "\u2713 Restock \u2192 RET-1", ""]]
    assert screen.label_line.text() == "Label RU0000001 printed: /labels/RU0000001.pdf"
    assert [(label.unit_code, label.headline, label.grade) for label in labels] == [("RU0000001", "RESTOCK", "B")]
    assert stock(database, warehouse.products["WIDGET"].id, "RET-1") == (1, 0)  # released for put-away
    [unit] = read(database, returns.get_rma, 1).units
    assert (unit.checklist, unit.status) == ((("packaging_intact", True), ("clean", False)), "disposed")
    shot(qtbot, screen, "inspection_screen_routed")


def test_grades_by_key_and_enter_and_the_serial_asked_for(qtbot, screen, database, warehouse, labels):
    scan(qtbot, screen, "RMA-7")
    scan(qtbot, screen, PHONE_GTIN)  # no serial in a plain GTIN
    assert banner(screen) == ("attention", "PHONE: scan or type its serial / lot number")
    assert screen.prompt.text() == "PHONE: scan or type its serial / lot number"
    scan(qtbot, screen, "SF:DAMAGED")  # a command is never a serial
    assert banner(screen)[0] == "error" and table(screen) == []
    scan(qtbot, screen, gtin13(1))  # nor another product's barcode
    assert banner(screen)[1].startswith("Not recorded: that is WIDGET's barcode.")
    scan(qtbot, screen, "SN9")  # not the phone that was shipped
    assert banner(screen) == ("attention", "RU0000001: PHONE Phone received. Check it and grade it. "
                                           "Check: serial not shipped on this order")
    assert screen.panel.flags_line.text() == "Check: serial not shipped on this order"
    shot(qtbot, screen, "inspection_flagged")
    scan(qtbot, screen, "1")  # grade A by key
    assert banner(screen)[1].startswith("Grade A (like new) \u2192 Quarantine \u2192 QUAR-1")
    press(qtbot, screen, Qt.Key.Key_Return)  # an empty Enter confirms
    assert banner(screen) == ("attention", "RU0000001 grade A \u2192 Quarantine \u2192 QUAR-1")
    assert stock(database, warehouse.products["PHONE"].id, "QUAR-1") == (1, 0)
    assert table(screen)[0][5] == "serial not shipped on this order"


def test_scrapping_a_valuable_unit_asks_a_supervisor(qtbot, screen, labels):
    scan(qtbot, screen, "RMA-7")
    scan(qtbot, screen, f"]C101{PHONE_GTIN}21SN1")
    scan(qtbot, screen, "D")
    assert banner(screen)[0] == "attention"
    assert "Worth 300.00, over 50.00: a supervisor must approve." in screen.panel.plan_line.text()
    scan(qtbot, screen, "SF:CONFIRM")
    assert screen.prompt.text() == ("Scrapping PHONE (value 300.00) is over 50.00. A supervisor must approve. "
                                    "Supervisor: scan your badge")
    scan(qtbot, screen, "B-SUP")
    scan(qtbot, screen, "4321")
    assert banner(screen) == ("attention", "RU0000001 grade D \u2192 Scrap \u2192 LOSS, approved by Sam Supervisor")
    assert labels[0].where == "SCRAP BIN"


def test_a_refused_approval_routes_nothing(qtbot, screen, database, warehouse):
    scan(qtbot, screen, "RMA-7")
    scan(qtbot, screen, gtin13(1))
    scan(qtbot, screen, "SF:QUARANTINE")
    scan(qtbot, screen, "SF:GRADE-A")
    assert banner(screen) == ("attention", "Grade A (like new) \u2192 Quarantine \u2192 QUAR-1: a supervisor must "
                                           "approve. Enter to confirm.")
    scan(qtbot, screen, "SF:CONFIRM")
    scan(qtbot, screen, "SF:CANCEL")
    assert banner(screen) == ("attention", "Not routed: WIDGET: the rules say RESTOCK, not QUARANTINE. "
                                           "A supervisor must approve.")
    assert stock(database, warehouse.products["WIDGET"].id, "RET-1") == (1, 1)  # still held


def test_findings_notes_undo_and_leaving(qtbot, screen, monkeypatch, database, warehouse):
    scan(qtbot, screen, "RMA-7")
    scan(qtbot, screen, gtin13(1))
    scan(qtbot, screen, "SF:FINDING-SCRATCHED")
    press(qtbot, screen, Qt.Key.Key_F7)  # the findings, asked in the scan field (no dialog)
    lines = screen.prompt.text().split("\n")
    assert lines[0] == "Findings of RU0000001: a number ticks or unticks, 12 when done"
    assert lines[1].split("    ")[1:3] == ["2 [x] scratched", "3 [ ] dented"]
    assert lines[-1].endswith("11 Notes    12 Done")
    assert QApplication.activeModalWidget() is None
    shot(qtbot, screen, "returns_findings_question")
    scan(qtbot, screen, gtin13(2))  # an item is not a finding: refused, nothing changes
    assert banner(screen)[0] == "error" and "GADGET" in banner(screen)[1]
    checklist = screen.state.checklist()
    press(qtbot, screen, Qt.Key.Key_F1)  # the checklist keys wait while a question is open
    assert banner(screen)[0] == "error" and screen.state.checklist() == checklist
    scan(qtbot, screen, "3")
    assert screen.prompt.text().split("\n")[1].split("    ")[2] == "3 [x] dented"
    scan(qtbot, screen, "11")
    assert screen.prompt.text() == "Notes on RU0000001 (now: -): type them, then Enter"
    scan(qtbot, screen, "corner")
    scan(qtbot, screen, "12")
    assert banner(screen) == ("ok", "RU0000001: findings scratched, dented; notes: corner")
    assert screen.panel.extra_line.text() == "Findings: scratched, dented    Notes: corner"
    press(qtbot, screen, Qt.Key.Key_F7)
    scan(qtbot, screen, "2")  # untick scratched, then think better of it: Esc puts it back
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert banner(screen) == ("attention", "Findings of RU0000001 unchanged")
    assert screen.panel.extra_line.text() == "Findings: scratched, dented    Notes: corner"
    scan(qtbot, screen, "3")
    scan(qtbot, screen, "SF:CONFIRM")  # C: refurbish -> quarantine (no bench in this warehouse)
    [unit] = read(database, returns.get_rma, 1).units
    assert (unit.findings, unit.notes, unit.destination) == (("scratched", "dented"), "corner", "QUAR-1")
    press(qtbot, screen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert banner(screen) == ("attention", "Undone: RU0000001 WIDGET is back for inspection")
    assert screen.state is not None and screen.state.unit.unit_id == unit.unit_id
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert banner(screen) == ("attention", "RU0000001 waits for inspection")
    press(qtbot, screen, Qt.Key.Key_F8)
    assert banner(screen) == ("error", "RMA-7 has 1 unit(s) waiting for inspection: inspect them before closing.")
    press(qtbot, screen, Qt.Key.Key_Down)  # back to the waiting unit
    assert screen.prompt.text() == "Check RU0000001 and grade it"
    press(qtbot, screen, Qt.Key.Key_Escape)
    press(qtbot, screen, Qt.Key.Key_Escape)
    assert banner(screen) == ("attention", "Left Shopify RMA-7: everything confirmed is saved")
    assert stock(database, warehouse.products["WIDGET"].id, "RET-1") == (1, 1)


def test_a_grade_typed_first_grades_the_first_waiting_unit(qtbot, screen, database, warehouse):
    scan(qtbot, screen, "RMA-7")
    scan(qtbot, screen, "A")  # nothing received yet: not taken for a barcode
    assert banner(screen) == ("error", "Scan an item of Shopify RMA-7 first.")
    scan(qtbot, screen, gtin13(1))
    press(qtbot, screen, Qt.Key.Key_Escape)  # the unit waits; the inspector comes back to it later
    assert screen.state is None
    scan(qtbot, screen, "A")
    assert screen.prompt.text() == "Confirm RU0000001: Enter, or scan SF:CONFIRM"
    assert banner(screen) == ("ok", "Grade A (like new) \u2192 Restock \u2192 RET-1. Enter to confirm.")
    press(qtbot, screen, Qt.Key.Key_Return)
    assert banner(screen) == ("ok", "RU0000001 grade A \u2192 Restock \u2192 RET-1")
    [unit] = read(database, returns.get_rma, 1).units
    assert (unit.grade, unit.status) == ("A", "disposed")


def test_an_unannounced_parcel_and_a_refused_extra_item_are_shown(qtbot, screen, database, warehouse):
    ship_order(database, warehouse, "1002", {"GADGET": 1})
    scan(qtbot, screen, "1002")
    assert banner(screen) == ("attention", "Unannounced return: 1002-R1 opened for order 1002. Scan the first item.")
    scan(qtbot, screen, gtin13(2))
    scan(qtbot, screen, "B")
    press(qtbot, screen, Qt.Key.Key_Return)
    scan(qtbot, screen, gtin13(2))
    assert banner(screen) == ("error", "GADGET: 1 shipped on order Shopify 1002, 1 already returned. "
                                       "This one is more than was shipped.")
    press(qtbot, screen, Qt.Key.Key_F8)
    assert banner(screen) == ("ok", "Shopify 1002-R1 closed: 1 units inspected")
    with UnitOfWork(database, write=False) as uow:
        refused = uow.session.scalars(select(ScanJournal.message).where(ScanJournal.outcome == "error")).all()
    assert refused == ["GADGET: 1 shipped on order Shopify 1002, 1 already returned. This one is more than was shipped."]


def test_a_label_that_cannot_print_is_said_but_the_unit_is_routed(qtbot, screen, monkeypatch):
    def broken(cls, label, context=None):
        raise PrinterUnavailable("ZD420", "connection refused", "refused")

    monkeypatch.setattr(RoutingLabelOutput, "deliver", classmethod(broken))
    scan(qtbot, screen, "RMA-7")
    scan(qtbot, screen, gtin13(1))
    scan(qtbot, screen, "A")
    scan(qtbot, screen, "SF:CONFIRM")
    assert banner(screen) == ("attention", "RU0000001 grade A \u2192 Restock \u2192 RET-1")
    assert screen.label_line.text() == "Label RU0000001 NOT printed: connection refused"


def test_the_screen_reads_in_spanish(qtbot, screen, translations):
    translations.set_language("es")
    scan(qtbot, screen, "RMA-7")
    assert screen.title.text() == "Devoluciones"
    assert screen.prompt.text() == "Escanee un artículo de Shopify RMA-7"


def test_returns_tiles_are_registered_for_their_roles():
    from app.ui.registry import ScreenRegistry, discover

    registry = discover(ScreenRegistry())
    operator = [entry.name for entry in registry.entries_for("operator")]
    supervisor = [entry.name for entry in registry.entries_for("supervisor")]
    assert "returns" in operator and "returns_report" not in operator
    assert "returns_report" in supervisor
    assert registry.get("returns_report").display_title() == "Return report"


def test_the_return_report_shows_rates_and_saves_a_pdf(qtbot, context, database, warehouse, tmp_path, monkeypatch):
    from app.ui.returns.report_screen import ReturnReportScreen
    from tests.services.test_returns_support import inspect, open_rma, receive

    ship_order(database, warehouse, "1001", {"WIDGET": 4})
    rma_id = open_rma(database, warehouse.operator, "1001").rma.rma_id
    inspect(database, warehouse.operator, receive(database, warehouse.operator, rma_id, gtin13(1)).unit.unit_id, "C")
    context.bridge.log_in(warehouse.supervisor)
    report = ReturnReportScreen(context)
    qtbot.addWidget(report)
    report.resize(1100, 600)
    report.show()
    cells = [[report.model.index(r, c).data() for c in range(report.model.columnCount())]
             for r in range(report.model.rowCount())]
    assert cells == [["Shopify", "4", "1", "25 %", "0", "0", "1", "0", "0"]]
    assert report.summary.text() == "1 units returned; graded A 0, B 0, C 1, D 0"
    report.group.setCurrentIndex(1)  # by product
    assert report.model.headerData(0, Qt.Orientation.Horizontal) == "Product"
    assert report.model.index(0, 0).data() == "WIDGET"
    target = tmp_path / "returns.pdf"
    monkeypatch.setattr(ReturnReportScreen, "ask_path", classmethod(lambda cls, parent: str(target)))
    qtbot.mouseClick(report.save, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF") and report.summary.text() == f"Saved {target}"
    shot(qtbot, report, "return_report")


def test_routing_label_goes_through_the_workstations_label_printer(qtbot, screen, context, warehouse,
                                                                   monkeypatch, tmp_path):
    """The real output: a print job on this workstation's labels profile; the PDF scans."""
    import pypdfium2

    from app.services import printing
    from app.ui.printing.actions import print_queue
    from tests.printing.conftest import decoded_texts

    monkeypatch.undo()  # the real RoutingLabelOutput.deliver, not the fixture's stand-in
    folder = tmp_path / "labels"
    context.bridge.run(printing.save_profile, printing.Profile(
        "WS-TEST", "labels", "pdf_file", str(folder), "4x6"), actor=warehouse.admin)
    queue = print_queue(context.bridge)
    scan(qtbot, screen, "RMA-7")
    scan(qtbot, screen, gtin13(1))
    with qtbot.waitSignal(queue.job_done, timeout=30000) as done:
        scan(qtbot, screen, "A")
        scan(qtbot, screen, "SF:CONFIRM")
    assert not done.args[0].failed and done.args[0].count == 1  # the Print jobs screen shows 1 label
    assert screen.label_line.text().startswith("Label RU0000001 printed")
    [pdf] = folder.glob("*.pdf")
    page = pypdfium2.PdfDocument(str(pdf))[0].render(scale=203 / 72).to_pil()
    assert "RU0000001" in decoded_texts(page)


def test_returns_run_on_the_command_table_with_families_and_hints(qtbot, screen, database, warehouse, labels):
    from app.ui.dialogue.table import sheet_rows

    scan(qtbot, screen, "SF:GRADE-A")  # no RMA yet: the table says so
    assert banner(screen) == ("error", "Open a return first: scan the RMA, the order or the parcel.")
    scan(qtbot, screen, "RMA-7")
    scan(qtbot, screen, gtin13(1))
    assert screen.step == "unit"
    assert screen.keys.text().splitlines() == [
        "F1-F6: checklist    1-4 / A-D + Enter: grade    Up/Down: waiting units",
        "Enter / SF:CONFIRM: confirm    F7 / SF:FINDING: findings, notes    Ctrl+Z / SF:UNDO: undo",
        "F8 / SF:CLOSE: close RMA    F9 / SF:PRINT: print the last label again    "
        "Esc / SF:CANCEL: drop the unit, then leave the RMA"]
    scan(qtbot, screen, "SF:CHECK-1")  # the family SF:CHECK-<n> is CHECK with its argument
    scan(qtbot, screen, "SF:FINDING-DENTED")
    scan(qtbot, screen, "SF:GRADE-B")
    assert (screen.state.grade, screen.state.findings) == ("B", ("dented",))
    assert screen.state.checklist()[0][1] is True
    scan(qtbot, screen, "SF:GRADE-Z")  # not a grade
    assert banner(screen)[0] == "error" and screen.state.grade == "B"
    scan(qtbot, screen, "SF:NOPE")  # unknown: refused and journaled
    assert banner(screen) == ("error", "SF:NOPE does nothing here.")
    scan(qtbot, screen, "SF:RTV")
    assert banner(screen)[1].startswith("Return to vendor instead of the rules' choice")
    shot(qtbot, screen, "returns_on_the_command_table")
    with UnitOfWork(database, write=False) as uow:
        journal = uow.session.execute(select(ScanJournal.raw, ScanJournal.outcome, ScanJournal.context)
                                      .where(ScanJournal.raw.like("SF:%")).order_by(ScanJournal.id)).all()
    assert [tuple(row) for row in journal][-3:] == [
        ("SF:GRADE-Z", "command", "returns:unit"), ("SF:NOPE", "error", "returns:unit"),
        ("SF:RTV", "command", "returns:unit")]
    barcodes = [barcode for barcode, _caption in sheet_rows(screen.dialogue.commands)]
    assert barcodes == ["SF:CONFIRM", "SF:UNDO", "SF:CLOSE", "SF:PRINT", "SF:RESTOCK", "SF:QUARANTINE",
                        "SF:REFURBISH", "SF:RTV", "SF:SCRAP", "SF:CANCEL"]
