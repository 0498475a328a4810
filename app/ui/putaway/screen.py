"""Put-away by scanner: scan what waits on the dock, take it to the suggested bin, scan the bin.

Step 1, no task: the waiting list (receiving, returns, quarantine, in walking order); scan an
item (GTIN, or GS1 with its lot) or a license plate. Step 2: the suggestion is shown with its
reason and alternatives; scan the destination bin. The suggested bin confirms at once; another
valid bin asks for a reason (or a supervisor, by warehouse setting) and retries the same scan
with the same idempotency key; an unfit bin is refused in red with the reason.

    SF:QTY:<n>  put away n of the item     SF:QTY (or F2)  type/scan the quantity next
    SF:UNDO     (Ctrl+Z) undo my last put-away   SF:PRINT (Ctrl+P) print the put-away list
    SF:CANCEL   (Esc) clear the quantity, then drop the task, then leave
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel, QWidget

from app.core.putaway_errors import (
    DeviationNeedsApproval,
    DeviationReasonRequired,
    PutawayRefused,
    WholePlateOnly,
)
from app.core.scan import ScannedCode
from app.services.outbox.copies_inbound import PutawayCopy
from app.services.putaway import tasks as putaway
from app.services.putaway.tasks import PutawayResult, PutawayTask
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.dialogue import Command, Question, Scan, Step
from app.ui.error_texts import error_message
from app.ui.floor_widgets import floor_table
from app.ui.offline import keep_local_copy
from app.ui.putaway.attempt import PutawayAttempt
from app.ui.putaway.reasons import DEVIATION_REASONS, deviation_text
from app.ui.putaway.suggestion_panel import SuggestionPanel
from app.ui.putaway.waiting_model import WaitingModel
from app.ui.screen import FloorScreen

PUTAWAY_CHANGES = Changes(stock=True, putaway=True)
MAX_TRIES = 3  # one destination scan runs at most: as scanned, with a reason, approved
# Refusals the service has already written to the scan journal.
JOURNALED_BY_SERVICE = (PutawayRefused, DeviationReasonRequired, DeviationNeedsApproval)




class PutawayScreen(FloorScreen):
    refresh_flags = Changes(stock=True, putaway=True, receipts=True)
    journal_context = "putaway"
    steps = {"start": Step("item", "start_scanned"), "destination": Step("location", "confirm_scanned")}
    commands = (
        Command("QTY", QT_TRANSLATE_NOOP("Commands", "put away part of it"), "quantity", ("F2",),
                argument=True),
        Command("UNDO", QT_TRANSLATE_NOOP("Commands", "undo my last put-away"), "undo", ("Ctrl+Z",)),
        Command("PRINT", QT_TRANSLATE_NOOP("Commands", "print the list"), "print_list", ("Ctrl+P",)),
        Command("CANCEL", QT_TRANSLATE_NOOP("Commands", "clear the quantity, then back to the list"),
                "leave", ("Esc",)),
    )

    @property
    def step(self) -> str:
        return "start" if self.task is None else "destination"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.task: PutawayTask | None = None
        self.pending_quantity: int | None = None
        self._running = False  # our own use case is running: its result refreshes the list
        self.panel = SuggestionPanel()
        self.caption = QLabel(objectName="waitingCaption")
        self.caption.setStyleSheet("QLabel#waitingCaption { font-size: 18pt; font-weight: bold; }")
        self.model = WaitingModel(self)
        self.table = floor_table(self.model, "waitingList", stretch_column=2,
                                 font_pt=17, header_pt=15, padding=10)
        for widget in (self.panel, self.caption):
            self.content.addWidget(widget)
        self.content.addWidget(self.table, 1)
        self.retranslate()  # the list loads when the screen is shown (showEvent), once


    # --- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Put away"))
        self.model.retranslate()
        self.panel.retranslate()
        lines, units = self.model.rowCount(), self.model.units()
        self.caption.setText(
            self.tr("Waiting to be put away    lines: {lines}    units: {units}").format(lines=lines, units=units)
            if lines else self.tr("Nothing waits to be put away."))
        task = self.task
        if task is None:
            self.prompt.setText(self.tr("Scan an item or a license plate"))
        elif task.suggestion.destination is None:
            self.prompt.setText(self.tr("Scan any bin with room"))
        else:
            self.prompt.setText(self.tr("Scan the destination {location}").format(
                location=task.suggestion.destination))

    # --- step 1: what to put away -----------------------------------------------------------
    def start_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        self.start(scan.raw)

    def start(self, raw: str) -> None:
        try:
            task = self._run(self.bridge.run, putaway.start_putaway, raw,
                             actor=self.bridge.require_actor())
        except OperationFailed as failure:
            self.fail(failure, raw)
            return
        self.dialogue.journal_ok("put-away task started")
        keep_local_copy(self.bridge, PutawayCopy(task))
        self.show_task(task)
        if task.is_plate:
            text = self.tr("Plate {plate}: {units} units on {source}").format(
                plate=task.license_plate, units=task.quantity, source=task.source)
        else:
            line = task.lines[0]
            text = self.tr("{quantity} \u00d7 {sku} {name} on {source}").format(
                quantity=line.quantity, sku=line.sku, name=line.name, source=task.source)
        self.feedback.ok(text)

    # --- step 2: the destination ------------------------------------------------------------
    def confirm_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        assert self.task is not None
        try:
            actor = self.bridge.require_actor()
        except OperationFailed as failure:
            self.fail(failure, scan.raw)
            return
        attempt = PutawayAttempt(self.task, scan.raw, actor, quantity=self.pending_quantity,
                                 idempotency_key=scan.key)
        self.try_confirm(attempt)

    def try_confirm(self, attempt: PutawayAttempt) -> None:
        """Run the bin scan; a reason or a supervisor is asked in the scan field and the same
        scan runs again with the same idempotency key."""
        attempt.tries += 1
        try:
            result = self._run(self.bridge.run_scan, attempt, changes=PUTAWAY_CHANGES,
                               idempotency_key=attempt.idempotency_key, offline=attempt.offline())
        except OperationFailed as failure:
            self.needs_more(failure, attempt)
            return
        self.put_away(result, attempt)

    def needs_more(self, failure: OperationFailed, attempt: PutawayAttempt) -> None:
        if attempt.tries >= MAX_TRIES:
            self.refused(failure, attempt.raw)
        elif failure.needs_approval:
            def approved(approver):  # noqa: ANN001, ANN202
                attempt.approval = approver
                self.try_confirm(attempt)

            self.dialogue.ask_approval(failure.message, approved, lambda: self.not_put_away(failure))
        elif isinstance(failure.error, DeviationReasonRequired):
            self.ask_reason(failure, attempt)
        else:
            self.refused(failure, attempt.raw)

    def ask_reason(self, failure: OperationFailed, attempt: PutawayAttempt) -> None:
        """Why another bin: the number of a reason; "Other" asks for a few words."""
        def given(reason: str) -> None:
            attempt.reason = reason
            self.try_confirm(attempt)

        self.dialogue.ask_choice(failure.message, DEVIATION_REASONS, deviation_text, given,
                                 lambda: self.not_put_away(failure))

    def put_away(self, result: PutawayResult, attempt: PutawayAttempt) -> None:
        task = attempt.task
        if task.is_plate:
            text = self.tr("\u2713 Plate {plate}: {units} units \u2192 {location}").format(
                plate=task.license_plate, units=result.units, location=result.destination)
        else:
            text = self.tr("\u2713 {moved} \u2192 {location}").format(
                moved=moved_text(result), location=result.destination)
        details = []
        left = task.quantity - result.units
        if left > 0 and not task.is_plate:
            details.append(self.tr("{units} still wait on {source}").format(units=left, source=result.source))
        if result.deviation_reason:
            details.append(self.tr("reason: {reason}").format(reason=self.reason_shown(result.deviation_reason)))
        if attempt.approval is not None:
            details.append(self.tr("approved by {name}").format(name=attempt.approval.display_name))
        text += "".join(", " + detail for detail in details)
        self.back_to_list()
        if result.replayed:
            self.feedback.attention(self.tr("Already put away: {scan}").format(scan=text))
        else:
            self.feedback.ok(text)

    def reason_shown(self, stored: str) -> str:
        """A deviation reason as stored (English) in the operator's language."""
        head, colon, words = stored.partition(": ")
        if colon:
            return f"{deviation_text(head)}: {words}"
        return deviation_text(stored)

    def refused(self, failure: OperationFailed, raw: str) -> None:
        """Red with the reason; the bin refusals are journaled by the service itself."""
        if isinstance(failure.error, JOURNALED_BY_SERVICE):
            self.feedback.error(failure.message)
        else:
            self.fail(failure, raw)

    def not_put_away(self, failure: OperationFailed) -> None:
        """The operator or supervisor said no: amber, nothing moved, the task stays."""
        self.feedback.attention(self.tr("Not put away: {reason}").format(reason=failure.message))

    # --- quantity -----------------------------------------------------------------------
    def quantity(self, argument: str = "") -> None:
        """F2 / SF:QTY asks how many to put away; SF:QTY:<n> says it."""
        if not self.quantity_allowed():
            return
        if argument:
            self.set_quantity(int(argument) if argument.isdigit() else 0)
            return
        self.dialogue.ask(Question("quantity", self.tr("Type or scan how many to put away, then Enter"),
                                   lambda answer: self.set_quantity(answer.value)))

    def set_quantity(self, quantity: int) -> None:
        if not self.quantity_allowed():
            return
        assert self.task is not None
        if not 1 <= quantity <= self.task.quantity:
            self.feedback.error(self.tr("Put away 1 to {most}: {most} wait on {source}.").format(
                most=self.task.quantity, source=self.task.source))
            return
        self.pending_quantity = quantity
        self.panel.show_task(self.task, quantity)
        self.feedback.attention(self.tr("{quantity} of {total}: scan the destination").format(
            quantity=quantity, total=self.task.quantity))
        self.retranslate()

    def quantity_allowed(self) -> bool:
        if self.task is None:
            self.feedback.error(self.tr("Scan an item first, then F2 to put away part of it."))
            return False
        if self.task.is_plate:
            self.feedback.error(error_message(WholePlateOnly(plate=self.task.license_plate)))
            return False
        return True

    def clear_quantity(self) -> bool:
        """Drop the quantity mark; True when there was one."""
        had_mark = self.pending_quantity is not None
        self.pending_quantity = None
        if self.task is not None:
            self.panel.show_task(self.task)
        return had_mark

    # --- print, undo, leave -------------------------------------------------------------
    def print_list(self) -> None:
        """The put-away list on paper, each line with its suggested bin (printing's document)."""
        from app.ui.printing.actions import print_action  # reportlab & co.: only when asked

        try:
            actor = self.bridge.require_actor()
            print_action(self.context, "putaway_list", feedback=self.feedback, parent=self,
                         operator=actor.display_name)
        except OperationFailed as failure:
            self.fail(failure)

    def undo(self) -> None:
        try:
            undone = self._run(self.bridge.run, putaway.undo_last_putaway,
                               actor=self.bridge.require_actor(), changes=PUTAWAY_CHANGES)
        except OperationFailed as failure:
            self.fail(failure)
            return
        if undone is None:
            self.feedback.attention(self.tr("Nothing of yours to undo"))
            return
        self.back_to_list()
        self.feedback.attention(self.tr("Undone: {moved} from {location} back to {source}").format(
            moved=moved_text(undone), location=undone.destination, source=undone.source))

    def leave(self) -> None:
        """Esc / SF:CANCEL: first drop the quantity, then the task, then go home.
        Dropping a task loses nothing: nothing moves before the bin is scanned."""
        if self.clear_quantity():
            self.feedback.attention(self.tr("Quantity cleared: all of it goes"))
            self.retranslate()
            return
        if self.task is not None:
            source = self.task.source
            self.back_to_list()
            self.feedback.attention(self.tr("Nothing moved: it stays on {source}").format(source=source))
            return
        super().leave()

    # --- showing ----------------------------------------------------------------------
    def show_task(self, task: PutawayTask | None) -> None:
        self.task = task
        self.clear_quantity()
        self.panel.show_task(task)
        lines = task.lines if task is not None else ()
        self.model.highlight((task.source_id, line.product_id, line.lot_id, line.license_plate_id)
                             for line in lines)
        rows = self.model.highlighted_rows()
        if rows:
            self.table.scrollTo(self.model.index(rows[0], 0))
        self.retranslate()

    def back_to_list(self) -> None:
        self.show_task(None)
        self.refresh()

    def refresh(self) -> None:
        if self._running:
            return  # the use case's own result is about to be shown
        try:
            waiting = self.bridge.query(putaway.list_waiting)
        except OperationFailed as failure:
            if not failure.waits_for_database:  # offline: the list stays as it was, quietly
                self.feedback.error(failure.message)
            return
        self.model.show_items(waiting)
        self.retranslate()

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        if self.task is None:
            self.refresh()  # goods received or put away elsewhere since last time


def moved_text(result: PutawayResult) -> str:
    """'10 × WIDGET' or '5 × WIDGET, 3 × GADGET', lots in brackets (codes need no translation)."""
    return ", ".join(
        f"{line.quantity} \u00d7 {line.sku}" + (f" ({line.lot})" if line.lot else "") for line in result.lines
    )
