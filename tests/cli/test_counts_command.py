"""`stockfloor counts classify | plan` as a supervisor: classes by the policy, a capped plan."""

from __future__ import annotations

from app.db.uow import UnitOfWork
from app.services.counting import policy
from tests.services.test_orders_support import put_stock


def test_classify_then_plan_by_the_policy(database, warehouse, cli, as_supervisor):
    for sku, location, units in (("WIDGET", "A-01-01", 40), ("GADGET", "A-02-01", 10), ("MILK", "B-01-01", 5)):
        put_stock(database, warehouse, sku, location, units)
    with UnitOfWork(database) as uow:
        policy.set_plan_policy(uow, actor=warehouse.supervisor, plan_days=2, daily_cap=1)
    classified = cli("--database", database.url, "counts", "classify")
    # by value over 90 days: GADGET 10 x 10.00 = 100 and WIDGET 40 x 2.50 = 100 make the first 80 %
    # (A); MILK 5 x 0.90 = 4.50 comes after 97.8 % (C); PHONE did not move (C)
    assert classified.code == 0, classified.err
    assert classified.out == "Products classified: 4 (by value, over 90 days): A 2, B 0, C 2\n"
    # three products in stock are due (never counted); two days of one count each
    dry = cli("--database", database.url, "counts", "plan", "--dry-run", "--from", "2026-06-17")
    assert dry.out.splitlines() == ["2026-06-17  counts: 1", "2026-06-18  counts: 1",
                                    "Counts that would be planned: 2 over 2 days; due counts left for the next "
                                    "plan (daily cap): 1"]
    planned = cli("--database", database.url, "counts", "plan", "--from", "2026-06-17")
    assert planned.code == 0 and planned.out.splitlines()[-1].startswith("Counts planned: 2 over 2 days")
