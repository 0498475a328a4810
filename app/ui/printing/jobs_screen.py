"""Recent print jobs: what was printed where, what failed and why; retry, reprint, preview.

Jobs of the reprint window (warehouse setting, 7 days by default), this workstation's by
default. Retry sends a failed job again through its workstation's printer as set up now;
reprint prints a job again on this workstation's printer.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QDateTime, QLocale, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import printing
from app.services.printing import JobView
from app.ui.bridge import OperationFailed
from app.ui.context import AppContext
from app.ui.desk import DeskScreen
from app.ui.printing import texts
from app.ui.printing.actions import print_queue

COLUMNS = ("when", "what", "count", "printer", "status", "attempts", "who")
HEADERS = (
    QT_TRANSLATE_NOOP("printing", "When"),
    QT_TRANSLATE_NOOP("printing", "What"),
    QT_TRANSLATE_NOOP("printing", "Labels / pages"),
    QT_TRANSLATE_NOOP("printing", "Printer"),
    QT_TRANSLATE_NOOP("printing", "Status"),
    QT_TRANSLATE_NOOP("printing", "Tries"),
    QT_TRANSLATE_NOOP("printing", "By"),
)
AGAIN = QT_TRANSLATE_NOOP("printing", " (again)")
STATUS_COLOURS = {"failed": "#a50e0e", "queued": "#7a5a00", "sent": "#0b5d1e"}


def _when(value: dt.datetime) -> str:
    moment = QDateTime.fromSecsSinceEpoch(int(value.timestamp()))  # local time
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


class JobsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.jobs: list[JobView] = []

    def show_jobs(self, jobs: list[JobView]) -> None:
        self.beginResetModel()
        self.jobs = list(jobs)
        self.endResetModel()

    def update_job(self, job: JobView) -> None:
        for row, old in enumerate(self.jobs):
            if old.id == job.id:
                self.jobs[row] = job
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                return

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.jobs)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return texts.tr(HEADERS[section])
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        job = self.jobs[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(job, column)
        if role == Qt.ItemDataRole.ToolTipRole and job.failed:
            return job.reason
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return QBrush(QColor(STATUS_COLOURS.get(job.status, "#000000")))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("count", "attempts"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def text(job: JobView, column: str) -> str:
        if column == "when":
            return _when(job.created_at)
        if column == "what":
            again = texts.tr(AGAIN) if job.reprint_of else ""
            return texts.job_title(job) + again
        if column == "count":
            return str(job.count)
        if column == "printer":
            return job.printer
        if column == "status":
            return texts.status_name(job.status)  # why it failed: under the table
        if column == "attempts":
            return str(job.attempts)
        return job.user or job.workstation

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.jobs:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.jobs) - 1, len(COLUMNS) - 1))


class PrintJobsScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.queue = print_queue(self.bridge)
        self.title = QLabel(objectName="screenTitle")
        self.every_workstation = QCheckBox(objectName="everyWorkstation")
        self.every_workstation.toggled.connect(lambda _on: self.refresh())
        self.model = JobsModel(self)
        self.table = QTableView(objectName="printJobs")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The printer takes what is left (a PDF folder's file path can be long, elided in the
        # middle; the detail line below shows it whole): the status is always read in full.
        header.setSectionResizeMode(COLUMNS.index("printer"), QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.retry_button = QPushButton(objectName="retryButton", clicked=self.retry)
        self.reprint_button = QPushButton(objectName="reprintButton", clicked=self.reprint)
        self.preview_button = QPushButton(objectName="previewButton", clicked=self.preview)
        self.detail = QLabel(objectName="jobDetail")  # the chosen job: why it failed, where it went
        self.detail.setWordWrap(True)
        self.status = QLabel(objectName="jobsStatus")
        self.status.setWordWrap(True)
        self.keys = QLabel(objectName="keyHints")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.every_workstation)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.preview_button, self.reprint_button, self.retry_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        layout.addWidget(self.keys)
        self.queue.job_done.connect(self._job_done)
        self.queue.job_queued.connect(lambda _job: self.refresh())
        self.retranslate()
        self.refresh()

    # --- behaviour ----------------------------------------------------------------------
    def refresh(self) -> None:
        chosen = self.selected()
        workstation = None if self.every_workstation.isChecked() else self.bridge.workstation
        try:
            jobs = self.bridge.query(printing.recent_jobs, workstation=workstation)
        except OperationFailed as failure:
            self.status.setText(failure.message)
            return
        self.model.show_jobs(jobs)
        rows = [row for row, job in enumerate(jobs) if chosen is not None and job.id == chosen.id]
        if rows or jobs:
            self.table.selectRow(rows[0] if rows else 0)
        self._enable()

    def selected(self) -> JobView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.jobs[rows[0].row()] if rows else None

    def retry(self) -> None:
        job = self.selected()
        if job is None or not job.failed:
            return
        self._run(self.queue.retry, job.id, self.tr("Sending job {job} again\u2026"))

    def reprint(self) -> None:
        job = self.selected()
        if job is None:
            return
        self._run(self.queue.reprint, job.id, self.tr("Printing job {job} again\u2026"))

    def _run(self, action, job_id: int, message: str) -> None:  # noqa: ANN001
        try:
            job = action(job_id)
        except OperationFailed as failure:
            self.status.setText(failure.message)
            return
        self.status.setText(message.format(job=job.id))
        self.refresh()

    def preview(self) -> None:
        job = self.selected()
        if job is None:
            return
        from app.ui.printing.preview import PrintPreviewDialog

        try:
            pdf = self.bridge.query_long(self, self.tr("Drawing the pages of {title}…").format(
                title=texts.job_title(job)), printing.job_preview_pdf, job.id)
        except OperationFailed as failure:
            self.status.setText(failure.message)
            return
        PrintPreviewDialog.show_only(self, pdf, texts.job_title(job))

    def _job_done(self, job: JobView) -> None:
        self.model.update_job(job)
        if job.failed:
            self.status.setText(self.tr("Job {job} failed: {reason}").format(job=job.id, reason=texts.failure_text(job)))
        else:
            self.status.setText(self.tr("Job {job} printed on {printer}.").format(job=job.id, printer=job.printer))
        self._enable()

    def _enable(self) -> None:
        job = self.selected()
        self._describe(job)
        self.retry_button.setEnabled(job is not None and job.failed)
        self.reprint_button.setEnabled(job is not None and job.status == "sent")
        self.preview_button.setEnabled(job is not None)

    def _describe(self, job: JobView | None) -> None:
        if job is None:
            text = self.tr("No print jobs in the last days.") if not self.model.jobs else ""
        elif job.failed:
            text = self.tr("Job {job} failed: {reason}").format(job=job.id, reason=texts.failure_text(job))
        elif job.status == "sent":
            text = self.tr("Job {job}: {title}, printed on {printer}.").format(
                job=job.id, title=texts.job_title(job), printer=job.printer)
        else:
            text = self.tr("Job {job}: {title}, waiting for {printer}.").format(
                job=job.id, title=texts.job_title(job), printer=job.printer)
        colour = STATUS_COLOURS["failed"] if job is not None and job.failed else "#000000"
        self.detail.setStyleSheet(f"QLabel#jobDetail {{ color: {colour}; font-weight: bold; }}")
        self.detail.setText(text)

    # --- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Print jobs"))
        self.every_workstation.setText(self.tr("&All workstations"))
        self.retry_button.setText(self.tr("&Retry (F5)"))
        self.reprint_button.setText(self.tr("Re&print (F6)"))
        self.preview_button.setText(self.tr("Pre&view (F3)"))
        self.keys.setText(self.tr("Up/Down: choose a job    F5: retry a failed job    "
                                  "F6: print again here    F3: preview    Esc: back"))
        self.model.retranslate()
        self._describe(self.selected())

    # --- Qt events ------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        actions = {Qt.Key.Key_F5: self.retry, Qt.Key.Key_F6: self.reprint, Qt.Key.Key_F3: self.preview}
        if event.key() in actions:
            actions[event.key()]()
            return
        super().keyPressEvent(event)

    def shown(self) -> None:
        self.refresh()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
