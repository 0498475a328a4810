"""Cycle counting by scanner, blind: the screen shows what has been counted, never what the
records say should be there.

Step 1, no count chosen: scan the count number (top line of the count sheet), or pick one
of my counts due today with the arrow keys and Enter. Step 2: scan the location the screen
asks for (any location of the count is accepted). Step 3: scan every item there; each scan
adds one, a case barcode its units, a GS1 label brings its lot (else the lot is asked).
Quantity, undo, empty, done and leave work by key and by command barcode:

    SF:QTY:<n>  next item counts n times       SF:QTY  (F2)   type/scan the quantity next
    SF:UNDO     (Ctrl+Z) undo my last scan     SF:EMPTY (F6)  the location is empty
    SF:CLOSE    (F8) location done, go on      SF:CANCEL (Esc) clear quantity, then leave
    SF:SUPERVISOR (F9) a supervisor decides the count's waiting lines now (badge + PIN, then
                  approve / reject, reason and resolution as numbered answers in the scan field)

The on-the-spot decision is the only place an operator's screen shows quantities on record,
and only after a supervisor has badged in, only for lines of locations already finished.
"""

from __future__ import annotations

import dataclasses
import uuid

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QWidget

from app.core import clock
from app.core.errors import LotRequired
from app.core.scan import ScannedCode, try_interpret
from app.services import counting
from app.services.counting import CountScanResult, FinishResult, MyCount, StartResult
from app.services.outbox.copies_inbound import count_copy
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.counting.counted_table import CountedTable
from app.ui.counting.counts_list import MyCountsList
from app.ui.counting.names import count_reason, kind_name
from app.ui.counting.spot_decision import SpotDecision
from app.ui.dialogue import Command, Question, Scan, Step
from app.ui.fitted import CurrentPageStack
from app.ui.floor_widgets import LIST_KEYS, floor_page
from app.ui.offline import keep_offline_copy
from app.ui.offline.desk import OfflineScan
from app.ui.screen import FloorScreen

COUNT_CHANGES = Changes(counts=True)
COUNTING = ("count",)





