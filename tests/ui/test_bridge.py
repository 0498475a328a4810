"""The bridge: results, change flags, translated failures, approvals and the scan journal."""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import create_engine, select

from app.core.errors import LoginFailed, UnexpectedProduct
from app.db.engine import Database
from app.db.models import ScanJournal
from app.db.uow import UnitOfWork
from app.main import make_bridge
from app.services import users
from app.services.receiving import receipts as receiving
from app.ui.bridge import Changes, OperationFailed
from tests.factories import gtin13


def test_result_comes_back_and_declared_changes_are_announced(qtbot, bridge, warehouse):
    with qtbot.waitSignal(bridge.changed) as signal:
        view = bridge.run(receiving.open_receipt, "PO-1001", actor=warehouse.operator,
                          changes=Changes(receipts=True))
    assert view.number == "PO-1001"
    assert signal.args[0] == Changes(receipts=True)
    assert signal.args[0].intersects(Changes(receipts=True, stock=True))
    assert not signal.args[0].intersects(Changes(stock=True))


def test_nothing_is_announced_when_nothing_changed_or_the_use_case_failed(qtbot, bridge, warehouse):
    with qtbot.assertNotEmitted(bridge.changed):
        bridge.run(users.login_with_badge, "B-OP1", workstation="WS-TEST")
        with pytest.raises(OperationFailed):
            bridge.run(users.login_with_badge, "NOBODY", workstation="WS-TEST",
                       changes=Changes(users=True))


def test_typed_error_becomes_a_sentence(bridge, warehouse):
    with pytest.raises(OperationFailed) as failure:
        bridge.run(receiving.open_receipt, "A-01-01", actor=warehouse.operator)
    assert failure.value.message == "A-01-01 is a location, scan a purchase order."
    assert not failure.value.needs_approval and not failure.value.unexpected


def test_a_bug_in_a_use_case_is_logged_and_said_briefly(bridge, caplog):
    def broken(uow):
        raise ZeroDivisionError("division by zero")

    with caplog.at_level(logging.ERROR), pytest.raises(OperationFailed) as failure:
        bridge.run(broken)
    assert failure.value.unexpected
    assert failure.value.message == "Unexpected error (ZeroDivisionError). The details are in the log."
    assert "broken" in caplog.text and "ZeroDivisionError" in caplog.text


def test_unreachable_database_is_a_sentence_not_a_traceback(qapp):
    url = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere"
    engine = create_engine(url, connect_args={"connect_timeout": 2})
    offline = make_bridge(Database(url=url, engine=engine), "WS-TEST")
    with pytest.raises(OperationFailed) as failure:
        offline.query(users.user_language, 1)
    assert failure.value.message.startswith("The database postgresql+psycopg://postgres@127.0.0.1:9/nowhere cannot be reached:")
    assert not failure.value.unexpected
    engine.dispose()


def test_needs_approval_is_recognisable(bridge, warehouse):
    with pytest.raises(OperationFailed) as failure:
        bridge.run(receiving.receive_scan, warehouse.orders["PO-1001"].id, gtin13(4),
                   actor=warehouse.operator, idempotency_key=uuid.uuid4().hex, lot="SN-1")
    assert failure.value.needs_approval
    assert isinstance(failure.value.error, UnexpectedProduct)


def test_failed_scan_goes_to_the_journal_with_who_and_where(bridge, database, warehouse):
    bridge.log_in(warehouse.operator)
    bridge.journal_failed_scan("receiving", "A-01-01", LoginFailed())
    with UnitOfWork(database, write=False) as uow:
        entry = uow.session.scalar(select(ScanJournal).order_by(ScanJournal.id.desc()))
        uow.session.expunge(entry)
    assert (entry.context, entry.raw, entry.outcome) == ("receiving", "A-01-01", "error")
    assert entry.message == "Badge or PIN not recognised."
    assert entry.user_id == warehouse.operator.user_id and entry.workstation == "WS-TEST"
    assert "kind: text" in entry.interpretation


def test_a_print_worker_asking_an_unreachable_database_leaves_the_offline_desk_to_the_gui_thread(qtbot):
    """A print job's worker thread asks the database through the bridge. It waits for the
    database worker without an event loop of its own, and what the offline desk must do (start
    its retry timer) is queued to the GUI thread, where the desk's timer lives."""
    import threading

    url = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere"
    engine = create_engine(url, connect_args={"connect_timeout": 2})
    bridge = make_bridge(Database(url=url, engine=engine), "WS-TEST", background=True)
    calls: list[int] = []

    class Desk:  # the parts of the offline desk the bridge calls
        waiting = 0
        unreachable = False

        def refuse_fast(self):
            pass

        def went_offline(self):
            calls.append(threading.get_ident())

    bridge.offline = Desk()
    failures: list[OperationFailed] = []

    def print_job():
        try:
            bridge.query(users.user_language, 1)
        except OperationFailed as failure:
            failures.append(failure)

    worker = threading.Thread(target=print_job)
    worker.start()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=15000)
    assert failures and failures[0].message.startswith("The database")
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)  # delivered by the GUI thread's event loop
    assert calls == [threading.get_ident()]
    bridge.background.shutdown()
    engine.dispose()
