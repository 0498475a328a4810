"""Scenario: a cycle count from plan to adjusted stock, on every backend.

Sam (supervisor) plans a count of aisle A for Olga. She counts blind; the widgets are far off,
so the bin is recounted automatically by Otto, who finds the same. Sam reviews both counts
and approves the loss: stock and ledger follow, and the accuracy report shows the miss."""

from __future__ import annotations

import dataclasses
import io

from sqlalchemy import select

from app.core import clock
from app.db.models import AuditEntry, Move
from app.db.uow import UnitOfWork
from app.services import counting, ledger
from tests.factories import gtin13
from tests.services.test_counting import key, on_hand, put_stock, run


def test_plan_count_recount_review_approve(database, warehouse):
    sam, olga, otto = warehouse.supervisor, warehouse.operator, warehouse.operator2
    put_stock(database, "A-01-01", "WIDGET", 100)
    put_stock(database, "A-01-01", "GADGET", 20)
    put_stock(database, "A-02-01", "GADGET", 6)

    # Plan: aisle A for Olga, due today; the sheet names what is there, never how many.
    plan = run(database, counting.plan_location_range, "A-01-01", "A-03-01", actor=sam,
               counter_id=olga.user_id, due=clock.today())
    with UnitOfWork(database, write=False) as uow:
        sheet = counting.count_sheet(uow.session, plan.count_id)
        [mine] = counting.my_counts(uow.session, olga, clock.today())
    assert {(row.location, row.sku) for row in sheet.rows} == {
        ("A-01-01", "GADGET"), ("A-01-01", "WIDGET"), ("A-02-01", "GADGET"), ("A-03-01", None)}
    assert all(row.expected is None for row in sheet.rows)
    assert (mine.number, mine.next_location) == (plan.number, "A-01-01")

    # Olga counts blind: 88 widgets (12 short) and 20 gadgets in A-01-01; A-02-01 exact; A-03-01 empty.
    def count(actor, count_id, code, scans):
        start = run(database, counting.start_location, count_id, code, actor=actor)
        for scan, quantity in scans:
            result = run(database, counting.count_scan, count_id, start.location_id, scan,
                         actor=actor, idempotency_key=key(), quantity=quantity)
            assert "100" not in repr(dataclasses.astuple(result))  # nothing on record shows
        if not scans:
            return run(database, counting.confirm_empty, count_id, start.location_id, actor=actor)
        return run(database, counting.finish_location, count_id, start.location_id, actor=actor)

    count(olga, plan.count_id, "A-01-01", [(gtin13(101), 7), (gtin13(1), 4), (gtin13(2), 20)])
    count(olga, plan.count_id, "A-02-01", [(gtin13(2), 6)])
    done = count(olga, plan.count_id, "A-03-01", [])
    assert done.count_complete and done.empty_confirmed
    assert on_hand(database, "A-01-01", "WIDGET") == 100  # nothing settled yet

    # 12 widgets (30.00) off is beyond class C's 5 %: A-01-01 goes to Otto for a recount.
    with UnitOfWork(database, write=False) as uow:
        assert counting.my_counts(uow.session, olga, clock.today()) == []
        [recount] = counting.my_counts(uow.session, otto, clock.today())
    assert (recount.kind, recount.next_location, recount.assigned_to_me) == ("recount", "A-01-01", True)
    count(otto, recount.count_id, "A-01-01", [(gtin13(1), 88), (gtin13(2), 20)])

    # Sam reviews: both counts with who and when, the variance, and no moves since the snapshot.
    with UnitOfWork(database, write=False) as uow:
        assert [c.number for c in counting.review_queue(uow.session, actor=sam)] == [
            f"CC-{recount.count_id:06d}"]
        review = counting.count_review(uow.session, recount.count_id, actor=sam, waiting_only=True)
    [widgets] = review.lines
    assert (widgets.sku, widgets.expected, widgets.counted) == ("WIDGET", 100, 88)
    assert (widgets.variance_qty, widgets.variance_value, widgets.within_tolerance) == (-12, -30.0, False)
    assert [(r.kind, r.counters, r.counted) for r in widgets.rounds] == [
        ("location_range", ("Olga Operator",), 88), ("recount", ("Otto Operator",), 88)]
    assert all(r.counted_at is not None for r in widgets.rounds)
    assert widgets.moves_since_snapshot == () and not widgets.moved_during_count

    decision = run(database, counting.approve_lines, [widgets.line_id], "lost", actor=sam)
    assert decision.counts[0].status == "closed"
    assert on_hand(database, "A-01-01", "WIDGET") == 88
    assert on_hand(database, "A-01-01", "GADGET") == 20
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        assert ledger.check_ledger(session) == []
        [loss] = session.scalars(select(Move).where(Move.document_type == "count")).all()
        assert (loss.quantity, loss.reason, loss.to_location_id, loss.user_id) == (
            12, "count_loss", warehouse.locations["LOSS"].id, sam.user_id)
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "count_line_approved"))
        accuracy = counting.inventory_accuracy(session, period="month")
        out = io.StringIO()
        counting.write_count_results_csv(session, out, count_ids=[recount.count_id])
    # Measured lines: A-02-01 from the first count (empty A-03-01 has none), A-01-01's two
    # from the recount (the first count of A-01-01 was superseded).
    assert [(row.lines, row.within_tolerance) for row in accuracy] == [(3, 2)]
    assert "WIDGET" in out.getvalue() and ",lost," in out.getvalue()