class CountingScreen(FloorScreen):
    refresh_flags = Changes(counts=True)
    journal_context = "counting"
    steps = {"choose": Step("document", "choose_scanned"), "location": Step("location", "start_scanned"),
             "count": Step("item", "count_scanned")}
    commands = (
        Command("CONFIRM", QT_TRANSLATE_NOOP("Commands", "open the highlighted count"), "open_selected",
                ("Enter",), steps=("choose",)),
        Command("QTY", QT_TRANSLATE_NOOP("Commands", "quantity"), "quantity", ("F2",), argument=True,
                steps=COUNTING),
        Command("UNDO", QT_TRANSLATE_NOOP("Commands", "undo"), "undo", ("Ctrl+Z",), steps=COUNTING),
        Command("EMPTY", QT_TRANSLATE_NOOP("Commands", "location is empty"), "confirm_empty", ("F6",),
                steps=COUNTING),
        Command("CLOSE", QT_TRANSLATE_NOOP("Commands", "location done"), "finish", ("F8",), steps=COUNTING),
        Command("SUPERVISOR", QT_TRANSLATE_NOOP("Commands", "a supervisor decides now"), "supervisor_decides",
                ("F9",)),
        Command("CANCEL", QT_TRANSLATE_NOOP("Commands", "clear quantity, then leave"), "leave", ("Esc",)),
    )

    @property
    def step(self) -> str:
        if self.count is None:
            return "choose"
        return "location" if self.location is None else "count"

    def expected_location(self) -> str | None:
        return self.next_location

    def command_not_here(self, code: str) -> str:
        if self.count is None:
            return self.tr("Choose a count first: scan its number.")
        if self.location is None:
            return self.tr("Scan a location of {number} first.").format(number=self.count.number)
        return self.tr("{code} does nothing here. Scan an item in {location}.").format(
            code=code, location=self.location.location)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.count: MyCount | None = None  # the count being worked on
        self.location: StartResult | None = None  # the location being counted
        self.next_location: str | None = None
        self.units_here = 0  # counted at this location so far, by anyone
        self.pending_quantity: int | None = None
        self.last_count: MyCount | None = None  # what F9 lets a supervisor decide
        self.caption = QLabel(objectName="countsCaption")
        self.counts_list = MyCountsList()
        self.counts_list.chosen.connect(self.open_count)
        self.header = QLabel(objectName="countHeader")
        self.header.setWordWrap(True)
        self.header.setStyleSheet("QLabel#countHeader { font-size: 20pt; font-weight: bold; }")
        self.mode = QLabel(objectName="countMode")
        self.mode.setStyleSheet(
            "QLabel#countMode { background: #ffc400; color: #000000; font-size: 20pt;"
            " font-weight: bold; padding: 6px 14px; border-radius: 6px; }"
        )
        self.counted = CountedTable()
        self.pages = CurrentPageStack()  # as tall as the page shown
        self.choose_page = floor_page(self.caption, self.counts_list)
        self.count_page = floor_page(self.header, self.mode, self.counted)
        self.pages.addWidget(self.choose_page)
        self.pages.addWidget(self.count_page)
        self.content.addWidget(self.pages)
        self.retranslate()  # the list is loaded when the screen is shown

    # --- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Count"))
        self.counts_list.retranslate()
        self.counted.retranslate()
        if self.count is None:
            self.prompt.setText(self.tr("Scan a count number, or choose a count"))
            self.caption.setText(self.tr("Your counts due today: arrow keys, then Enter")
                                 if self.counts_list.count() else self.tr("No counts are due for you today."))
            return
        if self.location is None:
            self.prompt.setText(self.tr("Scan location {location}").format(location=self.next_location)
                                if self.next_location else
                                self.tr("Scan a location of {number}").format(number=self.count.number))
            self.header.setText("    ".join((
                self.count.number, kind_name(self.count.kind),
                self.count.only_sku or count_reason(self.count.reason),
                self.tr("{done} of {total} locations done").format(
                    done=self.count.locations_done, total=self.count.locations_total))))
        else:
            self.prompt.setText(self.tr("Scan every item in {location}").format(location=self.location.location))
            self.header.setText("    ".join((
                self.location.location, self.count.number,
                self.tr("counted here so far: {units}").format(units=self.units_here))))
        self.mode.setText(self.tr("Next item: quantity {quantity}").format(quantity=self.pending_quantity))
        self.mode.setVisible(self.location is not None and self.pending_quantity is not None)
        self.counted.setVisible(self.location is not None)

    # --- step 1: choose a count ----------------------------------------------------------
    def choose_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        raw = scan.raw
        count = self.counts_list.find(raw)
        if count is None:
            self.fail(OperationFailed(self.tr("{code} is not one of your counts due today.").format(
                code=raw.strip())), raw)
            return
        self.open_count(count.count_id)

    def open_selected(self) -> None:
        count_id = self.counts_list.selected_id()
        if count_id is None:
            self.feedback.attention(self.tr("No counts are due for you today."))
            return
        self.open_count(count_id)

    def open_count(self, count_id: int) -> None:
        count = next(c for c in self.counts_list.counts if c.count_id == count_id)
        self.dialogue.journal_ok(f"opened {count.number}")
        self.count = self.last_count = count
        self.next_location = count.next_location
        self.pages.setCurrentWidget(self.count_page)
        self.feedback.ok(self.tr("{number}: scan location {location}").format(
            number=count.number, location=count.next_location or "?"))
        self.retranslate()

    # --- step 2: start a location --------------------------------------------------------
    def start_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        raw = scan.raw
        assert self.count is not None
        try:
            started = self.bridge.run(counting.start_location, self.count.count_id, raw,
                                      actor=self.bridge.require_actor(), changes=COUNT_CHANGES)
        except OperationFailed as failure:
            self.fail(failure, raw)
            return
        self.location = started
        self.units_here = started.units_counted
        keep_offline_copy(self.bridge, count_copy, started.count_id, started.location_id)
        self.counted.reset()
        if started.resumed:
            self.feedback.ok(self.tr("Back at {location}, {units} counted so far: scan every item").format(
                location=started.location, units=started.units_counted))
        elif started.only_sku:
            self.feedback.ok(self.tr("{location}: count only {sku}, every one of them").format(
                location=started.location, sku=started.only_sku))
        else:
            self.feedback.ok(self.tr("{location}: scan every item in it").format(location=started.location))

    # --- step 3: count ------------------------------------------------------------------
    def count_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        self.count_item(scan.raw, key=scan.key)

    def count_item(self, raw: str, lot: str | None = None, key: str | None = None) -> None:
        assert self.count is not None and self.location is not None
        try:
            actor = self.bridge.require_actor()
        except OperationFailed as failure:
            self.fail(failure, raw)
            return
        if key is None:  # one physical scan: its retry with a lot cannot count twice
            key = self.dialogue.scan.key if self.dialogue.scan is not None else uuid.uuid4().hex
        try:
            result = self.bridge.run_scan(
                counting.count_scan, self.count.count_id, self.location.location_id, raw,
                actor=actor, idempotency_key=key, quantity=self.pending_quantity, lot=lot,
                changes=COUNT_CHANGES, offline=OfflineScan(
                    "count_scan", ("count", self.count.count_id, self.location.location_id),
                    {"count_id": self.count.count_id, "location_id": self.location.location_id, "scan": raw,
                     "quantity": self.pending_quantity, "lot": lot}, actor, "counting", raw))
        except OperationFailed as failure:
            if isinstance(failure.error, LotRequired) and lot is None:
                self.ask_lot(failure, raw, key)
                return
            self.fail(failure, raw)
            return
        self.pending_quantity = None
        self.show_result(result)

    def ask_lot(self, failure: OperationFailed, raw: str, key: str) -> None:
        """The lot of a lot-tracked item scanned without one, asked in the scan field."""
        def cancelled() -> None:
            self.feedback.attention(self.tr("Not counted: {reason}").format(reason=failure.message))
            self.bridge.journal_failed_scan(self.journal_context, raw, failure)

        code = try_interpret(raw)
        sku = str(failure.error.params.get("sku", "")) if failure.error is not None else ""
        self.dialogue.ask(Question(
            "lot", self.tr("Scan or type the lot of {sku}").format(sku=sku),
            lambda answer: self.count_item(raw, answer.value, key), cancelled,
            subject=sku, gtin=code.gtin if code is not None else None))

    def show_result(self, result: CountScanResult) -> None:
        if not result.replayed:
            self.units_here += result.units
        self.counted.record(result)
        lot = ", " + self.tr("lot {lot}").format(lot=result.lot) if result.lot else ""
        if result.units < 0:
            self.feedback.attention(self.tr("Undone: {units} {sku} {name}{lot}. {total} counted here").format(
                units=result.units, sku=result.sku, name=result.name, lot=lot, total=result.line_total))
            return
        text = self.tr("+{units} {sku} {name}{lot}. {total} counted here").format(
            units=result.units, sku=result.sku, name=result.name, lot=lot, total=result.line_total)
        if result.replayed:
            self.feedback.attention(self.tr("Already counted: {scan}").format(scan=text))
        else:
            self.feedback.ok(text)

    def undo(self) -> None:
        assert self.count is not None and self.location is not None
        try:
            undone = self.bridge.run(counting.undo_last_count_scan, self.count.count_id,
                                     self.location.location_id, actor=self.bridge.require_actor(),
                                     changes=COUNT_CHANGES)
        except OperationFailed as failure:
            self.fail(failure)
            return
        if undone is None:
            self.feedback.attention(self.tr("Nothing of yours to undo at {location}").format(
                location=self.location.location))
            return
        self.show_result(undone)

    # --- finishing a location -------------------------------------------------------------
    def confirm_empty(self) -> None:
        self._finish(counting.confirm_empty)

    def finish(self) -> None:
        self._finish(counting.finish_location)

    def _finish(self, use_case) -> None:  # noqa: ANN001 - confirm_empty or finish_location
        assert self.count is not None and self.location is not None
        try:
            done: FinishResult = self.bridge.run(use_case, self.count.count_id, self.location.location_id,
                                                 actor=self.bridge.require_actor(), changes=COUNT_CHANGES)
        except OperationFailed as failure:
            self.fail(failure)
            return
        self.location = None
        self.pending_quantity = None
        self.counted.reset()
        text = (self.tr("{location} confirmed empty.").format(location=done.location) if done.empty_confirmed
                else self.tr("{location} done, {units} counted.").format(
                    location=done.location, units=done.units_counted))
        if done.count_complete:
            self.back_to_choose()
            self.feedback.ok(text + " " + self.tr("Count {number} is complete.").format(number=done.number))
            return
        self.next_location = done.remaining_locations[0]
        total = self.count.locations_total
        self.count = dataclasses.replace(self.count, next_location=self.next_location,
                                         locations_done=total - len(done.remaining_locations))
        self.feedback.ok(text + " " + self.tr("Next: {location}").format(location=self.next_location))

    # --- leaving ------------------------------------------------------------------------
    def leave(self) -> None:
        """Esc / SF:CANCEL: first drop the quantity, then leave the location, then the count,
        then go home. Leaving loses nothing: every scan is already saved."""
        if self.pending_quantity is not None:
            self.pending_quantity = None
            self.feedback.attention(self.tr("Quantity cleared"))
        elif self.location is not None:
            left = self.location.location
            self.location = None
            self.next_location = left
            self.counted.reset()
            self.feedback.attention(self.tr("Left {location}: what you counted is saved. "
                                            "Scan it again to go on.").format(location=left))
        elif self.count is not None:
            number = self.count.number
            self.back_to_choose()
            self.feedback.attention(self.tr("Left {number}: what you counted is saved").format(number=number))
        else:
            super().leave()
            return
        self.retranslate()

    def back_to_choose(self) -> None:
        self.count = None
        self.location = None
        self.pages.setCurrentWidget(self.choose_page)
        self.refresh()
        self.retranslate()

    # --- a supervisor decides on the spot ------------------------------------------------
    def supervisor_decides(self) -> None:
        """F9 / SF:SUPERVISOR: badge + PIN, then the last count's waiting lines to decide."""
        if self.last_count is None:
            self.feedback.attention(self.tr("Choose a count first: scan its number."))
            return
        count = self.last_count

        def approved(approver):  # noqa: ANN001, ANN202
            SpotDecision(self, count.count_id, count.number, approver).start()  # asked in the scan field

        self.dialogue.ask_approval(
            self.tr("A supervisor decides the waiting results of {number}.").format(number=count.number),
            approved, lambda: self.feedback.attention(self.tr("No supervisor decision was made.")))

    # --- refresh and keys ---------------------------------------------------------------
    def refresh(self) -> None:
        if self.count is not None:
            return  # the list is shown again when the count is left
        try:
            actor = self.bridge.require_actor()
            mine = self.bridge.query(counting.my_counts, actor, clock.today())
        except OperationFailed as failure:
            self.feedback.error(failure.message)
            return
        self.counts_list.show_counts(mine)
        self.retranslate()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if self.count is None and event.key() in LIST_KEYS:
            self.counts_list.move(LIST_KEYS[event.key()])
            return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        self.refresh()  # counts planned or taken by others since last time
