"""One database worker thread behind the bridge (the idea of Anki's CollectionOp).

``Background.run(fn)`` runs ``fn`` on the worker and waits for it while the GUI thread keeps
processing events: the window repaints, the scanner keeps typing into the scan field, and the
floor dialogue queues the scans that complete meanwhile (app/ui/dialogue/engine.py). One
thread, so use cases run one at a time in the order they were asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal, Slot


class _Finished(QObject):
    finished = Signal()


class _Callback(QObject):
    """Brings a finished future back to the GUI thread (where this object lives)."""

    finished = Signal()

    def __init__(self, future: Future, done: Callable[[Future], None], keep: set) -> None:
        super().__init__()
        self._future, self._done, self._keep = future, done, keep
        keep.add(self)
        self.finished.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def deliver(self) -> None:
        self._keep.discard(self)
        self._done(self._future)


class Background:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stockfloor-db")
        self.depth = 0  # how many GUI-side waits are open (nested ones included)
        self._callbacks: set[_Callback] = set()

    def run(self, function: Callable[[], Any]) -> Any:
        future: Future = self._executor.submit(function)
        if not future.done():
            signal = _Finished()
            loop = QEventLoop()
            signal.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
            future.add_done_callback(lambda _done: signal.finished.emit())
            if not future.done():
                self.depth += 1
                try:
                    loop.exec()
                finally:
                    self.depth -= 1
        return future.result()

    def submit(self, function: Callable[[], Any], done: Callable[[Future], None] | None = None) -> Future:
        """Run ``function`` on the worker (after what is queued) without waiting for it. With
        ``done``, ``done(future)`` is called on the GUI thread when it has finished; without,
        the caller waits for the future its own way (app/ui/progress.py, behind a progress bar)."""
        future: Future = self._executor.submit(function)
        if done is not None:
            callback = _Callback(future, done, self._callbacks)
            future.add_done_callback(lambda _done: callback.finished.emit())
        return future

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
