"""Long work off the GUI thread, with a progress bar the operator can see.

``run_with_progress(parent, title, text, work)`` runs ``work(report)`` in a QThread while a
modal progress dialog shows; the GUI thread keeps painting. ``report(done, total)`` moves the
bar (a work that never calls it shows a busy bar). The work's result is returned; its
exception is raised again on the GUI thread. The work must open its own database session
(a unit of work per thread): nothing Qt may be touched from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Report = Callable[[int, int], None]


class Worker(QThread):
    progressed = Signal(int, int)  # done, total

    def __init__(self, work: Callable[[Report], Any]) -> None:
        super().__init__()
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:  # the worker thread
        try:
            self.result = self.work(lambda done, total: self.progressed.emit(done, total))
        except BaseException as error:  # noqa: BLE001 - handed to the GUI thread, raised there
            self.error = error


def run_with_progress(parent: QWidget | None, title: str, text: str, work: Callable[[Report], Any]) -> Any:
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)  # the work runs to its end: half a demo or import helps nobody
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    worker = Worker(work)

    def moved(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    worker.progressed.connect(moved)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    dialog.show()
    worker.start()
    if not worker.isFinished():
        loop.exec()
    worker.wait()
    dialog.close()
    dialog.deleteLater()
    if worker.error is not None:
        raise worker.error
    return worker.result
