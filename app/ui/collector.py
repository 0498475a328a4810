"""Garbage collection on the GUI thread only.

Python's cyclic garbage collector runs on whichever thread happens to allocate when a
generation fills up: in this app that is often the database worker (app/ui/background.py),
in the middle of a scan. Widgets, signal objects and event loops that ended up in reference
cycles (a screen closed, a bridge replaced, an exception's traceback through a frame that
held an event loop) are then destroyed there, their C++ destructors running off the GUI
thread while the GUI thread is inside its event loop: Qt does not allow that, and the
process can die with a segmentation fault.

So the window switches automatic collection off and collects from a timer on the GUI thread,
by the same generation thresholds Python would use: objects in cycles live a moment longer,
and are always destroyed where they were made. The scan path's worker never pauses for a
collection either. Objects without cycles are freed at once, as always (reference counting).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500  # a fraction of a scan's human pause; a collection of the young takes < 1 ms


class GuiThreadCollector(QObject):
    """``GuiThreadCollector(app).start()``: collect on this (the GUI) thread from now on;
    ``stop()`` gives collection back to Python."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)

    def start(self) -> GuiThreadCollector:
        gc.disable()
        self._timer.start()
        return self

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect(self) -> int:
        """Collect the generations that have filled up since (the oldest one due takes the
        younger with it, as Python's own collection does); the number of objects freed."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                return gc.collect(generation)
        return 0
