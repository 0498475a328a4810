"""Every scan, right or wrong, newest first: filter by user, workstation, time, outcome, text.

The table pages by key (the last id shown), so a long journal loads 200 rows at a time:
PgDown at the end, or the "More" button, brings the next page.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.core import clock
from app.services.audit import JournalFilter, JournalRow, journal_rows
from app.ui.bridge import OperationFailed
from app.ui.context import AppContext
from app.ui.desk import DeskScreen

PAGE = 200
OUTCOMES = ("", "ok", "attention", "error", "refused", "command", "answer")
TYPING_DELAY_MS = 350


class JournalModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[JournalRow] = []
        self.titles: list[str] = []

    def show(self, rows: list[JournalRow], *, append: bool = False) -> None:
        self.beginResetModel()
        self.rows = (self.rows + rows) if append else rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else 7

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        row = self.rows[index.row()]
        local = clock.local(row.at)
        return (local.strftime("%Y-%m-%d %H:%M:%S"), row.user, row.workstation, row.context,
                row.raw.replace("\x1d", "<GS>"), row.outcome, row.message)[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and self.titles:
            return self.titles[section]
        return None


class JournalScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.title = QLabel(objectName="screenTitle")
        self.user = QLineEdit(objectName="journalUser")
        self.workstation = QLineEdit(objectName="journalWorkstation")
        self.text = QLineEdit(objectName="journalText")
        self.outcome = QComboBox(objectName="journalOutcome")
        self.since = QDateTimeEdit(objectName="journalSince")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.since.setDateTime(dt.datetime.combine(clock.today() - dt.timedelta(days=7), dt.time()))
        self.labels = [QLabel() for _ in range(5)]
        self.more = QPushButton(objectName="journalMore")
        self.more.clicked.connect(self.load_more)
        self.model = JournalModel(self)
        self.table = QTableView(objectName="journalTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(objectName="journalSummary")
        self.keys = QLabel(objectName="keyHints")
        self._typing = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._typing.timeout.connect(self.load)
        for field in (self.user, self.workstation, self.text):
            field.textEdited.connect(lambda _text: self._typing.start())
            field.returnPressed.connect(self.load)
        self.outcome.currentIndexChanged.connect(lambda _i: self.load())
        self.since.dateTimeChanged.connect(lambda _t: self._typing.start())
        filters = QGridLayout()
        for column, (label, field) in enumerate(zip(self.labels, (self.user, self.workstation, self.outcome,
                                                                   self.since, self.text), strict=True)):
            label.setBuddy(field)
            filters.addWidget(label, 0, column)
            filters.addWidget(field, 1, column)
        filters.setColumnStretch(4, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.keys)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Scan journal"))
        for label, text in zip(self.labels, (self.tr("&User"), self.tr("&Workstation"), self.tr("&Outcome"),
                                             self.tr("&Since"), self.tr("&Text or message")), strict=True):
            label.setText(text)
        current = self.outcome.currentIndex()
        self.outcome.blockSignals(True)
        self.outcome.clear()
        self.outcome.addItems([self.tr("any")] + list(OUTCOMES[1:]))
        self.outcome.setCurrentIndex(max(current, 0))
        self.outcome.blockSignals(False)
        self.more.setText(self.tr("&More (older scans)"))
        self.model.titles = [self.tr("Time"), self.tr("User"), self.tr("Workstation"), self.tr("Screen and step"),
                             self.tr("Scan"), self.tr("Outcome"), self.tr("Message")]
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 6)
        self.keys.setText(self.tr("Esc: back"))
        self._summarise()

    def where(self) -> JournalFilter:
        since = self.since.dateTime().toPython().astimezone()
        return JournalFilter(user=self.user.text(), workstation=self.workstation.text(),
                             since=since.astimezone(dt.timezone.utc),
                             outcome=OUTCOMES[max(self.outcome.currentIndex(), 0)], text=self.text.text())

    def load(self, *, append: bool = False) -> None:
        before = self.model.rows[-1].id if append and self.model.rows else None
        try:
            rows = self.bridge.query(journal_rows, self.where(), before_id=before, limit=PAGE)
        except OperationFailed as failure:
            self.summary.setText(failure.message)
            return
        if not isValid(self.model):  # the screen was closed while the query ran (Qt events run meanwhile)
            return
        self.model.show(rows, append=append)
        self.more.setEnabled(len(rows) == PAGE)
        self._summarise()

    def load_more(self) -> None:
        self.load(append=True)

    def _summarise(self) -> None:
        self.summary.setText(self.tr("{count} scans shown, newest first").format(count=len(self.model.rows)))
