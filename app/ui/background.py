"""One database worker thread behind the bridge (the idea of Anki's CollectionOp).

``Background.run(fn)`` runs ``fn`` on the worker and waits for it while the GUI thread keeps
processing events: the window repaints, the scanner keeps typing into the scan field, and the
floor dialogue queues the scans that complete meanwhile (app/ui/dialogue/engine.py). One
thread, so use cases run one at a time in the order they were asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal, Slot


class _Finished(QObject):
    """Wakes the waiting GUI thread. Emitted on the worker, so it must not die there: it has a
    parent on the GUI thread and is deleted there (deleteLater) once the worker has emitted."""

    finished = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.emitted = threading.Event()

    def emit_finished(self) -> None:
        self.finished.emit()
        self.emitted.set()


class _Callback(_Finished):
    """Brings a finished future back to the GUI thread (where this object lives)."""

    def __init__(self, future: Future, done: Callable[[Future], None], parent: QObject) -> None:
        super().__init__(parent)
        self._future, self._done = future, done
        self.finished.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def deliver(self) -> None:
        try:
            self._done(self._future)
        finally:
            self.emitted.wait()  # the worker is out of emit_finished (it is, or is just leaving)
            self.deleteLater()


class Background:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stockfloor-db")
        self.depth = 0  # how many GUI-side waits are open (nested ones included)
        # Parent of the signal objects the worker emits: they are created and deleted on this
        # (the GUI) thread, whichever thread drops the last Python reference to them.
        self._anchor = QObject()
        self._gui_thread = threading.get_ident()

    def run(self, function: Callable[[], Any]) -> Any:
        """``function()`` on the worker, its result or exception here. The GUI thread keeps
        processing events meanwhile; any other thread (a print job's) simply waits."""
        future: Future = self._executor.submit(function)
        if threading.get_ident() != self._gui_thread:
            return future.result()
        if not future.done():
            self._wait(future)
        # Raised here, not in _wait: a failed use case's exception (kept by the future) has a
        # traceback through this frame, a reference cycle, which must not hold the event loop
        # and the signal object (Qt objects are destroyed where they were made: collector.py).
        return future.result()

    def _wait(self, future: Future) -> None:
        """Process the GUI thread's events until ``future`` is done."""
        signal = _Finished(self._anchor)
        loop = QEventLoop()
        signal.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
        future.add_done_callback(lambda _done: signal.emit_finished())
        if not future.done():
            self.depth += 1
            try:
                loop.exec()
            finally:
                self.depth -= 1
        signal.emitted.wait()  # done means the callback runs now, if it has not yet
        signal.deleteLater()

    def submit(self, function: Callable[[], Any], done: Callable[[Future], None] | None = None) -> Future:
        """Run ``function`` on the worker (after what is queued) without waiting for it. With
        ``done``, ``done(future)`` is called on the GUI thread when it has finished; without,
        the caller waits for the future its own way (app/ui/progress.py, behind a progress bar)."""
        future: Future = self._executor.submit(function)
        if done is not None:
            callback = _Callback(future, done, self._anchor)
            future.add_done_callback(lambda _done: callback.emit_finished())
        return future

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
