"""Supervisors: the pick faces with their product, min / max and replenishment unit, what each
holds and its open task; set or remove a face's levels; the open tasks, cancel one.
(`stockfloor import pick-faces FILE.csv` sets many at once.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.replenishment import faces, tasks
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.counting.desk import MessageLine, dense_header
from app.ui.desk import DeskScreen

FACE_CHANGES = Changes(stock=True)
BELOW_MIN = QColor("#ffe0b2")
ID_ROLE = Qt.ItemDataRole.UserRole


def _table(name: str, columns: int, stretch: int) -> QTableWidget:
    table = QTableWidget(0, columns, objectName=name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    dense_header(table)
    return table


class FacesScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.rows: list[faces.FaceRow] = []
        self.open: list[tasks.OpenTask] = []
        self.title = QLabel(objectName="screenTitle")
        self.faces_title, self.tasks_title = QLabel(objectName="facesTitle"), QLabel(objectName="tasksTitle")
        self.faces = _table("facesTable", 7, stretch=2)
        self.faces.itemSelectionChanged.connect(self.selected)
        self.tasks = _table("openTasksTable", 6, stretch=5)
        self.location, self.sku = QLineEdit(objectName="faceLocation"), QLineEdit(objectName="faceSku")
        self.min_units, self.max_units, self.unit = (QSpinBox(objectName=name, maximum=999999)
                                                     for name in ("faceMin", "faceMax", "faceUnit"))
        self.unit.setMinimum(1)
        self.labels = [QLabel() for _ in range(5)]
        for label, field in zip(self.labels, (self.location, self.sku, self.min_units, self.max_units, self.unit),
                                strict=True):
            label.setBuddy(field)
        self.save_button = QPushButton(objectName="saveFace", clicked=self.save)
        self.remove_button = QPushButton(objectName="removeFace", clicked=self.remove)
        self.cancel_button = QPushButton(objectName="cancelTask", clicked=self.cancel_task)
        self.message = MessageLine("facesMessage")
        form = QGridLayout()
        for column, (label, field) in enumerate(zip(
                self.labels, (self.location, self.sku, self.min_units, self.max_units, self.unit), strict=True)):
            form.addWidget(label, 0, column)
            form.addWidget(field, 1, column)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        form.addLayout(buttons, 2, 0, 1, 5)
        # Faces on the left with their form, open tasks on the right: one screen high at 1366 x 768.
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.faces_title)
        left.addWidget(self.faces, 1)
        left.addLayout(form)
        right.addWidget(self.tasks_title)
        right.addWidget(self.tasks, 1)
        right.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)
        context.bridge.changed.connect(lambda changes: changes.intersects(FACE_CHANGES) and self.refresh())
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Pick faces and replenishment"))
        self.faces_title.setText(self.tr("Pick faces (orange: below min)"))
        self.tasks_title.setText(self.tr("Open replenishment tasks"))
        for label, text in zip(self.labels, (self.tr("&Location"), self.tr("S&KU"), self.tr("M&in"),
                                             self.tr("M&ax"), self.tr("&Unit")), strict=True):
            label.setText(text)
        self.save_button.setText(self.tr("&Save levels"))
        self.remove_button.setText(self.tr("&Remove levels"))
        self.cancel_button.setText(self.tr("&Cancel task"))
        self.faces.setHorizontalHeaderLabels([
            self.tr("Face"), self.tr("SKU"), self.tr("Product"), self.tr("On hand"), self.tr("Min"), self.tr("Max"),
            self.tr("Unit")])
        self.tasks.setHorizontalHeaderLabels([
            self.tr("Face"), self.tr("SKU"), self.tr("To bring"), self.tr("Orders wait"), self.tr("From"),
            self.tr("Why")])
        self._fill_tasks()

    def shown(self) -> None:
        self.refresh()


    # --- data ----------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            self.rows = self.bridge.query(faces.face_rows)
            self.open = self.bridge.query(tasks.open_tasks)
        except OperationFailed as failure:
            self.message.show_message("error", failure.message)
            return
        self.faces.setRowCount(len(self.rows))
        for row, face in enumerate(self.rows):
            cells = (face.location, face.sku, face.name, str(face.on_hand), str(face.min_units),
                     str(face.max_units), str(face.unit))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if face.below_min:
                    item.setBackground(QBrush(BELOW_MIN))
                    item.setForeground(QBrush(QColor("#000000")))
                self.faces.setItem(row, column, item)
        self._fill_tasks()

    def _fill_tasks(self) -> None:
        why = {"below_min": self.tr("below min"), "allocation": self.tr("orders short")}
        self.tasks.setRowCount(len(self.open))
        for row, task in enumerate(self.open):
            cells = (task.face, task.sku, str(task.quantity), str(task.waiting_units or ""), task.reserve or "\u2014",
                     why.get(task.trigger, task.trigger))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, task.id)
                self.tasks.setItem(row, column, item)

    def selected(self) -> None:
        rows = self.faces.selectionModel().selectedRows()
        if not rows:
            return
        face = self.rows[rows[0].row()]
        self.location.setText(face.location)
        self.sku.setText(face.sku)
        self.min_units.setValue(face.min_units)
        self.max_units.setValue(face.max_units)
        self.unit.setValue(face.unit)

    # --- actions -------------------------------------------------------------------------
    def save(self) -> None:
        location, sku = self.location.text().strip(), self.sku.text().strip()
        try:
            self.bridge.run(faces.set_face_levels, location, sku, self.min_units.value(), self.max_units.value(),
                            self.unit.value(), actor=self.bridge.require_actor(), changes=FACE_CHANGES)
        except OperationFailed as failure:
            self.message.show_message("error", failure.message)
            return
        self.message.show_message("ok", self.tr("{location}: {sku}, min {min}, max {max}, unit {unit}").format(
            location=location, sku=sku, min=self.min_units.value(), max=self.max_units.value(),
            unit=self.unit.value()))
        self.refresh()

    def remove(self) -> None:
        location = self.location.text().strip()
        try:
            self.bridge.run(faces.remove_face_levels, location, actor=self.bridge.require_actor(),
                            changes=FACE_CHANGES)
        except OperationFailed as failure:
            self.message.show_message("error", failure.message)
            return
        self.message.show_message("ok", self.tr("{location} is no longer replenished").format(location=location))
        self.refresh()

    def cancel_task(self) -> None:
        rows = self.tasks.selectionModel().selectedRows()
        if not rows:
            self.message.show_message("attention", self.tr("Select a task first"))
            return
        task = self.open[rows[0].row()]
        try:
            self.bridge.run(tasks.cancel_replenishment, task.id, actor=self.bridge.require_actor(),
                            changes=FACE_CHANGES)
        except OperationFailed as failure:
            self.message.show_message("error", failure.message)
            return
        self.message.show_message("ok", self.tr("Task for {face} cancelled").format(face=task.face))
        self.refresh()
