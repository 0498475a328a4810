"""Picking by scanner: choose a wave, then walk it bin by bin in route order.

Step 1, no wave open: scan a wave number (W000012) or one of its totes, or press Enter for the
highlighted one, the oldest waiting wave. Step 2, one prompt at a time: "Go to A-03-02-1 - scan
the location", then "Pick 3 x WIDGET ... -> tote 2"; each item scan is one scan_item with its
own idempotency key. Wrong bins and items are refused in red with the service's words. The
pick list below shows every line in walking order: done ticked, short marked, current in blue.

    SF:QTY:<n>  next item counts n times    SF:QTY (or F2)  type/scan the quantity next
    SF:SHORT    (F6) the bin holds less: type the number found, then choose a reason
    SF:EMPTY    the bin is empty: choose a reason
    SF:UNDO     (Ctrl+Z) put my last pick of an unfinished task back in its bin
    SF:CANCEL   (Esc) clear the quantity, then leave the wave (every pick is saved)
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget

from app.core.errors import DatabaseUnavailable, LotRequired, WaitsForDatabase
from app.core.scan import ScannedCode
from app.services.outbox.copies_outbound import wave_copy
from app.services.outbox.replay import confirm_pick_location
from app.services.waves import pick_undo, picking
from app.services.waves import release as waves
from app.services.waves.picking import PickPrompt, PickResult
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.dialogue import Command, Question, Scan, Step
from app.ui.fitted import CurrentPageStack
from app.ui.floor_widgets import LIST_KEYS, floor_page, floor_table, marks_strip
from app.ui.offline import keep_offline_copy
from app.ui.offline.desk import OfflineScan
from app.ui.picking.attempt import PickAttempt
from app.ui.picking.picklist_model import PickListModel
from app.ui.picking.short_pick import ShortPicks
from app.ui.picking.wave_list import OpenWavesList, wave_id_from_scan
from app.ui.screen import FloorScreen

PICK_CHANGES = Changes(stock=True, picks=True, orders=True)
IN_WAVE = ("location", "item")


class PickScreen(FloorScreen):
    refresh_flags = Changes(picks=True, orders=True)
    journal_context = "picking"
    steps = {"choose": Step("document", "open_scanned_wave"), "location": Step("location", "confirm_location"),
             "item": Step("item", "pick_scanned")}
    commands = (
        Command("CONFIRM", QT_TRANSLATE_NOOP("Commands", "pick the highlighted wave"), "open_selected",
                ("Enter",), steps=("choose",)),
        Command("QTY", QT_TRANSLATE_NOOP("Commands", "quantity"), "quantity", ("F2",), argument=True,
                steps=IN_WAVE),
        Command("SHORT", QT_TRANSLATE_NOOP("Commands", "bin holds less"), "short", ("F6",), steps=IN_WAVE),
        Command("EMPTY", QT_TRANSLATE_NOOP("Commands", "bin is empty"), "empty", steps=IN_WAVE),
        Command("UNDO", QT_TRANSLATE_NOOP("Commands", "undo"), "undo", ("Ctrl+Z",), steps=IN_WAVE),
        Command("CANCEL", QT_TRANSLATE_NOOP("Commands", "clear the quantity, then leave the wave"),
                "leave", ("Esc",)),
    )

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.wave_id: int | None = None
        self.task: PickPrompt | None = None
        self.pending_quantity: int | None = None
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
        self.pages = CurrentPageStack()  # as tall as the page shown
        self.choose_page = floor_page(self.open_caption, self.wave_list)
        self.wave_page = floor_page(self.header, self.mode, self.table)
        self.pages.addWidget(self.choose_page)
        self.pages.addWidget(self.wave_page)
        self.content.addWidget(self.pages)
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
            return
        self.prompt.setText(self.prompt_text())
        self.header.setText(self.header_text())
        marks = []
        if self.pending_quantity is not None:
            marks.append(self.tr("Next item counts {quantity} times").format(quantity=self.pending_quantity))
        self.mode.setText("    ".join(marks))
        self.mode.setVisible(bool(marks))

    def prompt_text(self) -> str:
        task = self.task
        if task is None:
            return self.tr("Everything is picked")
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

    @property
    def step(self) -> str:
        if self.wave_id is None:
            return "choose"
        return "location" if self.task is not None and not self.task.location_confirmed else "item"

    def expected_location(self) -> str | None:
        return self.task.location if self.task is not None else None

    def command_not_here(self, code: str) -> str:
        if self.wave_id is None:
            return self.tr("Choose a wave first: scan its number or press Enter.")
        return self.tr("{code} does nothing here.").format(code=code)

    # --- step 1: a wave ---------------------------------------------------------------------
    def open_scanned_wave(self, scan: Scan, _code: ScannedCode | None) -> None:
        raw = scan.raw
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
        self.dialogue.journal_ok(f"opened {number}")
        keep_offline_copy(self.bridge, wave_copy, wave_id, self.bridge.actor)
        self.wave_id = wave_id
        self.show_task(task, rows)
        self.pages.setCurrentWidget(self.wave_page)
        self.feedback.ok(self.tr("{wave}: %n line(s), go to {location}", "", len(rows)).format(
            wave=number, location=task.location))
        self.retranslate()

    # --- step 2: location, then items ---------------------------------------------------------
    def confirm_location(self, scan: Scan, _code: ScannedCode | None) -> None:
        assert self.task is not None
        raw = scan.raw
        try:
            actor = self.bridge.require_actor()
            task = self._run(self.bridge.run_scan, confirm_pick_location, self.task.task_id, raw, actor=actor,
                             idempotency_key=scan.key, changes=Changes(picks=True), offline=OfflineScan(
                                 "pick_location", ("wave", self.task.wave_id),
                                 {"step": "location", "task_id": self.task.task_id, "scan": raw}, actor, "picking", raw))
        except OperationFailed as failure:
            self.fail(failure, raw)
            return
        self.dialogue.journal_ok(f"at {task.location}")
        self.show_task(task)
        self.feedback.ok(self.tr("At {location}: pick {quantity} \u00d7 {sku}").format(
            location=task.location, quantity=task.quantity, sku=task.sku))

    def pick_scanned(self, scan: Scan, code: ScannedCode | None) -> None:
        if self.task is None:
            self.feedback.error(self.tr("Everything is picked"))
            return
        attempt = PickAttempt(self.task, scan.raw, quantity=self.pending_quantity, idempotency_key=scan.key,
                              gtin=code.gtin if code is not None else None)
        if len({row.tote_slot for row in self.list_model.rows}) < 2:
            self.pick(attempt)
            return
        if not self.item_checked(attempt):
            return
        # A batch cart: the unit goes in only after the right tote's label is scanned.
        label = f"{self.task.wave}-T{self.task.tote_slot:02d}"
        self.dialogue.ask(Question("tote", self.tr("Into tote {slot}: scan its label {label}").format(
            slot=self.task.tote_slot, label=label), lambda _answer: self.pick(attempt), expected=label))

    def item_checked(self, attempt: PickAttempt) -> bool:
        """The scan is the task's item, asked before the tote question so that a wrong item is
        told before it goes into a tote. Without the database (offline, or lost just now) the
        scan goes on as it is: it is checked when it is applied."""
        desk = self.bridge.offline
        if desk is not None and desk.offline:
            return True
        try:
            self._run(self.bridge.run, picking.check_pick_item, attempt.task.task_id, attempt.raw,
                      actor=self.bridge.require_actor(), quantity=attempt.quantity)
        except OperationFailed as failure:
            if isinstance(failure.error, (DatabaseUnavailable, WaitsForDatabase)):
                return True
            self.fail(failure, attempt.raw)
            return False
        return True

    def pick(self, attempt: PickAttempt) -> None:
        try:
            actor = self.bridge.require_actor()
            result = self._run(self.bridge.run_scan, picking.scan_item, attempt.task.task_id, attempt.raw,
                               actor=actor, idempotency_key=attempt.idempotency_key,
                               quantity=attempt.quantity, lot=attempt.lot, changes=PICK_CHANGES, offline=OfflineScan(
                                   "scan_item", ("wave", attempt.task.wave_id),
                                   {"task_id": attempt.task.task_id, "scan": attempt.raw, "quantity": attempt.quantity,
                                    "lot": attempt.lot}, actor, "picking", attempt.raw))
        except OperationFailed as failure:
            if isinstance(failure.error, LotRequired) and attempt.lot is None:
                self.ask_lot(attempt)  # the same scan, with the same key, once the lot is given
                return
            self.fail(failure, attempt.raw)
            return
        self.picked(result, attempt)

    def ask_lot(self, attempt: PickAttempt) -> None:
        def given(answer):  # noqa: ANN001, ANN202
            attempt.lot = answer.value
            self.pick(attempt)

        sku = attempt.task.sku
        self.dialogue.ask(Question("lot", self.tr("Scan the lot of {sku}").format(sku=sku), given,
                                   subject=sku, gtin=attempt.gtin))

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

    # --- quantity and short picks ---------------------------------------------------------------
    def short(self) -> None:
        self.shorts.start()

    def empty(self) -> None:
        self.shorts.start(empty=True)

    # --- undo -------------------------------------------------------------------------------
    def undo(self) -> None:
        """My last pick on this wave goes back to its bin; the picker is sent back there."""
        assert self.wave_id is not None
        try:
            undone = self._run(self.bridge.run, pick_undo.undo_last_pick, self.wave_id,
                               actor=self.bridge.require_actor(), changes=PICK_CHANGES)
        except OperationFailed as failure:
            self.fail(failure)
            return
        if undone is None:
            self.feedback.attention(self.tr("Nothing of yours to undo on {wave}").format(wave=self.wave_number()))
            return
        self.pending_quantity = None
        self.show_task(undone.prompt)
        self.feedback.attention(self.tr("Undone: -{units} {sku} from tote {slot}: put it back in {location}").format(
            units=undone.units, sku=undone.sku, slot=undone.tote_slot, location=undone.location))

    # --- leaving ----------------------------------------------------------------------------
    def clear_marks(self) -> bool:
        """Drop the quantity, a short pick being entered and a lot being asked; True if any."""
        had = self.pending_quantity is not None
        self.pending_quantity = None
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
            if not failure.waits_for_database:  # offline: the list stays as it was, quietly
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
            if not failure.waits_for_database:  # offline: the list stays as it was, quietly
                self.feedback.error(failure.message)
            return
        self.wave_list.show_waves(waiting)
        self.retranslate()

    def _refresh_wave(self) -> None:
        """Someone else picked on this wave: show the list as it is now, and their progress
        in the current prompt (a half-entered step keeps its task)."""
        if self.dialogue.question is not None or self.wave_id is None:
            return
        try:
            task = self.bridge.query(picking.next_pick, self.wave_id, self.bridge.require_actor())
        except OperationFailed:
            return
        if task is None:
            self.back_to_choose()
            return
        self.show_task(task)

    # --- keys -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if self.wave_id is None and event.key() in LIST_KEYS:
            self.wave_list.move(LIST_KEYS[event.key()])
            return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        if self.wave_id is None:
            self.refresh()  # waves released or picked elsewhere since last time

