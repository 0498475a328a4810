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

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal


class _Finished(QObject):
    finished = Signal()


class Background:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stockfloor-db")
        self.depth = 0  # how many GUI-side waits are open (nested ones included)

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

    def submit(self, function: Callable[[], Any]) -> Future:
        """Queue ``function`` behind the use cases already asked for; the caller waits for the
        future its own way (app/ui/progress.py, behind a progress bar)."""
        return self._executor.submit(function)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
