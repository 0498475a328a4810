"""The open replenishment tasks as a table: the one in hand highlighted."""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.services.replenishment.tasks import OpenTask

TASK_BACKGROUND = QColor("#bcd6ff")
Index = QModelIndex | QPersistentModelIndex
HEADERS = (QT_TRANSLATE_NOOP("ReplenishTasks", "Face"), QT_TRANSLATE_NOOP("ReplenishTasks", "SKU"),
           QT_TRANSLATE_NOOP("ReplenishTasks", "Product"), QT_TRANSLATE_NOOP("ReplenishTasks", "Units"),
           QT_TRANSLATE_NOOP("ReplenishTasks", "From"), QT_TRANSLATE_NOOP("ReplenishTasks", "Orders wait"))


class TasksModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001 - any QObject
        super().__init__(parent)
        self.tasks: tuple[OpenTask, ...] = ()
        self.current: int | None = None  # task id in hand

    def show_tasks(self, tasks: list[OpenTask], current: int | None) -> None:
        self.beginResetModel()
        self.tasks, self.current = tuple(tasks), current
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.tasks)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("ReplenishTasks", HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        task = self.tasks[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole and task.id == self.current:
            return QBrush(TASK_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and task.id == self.current:
            return QBrush(QColor("#000000"))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (task.face, task.sku, task.name, str(task.quantity), task.reserve or "\u2014",
                str(task.waiting_units) if task.waiting_units else "")[index.column()]

