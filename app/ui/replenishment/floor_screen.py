"""Replenish by scanner: refill a pick face from reserve, one task at a time.

The open tasks are listed (those orders wait for first); the first is in hand. Scan the
reserve bin (a scan, not a typed code), the item (a case counts its units; a lot-tracked item
without a GS1 lot asks for the lot), say how many, then scan the face: the units move through
the ledger and orders waiting for the product are allocated at once.

    SF:NEXT (F3)  the next task          SF:QTY (F2)  change the quantity before the face scan
    SF:CANCEL (Esc)  one step back, then leave
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel, QWidget

from app.core.scan import ScannedCode
from app.services.replenishment import floor, tasks
from app.services.replenishment.tasks import OpenTask
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.dialogue import Answer, Command, Question, Scan, Step
from app.ui.floor_widgets import floor_table
from app.ui.replenishment.tasks_model import TasksModel
from app.ui.screen import FloorScreen

REPLENISH_CHANGES = Changes(stock=True, orders=True)


class ReplenishScreen(FloorScreen):
    refresh_flags = Changes(stock=True, orders=True, picks=True)
    journal_context = "replenish"
    steps = {"reserve": Step("location", "reserve_scanned"), "item": Step("item", "item_scanned"),
             "face": Step("location", "face_scanned")}
    commands = (
        Command("NEXT", QT_TRANSLATE_NOOP("Commands", "next task"), "next_task", ("F3",),
                steps=("reserve",)),
        Command("QTY", QT_TRANSLATE_NOOP("Commands", "change the quantity"), "quantity", ("F2",),
                argument=True, steps=("face",)),
        Command("CANCEL", QT_TRANSLATE_NOOP("Commands", "one step back, then leave"), "leave", ("Esc",)),
    )

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.tasks: list[OpenTask] = []
        self.task: OpenTask | None = None
        self.reserve: floor.ReserveCheck | None = None
        self.item: floor.ItemCheck | None = None
        self.item_scan = ""
        self.lot: str | None = None
        self.units: int | None = None
        self.panel = QLabel(objectName="replenishTask")
        self.panel.setWordWrap(True)
        self.panel.setStyleSheet("QLabel#replenishTask { font-size: 20pt; font-weight: bold; }")
        self.caption = QLabel(objectName="replenishCaption")
        self.model = TasksModel(self)
        self.table = floor_table(self.model, "replenishTasks", stretch_column=2, font_pt=16, header_pt=14)
        self.content.addWidget(self.panel)
        self.content.addWidget(self.caption)
        self.content.addWidget(self.table, 1)
        self.retranslate()
        self.refresh()

    @property
    def step(self) -> str:
        if self.reserve is None:
            return "reserve"
        return "item" if self.units is None else "face"

    # --- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Replenish"))
        self.model.retranslate()
        task = self.task
        self.caption.setText(self.tr("Open replenishments: %n", "", len(self.tasks)))
        if task is None:
            self.panel.setText("")
            self.prompt.setText(self.tr("No face needs replenishing. New tasks appear here."))
            return
        lines = [self.tr("Bring {units} \u00d7 {sku} {name} to {face}").format(
            units=task.quantity, sku=task.sku, name=task.name, face=task.face)]
        if self.reserve is not None:
            lines.append(self.tr("From {location}: {free} free").format(location=self.reserve.location,
                                                                      free=self.reserve.free))
        if self.units is not None:
            lines.append(self.tr("Taking {units}{lot}").format(
                units=self.units, lot=f" ({self.lot})" if self.lot else ""))
        self.panel.setText("\n".join(lines))
        if self.reserve is None:
            self.prompt.setText(self.tr("Scan the reserve bin {location}").format(location=task.reserve)
                                if task.reserve else self.tr("Scan a reserve bin holding {sku}").format(sku=task.sku))
        elif self.units is None:
            self.prompt.setText(self.tr("Scan {sku} in {location}").format(sku=task.sku, location=self.reserve.location))
        else:
            self.prompt.setText(self.tr("Scan the pick face {face}").format(face=task.face))

    def expected_location(self) -> str | None:
        if self.task is None:
            return None
        return self.task.reserve if self.step == "reserve" else self.task.face

    # --- step 1: the reserve bin ------------------------------------------------------------
    def reserve_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        if self.task is None:
            self.feedback.attention(self.tr("No face needs replenishing."))
            return
        if not self._scanned(scan):
            return
        try:
            reserve = self.bridge.query(floor.check_reserve, self.task.id, scan.raw)
        except OperationFailed as failure:
            self.fail(failure, scan.raw)
            return
        self.dialogue.journal_ok(f"reserve bin {reserve.location}")
        self.reserve = reserve
        self.feedback.ok(self.tr("{location}: take {sku}").format(location=self.reserve.location, sku=self.task.sku))

    # --- step 2: the item, its lot, how many -------------------------------------------------
    def item_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        assert self.task is not None
        try:
            self.item = self.bridge.query(floor.check_item, self.task.id, scan.raw)
        except OperationFailed as failure:
            self.fail(failure, scan.raw)
            return
        self.item_scan = scan.raw
        self.dialogue.journal_ok(f"item {self.item.sku}")
        if self.task.tracking != "none" and not self.item.lot:
            self.dialogue.ask(Question("lot", self.tr("Scan or type the lot of {sku}").format(sku=self.task.sku),
                                       self._lot_given, self._item_dropped, subject=self.task.sku))
            return
        self.lot = self.item.lot
        self._ask_units()

    def _lot_given(self, answer: Answer) -> None:
        self.lot = str(answer.value)
        self._ask_units()

    def _ask_units(self) -> None:
        assert self.task is not None and self.reserve is not None
        most = max(1, min(self.task.quantity, self.reserve.free))
        self.dialogue.ask(Question("quantity", self.tr("How many do you take? 1 to {most}, then Enter").format(
            most=most), self._units_given, self._item_dropped, least=1, most=most))

    def _units_given(self, answer: Answer) -> None:
        self.units = int(answer.value)
        self.feedback.ok(self.tr("{units} \u00d7 {sku}: scan the pick face {face}").format(
            units=self.units, sku=self.task.sku, face=self.task.face))
        self.retranslate()

    def _item_dropped(self) -> None:
        self.item, self.lot, self.units = None, None, None
        self.feedback.attention(self.tr("Nothing taken: scan the item again"))
        self.retranslate()

    def quantity(self, argument: str = "") -> None:
        """F2 / SF:QTY asks again how many; SF:QTY:<n> says it."""
        if argument:
            value = int(argument) if argument.isdigit() else 0
            if self.task is not None and self.reserve is not None and \
                    1 <= value <= min(self.task.quantity, self.reserve.free):
                self._units_given(Answer(value))
            else:
                self.feedback.error(self.tr("That many cannot be taken here."))
            return
        self._ask_units()

    # --- step 3: the face confirms -------------------------------------------------------
    def face_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        assert self.task is not None and self.reserve is not None and self.units is not None
        if not self._scanned(scan):
            return
        try:
            result = self._run(self.bridge.run, floor.confirm_replenishment, self.task.id,
                               reserve_scan=self.reserve.location, item_scan=self.item_scan, quantity=self.units,
                               face_scan=scan.raw, lot=self.lot, actor=self.bridge.require_actor(),
                               idempotency_key=scan.key, changes=REPLENISH_CHANGES)
        except OperationFailed as failure:
            self.fail(failure, scan.raw)
            return
        text = self.tr("\u2713 {units} \u00d7 {sku} {source} \u2192 {face}").format(
            units=result.units, sku=result.sku, source=result.source, face=result.face)
        if result.allocated:
            text += ", " + self.tr("{units} units for waiting orders").format(units=result.allocated)
        self._clear()
        self.refresh()
        if result.replayed:
            self.feedback.attention(self.tr("Already replenished: {scan}").format(scan=text))
        else:
            self.feedback.ok(text)

    def _scanned(self, scan: Scan) -> bool:
        """Bins are confirmed by their label (or its check digits), never by a typed code."""
        if scan.by_scanner:
            return True
        self.dialogue.refuse(scan, self.tr("Scan the bin label: a typed code is not accepted here. {prompt}").format(
            prompt=self.prompt.text()))
        return False

    # --- moving between tasks ------------------------------------------------------------
    def next_task(self) -> None:
        if len(self.tasks) < 2 or self.task is None:
            self.feedback.attention(self.tr("No other task"))
            return
        index = next(i for i, t in enumerate(self.tasks) if t.id == self.task.id)
        self._show(self.tasks[(index + 1) % len(self.tasks)])
        self.feedback.clear()

    def leave(self) -> None:
        """Esc: drop the quantity and item, then the reserve bin, then go home."""
        if self.units is not None or self.item is not None:
            self.item, self.lot, self.units = None, None, None
            self.feedback.attention(self.tr("Item dropped: scan it again"))
        elif self.reserve is not None:
            self.reserve = None
            self.feedback.attention(self.tr("Bin dropped: scan a reserve bin"))
        else:
            super().leave()
            return
        self.retranslate()

    def _clear(self) -> None:
        self.reserve, self.item, self.lot, self.units, self.item_scan = None, None, None, None, ""

    def _show(self, task: OpenTask | None) -> None:
        self._clear()
        self.task = task
        self.model.show_tasks(self.tasks, task.id if task else None)
        self.retranslate()

    def refresh(self) -> None:
        if self._running or self.step != "reserve":
            return  # a task in hand stays as it is
        try:
            self.tasks = self.bridge.query(tasks.open_tasks)
        except OperationFailed as failure:
            self.feedback.error(failure.message)
            return
        keep = next((t for t in self.tasks if self.task is not None and t.id == self.task.id), None)
        self._show(keep or (self.tasks[0] if self.tasks else None))

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        self.refresh()
