"""Garbage in reference cycles is collected on the GUI thread only (app/ui/collector.py): a
widget destroyed on the database worker while the GUI thread runs its event loop can take
the whole window down."""

from __future__ import annotations

import gc
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject

from app.ui.collector import GuiThreadCollector


class _InACycle:
    """A Qt object held by a Python object that refers to itself: only the cyclic collector
    frees it; ``died_on`` tells on which thread."""

    def __init__(self, died_on: list[int]) -> None:
        self.me = self
        self.qt_object = QObject()
        self._died_on = died_on

    def __del__(self) -> None:
        self._died_on.append(threading.get_ident())


def _drop_and_allocate(box: list) -> list:
    box.clear()  # the last reference goes on the worker...
    # ...which then allocates far past the young generation's threshold, as a big query does.
    return [[[] for _ in range(8)] for _ in range(5_000)]


def test_a_cycle_dropped_on_the_worker_is_destroyed_on_the_gui_thread(qtbot, _collect_on_gui_thread):
    died_on: list[int] = []
    box = [_InACycle(died_on)]
    dropped = weakref.ref(box[0])
    with ThreadPoolExecutor(max_workers=1) as worker:
        rows = worker.submit(_drop_and_allocate, box).result()
    assert dropped() is not None and died_on == []  # not collected on the worker
    qtbot.waitUntil(lambda: dropped() is None, timeout=5000)  # the GUI thread's timer did
    assert died_on == [threading.get_ident()] and len(rows) == 5_000


def test_stopping_gives_collection_back_to_python(qapp):
    enabled = gc.isenabled()
    collector = GuiThreadCollector(qapp).start()
    try:
        assert not gc.isenabled()
    finally:
        collector.stop()
    assert gc.isenabled() == enabled
