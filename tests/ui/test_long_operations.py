"""Long supervisor operations (allocation, wave release, reports, previews of label batches)
run on the bridge's worker thread behind a modal progress bar: the GUI thread keeps
processing events while they run, and what they record is what the banner says.

How "the window does not freeze" is proved without a timing: the use case, on the worker,
waits for a gate that only the GUI thread's event loop can open (a QTimer that also looks at
the progress dialog). Were the work on the GUI thread, or the GUI thread blocked, the gate
would never open and the test would fail on ``opened_by_gui``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from app.db.models_picking import Allocation, PickTask, Wave
from app.db.uow import UnitOfWork
from app.services.orders import allocation
from app.services.waves import release as release_service
from tests.ui.test_waves_screen import alt, column, saved, screen, select, status, three_orders  # noqa: F401


@dataclass
class Gate:
    """Holds a use case on the worker until the GUI thread has shown the progress dialog."""

    opened_by_gui: bool = False
    dialogs: list[tuple[str, int, bool]] = field(default_factory=list)  # text, maximum, modal
    threads: list[int] = field(default_factory=list)
    event: threading.Event = field(default_factory=threading.Event)

    def hold(self, function):  # noqa: ANN001, ANN201
        def held(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            self.threads.append(threading.get_ident())
            self.opened_by_gui = self.event.wait(timeout=60)
            return function(*args, **kwargs)

        return held

    def watch(self) -> QTimer:
        """A GUI-thread timer: records the visible progress dialog, then opens the gate."""
        def look() -> None:
            modal = QApplication.activeModalWidget()
            if isinstance(modal, QProgressDialog) and modal.isVisible() and self.threads:
                self.dialogs.append((modal.labelText(), modal.maximum(), modal.isModal()))
                self.event.set()

        timer = QTimer(interval=10, timeout=look)
        timer.start()
        return timer


@pytest.fixture
def gate():
    return Gate()


def count(database, model, *where) -> int:
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def units(database) -> int:
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(sa.select(sa.func.sum(Allocation.quantity)))


def test_allocation_runs_behind_a_progress_bar_and_lands_in_the_banner(qtbot, screen, database, three_orders,
                                                                        gate, monkeypatch):
    monkeypatch.setattr(allocation, "allocate_waiting_orders", gate.hold(allocation.allocate_waiting_orders))
    screen.refresh()
    timer = gate.watch()
    alt(qtbot, screen, Qt.Key.Key_A)
    timer.stop()
    assert gate.opened_by_gui, "the GUI thread processed events while the allocation ran"
    assert gate.threads and gate.threads[0] != threading.get_ident()
    assert gate.dialogs[0] == ("Allocating stock to the waiting orders…", 0, True)  # a busy bar, modal
    assert (screen.banner.state, screen.banner.text()) == (
        "ok", "3 order(s) allocated: units reserved: 6, on backorder: 1.")
    assert units(database) == 6 and count(database, Allocation) == 4  # the 2 GADGETs went to 1002
    assert {status(database, order_id) for order_id in three_orders.values()} == {"allocated"}
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_wave_release_runs_behind_a_progress_bar_and_records_the_waves(qtbot, screen, database, three_orders,
                                                                       gate, monkeypatch):
    screen.refresh()
    screen.release.allocate()
    monkeypatch.setattr(release_service, "release_waves", gate.hold(release_service.release_waves))
    select(screen.release.table, "1001", "1002", "1003")
    screen.release.slots.setValue(2)
    timer = gate.watch()
    alt(qtbot, screen, Qt.Key.Key_B)
    timer.stop()
    assert gate.opened_by_gui and gate.threads[0] != threading.get_ident()
    assert gate.dialogs[0][0] == "Releasing 3 order(s) and routing their pick tasks…"
    assert (screen.banner.state, screen.banner.text()) == (
        "ok", "Released 2 wave(s): W000001, W000002; lines to pick: 4.")
    assert count(database, Wave) == 2
    assert count(database, PickTask) == 4  # 1003's GADGET waits on backorder
    assert {status(database, order_id) for order_id in three_orders.values()} == {"picking"}
    assert column(screen.waves.table, "Wave") == ["W000001", "W000002"]


def test_a_refused_release_comes_back_red_after_the_progress_bar(qtbot, screen, database, three_orders, monkeypatch):
    screen.refresh()
    screen.release.allocate()
    select(screen.release.table, "1001")
    with UnitOfWork(database) as uow:  # another workstation released it meanwhile
        release_service.release_waves(uow, [three_orders["1001"]], actor=screen.bridge.require_actor())
    alt(qtbot, screen, Qt.Key.Key_S)
    assert screen.banner.state == "error"
    assert count(database, Wave) == 1
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_a_pick_list_pdf_is_written_behind_a_progress_bar(qtbot, screen, database, three_orders, saved, tmp_path,
                                                          gate, monkeypatch):
    screen.refresh()
    screen.release.allocate()
    select(screen.release.table, "1001", "1002")
    screen.release.release("single")
    from app.ui.waves import waves_tab

    monkeypatch.setattr(waves_tab.waves, "picklist_pdf", gate.hold(waves_tab.waves.picklist_pdf))
    screen.waves.table.select_ids([1])
    timer = gate.watch()
    alt(qtbot, screen, Qt.Key.Key_P)
    timer.stop()
    assert gate.opened_by_gui
    assert gate.dialogs[0][0] == "Writing the pick list of W000001…"
    assert screen.banner.text() == f"Pick list of W000001 saved to {tmp_path / 'picklist-W000001.pdf'}"
    assert (tmp_path / "picklist-W000001.pdf").read_bytes().startswith(b"%PDF")


def test_a_label_batch_preview_is_drawn_behind_a_progress_bar(qtbot, context, warehouse, gate, monkeypatch):
    from app.ui.printing import actions
    from app.ui.printing.preview import PrintPreviewDialog

    context.bridge.log_in(warehouse.supervisor)
    monkeypatch.setattr(actions.printing, "preview_pdf", gate.hold(actions.printing.preview_pdf))
    shown = []
    monkeypatch.setattr(PrintPreviewDialog, "ask", classmethod(lambda cls, parent, pdf, title: shown.append(pdf)))
    timer = gate.watch()
    actions.print_action(context, "locations", preview=True, codes=["A-01-01", "B-02-01"])
    timer.stop()
    assert gate.opened_by_gui
    assert gate.dialogs[0][0].startswith("Drawing the pages of ")
    assert shown and shown[0].startswith(b"%PDF")
