"""Packing by scanner: scan a tote (or the order number), verify every unit into parcels,
weigh and close each parcel; its label and packing slip print when it closes.

Step 1, no order open: scan the tote from the cart (W000012-T03) or the order number, or
choose a waiting order with the arrow keys and Enter. Step 2: every item scan is one
pack_scan with its own idempotency key; an item not on the order, or one more than was
picked, is refused in red. The carton is suggested; scanning a carton code (BOX-M) or F5
overrides it. Closing asks for the weight (the scan field takes it, like a quantity). When
nothing is left in the tote the order is finished; units that were never picked block it
until a supervisor splits them off into a backorder.

    SF:QTY:<n>  next item counts n times     SF:QTY (or F2)  type/scan the quantity next
    SF:CLOSE    (F8) weigh and close the parcel; SF:CLOSE:<kg> closes with that weight
    SF:SPLIT    (F7) supervisor: split the never-picked units off
    SF:CONFIRM  (F9) finish the order        F5 choose the carton
    SF:UNDO     (Ctrl+Z) take my last scan out of the open parcel, back into the tote
    SF:CANCEL   (Esc) clear the marks, then leave the order (everything packed is saved)
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QWidget

from app.core.errors import LotRequired
from app.core.scan import ScannedCode
from app.services.orders import documents as orders
from app.services.outbox.copies_outbound import pack_copy
from app.services.packing import parcels as packing
from app.services.packing.parcels import PackingView, PackResult
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.dialogue import Answer, Command, Question, Scan, Step
from app.ui.fitted import CurrentPageStack
from app.ui.floor_widgets import LIST_KEYS, floor_page, floor_table, marks_strip
from app.ui.offline import keep_offline_copy, update_offline_copy
from app.ui.packing.attempt import PackAttempt, parse_weight
from app.ui.packing.lines_model import PackLinesModel
from app.ui.packing.lists import ParcelsList, WaitingOrdersList
from app.ui.packing.parcels import PACK_CHANGES, ParcelActions
from app.ui.screen import FloorScreen

IN_ORDER = ("pack",)


class PackScreen(FloorScreen):
    refresh_flags = Changes(orders=True)
    journal_context = "packing"
    steps = {"choose": Step("document", "open_scanned"), "pack": Step("item", "pack_scanned")}
    commands = (
        Command("CONFIRM", QT_TRANSLATE_NOOP("Commands", "pack the highlighted order"), "open_selected",
                ("Enter",), steps=("choose",)),
        Command("QTY", QT_TRANSLATE_NOOP("Commands", "quantity"), "quantity", ("F2",), argument=True,
                steps=IN_ORDER),
        Command("", QT_TRANSLATE_NOOP("Commands", "choose the carton (or scan one)"), "choose_carton", ("F5",),
                steps=IN_ORDER),
        Command("CLOSE", QT_TRANSLATE_NOOP("Commands", "weigh and close parcel"), "weigh_and_close", ("F8",),
                argument=True, steps=IN_ORDER),
        Command("CONFIRM", QT_TRANSLATE_NOOP("Commands", "finish order"), "finish", ("F9",), steps=IN_ORDER),
        Command("SPLIT", QT_TRANSLATE_NOOP("Commands", "split missing units (supervisor)"), "split", ("F7",),
                steps=IN_ORDER),
        Command("UNDO", QT_TRANSLATE_NOOP("Commands", "undo"), "undo", ("Ctrl+Z",), steps=IN_ORDER),
        Command("CANCEL", QT_TRANSLATE_NOOP("Commands", "clear the marks, then leave the order"), "leave",
                ("Esc",)),
    )

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.view: PackingView | None = None
        self.cartons = []  # CartonSize of the active cartons, read when an order opens
        self.carton_choice: str | None = None  # the packer's carton for the open parcel
        self.pending_quantity: int | None = None
        self._running = False
        self.actions = ParcelActions(self)
        self.open_caption = QLabel(objectName="openCaption")
        self.waiting = WaitingOrdersList()
        self.waiting.chosen.connect(self.open_order)
        self.header = QLabel(objectName="orderHeader")
        self.header.setWordWrap(True)
        self.header.setStyleSheet("QLabel#orderHeader { font-size: 18pt; font-weight: bold; }")
        self.carton = QLabel(objectName="cartonLine")
        self.carton.setStyleSheet("QLabel#cartonLine { font-size: 18pt; }")
        self.mode = marks_strip("packMode")
        self.lines_model = PackLinesModel(self)
        self.table = floor_table(self.lines_model, "packLines", stretch_column=1)
        self.parcels = ParcelsList()
        self.pages = CurrentPageStack()  # as tall as the page shown
        self.choose_page = floor_page(self.open_caption, self.waiting)
        self.order_page = floor_page(self.header, self.carton, self.mode, self.table, self.parcels,
                                     stretch=self.table)
        self.pages.addWidget(self.choose_page)
        self.pages.addWidget(self.order_page)
        self.content.addWidget(self.pages)
        self.scan_field.installEventFilter(self)
        self.retranslate()
        self.refresh()



    # --- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Pack"))
        self.lines_model.retranslate()
        self.waiting.retranslate()
        self.parcels.retranslate()
        if self.view is None:
            self.prompt.setText(self.tr("Scan a tote or an order number"))
            self.open_caption.setText(
                self.tr("Or choose a picked order: arrow keys, then Enter")
                if self.waiting.count() else self.tr("No picked orders are waiting.")
            )
            return
        self.prompt.setText(self.prompt_text())
        self.header.setText(self.header_text())
        self.carton.setText(self.carton_text())
        marks = []
        if self.pending_quantity is not None:
            marks.append(self.tr("Next item counts {quantity} times").format(quantity=self.pending_quantity))
        self.mode.setText("    ".join(marks))
        self.mode.setVisible(bool(marks))

    def prompt_text(self) -> str:
        view = self.view
        assert view is not None
        parcel = view.open_parcel
        number = parcel.number if parcel else len(view.parcels) + 1
        if view.to_pack:
            return self.tr("Scan each item into parcel {number} ({units} left in the tote)").format(
                number=number, units=view.to_pack)
        if parcel is not None:
            return self.tr("Everything is in parcel {number}: F8 / SF:CLOSE to weigh and close it").format(
                number=number)
        if view.never_picked:
            return self.tr("%n unit(s) never picked: a supervisor splits them off (F7 / SF:SPLIT)", "",
                           view.never_picked)
        return self.tr("Everything is packed: F9 / SF:CONFIRM finishes the order")

    def header_text(self) -> str:
        order = self.view.order
        service = f" {order.service}" if order.service else ""
        ship_to = order.ship_to
        return "    ".join((order.label, order.carrier + service,
                            f"{ship_to.name}, {ship_to.city} {ship_to.country}"))

    def carton_text(self) -> str:
        if self.view.open_parcel is None and self.view.to_pack == 0:
            return ""  # every parcel closed and the tote empty: no carton to choose
        if self.carton_choice:
            return self.tr("Carton: {code} (chosen; F5 to change)").format(code=self.carton_choice)
        if self.view.suggested_carton:
            return self.tr("Carton: {code} (suggested; scan another carton or F5 to change)").format(
                code=self.view.suggested_carton)
        return self.tr("Carton: no carton fits everything: choose one (F5) or pack into several parcels")

    @property
    def step(self) -> str:
        return "choose" if self.view is None else "pack"

    def command_not_here(self, code: str) -> str:
        if self.view is None:
            return self.tr("Open an order first: scan its tote or number.")
        return self.tr("{code} does nothing here.").format(code=code)

    # --- step 1: an order ---------------------------------------------------------------------
    def open_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        self.open_order(scan.raw)

    def open_order(self, raw: str) -> None:
        try:
            view = self._run(self.bridge.run, packing.start_packing, raw, actor=self.bridge.require_actor())
            self.cartons = self.bridge.query(packing.active_cartons)
        except OperationFailed as failure:
            self.fail(failure, raw)
            return
        self.dialogue.journal_ok(f"opened {view.order.label}")
        keep_offline_copy(self.bridge, pack_copy, view.order.order_id)
        self.show_view(view)
        self.pages.setCurrentWidget(self.order_page)
        self.feedback.ok(self.tr("{order}: scan the first item").format(order=view.order.label))
        self.retranslate()

    def open_selected(self) -> None:
        self.refresh()  # orders picked at other workstations since the list was shown
        scan = self.waiting.selected_scan()
        if scan is None:
            self.feedback.attention(self.tr("No picked orders are waiting."))
            return
        self.open_order(scan)

    # --- step 2: items ------------------------------------------------------------------------
    def carton_code(self, text: str) -> str | None:
        """The carton a scan names (its code, any case), else None."""
        return next((c.code for c in self.cartons if c.code.upper() == text.upper()), None)

    def set_carton(self, code: str) -> None:
        self.carton_choice = code
        self.feedback.ok(self.tr("Carton {code} for parcel {number}").format(code=code, number=self.parcel_number()))

    def choose_carton(self) -> None:
        if self.view is None:
            return
        listed = "    ".join(f"{n} {c.code}" for n, c in enumerate(self.cartons, start=1))
        self.dialogue.ask(Question("carton", self.tr("Which carton? Scan it or type its number") + "\n" + listed,
                                   lambda answer: self.set_carton(answer.value),
                                   choices=tuple((c.code, c.code) for c in self.cartons)))

    def pack_scanned(self, scan: Scan, code: ScannedCode | None) -> None:
        carton = self.carton_code(scan.raw.strip())
        if carton is not None:
            self.dialogue.journal_ok(f"carton {carton}")
            self.set_carton(carton)
            return
        self.pack(PackAttempt(scan.raw, quantity=self.pending_quantity, idempotency_key=scan.key,
                              gtin=code.gtin if code is not None else None))

    def pack(self, attempt: PackAttempt) -> None:
        assert self.view is not None
        try:
            result = self._run(self.bridge.run_scan, packing.pack_scan, self.view.order.order_id, attempt.raw,
                               actor=self.bridge.require_actor(), idempotency_key=attempt.idempotency_key,
                               quantity=attempt.quantity, lot=attempt.lot, changes=PACK_CHANGES,
                               offline=attempt.offline(self.view.order.order_id, self.bridge.require_actor()))
        except OperationFailed as failure:
            if isinstance(failure.error, LotRequired) and attempt.lot is None:
                self.ask_lot(attempt)
                return
            self.fail(failure, attempt.raw)
            return
        self.packed(result)

    def ask_lot(self, attempt: PackAttempt) -> None:
        def given(answer: Answer) -> None:
            attempt.lot = answer.value
            self.pack(attempt)

        self.dialogue.ask(Question("lot", self.tr("Scan the lot of the item (GS1 label) or type it"), given,
                                   gtin=attempt.gtin))

    def packed(self, result: PackResult) -> None:
        self.pending_quantity = None
        self.show_view(result.view, touched_sku=result.sku)
        line = next(line for line in result.view.order.lines if line.sku == result.sku)
        text = self.tr("+{units} {sku} \u2192 parcel {parcel} ({packed} of {ordered})").format(
            units=result.units, sku=result.sku, parcel=result.parcel, packed=line.packed, ordered=line.quantity)
        if result.replayed:
            self.feedback.attention(self.tr("Already counted: {scan}").format(scan=text))
        elif not result.view.to_pack:
            self.feedback.ok(text + "    " + self.tr("Tote empty: F8 / SF:CLOSE to weigh and close"))
        else:
            self.feedback.ok(text)

    def undo(self) -> None:
        """My last scan on this order comes out of the open parcel, back into the tote."""
        assert self.view is not None
        try:
            undone = self._run(self.bridge.run, packing.undo_last_pack, self.view.order.order_id,
                               actor=self.bridge.require_actor(), changes=PACK_CHANGES)
        except OperationFailed as failure:
            self.fail(failure)
            return
        if undone is None:
            self.feedback.attention(self.tr("Nothing of yours to undo on {order}").format(
                order=self.view.order.label))
            return
        self.pending_quantity = None
        self.show_view(undone.view, touched_sku=undone.sku)
        self.feedback.attention(self.tr("Undone: -{units} {sku} out of parcel {parcel}: back in the tote").format(
            units=undone.units, sku=undone.sku, parcel=undone.parcel))

    # --- quantity and weight ----------------------------------------------------------------
    def weigh_and_close(self, argument: str = "") -> None:
        """F8 / SF:CLOSE asks the weight; SF:CLOSE:<kg> closes with it."""
        assert self.view is not None
        if self.view.open_parcel is None:
            self.feedback.error(self.tr("No parcel is open: scan an item into one first."))
            return
        if argument:
            self.weight_given(argument)
            return
        self.dialogue.ask(Question("weight", self.tr(
            "Weigh parcel {number}: type or scan its weight in kg, then Enter").format(number=self.parcel_number()),
            lambda answer: self.weight_given(str(answer.value))))

    def weight_given(self, text: str) -> None:
        weight = parse_weight(text)
        if weight is None:
            self.feedback.error(self.tr("'{text}' is not a weight: type the kilograms, like 1.25").format(text=text))
            return
        self.actions.close_parcel(weight)

    def finish(self) -> None:
        self.actions.finish()

    def split(self) -> None:
        self.actions.split()

    def parcel_number(self) -> int:
        parcel = self.view.open_parcel if self.view else None
        return parcel.number if parcel else len(self.view.parcels) + 1 if self.view else 1

    # --- leaving --------------------------------------------------------------------------------
    def clear_marks(self) -> bool:
        had = self.pending_quantity is not None
        self.pending_quantity = None
        return had

    def leave(self) -> None:
        """Esc / SF:CANCEL: first drop what is half-entered, then leave the order, then go home."""
        if self.clear_marks():
            self.feedback.attention(self.tr("Cleared: scan again"))
            self.retranslate()
            return
        if self.view is not None:
            label = self.view.order.label
            self.back_to_choose()
            self.feedback.attention(self.tr("Left {order}: everything packed is saved").format(order=label))
            return
        super().leave()

    # --- showing --------------------------------------------------------------------------------
    def show_view(self, view: PackingView, touched_sku: str | None = None) -> None:
        if self.view is not None and self.view.open_parcel != view.open_parcel and view.open_parcel is None:
            self.carton_choice = None  # the chosen carton belonged to the parcel just closed
        self.view = view
        update_offline_copy(self.bridge, ("pack", view.order.order_id), view)  # after a close, an undo...
        self.lines_model.show_lines(view.order.lines, touched_sku)
        self.parcels.show_parcels(view.parcels)
        row = self.lines_model.touched_row()
        if row is not None:
            self.table.scrollTo(self.lines_model.index(row, 0))
        self.retranslate()

    def reload(self) -> None:
        """The open order as it is now (after a close, a split, or someone else's scan)."""
        if self.view is None:
            return
        try:
            view = self.bridge.query(packing.packing_view_of, self.view.order.order_id)
        except OperationFailed as failure:
            if not failure.waits_for_database:  # offline: the order stays as the copy has it
                self.feedback.error(failure.message)
            return
        self.show_view(view)

    def back_to_choose(self) -> None:
        self.view = None
        self.carton_choice = None
        self.clear_marks()
        self.lines_model.show_lines(())
        self.parcels.show_parcels(())
        self.pages.setCurrentWidget(self.choose_page)
        self.refresh()
        self.retranslate()

    def refresh(self) -> None:
        if self._running:
            return
        if self.view is not None:
            self.reload()
            return
        try:
            waiting = self.bridge.query(orders.list_orders, status="picked")
        except OperationFailed as failure:
            self.feedback.error(failure.message)
            return
        self.waiting.show_orders(waiting)
        self.retranslate()

    # --- keys -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if self.view is None and event.key() in LIST_KEYS:
            self.waiting.move(LIST_KEYS[event.key()])
            return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        if self.view is None:
            self.refresh()

