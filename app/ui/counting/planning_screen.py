"""Supervisors plan counts and follow them: plan by range, zone, product or the ABC schedule;
the open counts with who counts them and by when; assign, cancel, print count sheets; and the
inventory record accuracy report (table, CSV, PDF)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import counting
from app.services.counting import CountSummary
from app.services.counting.documents import count_sheet_pdf
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.counting.accuracy_tab import AccuracyTab
from app.ui.counting.desk import MessageLine, dense_header
from app.ui.counting.files import PdfPreview, SaveFileDialog, write_file
from app.ui.counting.names import count_reason, kind_name, state_name
from app.ui.counting.plan_form import PLAN_CHANGES, PlanForm
from app.ui.desk import DeskScreen
from app.ui.printing.actions import document_language

ID_ROLE = Qt.ItemDataRole.UserRole


class PlanningScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.counts: dict[int, CountSummary] = {}
        self.preview: PdfPreview | None = None
        self.title = QLabel(objectName="screenTitle")
        self.form = PlanForm(self.bridge)
        self.form.planned.connect(self.planned)
        self.form.failed.connect(lambda text: self.say("error", text))
        self.open_title = QLabel(objectName="openCountsTitle")
        self.table = self._build_table()
        self.assign_button = QPushButton(objectName="assignButton")
        self.sheet_button = QPushButton(objectName="sheetButton")
        self.cancel_button = QPushButton(objectName="cancelCountButton")
        self.assign_button.clicked.connect(self.assign)
        self.sheet_button.clicked.connect(self.print_sheet)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.accuracy = AccuracyTab(self.bridge)
        self.accuracy.said.connect(self.say)
        self.tabs = QTabWidget(objectName="planningTabs")
        self.tabs.addTab(self._counts_tab(), "")
        self.tabs.addTab(self.accuracy, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.message = MessageLine("planningMessage")
        self.keys = QLabel(objectName="keyHints")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.keys)
        self.bridge.changed.connect(self._changed)
        self.retranslate()

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(0, 8, objectName="openCounts")
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        dense_header(table)
        table.horizontalHeader().setSortIndicator(4, Qt.SortOrder.AscendingOrder)  # soonest due first
        return table

    def _counts_tab(self) -> QWidget:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.assign_button, self.sheet_button, self.cancel_button):
            buttons.addWidget(button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.form)
        layout.addWidget(self.open_title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        return page

    # --- open counts --------------------------------------------------------------------
    def load(self) -> None:
        try:
            counts = self.bridge.query(counting.open_counts)
        except OperationFailed as failure:
            self.say("error", failure.message)
            return
        selected = set(self.selected_ids())
        self.counts = {count.count_id: count for count in counts}
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(counts))
        for row, count in enumerate(counts):
            cells = (count.number, kind_name(count.kind), count_reason(count.reason), state_name(count.status),
                     count.due_date.isoformat(), count.assigned_to or self.tr("anyone"),
                     self.tr("{done} of {total}").format(done=count.locations_done, total=len(count.locations)),
                     self.tr("blind") if count.blind else self.tr("quantities shown"))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, count.count_id)
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self.select_ids(selected)

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.table.item(row, 0).data(ID_ROLE) for row in rows]

    def select_ids(self, ids: set[int]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(ID_ROLE) in ids:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def planned(self, planned: list[CountSummary]) -> None:
        self.say("ok" if planned else "attention", self.form.describe(planned))
        self.select_ids({count.count_id for count in planned})

    def _changed(self, changes: Changes) -> None:
        if changes.intersects(PLAN_CHANGES) and self.isVisible():
            self.load()

    # --- actions on the selected counts ------------------------------------------------------
    def _selection(self) -> list[CountSummary] | None:
        chosen = [self.counts[count_id] for count_id in self.selected_ids()]
        if not chosen:
            self.say("attention", self.tr("Select a count in the list first."))
            return None
        return chosen

    def assign(self) -> None:
        chosen = self._selection()
        if chosen is None:
            return
        try:
            actor = self.bridge.require_actor()
            for count in chosen:
                self.bridge.run(counting.assign_count, count.count_id, self.form.counter_id(), actor=actor,
                                due=self.form.due_date(), changes=PLAN_CHANGES)
        except OperationFailed as failure:
            self.say("error", failure.message)
            return
        self.say("ok", self.tr("%n count(s) given to {counter}, due {due}", None, len(chosen)).format(
            counter=self.form.counter.currentText(), due=self.form.due_date().isoformat()))

    def cancel_selected(self) -> None:
        chosen = self._selection()
        if chosen is None:
            return
        numbers = ", ".join(count.number for count in chosen)
        if not self.confirm(self, self.tr("Cancel {numbers}? What was not yet settled changes no stock.").format(
                numbers=numbers)):
            return
        try:
            actor = self.bridge.require_actor()
            for count in chosen:
                self.bridge.run(counting.cancel_count, count.count_id, actor=actor, changes=PLAN_CHANGES)
        except OperationFailed as failure:
            self.say("error", failure.message)
            return
        self.say("ok", self.tr("Cancelled {numbers}").format(numbers=numbers))

    @classmethod
    def confirm(cls, parent: QWidget, question: str) -> bool:
        """Yes or no from the supervisor. Tests replace this method."""
        title = QCoreApplication.translate("PlanningScreen", "Cancel counts")
        answer = QMessageBox.question(parent, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def print_sheet(self) -> None:
        chosen = self._selection()
        if chosen is None:
            return
        count = chosen[0]
        path = SaveFileDialog.ask(self, self.tr("Save count sheet"), f"count-sheet-{count.number}.pdf",
                                  self.tr("PDF files (*.pdf)"))
        if path is None:
            return
        try:
            write_file(path, self.bridge.query_long(self, self.tr("Writing the count sheet of {count}…").format(
                count=count.number), count_sheet_pdf, count.count_id, language=document_language(self.context)))
        except OperationFailed as failure:
            self.say("error", failure.message)
            return
        except OSError as error:
            self.say("error", self.tr("Could not write the file: {reason}").format(reason=str(error)))
            return
        self.preview = PdfPreview.open_for(self, path)
        self.say("ok", self.tr("Count sheet {number} saved to {path}").format(number=count.number, path=str(path)))

    # --- texts and events ---------------------------------------------------------------
    def say(self, state: str, text: str) -> None:
        self.message.show_message(state, text)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Plan counts"))
        self.form.retranslate()
        self.accuracy.retranslate()
        self.tabs.setTabText(0, self.tr("Counts"))
        self.tabs.setTabText(1, self.tr("Accuracy"))
        self.open_title.setText(self.tr("Open counts"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Count"), self.tr("Kind"), self.tr("What"), self.tr("Status"), self.tr("Due"),
            self.tr("Counter"), self.tr("Locations done"), self.tr("Blind")])
        self.assign_button.setText(self.tr("&Assign to counter and due date"))
        self.sheet_button.setText(self.tr("Print count &sheet\u2026"))
        self.cancel_button.setText(self.tr("Ca&ncel count\u2026"))
        self.keys.setText(self.tr("Alt+P: plan    Alt+A: assign selected    Alt+S: count sheet    "
                                  "Ctrl+Tab: accuracy report    Esc: back"))

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.accuracy:
            self.accuracy.load()

    def language_changed(self) -> None:
        self.retranslate()
        self.load()  # names of kinds and states in the table

    def shown(self) -> None:
        self.form.load_choices()
        self.load()
        if self.tabs.currentWidget() is self.accuracy:
            self.accuracy.load()
