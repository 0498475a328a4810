"""Through any fault, one scan is one unit: PostgreSQL behind a loopback proxy that loses
the COMMIT reply, partitions the network at COMMIT, or refuses connections. The scan runs
through the retry runner with one idempotency key, as the CLI and the UI worker run it."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from app.core.errors import DatabaseUnavailable
from app.db.engine import create_database
from app.db.models import OnHand, PurchaseOrderLine, ScanJournal
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.integrity import check_documents
from app.services.receiving import receipts as receiving
from app.services.retry import run_scan
from tests.factories import gtin13
from tests.support.pgproxy import station_behind


@pytest.fixture
def pg(database):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("faults between workstation and server: PostgreSQL only")
    return database


@pytest.fixture
def station(pg, proxy, monkeypatch):
    """A workstation that reaches the server only through the proxy."""
    database = station_behind(proxy, pg, monkeypatch, why="faults between workstation and server: PostgreSQL only")
    yield database
    database.dispose()


def receive(database, actor, key: str, **kwargs):
    return run_scan(database, receiving.receive_scan, RECEIPT["id"], gtin13(1), actor=actor,
                    idempotency_key=key, **kwargs)


RECEIPT: dict = {}


@pytest.fixture(autouse=True)
def _receipt(warehouse):
    RECEIPT["id"], RECEIPT["widget"] = warehouse.orders["PO-1001"].id, warehouse.products["WIDGET"].id


def recorded(database) -> tuple[int, int, int]:
    """(units on the PO line, units on hand, scans journaled) for WIDGET."""
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        assert ledger.check_ledger(session) == [] and check_documents(session) == []
        return (
            session.scalar(select(PurchaseOrderLine.quantity_received)
                           .where(PurchaseOrderLine.product_id == RECEIPT["widget"])),
            session.scalar(select(func.coalesce(func.sum(OnHand.quantity), 0))),
            session.scalar(select(func.count(ScanJournal.id)).where(ScanJournal.context == "receiving")),
        )


def test_a_lost_commit_reply_is_retried_and_counted_once(pg, warehouse, proxy, station):
    proxy.drop_next_commit_reply()
    result = receive(station, warehouse.operator, uuid.uuid4().hex)
    assert proxy.commits_seen == 1  # the retry found the key claimed: nothing to commit again
    assert not result.replayed and result.line.received == 1  # the operator sees one "+1"
    assert recorded(pg) == (1, 1, 1)


def test_a_commit_held_past_the_client_wait_is_found_by_the_retry_and_counted_once(
        pg, warehouse, proxy, station, monkeypatch):
    # The client gives up after 3 s; the COMMIT reaches the server after 5 s (the server
    # keeps the idle transaction 10 s here). The retry's claim waits on the first
    # attempt's key until that commit lands, then finds it: one unit, reported as applied.
    monkeypatch.setenv("STOCKFLOOR_PG_IDLE_IN_TRANSACTION_TIMEOUT", "10")
    patient = create_database(proxy.url(pg.url))
    proxy.hold_next_commit(5)
    result = receive(patient, warehouse.operator, uuid.uuid4().hex)
    patient.dispose()
    assert proxy.commits_seen == 1
    assert not result.replayed and result.line.received == 1
    assert recorded(pg) == (1, 1, 1)


def test_a_partition_at_commit_fails_in_bounded_time_and_blocks_nobody_for_long(pg, warehouse, proxy, station):
    proxy.partition_at_next_commit()
    key, outcome = uuid.uuid4().hex, {}

    def cut_off_station():
        try:
            receive(station, warehouse.operator, key, give_up_after=5)
        except DatabaseUnavailable as error:
            outcome["error"] = error

    thread = threading.Thread(target=cut_off_station)
    thread.start()
    # The other workstation receives on the same PO line, whose row the cut-off station
    # holds locked: it waits until the server ends that idle transaction (2 s), well
    # before its own lock timeout (10 s) would refuse it.
    while proxy.commits_seen == 0 and thread.is_alive():
        thread.join(0.05)
    with UnitOfWork(pg) as uow:
        other = receiving.receive_scan(uow, RECEIPT["id"], gtin13(1), actor=warehouse.operator2,
                                       idempotency_key=uuid.uuid4().hex)
    assert other.line.received == 1
    thread.join(60)
    assert not thread.is_alive() and isinstance(outcome.get("error"), DatabaseUnavailable)
    assert recorded(pg) == (1, 1, 1)  # the cut-off scan never committed
    proxy.heal()
    again = receive(station, warehouse.operator, key)  # the same scan, its same key, later
    assert not again.replayed and again.line.received == 2
    assert recorded(pg) == (2, 2, 2)


def test_a_refused_connection_fails_in_bounded_time_and_the_same_scan_lands_later(pg, warehouse, proxy, station):
    key = uuid.uuid4().hex
    station.dispose()  # no pooled connection: the next one must be made through the proxy
    proxy.mode = "refuse"
    with pytest.raises(DatabaseUnavailable):
        receive(station, warehouse.operator, key, give_up_after=1)
    proxy.heal()
    assert receive(station, warehouse.operator, key).line.received == 1
    assert receive(station, warehouse.operator, key).replayed  # a later duplicate is a replay
    assert recorded(pg) == (1, 1, 1)
