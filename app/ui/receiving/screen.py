"""Receiving by scanner: open a purchase order or ASN, scan what arrives, close it.

Step 1, no receipt open: scan the PO / ASN barcode (or pick one from the list with the arrow
keys and Enter). Step 2: every item scan is one receive_scan with its own idempotency key;
the banner says what landed where, the table shows the lines live. Quantity, damaged, undo,
close and leave work by key and by command barcode, so a scanner alone is enough:

    SF:QTY:<n>   next item counts n times      SF:QTY  (or F2)  type/scan the quantity next
    SF:DAMAGED   (F4) next item is damaged     SF:UNDO (Ctrl+Z) undo my last scan
    SF:CLOSE     (F8) finish the receipt       SF:CANCEL (Esc)  clear the marks, then leave
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QWidget

from app.core.errors import ExpiryRequired, LotRequired, ShelfLifeWarning
from app.core.scan import ScannedCode
from app.services.outbox.copies_inbound import receipt_copy
from app.services.receiving import receipts as receiving
from app.services.receiving.receipts import ReceiptView, ReceiveResult
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.dialogue import Answer, Command, Question, Scan, Step
from app.ui.fitted import CurrentPageStack
from app.ui.floor_widgets import LIST_KEYS, floor_page, floor_table, marks_strip
from app.ui.offline import keep_offline_copy
from app.ui.receiving.attempt import ReceiveAttempt
from app.ui.receiving.lines_model import ReceiptLinesModel
from app.ui.receiving.open_list import OpenReceiptsList, kind_name
from app.ui.screen import FloorScreen

RECEIPT_CHANGES = Changes(stock=True, receipts=True)
MAX_TRIES = 5  # one scan runs at most: as scanned, approved, with the lot, the expiry, the shelf life
RECEIVING = ("receive",)


class ReceivingScreen(FloorScreen):
    refresh_flags = Changes(receipts=True)
    journal_context = "receiving"
    steps = {"choose": Step("document", "open_scanned"), "receive": Step("item", "receive")}
    commands = (
        Command("CONFIRM", QT_TRANSLATE_NOOP("Commands", "open the highlighted receipt"), "open_selected",
                ("Enter",), steps=("choose",)),
        Command("QTY", QT_TRANSLATE_NOOP("Commands", "quantity"), "quantity", ("F2",), argument=True,
                steps=RECEIVING),
        Command("DAMAGED", QT_TRANSLATE_NOOP("Commands", "damaged"), "toggle_damaged", ("F4",), steps=RECEIVING),
        Command("UNDO", QT_TRANSLATE_NOOP("Commands", "undo"), "undo", ("Ctrl+Z",), steps=RECEIVING),
        Command("PRINT", QT_TRANSLATE_NOOP("Commands", "labels for my last scan"), "print_labels", ("F7",),
                steps=RECEIVING),
        Command("CLOSE", QT_TRANSLATE_NOOP("Commands", "close receipt"), "close_receipt", ("F8",),
                steps=RECEIVING),
        Command("CANCEL", QT_TRANSLATE_NOOP("Commands", "clear marks, then leave receipt"), "leave", ("Esc",)),
    )

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.receipt: ReceiptView | None = None
        self.pending_quantity: int | None = None
        self.damaged_next = False
        self._running = False  # our own use case is running: its result updates the screen
        self.open_caption = QLabel(objectName="openCaption")
        self.open_list = OpenReceiptsList()
        self.open_list.chosen.connect(self.open_receipt)
        self.header = QLabel(objectName="receiptHeader")
        self.header.setWordWrap(True)  # a long supplier name wraps instead of widening the window
        self.header.setStyleSheet("QLabel#receiptHeader { font-size: 20pt; font-weight: bold; }")
        self.mode = marks_strip("receiptMode")
        self.lines_model = ReceiptLinesModel(self)
        self.table = floor_table(self.lines_model, "receiptLines", stretch_column=1,
                                 font_pt=18, header_pt=15, row_height=48, padding=10)
        self.pages = CurrentPageStack()  # as tall as the page shown
        self.choose_page = floor_page(self.open_caption, self.open_list)
        self.receipt_page = floor_page(self.header, self.mode, self.table)
        self.pages.addWidget(self.choose_page)
        self.pages.addWidget(self.receipt_page)
        self.content.addWidget(self.pages)
        self.retranslate()  # the list loads when the screen is shown (showEvent), once



    @property
    def step(self) -> str:
        return "choose" if self.receipt is None else "receive"

    # --- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Receive"))
        self.lines_model.retranslate()
        self.open_list.retranslate()
        if self.receipt is None:
            self.prompt.setText(self.tr("Scan a purchase order or ASN"))
            self.open_caption.setText(
                self.tr("Or choose an open receipt: arrow keys, then Enter")
                if self.open_list.count() else self.tr("No receipts are open.")
            )
            return
        self.prompt.setText(self.tr("Scan a product of {number}").format(number=self.receipt.number))
        expected = sum(line.expected for line in self.receipt.lines)
        done = sum(line.received + line.damaged for line in self.receipt.lines)
        self.header.setText("    ".join((
            self.receipt.number, self.receipt.supplier, kind_name(self.receipt.kind),
            self.tr("{done} of {expected} units").format(done=done, expected=expected),
        )))
        marks = []
        if self.pending_quantity is not None:
            marks.append(self.tr("quantity {quantity}").format(quantity=self.pending_quantity))
        if self.damaged_next:
            marks.append(self.tr("DAMAGED, to quarantine"))
        self.mode.setText(self.tr("Next item: {marks}").format(marks=", ".join(marks)))
        self.mode.setVisible(bool(marks))

    def command_not_here(self, code: str) -> str:
        if self.receipt is None:
            return self.tr("Open a receipt first: scan a purchase order or ASN.")
        return self.tr("{code} does nothing here. Scan a product of {number}.").format(
            code=code, number=self.receipt.number)

    # --- step 1: open a receipt ---------------------------------------------------------
    def open_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        self.open_receipt(scan.raw)

    def open_receipt(self, raw: str) -> None:
        try:
            actor = self.bridge.require_actor()
            receipt = self._run(self.bridge.run, receiving.open_receipt, raw, actor=actor)
        except OperationFailed as failure:
            self.fail(failure, raw)
            return
        self.dialogue.journal_ok(f"opened {receipt.number}")
        keep_offline_copy(self.bridge, receipt_copy, receipt.order_id)
        self.show_receipt(receipt)
        self.pages.setCurrentWidget(self.receipt_page)
        self.feedback.ok(self.tr("{number} from {supplier}: scan the first product").format(
            number=receipt.number, supplier=receipt.supplier))
        self.retranslate()

    def open_selected(self) -> None:
        number = self.open_list.selected_number()
        if number is None:
            self.feedback.attention(self.tr("No receipts are open. Scan a purchase order or ASN."))
            return
        self.open_receipt(number)

    # --- step 2: receive ----------------------------------------------------------------
    def receive(self, scan: Scan, code: ScannedCode | None) -> None:
        assert self.receipt is not None
        try:
            actor = self.bridge.require_actor()
        except OperationFailed as failure:
            self.fail(failure, scan.raw)
            return
        attempt = ReceiveAttempt(self.receipt.order_id, scan.raw, actor, quantity=self.pending_quantity,
                                 damaged=self.damaged_next, idempotency_key=scan.key)
        self.try_receive(attempt, code)

    def try_receive(self, attempt: ReceiveAttempt, code: ScannedCode | None) -> None:
        """Run the scan; when it needs more (approval, lot, expiry) ask for it in the scan field
        and run the same scan again, with the same idempotency key."""
        attempt.tries += 1
        try:
            result = self._run(self.bridge.run_scan, attempt, changes=RECEIPT_CHANGES,
                               idempotency_key=attempt.idempotency_key, offline=attempt.offline())
        except OperationFailed as failure:
            if attempt.tries >= MAX_TRIES or not self.ask_for_more(failure, attempt, code):
                self.fail(failure, attempt.raw)
            return
        self.received(result, attempt, code)

    def ask_for_more(self, failure: OperationFailed, attempt: ReceiveAttempt,
                     code: ScannedCode | None) -> bool:
        def cancelled() -> None:
            self.refused(failure, attempt.raw)

        def retry(answer: Answer) -> None:
            self.try_receive(attempt, code)

        if isinstance(failure.error, ShelfLifeWarning):
            self.ask_shelf_life(failure, attempt, code)
            return True
        if failure.needs_approval:
            def approved(approver):  # noqa: ANN001, ANN202
                attempt.approval = approver
                self.try_receive(attempt, code)

            self.dialogue.ask_approval(failure.message, approved, cancelled)
            return True
        sku = str(failure.error.params.get("sku", "")) if failure.error is not None else ""
        gtin = code.gtin if code is not None else None
        if isinstance(failure.error, LotRequired):
            def lot_given(answer: Answer) -> None:
                attempt.lot = answer.value
                attempt.expiry = answer.expiry or attempt.expiry
                retry(answer)

            self.dialogue.ask(Question("lot", self.tr("Scan or type the lot of {sku}").format(sku=sku),
                                       lot_given, cancelled, subject=sku, gtin=gtin))
            return True
        if isinstance(failure.error, ExpiryRequired):
            def expiry_given(answer: Answer) -> None:
                attempt.expiry = answer.value
                retry(answer)

            self.dialogue.ask(Question("expiry", self.tr(
                "Scan or type the expiry of {sku} (YYYY-MM-DD)").format(sku=sku),
                expiry_given, cancelled, subject=sku, gtin=gtin))
            return True
        return False

    def ask_shelf_life(self, failure: OperationFailed, attempt: ReceiveAttempt, code: ScannedCode | None) -> None:
        """Expired or short of shelf life: amber, a supervisor's badge + PIN accepts the lot to the
        dock; SF:CANCEL at the question sends the units to quarantine instead."""

        def accepted(approver):  # noqa: ANN001, ANN202
            attempt.approval = approver
            attempt.short_shelf_life = "accept"
            self.try_receive(attempt, code)

        def quarantined() -> None:
            attempt.short_shelf_life = "quarantine"
            self.try_receive(attempt, code)

        self.dialogue.ask_approval(
            self.tr("{warning} (SF:CANCEL: to quarantine)").format(warning=failure.message), accepted, quarantined)

    def received(self, result: ReceiveResult, attempt: ReceiveAttempt, code: ScannedCode | None) -> None:
        self.pending_quantity = None
        self.damaged_next = False
        self.show_receipt(result.receipt, touched_line_id=result.line.line_id)
        template = (self.tr("DAMAGED +{units} {sku} {name} \u2192 {destination}") if result.damaged
                    else self.tr("+{units} {sku} {name} \u2192 {destination}"))
        parts = [template.format(units=result.units, sku=result.sku, name=result.name,
                                 destination=result.destination)]
        parts.append(self._progress(result))
        details = []
        if result.lot:
            details.append(self.tr("lot {lot}").format(lot=result.lot))
        expiry = attempt.expiry or (code.expiry if code is not None else None)
        if expiry is not None:
            details.append(self.tr("expiry {date}").format(date=expiry.isoformat()))
        if attempt.approval is not None:
            details.append(self.tr("approved by {name}").format(name=attempt.approval.display_name))
        if result.short_shelf_life == "quarantine":
            details.append(self.tr("short shelf life: held in quarantine"))
        elif result.short_shelf_life == "accept":
            details.append(self.tr("short shelf life accepted"))
        text = " ".join(parts) + "".join(", " + detail for detail in details)
        if result.replayed:
            self.feedback.attention(self.tr("Already counted: {scan}").format(scan=text))
        elif result.damaged or result.short_shelf_life:
            self.feedback.attention(text)
        else:
            self.feedback.ok(text)

    def _progress(self, result: ReceiveResult) -> str:
        line = result.line
        if line.expected == 0:
            return self.tr("(not on {number})").format(number=result.receipt.number)
        return self.tr("({done} of {expected})").format(done=line.received + line.damaged,
                                                        expected=line.expected)

    def refused(self, failure: OperationFailed, raw: str) -> None:
        """Nothing was received because the operator or supervisor said no: amber, not red."""
        self.feedback.attention(self.tr("Not received: {reason}").format(reason=failure.message))
        self.bridge.journal_failed_scan(self.journal_context, raw, failure)

    # --- quantity and damaged marks -------------------------------------------------------
    def toggle_damaged(self) -> None:
        self.damaged_next = not self.damaged_next
        if self.damaged_next:
            self.feedback.attention(self.tr("Next item is DAMAGED: it goes to quarantine"))
        else:
            self.feedback.attention(self.tr("Damaged mark removed"))
        self.retranslate()

    def clear_marks(self) -> bool:
        """Drop the quantity and damaged marks; True when there was one."""
        had_marks = self.pending_quantity is not None or self.damaged_next
        self.pending_quantity = None
        self.damaged_next = False
        return had_marks

    # --- undo, close, leave ---------------------------------------------------------------
    def print_labels(self) -> None:
        """GS1-128 receiving labels (GTIN, lot, expiry) for my last scan, one per case."""
        from app.ui.printing.actions import print_action  # reportlab & co. load on first print

        try:
            print_action(self.context, "receiving_labels", feedback=self.feedback,
                         order=self.receipt.number, last_of_user=self.bridge.require_actor().user_id)
        except OperationFailed as failure:
            self.fail(failure)

    def undo(self) -> None:
        assert self.receipt is not None
        try:
            undone = self._run(self.bridge.run, receiving.undo_last_receipt_scan, self.receipt.order_id,
                               actor=self.bridge.require_actor(), changes=RECEIPT_CHANGES)
        except OperationFailed as failure:
            self.fail(failure)
            return
        if undone is None:
            self.feedback.attention(self.tr("Nothing of yours to undo on {number}").format(
                number=self.receipt.number))
            return
        self.show_receipt(undone.receipt, touched_line_id=undone.line.line_id)
        self.feedback.attention(self.tr("Undone: -{units} {sku} {name} from {location} {progress}").format(
            units=undone.units, sku=undone.sku, name=undone.name, location=undone.destination,
            progress=self._progress(undone)))

    def close_receipt(self) -> None:
        assert self.receipt is not None
        try:
            view = self._run(self.bridge.run, receiving.finish_receipt, self.receipt.order_id,
                             actor=self.bridge.require_actor(), changes=RECEIPT_CHANGES)
        except OperationFailed as failure:
            self.fail(failure)
            return
        self.back_to_choose()
        if view.status not in ("open", "partially_received"):
            self.feedback.ok(self.tr("{number} received").format(number=view.number))
            return
        self.feedback.attention(self.tr("{number} stays open: {remaining} of {expected} units still expected").format(
            number=view.number, remaining=sum(line.remaining for line in view.lines),
            expected=sum(line.expected for line in view.lines)))

    def leave(self) -> None:
        """Esc / SF:CANCEL: first drop the marks, then leave the receipt, then go home.
        Leaving loses nothing: every confirmed scan is already committed."""
        if self.clear_marks():
            self.feedback.attention(self.tr("Quantity and damaged marks cleared"))
            self.retranslate()
            return
        if self.receipt is not None:
            number = self.receipt.number
            self.back_to_choose()
            self.feedback.attention(self.tr("Left {number}: everything scanned is saved").format(number=number))
            return
        super().leave()

    # --- showing ------------------------------------------------------------------------
    def show_receipt(self, receipt: ReceiptView, touched_line_id: int | None = None) -> None:
        self.receipt = receipt
        self.lines_model.show_receipt(receipt, touched_line_id)
        row = self.lines_model.touched_row()
        if row is not None:
            self.table.scrollTo(self.lines_model.index(row, 0))
        self.retranslate()

    def back_to_choose(self) -> None:
        self.receipt = None
        self.clear_marks()
        self.lines_model.show_receipt(None)
        self.pages.setCurrentWidget(self.choose_page)
        self.refresh()
        self.retranslate()

    def refresh(self) -> None:
        if self._running:
            return  # the use case's own result is about to be shown
        try:
            receipts = self.bridge.query(receiving.list_open_receipts)
        except OperationFailed as failure:
            self.feedback.error(failure.message)
            return
        self.open_list.show_receipts(receipts)
        current = next((r for r in receipts if self.receipt and r.order_id == self.receipt.order_id), None)
        if current is not None:
            self.receipt = current
            self.lines_model.show_receipt(current, self.lines_model.touched_line_id)
        self.retranslate()

    # --- keys -----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if self.receipt is None and event.key() in LIST_KEYS:
            self.open_list.move(LIST_KEYS[event.key()])
            return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        if self.receipt is None:
            self.refresh()  # receipts opened or closed elsewhere since last time
