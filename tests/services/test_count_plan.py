"""ABC in use: the plan policy, classifying by it, and a daily plan capped and spread evenly
over the plan's days (on every backend)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select

from app.core import clock
from app.core.count_plan import PlanPolicy, daily_quota, spread
from app.core.errors import InvalidInput, NotAllowed
from app.db.models_counting import Count
from app.db.uow import UnitOfWork
from app.services.counting import planning, policy
from tests.factories import add_product
from tests.services.test_orders_support import put_stock

DAY = dt.timedelta(days=1)


def test_the_quota_spreads_evenly_and_never_passes_the_cap():
    assert daily_quota(266, 20, 25) == 14
    assert daily_quota(266, 20, 10) == 10
    assert daily_quota(4, 20, 25) == 1
    assert daily_quota(0, 20, 25) == 0
    start = dt.date(2026, 6, 17)
    by_day, left = spread(list(range(7)), start, 3, 5)
    assert {day: len(items) for day, items in by_day.items()} == {start: 3, start + DAY: 3, start + 2 * DAY: 1}
    by_day, left = spread(list(range(7)), start, 3, 2)
    assert [len(items) for items in by_day.values()] == [2, 2, 2] and left == [6]


@pytest.fixture
def many_products(database, warehouse):
    """30 products in stock (never counted: all due), besides the warehouse's own four."""
    with UnitOfWork(database) as uow:
        for n in range(30):
            warehouse.products[f"P{n:02d}"] = add_product(uow.session, f"P{n:02d}", f"Product {n}", unit_cost=1 + n)
        uow.commit()
    for n in range(30):
        put_stock(database, warehouse, f"P{n:02d}", "A-01-01", 5)
    return warehouse


def set_policy(database, actor, **changes):
    with UnitOfWork(database) as uow:
        return policy.set_plan_policy(uow, actor=actor, **changes)


def planned_per_day(database) -> dict[dt.date, int]:
    with UnitOfWork(database, write=False) as uow:
        return dict(Counter(uow.session.scalars(select(Count.due_date).where(Count.kind == "abc"))))


def test_the_abc_plan_is_spread_evenly_over_the_plan_days(database, many_products):
    wh = many_products
    set_policy(database, wh.supervisor, plan_days=10, daily_cap=5)
    today = clock.today()
    with UnitOfWork(database) as uow:
        planned = planning.plan_abc_counts(uow, today, actor=wh.supervisor)
    assert len(planned) == 30
    assert planned_per_day(database) == {today + n * DAY: 3 for n in range(10)}
    with UnitOfWork(database) as uow:
        assert planning.plan_abc_counts(uow, today, actor=wh.supervisor) == []


def test_the_daily_cap_leaves_the_rest_for_the_next_plan(database, many_products):
    wh = many_products
    set_policy(database, wh.supervisor, plan_days=5, daily_cap=4)
    today = clock.today()
    with UnitOfWork(database, write=False) as uow:
        preview = planning.abc_plan(uow.session, today)
    assert preview.sizes() == {today + n * DAY: 4 for n in range(5)} and len(preview.left_over) == 10
    with UnitOfWork(database) as uow:
        planning.plan_abc_counts(uow, today, actor=wh.supervisor)
    assert planned_per_day(database) == {today + n * DAY: 4 for n in range(5)}
    later = today + 5 * DAY
    with UnitOfWork(database) as uow:
        planning.plan_abc_counts(uow, later, actor=wh.supervisor)
    assert planned_per_day(database) == {**{today + n * DAY: 4 for n in range(5)},
                                         **{later + n * DAY: 2 for n in range(5)}}


def test_classify_by_the_policy_and_its_checks(database, many_products):
    wh = many_products
    with UnitOfWork(database, write=False) as uow:
        assert policy.plan_policy(uow.session) == PlanPolicy()
        assert policy.class_sizes(uow.session) == {"A": 0, "B": 0, "C": 34}
    with pytest.raises(InvalidInput, match="need 0 < A < B < 100 %"):
        set_policy(database, wh.supervisor, share_a=0.9, share_b=0.8)
    with pytest.raises(NotAllowed):
        set_policy(database, wh.operator, daily_cap=3)
    set_policy(database, wh.supervisor, share_a=0.5, share_b=0.8, basis="value", lookback_days=30)
    with UnitOfWork(database) as uow:
        sizes = policy.classify(uow, clock.today(), actor=wh.supervisor)
    # 30 products moved 5 units each at unit costs 1..30 (the four others did not move), value
    # 5 x (30 + 29 + ...) of 2,325 in all: before the 9th the top 8 make 1,060 (< 50 %), before the
    # 10th 1,170 (>= 50 %): 9 A; before the 17th 1,800 (< 80 %), before the 18th 1,870: 8 B; 13 + 4 C.
    assert sizes == {"A": 9, "B": 8, "C": 17}
    with UnitOfWork(database, write=False) as uow:
        assert policy.class_sizes(uow.session) == sizes
