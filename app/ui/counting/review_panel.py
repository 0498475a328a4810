"""The review table with its filters, the selected line's story, and Approve / Reject.

Used by the supervisors' review screen (all counts in review) and by the on-the-spot
dialog of the counting screen (one count; an operator acts, a supervisor who badged in
approves). ``reader`` is whose rights the lines are read with; decisions are made by the
logged-in actor with ``approval`` when given.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.actor import Actor
from app.core.counting_rules import ABC_CLASSES, ResolutionRequired
from app.services import counting
from app.services.counting import CountReview, DecisionResult, ReviewLine
from app.ui.bridge import Bridge, Changes, OperationFailed
from app.ui.counting.decision_dialog import APPROVE, REJECT, DecisionDialog, line_name
from app.ui.counting.desk import MessageLine, dense_header
from app.ui.counting.names import kind_name, reason_name
from app.ui.counting.review_model import ReviewFilter, ReviewLinesModel, local_time

DECISION_CHANGES = Changes(stock=True, counts=True)
RESIZE_ROWS = 60  # rows measured for the column widths


class ReviewPanel(QWidget):
    decided = Signal(object)  # DecisionResult

    def __init__(self, bridge: Bridge, *, reader: Actor | None = None, approval: Actor | None = None,
                 count_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.reader = reader
        self.approval = approval
        self.only_count_id = count_id
        self.reviews: list[CountReview] = []
        self.model = ReviewLinesModel(self)
        self.filter = ReviewFilter(self)
        self.filter.setSourceModel(self.model)
        self.count_label, self.count_choice = QLabel(), QComboBox(objectName="countFilter")
        self.zone_label, self.zone_choice = QLabel(), QComboBox(objectName="zoneFilter")
        self.class_label, self.class_choice = QLabel(), QComboBox(objectName="classFilter")
        for label, choice in ((self.count_label, self.count_choice), (self.zone_label, self.zone_choice),
                              (self.class_label, self.class_choice)):
            label.setBuddy(choice)
            choice.currentIndexChanged.connect(self.apply_filters)
        self.beyond_only = QCheckBox(objectName="beyondOnly")
        self.moved_only = QCheckBox(objectName="movedOnly")
        for box in (self.beyond_only, self.moved_only):
            box.toggled.connect(self.apply_filters)
        self.table = self._build_table()
        self.details = QPlainTextEdit(objectName="lineDetails")
        self.details.setReadOnly(True)
        self.summary = QLabel(objectName="reviewSummary")
        self.message = MessageLine("reviewMessage")
        self.approve_button = QPushButton(objectName="approveButton")
        self.reject_button = QPushButton(objectName="rejectButton")
        self.approve_button.clicked.connect(lambda: self.decide(APPROVE))
        self.reject_button.clicked.connect(lambda: self.decide(REJECT))
        self._lay_out()
        bridge.changed.connect(self._changed)
        self.retranslate()

    def _build_table(self) -> QTableView:
        table = QTableView(objectName="reviewLines")
        table.setModel(self.filter)
        table.setSortingEnabled(True)
        table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by location
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Column widths from the first rows only: measuring every cell of a thousand lines
        # costs more than reading them (each cell's text made and laid out, 13 columns).
        table.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
        table.horizontalHeader().setStretchLastSection(True)
        dense_header(table)
        table.selectionModel().selectionChanged.connect(lambda *_: self.show_details())
        table.selectionModel().currentRowChanged.connect(lambda *_: self.show_details())
        return table

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        for label, choice in ((self.count_label, self.count_choice), (self.zone_label, self.zone_choice),
                              (self.class_label, self.class_choice)):
            filters.addWidget(label)
            filters.addWidget(choice)
        filters.addStretch(1)
        marks = QHBoxLayout()  # a line of their own: the filters fit 1366 pixels in every language
        marks.addWidget(self.beyond_only)
        marks.addWidget(self.moved_only)
        marks.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([420, 160])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addLayout(marks)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    # --- loading and filtering ------------------------------------------------------------
    def _changed(self, changes: Changes) -> None:
        if changes.intersects(DECISION_CHANGES) and self.isVisible():
            self.load()  # a decision here or elsewhere: what waits has changed

    def load(self) -> None:
        try:
            reader = self.reader or self.bridge.require_actor()
            self.reviews = self.bridge.query(counting.waiting_reviews, actor=reader, count_id=self.only_count_id)
        except OperationFailed as failure:
            self.reviews = []
            self.model.show_reviews([])
            self.say("error", failure.message)
            return
        self.model.show_reviews(self.reviews)
        self._fill_choices()
        self.apply_filters()
        self.table.resizeColumnsToContents()
        if self.filter.rowCount():
            self.table.selectRow(0)  # the keyboard starts on a line: Alt+A decides it at once

    def _fill_choices(self) -> None:
        def refill(choice: QComboBox, items: Sequence[tuple[str, object]]) -> None:
            kept = choice.currentData()
            choice.blockSignals(True)
            choice.clear()
            choice.addItem(self.tr("All"), None)
            for text, data in items:
                choice.addItem(text, data)
            choice.setCurrentIndex(max(choice.findData(kept), 0) if kept is not None else 0)
            choice.blockSignals(False)

        refill(self.count_choice, [(f"{r.count.number} {kind_name(r.count.kind)}", r.count.count_id)
                                   for r in self.reviews])
        zones = sorted({row.line.zone for row in self.model.rows if row.line.zone})
        refill(self.zone_choice, [(zone, zone) for zone in zones])
        refill(self.class_choice, [(cls, cls) for cls in ABC_CLASSES])

    def apply_filters(self) -> None:
        self.filter.set_filters(count_id=self.count_choice.currentData(), zone=self.zone_choice.currentData(),
                                abc_class=self.class_choice.currentData(),
                                beyond_only=self.beyond_only.isChecked(), moved_only=self.moved_only.isChecked())
        shown, total = self.filter.rowCount(), self.model.rowCount()
        self.summary.setText(self.tr("%n line(s) wait for a decision", None, total) if shown == total else
                             self.tr("{shown} of {total} waiting lines shown").format(shown=shown, total=total))
        self.show_details()

    def selected_lines(self) -> list[ReviewLine]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.filter.row_at(row).line for row in rows]

    # --- details of the current line ------------------------------------------------------
    def show_details(self) -> None:
        current = self.table.selectionModel().currentIndex()
        if not current.isValid() or not self.filter.rowCount():
            self.details.setPlainText(self.tr("Select a line to see its counts and the moves since counting began."))
            return
        line = self.filter.row_at(current.row()).line
        text = [self.tr("{line}: expected {expected}, counted {counted}, on hand now {now}").format(
            line=line_name(line), expected=line.expected, counted=line.counted, now=line.current_on_hand)]
        text += [self.tr("  {number} ({kind}): {counted} counted by {who}, {when}").format(
            number=r.number, kind=kind_name(r.kind), counted=r.counted, who=", ".join(r.counters) or "?",
            when=local_time(r.counted_at)) for r in line.rounds]
        if line.moves_since_snapshot:
            text.append(self.tr("Moves since counting began:"))
            text += [self.tr("  {when}  {quantity}  {reason}  {other}  {who}").format(
                when=local_time(m.at), quantity=f"{m.quantity:+d}", reason=m.reason,
                other=m.other_location, who=m.user or "") for m in line.moves_since_snapshot]
            text.append(self.tr("Approving asks: keep counted quantity ({counted_change}) "
                                "or keep the difference ({difference_change}).").format(
                counted_change=f"{line.adjust_if_keep_counted:+d}",
                difference_change=f"{line.adjust_if_keep_difference:+d}"))
        self.details.setPlainText("\n".join(text))

    # --- decisions --------------------------------------------------------------------------
    def decide(self, decision: str) -> None:
        lines = self.selected_lines()
        if not lines:
            self.say("attention", self.tr("Select the lines to decide first."))
            return
        chosen = DecisionDialog.ask(self, decision, lines)
        if chosen is None:
            return
        ids = [line.line_id for line in lines]
        try:
            result = self._run(decision, ids, chosen.reason, chosen.resolution)
        except OperationFailed as failure:
            if not (isinstance(failure.error, ResolutionRequired) and chosen.resolution is None):
                self.say("error", failure.message)
                return
            # Stock moved after the table was read: show the moves, then ask deliberately.
            self.load()
            fresh = [row.line for row in self.model.rows if row.line.line_id in ids]
            again = DecisionDialog.ask(self, decision, fresh, must_resolve=True)
            if again is None:
                self.say("attention", failure.message)
                return
            try:
                result = self._run(decision, ids, again.reason, again.resolution)
            except OperationFailed as second:
                self.say("error", second.message)
                return
        self.report(decision, result)  # the table reloaded already: the run announced the change
        self.decided.emit(result)

    def _run(self, decision: str, ids: list[int], reason: str, resolution: str | None) -> DecisionResult:
        actor = self.bridge.require_actor()
        if decision == APPROVE:
            return self.bridge.run(counting.approve_lines, ids, reason, actor=actor, resolution=resolution,
                                   approval=self.approval, changes=DECISION_CHANGES)
        return self.bridge.run(counting.reject_lines, ids, reason, actor=actor, approval=self.approval,
                               changes=DECISION_CHANGES)

    def report(self, decision: str, result: DecisionResult) -> None:
        if result.replayed:
            self.say("attention", self.tr("These lines were already decided."))
            return
        count = len(result.lines)
        reason = reason_name(result.lines[0].reason_code) if result.lines else ""
        if decision == APPROVE:
            change = sum(line.adjustment or 0 for line in result.lines)
            self.say("ok", self.tr("Approved %n line(s) ({reason}): stock changed by {units} units.", None,
                                   count).format(reason=reason, units=f"{change:+d}"))
        else:
            self.say("ok", self.tr("Rejected %n line(s) ({reason}): stock stays as recorded.", None,
                                   count).format(reason=reason))

    def say(self, state: str, text: str) -> None:
        self.message.show_message(state, text)

    # --- texts ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.count_label.setText(self.tr("&Count"))
        self.zone_label.setText(self.tr("&Zone"))
        self.class_label.setText(self.tr("C&lass"))
        for choice in (self.count_choice, self.zone_choice, self.class_choice):
            if choice.count():
                choice.setItemText(0, self.tr("All"))
        self.beyond_only.setText(self.tr("Only &beyond tolerance"))
        self.moved_only.setText(self.tr("Only where stock &moved"))
        self.approve_button.setText(self.tr("&Approve\u2026"))
        self.reject_button.setText(self.tr("&Reject\u2026"))
        self.model.retranslate()
        self.apply_filters()
