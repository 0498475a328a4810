"""Long work runs off the GUI thread behind a progress bar; its result or error comes back."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from app.ui.progress import run_with_progress


def test_work_runs_off_the_gui_thread_and_the_window_keeps_painting(qapp):
    gui_thread = threading.get_ident()
    ticks, seen = [], []
    timer = QTimer(interval=5, timeout=lambda: ticks.append(1))
    timer.start()

    def work(report):
        for step in range(1, 6):
            time.sleep(0.02)  # stands in for the database work
            report(step, 5)
        return threading.get_ident()

    def look():
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        seen.extend((d.labelText(), d.maximum()) for d in dialogs)

    QTimer.singleShot(30, look)
    worker_thread = run_with_progress(None, "Stockfloor", "Building the demo warehouse", work)
    timer.stop()
    assert worker_thread != gui_thread
    assert ticks, "the GUI thread's event loop ran while the work did"
    assert seen and seen[0][0] == "Building the demo warehouse"
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_the_works_error_is_raised_on_the_gui_thread(qapp):
    def work(report):
        raise LookupError("no such order")

    with pytest.raises(LookupError, match="no such order"):
        run_with_progress(None, "Stockfloor", "Importing", work)
