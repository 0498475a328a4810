"""Return inspection by scanner: open the RMA (or the parcel, the order, an item), scan each
item, tick the checklist, grade it, confirm: the unit is routed and its label printed.

    RMA / order / parcel / item    opens the return (an item is received at once)
    item                           received onto the returns location, inspection starts
    F1..F6  SF:CHECK-<n>           toggle checklist item n (passed / failed)
    1-4 or A-D + Enter, SF:GRADE-A .. SF:GRADE-D      grade
    F7  SF:FINDING-<CODE>          findings and notes (asked in the scan field)
    SF:RESTOCK SF:QUARANTINE SF:REFURBISH SF:RTV SF:SCRAP   another disposition (supervisor)
    Enter (empty)  SF:CONFIRM      route the unit, print its routing label
    Ctrl+Z  SF:UNDO                undo my last step    F8 SF:CLOSE  close the RMA
    F9  SF:PRINT                   print the last label again
    Esc  SF:CANCEL                 drop the question / the unit / the RMA, then leave
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel, QWidget

from app.core.errors import LotRequired
from app.core.returns_rules import DISPOSITION_COMMANDS, FINDINGS
from app.core.scan import ScannedCode
from app.core.scan import try_interpret as scanned_code
from app.services.outbox.copies_outbound import return_copy
from app.services.returns import receive as returns
from app.services.returns.data import RmaView
from app.services.returns.inspection import Inspection, InspectionResult, plan_disposition, unit_checklist
from app.services.returns.labels import RoutingLabel
from app.services.returns.lookup import UNIT_CODE
from app.services.returns.receive import ReceiveResult
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.dialogue import Command, Question, Scan, Step
from app.ui.fitted import CurrentPageStack
from app.ui.floor_widgets import floor_page
from app.ui.offline import keep_offline_copy
from app.ui.returns.attempt import InspectAttempt
from app.ui.returns.findings import FindingsQuestions
from app.ui.returns.inspection_panel import InspectionState
from app.ui.returns.keys import ReturnsKeys
from app.ui.returns.label_output import PrinterUnavailable, RoutingLabelOutput
from app.ui.returns.offline import kept_offline, offline_receive, show_kept
from app.ui.returns.open_list import OpenRmasList
from app.ui.returns.rma_page import RmaPage
from app.ui.returns.texts import disposition_name, flag_names, grade_name
from app.ui.screen import FloorScreen

RETURN_CHANGES = Changes(stock=True, returns=True)
GRADE_KEYS = {"1": "A", "2": "B", "3": "C", "4": "D", "A": "A", "B": "B", "C": "C", "D": "D"}
IN_RMA = ("item", "unit")
ON_UNIT = ("unit",)
# SF:RESTOCK ... SF:SCRAP: another disposition than the rules' (a supervisor approves on Enter).
DISPOSITION_TABLE = tuple(
    Command(name, QT_TRANSLATE_NOOP("Commands", "another disposition (supervisor)"), f"choose_{disposition}",
            steps=ON_UNIT, hinted=False)
    for name, disposition in DISPOSITION_COMMANDS.items())


class ReturnsScreen(ReturnsKeys, FloorScreen):
    refresh_flags = Changes(returns=True)
    journal_context = "returns"
    # "unit": a unit is being inspected; what is typed there may be a grade (1-4, A-D), so the
    # warehouse's scan-required rule for items does not apply to it.
    steps = {"choose": Step("document", "open_scanned"), "item": Step("item", "item_scanned"),
             "unit": Step("any", "item_scanned")}
    commands = (
        Command("CONFIRM", QT_TRANSLATE_NOOP("Commands", "confirm"), "confirm", ("Enter",)),
        Command("GRADE", QT_TRANSLATE_NOOP("Commands", "grade"), "grade_command", argument=True, steps=IN_RMA,
                on_sheet=False, hinted=False),
        Command("CHECK", QT_TRANSLATE_NOOP("Commands", "checklist item"), "check_command", argument=True,
                steps=IN_RMA, on_sheet=False, hinted=False),
        Command("FINDING", QT_TRANSLATE_NOOP("Commands", "findings, notes"), "finding_command", ("F7",),
                argument=True, steps=IN_RMA, on_sheet=False),
        Command("UNDO", QT_TRANSLATE_NOOP("Commands", "undo"), "undo", ("Ctrl+Z",), steps=IN_RMA),
        Command("CLOSE", QT_TRANSLATE_NOOP("Commands", "close RMA"), "close_rma", ("F8",), steps=IN_RMA),
        Command("PRINT", QT_TRANSLATE_NOOP("Commands", "print the last label again"), "print_again", ("F9",),
                steps=IN_RMA),
        *DISPOSITION_TABLE,
        Command("CANCEL", QT_TRANSLATE_NOOP("Commands", "drop the unit, then leave the RMA"), "leave", ("Esc",)),
    )

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rma: RmaView | None = None
        self.state: InspectionState | None = None
        self.last_label: RoutingLabel | None = None
        self.label_note = ""
        self._running = False
        self.open_caption = QLabel(objectName="openCaption")
        self.open_list = OpenRmasList()
        self.open_list.chosen.connect(self.open)
        self.rma_page = RmaPage()
        # The page's parts, as tests and the operator know them.
        self.header, self.panel = self.rma_page.header, self.rma_page.panel
        self.units_model, self.label_line = self.rma_page.units_model, self.rma_page.label_line
        self.pages = CurrentPageStack()  # as tall as the page shown
        self.choose_page = floor_page(self.open_caption, self.open_list)
        self.pages.addWidget(self.choose_page)
        self.pages.addWidget(self.rma_page)
        self.content.addWidget(self.pages)
        self.retranslate()
        self.refresh()

    @property
    def step(self) -> str:
        return "choose" if self.rma is None else "item" if self.state is None else "unit"

    def command_not_here(self, code: str) -> str:
        if self.rma is None:
            return self.tr("Open a return first: scan the RMA, the order or the parcel.")
        return self.tr("{code} does nothing here.").format(code=code)

    # --- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Returns"))
        self.open_list.retranslate()
        if self.rma is None:
            self.prompt.setText(self.tr("Scan the RMA, the order number, the customer's parcel or an item"))
            self.open_caption.setText(self.tr("Or choose an announced return: arrow keys, then Enter")
                                      if self.open_list.count() else self.tr("No returns are announced."))
            self.keys.setText(self.tr("Up/Down + Enter: open the highlighted RMA    Esc: back"))
            return
        if self.state is None:
            self.prompt.setText(self.tr("Scan an item of {rma}").format(rma=self.rma.label))
        elif self.state.grade is None:
            self.prompt.setText(self.tr("Check {code} and grade it").format(code=self.state.unit.code))
        else:
            self.prompt.setText(self.tr("Confirm {code}: Enter, or scan SF:CONFIRM").format(code=self.state.unit.code))
        self.rma_page.show_rma(self.rma, self.state, self.label_note)
        self.keys.setText(self.tr("F1-F6: checklist    1-4 / A-D + Enter: grade    Up/Down: waiting units")
                          + "\n" + self.dialogue.hints())
        if self.dialogue.question is not None:  # the open question keeps the prompt line and the keys
            self.prompt.setText(self.dialogue.question.prompt)
            self.keys.setText(self.dialogue.hints())

    # --- scans (the engine ran the commands already) ----------------------------------------
    def open_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        self.open(scan.raw)

    def item_scanned(self, scan: Scan, _code: ScannedCode | None) -> None:
        text = scan.raw.strip()
        if text.upper() in GRADE_KEYS:  # never a barcode: a grade, for the unit on the panel
            if self.state is None and self.rma is not None and self.rma.waiting:
                self.inspect_waiting(self.rma.waiting[0].unit_id)  # the first waiting unit, shown
                if self.state is None:
                    return  # it could not be read (said why)
            self.set_grade(GRADE_KEYS[text.upper()])  # no unit at all: "Scan an item ... first"
        elif UNIT_CODE.match(text.upper()):
            self.select_unit(text.upper(), scan.raw)
        else:
            self.receive(scan.raw, key=scan.key)

    def grade_command(self, argument: str = "") -> None:
        """SF:GRADE-A .. SF:GRADE-D."""
        grade = argument.upper() if argument.upper() in ("A", "B", "C", "D") else None
        if grade is None:
            self.feedback.error(self.tr("Grade {code} first: 1-4 or A-D, then Enter.").format(
                code=self.state.unit.code if self.state else ""))
            return
        self.set_grade(grade)

    def check_command(self, argument: str = "") -> None:
        """SF:CHECK-<n>: the checklist's item n."""
        self.toggle_check(int(argument) - 1 if argument.isdigit() and int(argument) > 0 else -1)

    def finding_command(self, argument: str = "") -> None:
        """F7: the findings list in the scan field; SF:FINDING-<CODE> toggles one."""
        if not argument:
            self.edit_details()
        elif argument.lower() in FINDINGS:
            self.toggle_finding(argument.lower())
        else:
            self.feedback.error(self.tr("{code} does nothing here.").format(code=f"SF:FINDING-{argument}"))

    # --- opening and receiving ----------------------------------------------------------
    def open(self, raw: str) -> None:
        try:
            result = self._run(self.bridge.run, returns.open_return, raw, actor=self.bridge.require_actor(),
                               idempotency_key=uuid.uuid4().hex, changes=RETURN_CHANGES)
        except OperationFailed as failure:
            self.fail(failure, raw)
            return
        self.rma = result.rma
        keep_offline_copy(self.bridge, return_copy, result.rma.rma_id)
        self.pages.setCurrentWidget(self.rma_page)
        if result.received is not None:
            self.start_inspection(result.received)
        elif result.created:
            self.feedback.attention(self.tr("Unannounced return: {rma} opened for order {order}. Scan the first item.")
                                    .format(rma=result.rma.number, order=result.rma.order_number))
        else:
            self.feedback.ok(self.tr("{rma}, order {order}: scan the first item").format(
                rma=result.rma.label, order=result.rma.order_number))
        self.retranslate()

    def open_selected(self) -> None:
        number = self.open_list.selected_number()
        if number is None:
            self.feedback.attention(self.tr("No returns are announced. Scan the RMA, the order or the parcel."))
            return
        self.open(number)

    def receive(self, raw: str, *, lot: str | None = None, key: str | None = None) -> None:
        assert self.rma is not None
        key = key or uuid.uuid4().hex
        try:
            result = self._run(self.bridge.run_scan, returns.receive_item, self.rma.rma_id, raw,
                               actor=self.bridge.require_actor(), idempotency_key=key, lot=lot,
                               changes=RETURN_CHANGES, offline=offline_receive(
                                   self.rma.rma_id, raw, lot, self.bridge.require_actor()))
        except OperationFailed as failure:
            if isinstance(failure.error, LotRequired) and lot is None:
                self.ask_serial(failure, raw, key)
                return
            self.fail(failure, raw)
            return
        if kept_offline(result):  # grading waits for the database
            show_kept(self, result)
            return
        self.start_inspection(result)

    def ask_serial(self, failure: OperationFailed, raw: str, key: str) -> None:
        """The serial (or lot) of the item, in the scan field; the same scan runs again with it."""
        code = scanned_code(raw)
        sku = str(failure.error.params.get("sku", "")) if failure.error is not None else ""
        self.dialogue.ask(Question(
            "serial", self.tr("{sku}: scan or type its serial / lot number").format(sku=sku),
            lambda answer: self.receive(raw, lot=answer.value, key=key),
            lambda: self.feedback.attention(self.tr("Serial question dropped: scan the item again")),
            subject=sku, gtin=code.gtin if code is not None else None))

    def start_inspection(self, result: ReceiveResult) -> None:
        self.rma = result.rma
        unit = result.unit
        try:
            items = self.bridge.query(unit_checklist, unit.unit_id)
        except OperationFailed as failure:
            self.fail(failure)
            return
        self.state = InspectionState(unit, items)
        text = self.tr("{code}: {sku} {name} received. Check it and grade it.").format(
            code=unit.code, sku=unit.sku, name=unit.name)
        if result.replayed:
            self.feedback.attention(self.tr("Already received: {text}").format(text=text))
        elif unit.flags:
            self.feedback.attention(text + " " + self.tr("Check: {flags}").format(flags=flag_names(unit.flags)))
        else:
            self.feedback.ok(text)
        self.retranslate()

    def select_unit(self, code: str, raw: str) -> None:
        assert self.rma is not None
        unit = next((u for u in self.rma.units if u.code == code), None)
        if unit is None or not unit.waiting:
            self.feedback.error(self.tr("{code} is not waiting for inspection on {rma}.").format(
                code=code, rma=self.rma.label))
            self.bridge.journal_failed_scan(self.journal_context, raw, OperationFailed(
                f"{code} is not waiting for inspection on {self.rma.label}."))
            return
        self.inspect_waiting(unit.unit_id)

    def inspect_waiting(self, unit_id: int) -> None:
        unit = next(u for u in self.rma.units if u.unit_id == unit_id)
        try:
            items = self.bridge.query(unit_checklist, unit_id)
        except OperationFailed as failure:  # e.g. offline: inspecting waits for the database
            self.fail(failure)
            return
        self.state = InspectionState(unit, items)
        self.feedback.attention(self.tr("{code}: {sku} {name} waits for inspection. Check it and grade it.").format(
            code=unit.code, sku=unit.sku, name=unit.name))
        self.retranslate()

    # --- inspecting -----------------------------------------------------------------------
    def _need_unit(self) -> bool:
        if self.state is None:
            self.feedback.error(self.tr("Scan an item of {rma} first.").format(rma=self.rma.label if self.rma else ""))
            return False
        return True

    def set_grade(self, grade: str) -> None:
        if not self._need_unit():
            return
        self.state.grade = grade
        self.dialogue.journal_ok(f"grade {grade} for {self.state.unit.code}")
        if self.update_plan():
            plan = self.state.plan
            values = dict(grade=grade, name=grade_name(grade), disposition=disposition_name(plan.disposition),
                          destination=plan.destination)
            if plan.needs_approval or plan.source == "override":
                self.feedback.attention(self.tr("Grade {grade} ({name}) \u2192 {disposition} \u2192 {destination}: "
                                                "a supervisor must approve. Enter to confirm.").format(**values))
            else:
                self.feedback.ok(self.tr("Grade {grade} ({name}) \u2192 {disposition} \u2192 {destination}. "
                                         "Enter to confirm.").format(**values))

    def update_plan(self) -> bool:
        state = self.state
        if state is None or state.grade is None:
            return False
        try:
            state.plan = self.bridge.query(plan_disposition, state.unit.unit_id, state.grade, state.disposition)
        except OperationFailed as failure:
            self.fail(failure)
            return False
        return True

    def choose_disposition(self, disposition: str) -> None:
        if not self._need_unit():
            return
        self.state.disposition = disposition
        if self.state.grade is None:
            self.feedback.attention(self.tr("{disposition} chosen: now grade the unit").format(
                disposition=disposition_name(disposition)))
        elif self.update_plan():
            self.feedback.attention(self.tr("{disposition} instead of the rules' choice: a supervisor must approve on Enter")
                                    .format(disposition=disposition_name(disposition))
                                    if self.state.plan.source == "override" else
                                    self.tr("{disposition} is what the rules say anyway").format(
                                        disposition=disposition_name(disposition)))

    def choose_restock(self) -> None:
        self.choose_disposition("restock")

    def choose_quarantine(self) -> None:
        self.choose_disposition("quarantine")

    def choose_refurbish(self) -> None:
        self.choose_disposition("refurbish")

    def choose_return_to_vendor(self) -> None:
        self.choose_disposition("return_to_vendor")

    def choose_scrap(self) -> None:
        self.choose_disposition("scrap")

    def toggle_check(self, position: int) -> None:
        if not self._need_unit():
            return
        if self.state.toggle(position) is None:
            self.feedback.error(self.tr("The checklist has {count} items.").format(count=len(self.state.items)))

    def toggle_finding(self, code: str) -> None:
        if not self._need_unit():
            return
        findings = self.state.findings
        self.state.findings = tuple(f for f in findings if f != code) if code in findings else findings + (code,)

    def edit_details(self) -> None:
        if not self._need_unit():
            return
        FindingsQuestions(self).start()

    def confirm(self) -> None:
        if self.rma is None:
            self.open_selected()
            return
        if not self._need_unit():
            return
        state = self.state
        if state.grade is None:
            self.feedback.error(self.tr("Grade {code} first: 1-4 or A-D, then Enter.").format(code=state.unit.code))
            return
        attempt = InspectAttempt(state.unit.unit_id, Inspection(state.grade, state.checklist(), state.findings,
                                                                state.notes),
                                 self.bridge.require_actor(), state.disposition)
        self.route(attempt)

    def route(self, attempt: InspectAttempt) -> None:
        try:
            result = self._run(self.bridge.run, attempt, changes=RETURN_CHANGES)
        except OperationFailed as failure:
            if failure.needs_approval and attempt.approval is None:
                self.ask_route_approval(failure, attempt)
                return
            self.fail(failure)
            return
        self.dialogue.journal_ok(f"confirmed {result.unit.code}")
        self.routed(result)

    def ask_route_approval(self, failure: OperationFailed, attempt: InspectAttempt) -> None:
        def approved(approver):  # noqa: ANN001, ANN202
            attempt.approval = approver
            self.route(attempt)

        self.dialogue.ask_approval(failure.message, approved, lambda: self.feedback.attention(
            self.tr("Not routed: {reason}").format(reason=failure.message)))

    def routed(self, result: InspectionResult) -> None:
        self.state = None
        self.rma = result.rma
        plan, unit = result.plan, result.unit
        text = self.tr("{code} grade {grade} \u2192 {disposition} \u2192 {destination}").format(
            code=unit.code, grade=plan.grade, disposition=disposition_name(plan.disposition),
            destination=plan.destination)
        if result.approved_by:
            text += ", " + self.tr("approved by {name}").format(name=result.approved_by)
        printed = self.print_label(result.label)
        if result.replayed:
            self.feedback.attention(self.tr("Already routed: {text}").format(text=text))
        elif not printed or unit.flags or result.approved_by:
            self.feedback.attention(text)
        else:
            self.feedback.ok(text)
        self.retranslate()

    def print_label(self, label: RoutingLabel) -> bool:
        self.last_label = label
        try:
            where = RoutingLabelOutput.deliver(label, self.context)
        except PrinterUnavailable as problem:
            self.label_note = self.tr("Label {code} NOT printed: {reason}").format(code=label.unit_code,
                                                                                    reason=problem.reason)
            return False
        self.label_note = self.tr("Label {code} printed: {where}").format(code=label.unit_code, where=where)
        return True

    def print_again(self) -> None:
        if self.last_label is None:
            self.feedback.error(self.tr("No label was printed here yet."))
        elif self.print_label(self.last_label):
            self.feedback.ok(self.tr("Label {code} printed again").format(code=self.last_label.unit_code))
        else:
            self.feedback.error(self.label_note)

    # --- undo, close, leave -----------------------------------------------------------------
    def undo(self) -> None:
        assert self.rma is not None
        try:
            undone = self._run(self.bridge.run, returns.undo_last, self.rma.rma_id,
                               actor=self.bridge.require_actor(), changes=RETURN_CHANGES)
        except OperationFailed as failure:
            self.fail(failure)
            return
        if undone is None:
            self.feedback.attention(self.tr("Nothing of yours to undo on {rma}").format(rma=self.rma.label))
            return
        self.rma = undone.rma
        unit = undone.unit
        if undone.undone == "disposition":
            self.state = InspectionState(unit, self.bridge.query(unit_checklist, unit.unit_id))
            self.feedback.attention(self.tr("Undone: {code} {sku} is back for inspection").format(
                code=unit.code, sku=unit.sku))
        else:
            if self.state is not None and self.state.unit.unit_id == unit.unit_id:
                self.state = None
            self.feedback.attention(self.tr("Undone: {code} {sku} taken off the return").format(
                code=unit.code, sku=unit.sku))
        self.retranslate()

    def close_rma(self) -> None:
        assert self.rma is not None
        try:
            view = self._run(self.bridge.run, returns.close_rma, self.rma.rma_id,
                             actor=self.bridge.require_actor(), changes=RETURN_CHANGES)
        except OperationFailed as failure:
            self.fail(failure)
            return
        self.back_to_choose()
        self.feedback.ok(self.tr("{rma} closed: {units} units inspected").format(rma=view.label, units=view.received))

    def leave(self) -> None:
        """Esc / SF:CANCEL: drop the open question, then the unit (it keeps waiting), then the
        RMA, then go home. Nothing confirmed is lost."""
        if self.state is not None:
            code = self.state.unit.code
            self.state = None
            self.feedback.attention(self.tr("{code} waits for inspection").format(code=code))
            self.retranslate()
        elif self.rma is not None:
            label = self.rma.label
            self.back_to_choose()
            self.feedback.attention(self.tr("Left {rma}: everything confirmed is saved").format(rma=label))
        else:
            super().leave()
        self.retranslate()

    # --- showing -----------------------------------------------------------------------------
    def back_to_choose(self) -> None:
        self.rma, self.state = None, None
        self.pages.setCurrentWidget(self.choose_page)
        self.refresh()

    def refresh(self) -> None:
        if self._running:
            return
        try:
            views = self.bridge.query(returns.list_open_rmas)
            if self.rma is not None:
                self.rma = self.bridge.query(returns.get_rma, self.rma.rma_id)
        except OperationFailed as failure:
            self.feedback.error(failure.message)
            return
        self.open_list.show_rmas(views)
        self.retranslate()

    # --- keys ----------------------------------------------------------------------------------
    def move(self, step: int) -> None:
        if self.rma is None:
            self.open_list.move(step)
            return
        waiting = [u.unit_id for u in self.rma.waiting]
        if not waiting:
            self.feedback.attention(self.tr("No units of {rma} wait for inspection.").format(rma=self.rma.label))
            return
        current = self.state.unit.unit_id if self.state else None
        index = waiting.index(current) + step if current in waiting else (0 if step > 0 else len(waiting) - 1)
        self.inspect_waiting(waiting[index % len(waiting)])

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        if self.rma is None:
            self.refresh()
