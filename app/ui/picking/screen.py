"""Picking by scanner: choose a wave, then walk it bin by bin in route order.

Step 1, no wave open: scan a wave number (W000012) or one of its totes, or press Enter for the
highlighted one, the oldest waiting wave. Step 2, one prompt at a time: "Go to A-03-02-1 - scan
the location", then "Pick 3 x WIDGET ... -> tote 2"; each item scan is one scan_item with its
own idempotency key. Wrong bins and items are refused in red with the service's words. The
pick list below shows every line in walking order: done ticked, short marked, current in blue.

    SF:QTY:<n>  next item counts n times    SF:QTY (or F2)  type/scan the quantity next
    SF:SHORT    (F6) the bin holds less: type the number found, then choose a reason
    SF:EMPTY    the bin is empty: choose a reason
    SF:CANCEL   (Esc) clear the quantity, then leave the wave (every pick is saved)

A pick cannot be undone here: app.services.waves.picking has no undo (put the item back and ask a
supervisor), so SF:UNDO is not offered.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QStackedWidget, QWidget

from app.core.errors import LotRequired
from app.core.scan import try_interpret as scanned_code
from app.services.waves import picking
from app.services.waves import release as waves
from app.services.waves.picking import PickPrompt, PickResult
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.floor_widgets import floor_page, floor_table, marks_strip
from app.ui.picking.attempt import PickAttempt, lot_of
from app.ui.picking.picklist_model import PickListModel
from app.ui.picking.short_pick import ShortPicks
from app.ui.picking.wave_list import OpenWavesList, wave_id_from_scan
from app.ui.screen import FloorScreen

PICK_CHANGES = Changes(stock=True, picks=True, orders=True)
MAX_QUANTITY = 9999  # more in one scan is a typo (or a barcode scanned into quantity mode)
LIST_KEYS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -5, Qt.Key.Key_PageDown: 5}


class PickScreen(FloorScreen):
    refresh_flags = Changes(picks=True, orders=True)
    journal_context = "picking"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.wave_id: int | None = None
        self.task: PickPrompt | None = None
        self.pending_quantity: int | None = None
        self.awaiting_quantity = False
        self.awaiting_found = False  # short pick: the next number is what the bin holds
        self.awaiting_lot: PickAttempt | None = None
        self._running = False  # our own use case is running: its result updates the screen
        self.shorts = ShortPicks(self)
        self.open_caption = QLabel(objectName="openCaption")
        self.wave_list = OpenWavesList()
        self.wave_list.chosen.connect(self.open_wave)
        self.header = QLabel(objectName="waveHeader")
        self.header.setWordWrap(True)
        self.header.setStyleSheet("QLabel#waveHeader { font-size: 18pt; font-weight: bold; }")
        self.mode = marks_strip("pickMode")
        self.list_model = PickListModel(self)
        self.table = floor_table(self.list_model, "pickList", stretch_column=3)
        self.pages = QStackedWidget()
        self.choose_page = floor_page(self.open_caption, self.wave_list)
        self.wave_page = floor_page(self.header, self.mode, self.table)
        self.pages.addWidget(self.choose_page)
        self.pages.addWidget(self.wave_page)
        self.content.addWidget(self.pages)
        self.scan_field.installEventFilter(self)
        self.retranslate()
        self.refresh()



    # --- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Pick"))
        self.list_model.retranslate()
        self.wave_list.retranslate()
        if self.wave_id is None:
            self.prompt.setText(self.tr("Scan a wave or one of its totes, or press Enter for the next wave"))
            self.open_caption.setText(
                self.tr("Waves waiting to be picked, oldest first (arrow keys, then Enter):")
                if self.wave_list.count() else self.tr("No waves are waiting. A supervisor releases them.")
            )
            self.keys.setText(self.tr("Enter / SF:CONFIRM: pick the highlighted wave    Up/Down: choose    Esc: back"))
            return
        self.prompt.setText(self.prompt_text())
        self.header.setText(self.header_text())
        marks = []
        if self.pending_quantity is not None:
            marks.append(self.tr("Next item counts {quantity} times").format(quantity=self.pending_quantity))
        if self.awaiting_lot is not None:
            marks.append(self.tr("Scan the lot of {sku}").format(sku=self.awaiting_lot.task.sku))
        self.mode.setText("    ".join(marks))
        self.mode.setVisible(bool(marks))
        self.keys.setText(self.tr(
            "F2 / SF:QTY: quantity    F6 / SF:SHORT: bin holds less    SF:EMPTY: bin is empty\n"
            "Esc / SF:CANCEL: clear the quantity, then leave the wave (every pick is saved)"
        ))

    def prompt_text(self) -> str:
        task = self.task
        if task is None:
            return self.tr("Everything is picked")
        if self.awaiting_quantity:
            return self.tr("Type or scan the quantity for the next item, then Enter")
        if self.awaiting_found:
            return self.tr("How many {sku} are at {location}? Type the number found (0 to {most}), then Enter").format(
                sku=task.sku, location=task.location, most=task.quantity - 1)
        if not task.location_confirmed:
            return self.tr("Go to {location} \u2014 scan the location").format(location=task.location)
        what = self.tr("Pick {quantity} \u00d7 {sku} {name}").format(quantity=task.quantity, sku=task.sku,
                                                                   name=task.name)
        if task.lot:
            what += " " + self.tr("(lot {lot})").format(lot=task.lot)
        return what + " \u2192 " + self.tr("tote {slot}").format(slot=task.tote_slot)

    def header_text(self) -> str:
        rows = self.list_model.rows
        units = sum(row.quantity for row in rows)
        picked = sum(row.picked for row in rows)
        finished = sum(1 for row in rows if row.status != "open")
        parts = [self.wave_number(), self.tr("{done} of %n line(s)", "", len(rows)).format(done=finished),
                 self.tr("{picked} of %n unit(s)", "", units).format(picked=picked)]
        if self.task is not None:
            parts.append(self.tr("tote {slot}: {order}").format(slot=self.task.tote_slot, order=self.task.order))
        return "    ".join(parts)

    def wave_number(self) -> str:
        return f"W{self.wave_id:06d}" if self.wave_id is not None else ""

    # --- scans ------------------------------------------------------------------------
    def on_scan(self, raw: str, by_scanner: bool) -> None:
        text = raw.strip()
        code = scanned_code(raw)
        is_command = code is not None and code.kind == "command"
        if self.awaiting_quantity and not is_command:  # a command (SF:CANCEL) keeps the question
            self.awaiting_quantity = False
            if text.isdigit() and len(text) <= len(str(MAX_QUANTITY)):
                self.set_quantity(int(text))
                return
            # Not a quantity (a GTIN is digits too, but longer): the next scan, taken as usual.
        if is_command:
            self.run_command(code.command or "", raw)
        elif self.awaiting_found:
            self.shorts.found_given(text)
        elif self.awaiting_lot is not None:
            attempt, self.awaiting_lot = self.awaiting_lot, None
            attempt.lot = lot_of(raw)
            self.pick(attempt)
        elif self.wave_id is None:
            self.open_scanned_wave(raw)
        elif self.task is not None and not self.task.location_confirmed:
            self.confirm_location(raw)
        elif self.task is not None:
            self.pick(PickAttempt(self.task, raw, quantity=self.pending_quantity))
        self.retranslate()
        self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)  # back from any dialog

    def run_command(self, command: str, raw: str) -> None:
        name, _, argument = command.partition(":")
        if name == "CANCEL":
            self.leave()
        elif self.wave_id is None:
            if name == "CONFIRM":
                self.open_selected()
            else:
                self.feedback.error(self.tr("Choose a wave first: scan its number or press Enter."))
        elif name == "QTY" and argument:
            self.set_quantity(int(argument) if argument.isdigit() else 0)
        elif name == "QTY":
            self.ask_quantity()
        elif name == "SHORT":
            self.shorts.start()
        elif name == "EMPTY":
            self.shorts.start(empty=True)
        else:
            self.feedback.error(self.tr("{code} does nothing here.").format(code=raw.strip()))

    # --- step 1: a wave ---------------------------------------------------------------------
    def open_scanned_wave(self, raw: str) -> None:
        wave_id = wave_id_from_scan(raw)
        if wave_id is None:
            self.feedback.error(self.tr("{code} is not a wave: scan a wave number like W000012 or a tote.").format(
                code=raw.strip()))
            return
        self.open_wave(wave_id, raw)

    def open_selected(self) -> None:
        self.refresh()  # waves released at another workstation since the list was shown
        wave_id = self.wave_list.selected_wave()
        if wave_id is None:
            self.feedback.attention(self.tr("No waves are waiting. A supervisor releases them."))
            return
        self.open_wave(wave_id)

    def open_wave(self, wave_id: int, raw: str | None = None) -> None:
        try:
            task = self.bridge.query(picking.next_pick, wave_id, self.bridge.require_actor())
            rows = self.bridge.query(waves.picklist, wave_id)
        except OperationFailed as failure:
            self.fail(failure, raw)
            return
        number = f"W{wave_id:06d}"
        if task is None:
            self.feedback.attention(self.tr("{wave} is picked already: take its cart to packing").format(wave=number))
            return
        self.wave_id = wave_id
        self.show_task(task, rows)
        self.pages.setCurrentWidget(self.wave_page)
        self.feedback.ok(self.tr("{wave}: %n line(s), go to {location}", "", len(rows)).format(
            wave=number, location=task.location))
        self.retranslate()

    # --- step 2: location, then items ---------------------------------------------------------
    def confirm_location(self, raw: str) -> None:
        assert self.task is not None
        try:
            task = self._run(self.bridge.run, picking.scan_location, self.task.task_id, raw,
                             actor=self.bridge.require_actor(), changes=Changes(picks=True))
        except OperationFailed as failure:
            self.fail(failure, raw)
            return
        self.show_task(task)
        self.feedback.ok(self.tr("At {location}: pick {quantity} \u00d7 {sku}").format(
            location=task.location, quantity=task.quantity, sku=task.sku))

    def pick(self, attempt: PickAttempt) -> None:
        try:
            result = self._run(self.bridge.run, picking.scan_item, attempt.task.task_id, attempt.raw,
                               actor=self.bridge.require_actor(), idempotency_key=attempt.idempotency_key,
                               quantity=attempt.quantity, lot=attempt.lot, changes=PICK_CHANGES)
        except OperationFailed as failure:
            if isinstance(failure.error, LotRequired) and attempt.lot is None:
                self.awaiting_lot = attempt  # the next scan is its lot; the same key goes again
                self.feedback.attention(failure.message)
                return
            self.fail(failure, attempt.raw)
            return
        self.picked(result, attempt)

    def picked(self, result: PickResult, attempt: PickAttempt) -> None:
        self.pending_quantity = None
        rows = self._rows() or []
        row = next((r for r in rows if r.sequence == attempt.task.sequence), None)
        text = self.tr("+{units} {sku} \u2192 tote {slot}").format(
            units=result.units, sku=result.sku, slot=attempt.task.tote_slot)
        if row is not None:
            text += " " + self.tr("({picked} of {quantity})").format(picked=row.picked, quantity=row.quantity)
        if result.next is None:
            self.wave_finished(text)
            return
        self.show_task(result.next, rows)
        if result.replayed:
            self.feedback.attention(self.tr("Already counted: {scan}").format(scan=text))
        elif result.task_finished:
            self.feedback.ok(text + "    " + self.tr("Next: {location}").format(location=result.next.location))
        else:
            self.feedback.ok(text)

    def wave_finished(self, last: str, *, attention: bool = False) -> None:
        number = self.wave_number()
        self.back_to_choose()
        text = last + "    " + self.tr("{wave} is picked: take the cart to packing").format(wave=number)
        self.feedback.attention(text) if attention else self.feedback.ok(text)

    # --- quantity ---------------------------------------------------------------------------
    def ask_quantity(self) -> None:
        self.awaiting_quantity = True
        self.feedback.attention(self.tr("Quantity: type or scan the number, then Enter"))
        self.retranslate()

    def set_quantity(self, quantity: int) -> None:
        if not 1 <= quantity <= MAX_QUANTITY:
            self.feedback.error(self.tr("A quantity is a number from 1 to {most}.").format(most=MAX_QUANTITY))
            return
        self.pending_quantity = quantity
        self.feedback.attention(self.tr("Next item counts {quantity} times: scan it").format(quantity=quantity))
        self.retranslate()

    # --- leaving ----------------------------------------------------------------------------
    def clear_marks(self) -> bool:
        """Drop the quantity, a short pick being entered and a lot being asked; True if any."""
        had = (self.awaiting_quantity or self.pending_quantity is not None or self.awaiting_found
               or self.awaiting_lot is not None)
        self.awaiting_quantity = self.awaiting_found = False
        self.pending_quantity = self.awaiting_lot = None
        return had

    def leave(self) -> None:
        """Esc / SF:CANCEL: first drop what is half-entered, then leave the wave, then go home."""
        if self.clear_marks():
            self.feedback.attention(self.tr("Cleared: scan again"))
            self.retranslate()
            return
        if self.wave_id is not None:
            number = self.wave_number()
            self.back_to_choose()
            self.feedback.attention(self.tr("Left {wave}: everything picked is saved").format(wave=number))
            return
        super().leave()

    # --- showing ----------------------------------------------------------------------------
    def show_task(self, task: PickPrompt, rows=None) -> None:  # noqa: ANN001 - list[PickListRow]
        self.task = task
        rows = rows or self._rows()
        self.list_model.show_rows(rows if rows is not None else list(self.list_model.rows), task.sequence)
        row = self.list_model.current_row()
        if row is not None:
            self.table.scrollTo(self.list_model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.retranslate()

    def _rows(self):  # noqa: ANN202 - list[PickListRow] | None
        if self.wave_id is None:
            return None
        try:
            return self.bridge.query(waves.picklist, self.wave_id)
        except OperationFailed as failure:
            self.feedback.error(failure.message)
            return None

    def back_to_choose(self) -> None:
        self.wave_id = None
        self.task = None
        self.clear_marks()
        self.list_model.show_rows([], None)
        self.pages.setCurrentWidget(self.choose_page)
        self.refresh()
        self.retranslate()

    def refresh(self) -> None:
        if self._running:
            return  # the use case's own result is about to be shown
        if self.wave_id is not None:
            self._refresh_wave()
            return
        try:
            waiting = [wave for status in ("released", "picking")
                       for wave in self.bridge.query(waves.list_waves, status=status)]
        except OperationFailed as failure:
            self.feedback.error(failure.message)
            return
        self.wave_list.show_waves(waiting)
        self.retranslate()

    def _refresh_wave(self) -> None:
        """Someone else picked on this wave: show the list as it is now, and their progress
        in the current prompt (a half-entered step keeps its task)."""
        if self.awaiting_found or self.awaiting_lot is not None or self.wave_id is None:
            return
        try:
            task = self.bridge.query(picking.next_pick, self.wave_id, self.bridge.require_actor())
        except OperationFailed:
            return
        if task is None:
            self.back_to_choose()
            return
        self.show_task(task)

    def _run(self, call, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        self._running = True
        try:
            return call(*args, **kwargs)
        finally:
            self._running = False

    # --- keys -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if self.wave_id is None and key in LIST_KEYS:
            self.wave_list.move(LIST_KEYS[key])
            return
        if self.wave_id is not None and key in (Qt.Key.Key_F2, Qt.Key.Key_F6):
            self.ask_quantity() if key == Qt.Key.Key_F2 else self.shorts.start()
            self.retranslate()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # The scan field (a QLineEdit) ignores an empty Enter: here it opens the next wave.
        if watched is self.scan_field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.scan_field.text()
                    and self.wave_id is None):
                self.open_selected()
                self.retranslate()
                return True
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        if self.wave_id is None:
            self.refresh()  # waves released or picked elsewhere since last time

