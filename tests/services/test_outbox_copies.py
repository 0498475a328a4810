"""An offline scan is checked against the open document's local copy: the copy answers what
the use case answers (units, totals, destination, lot) and asks what it asks (lot, expiry);
what it cannot decide (a product not on it, an approval) waits for the database."""

from __future__ import annotations

import uuid

import pytest

from app.core.errors import LotRequired, NotInLocalCopy, WaitsForDatabase
from app.db.uow import UnitOfWork
from app.services.counting import floor
from app.services.outbox.copies_inbound import count_copy, receipt_copy
from app.services.receiving import receipts
from tests.factories import gtin13
from tests.services.test_counting import plan_one, put_stock, run

MILK = "]C1" + "0109501101530003" + "17271231" + "10L9"


def test_the_receipt_copy_answers_like_receive_scan(database, warehouse):
    order_id = warehouse.orders["PO-1001"].id
    with UnitOfWork(database, write=False) as uow:
        copy = receipt_copy(uow.session, order_id)
    scans = [(gtin13(1), {}), (gtin13(1), {"quantity": 3}), (gtin13(2), {"quantity": 3}), (gtin13(1), {"damaged": True}),
             (MILK, {})]
    for raw, extra in scans:
        payload = {"order_id": order_id, "scan": raw, **extra}
        offline = copy.check(payload)
        copy.take(offline)
        online = run(database, receipts.receive_scan, order_id, raw, actor=warehouse.operator,
                     idempotency_key=uuid.uuid4().hex, **extra)
        assert offline == online
    with pytest.raises(WaitsForDatabase):  # a case of 12 on 5 WIDGET: beyond the tolerance, needs a supervisor
        copy.check({"order_id": order_id, "scan": gtin13(101)})
    with pytest.raises(LotRequired):
        copy.check({"order_id": order_id, "scan": "09501101530003"})
    with pytest.raises(NotInLocalCopy):  # PHONE is not on PO-1001: the copy cannot name it
        copy.check({"order_id": order_id, "scan": gtin13(4)})


def test_the_count_copy_answers_like_count_scan(database, warehouse):
    put_stock(database, "A-01-01", "GADGET", 4)
    count_id = plan_one(database, warehouse, "A-01-01").count_id
    location_id = run(database, floor.start_location, count_id, "A-01-01", actor=warehouse.operator).location_id
    with UnitOfWork(database, write=False) as uow:
        copy = count_copy(uow.session, count_id, location_id)
    for raw, quantity in ((gtin13(2), None), (gtin13(2), 2)):
        offline = copy.check({"count_id": count_id, "location_id": location_id, "scan": raw, "quantity": quantity})
        copy.take(offline)
        online = run(database, floor.count_scan, count_id, location_id, raw, actor=warehouse.operator,
                     idempotency_key=uuid.uuid4().hex, quantity=quantity)
        assert offline == online
    with pytest.raises(NotInLocalCopy):  # found stock of another product: waits for the database
        copy.check({"count_id": count_id, "location_id": location_id, "scan": gtin13(1)})
