"""Long work off the GUI thread, with a progress bar the operator can see.

``run_with_progress(parent, title, text, work)`` runs ``work(report)`` off the GUI thread while
a modal progress dialog shows: the window keeps painting and processing events, and the
modal dialog keeps a second click from starting the same work again. ``report(done, total)``
moves the bar (a work that never calls it shows a busy bar). The work's result is returned;
its exception is raised again on the GUI thread. The work must open its own database session
(a unit of work per thread): nothing Qt may be touched from it.

``submit`` chooses the thread: the bridge passes its worker's (app/ui/background.py), so long
supervisor operations run on the same thread as every other use case, in the order they were
asked for (``Bridge.run_long``). Without it (the demo build before any database is open) a
thread of its own runs the work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

Report = Callable[[int, int], None]
Submit = Callable[[Callable[[], Any]], Future]


class _Relay(QObject):
    """Made in the GUI thread: what the worker emits is delivered there."""

    progressed = Signal(int, int)  # done, total
    finished = Signal()


def _own_thread(function: Callable[[], Any]) -> Future:
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stockfloor-progress")
    try:
        return executor.submit(function)
    finally:
        executor.shutdown(wait=False)  # the thread ends with the work


def run_with_progress(parent: QWidget | None, title: str, text: str, work: Callable[[Report], Any], *,
                      submit: Submit | None = None) -> Any:
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setObjectName("progressDialog")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal if parent is not None
                             else Qt.WindowModality.ApplicationModal)
    dialog.setCancelButton(None)  # the work runs to its end: half a demo or half a wave helps nobody
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(480)
    relay = _Relay()

    def moved(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    relay.progressed.connect(moved)
    loop = QEventLoop()
    relay.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    emitted = threading.Event()  # the worker is out of its last emit: the relay may go

    def finished(_done: Future) -> None:
        relay.finished.emit()
        emitted.set()

    future = (submit or _own_thread)(lambda: work(relay.progressed.emit))
    future.add_done_callback(finished)
    window, focus = QApplication.activeWindow(), QApplication.focusWidget()
    dialog.show()
    if not future.done():
        loop.exec()
    emitted.wait()  # done may be seen while the worker still emits ``finished`` on the relay
    dialog.close()
    dialog.deleteLater()
    if window is not None:  # the keys go back where they went (the screen's shortcuts need it)
        window.activateWindow()
        QApplication.processEvents()  # the activation arrives as an event: before the next key
        if focus is not None:
            focus.setFocus()
    return future.result()  # the work's exception, raised here
