"""The outbox survives a kill: a workstation killed (SIGKILL) in the middle of sending its
offline scans, one of them held at COMMIT, then started again, applies every kept scan
exactly once: the start-up replay finds the ones the server already has by their keys."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core import clock
from app.db.engine import create_database
from app.db.models import PurchaseOrderLine, ScanJournal
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.integrity import check_documents
from app.services.outbox.store import Entry, Outbox
from tests.factories import gtin13

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from app.db.engine import create_database
from app.services.outbox.replay import replay_pending
from app.services.outbox.store import Outbox
report = replay_pending(create_database(sys.argv[1]), Outbox(sys.argv[2]), give_up_after=60)
print(report, flush=True)
"""



def kept_scans(outbox: Outbox, target: str, warehouse) -> list[Entry]:
    """16 receipt scans (11 WIDGET, the most the tolerance allows, and 5 GADGET) and 4
    journal rows, as an outage leaves them in the outbox."""
    order_id = warehouse.orders["PO-1001"].id
    entries, widgets = [], 0
    for n in range(20):
        if n % 5 == 4:
            payload = {"context": "receiving:receive", "raw": "SF:QTY:1", "interpretation": "command QTY:1",
                       "outcome": "command", "message": ""}
            entries.append(Entry(uuid.uuid4().hex, target, "journal", payload, warehouse.operator,
                                 "receiving:receive", "SF:QTY:1", "SF:QTY:1", clock.now().isoformat()))
        else:
            raw = gtin13(1) if widgets < 11 else gtin13(2)
            widgets += 1
            payload = {"order_id": order_id, "scan": raw, "quantity": None, "damaged": False, "lot": None,
                       "expiry": None}
            entries.append(Entry(uuid.uuid4().hex, target, "receive_scan", payload, warehouse.operator,
                                 "receiving", raw, raw, clock.now().isoformat()))
    for entry in entries:
        outbox.add(entry)
    return entries


def test_a_kill_during_replay_then_a_restart_applies_every_kept_scan_exactly_once(
        database, warehouse, proxy, tmp_path, qtbot):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("a workstation and its shared database: PostgreSQL only")
    from app.main import make_bridge

    station_url = proxy.url(database.url)
    station = create_database(station_url)
    target = station.describe()
    path = tmp_path / "outbox.sqlite"
    entries = kept_scans(Outbox(path), target, warehouse)
    child = subprocess.Popen([sys.executable, "-c", CHILD, station_url, str(path)],
                             env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while proxy.commits_seen < 8 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.005)
    proxy.hold_next_commit(1.0)  # the next COMMIT reaches the server after the kill
    seen = proxy.commits_seen
    while proxy.commits_seen == seen and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert child.returncode == -signal.SIGKILL, child.stderr.read().decode()[-2000:]
    left = Outbox(path).count(target)
    assert 0 < left < len(entries)  # killed halfway
    time.sleep(1.5)  # the held COMMIT lands on the server meanwhile

    # The workstation starts again: its desk replays what the outbox kept, once.
    bridge = make_bridge(station, "WS-TEST", outbox=path)
    desk = bridge.offline
    assert desk.offline and desk.waiting == left
    qtbot.waitUntil(lambda: not desk.offline and desk.last_replay is not None, timeout=60000)
    print(f"killed with {left} of {len(entries)} kept scans unsent; start-up replay: "
          f"{desk.last_replay.applied} applied, {desk.last_replay.already} already there, "
          f"{desk.last_replay.seconds * 1000:.0f} ms")
    assert desk.last_replay.refused == 0 and desk.last_replay.sent == left
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        assert ledger.check_ledger(session) == [] and check_documents(session) == []
        received = dict(session.execute(select(PurchaseOrderLine.line_no, PurchaseOrderLine.quantity_received)
            .where(PurchaseOrderLine.purchase_order_id == warehouse.orders["PO-1001"].id)).all())
        journal = session.scalar(select(func.count()).select_from(ScanJournal)
                                 .where(ScanJournal.raw == "SF:QTY:1"))
    assert received == {1: 11, 2: 5, 3: 0}  # 16 scans, each applied once
    assert journal == 4
    assert Outbox(path).count(target) == 0
    station.dispose()
