"""The warehouse's ABC plan policy: class thresholds and basis, the look-back of a
classification, the days a plan is spread over and the daily cap; classifying by it."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.count_plan import PlanPolicy, policy_problem
from app.core.counting_rules import ABC_CLASSES
from app.core.errors import InvalidInput
from app.core.permissions import use_case
from app.db.models_replenishment import CountPlanPolicy
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.counting.schedule import classify_products


def plan_policy(session: Session) -> PlanPolicy:
    """The stored policy, else the defaults."""
    row = session.get(CountPlanPolicy, 1)
    if row is None:
        return PlanPolicy()
    return PlanPolicy(row.share_a, row.share_b, row.basis, row.lookback_days, row.plan_days, row.daily_cap)


@use_case("set_count_plan_policy")
def set_plan_policy(uow: UnitOfWork, *, actor: Actor, **changes: object) -> PlanPolicy:
    """Change fields of the plan policy (share_a, share_b, basis, lookback_days, plan_days,
    daily_cap); the others keep their value. Audited."""
    session = uow.session
    fields = {field.name for field in dataclasses.fields(PlanPolicy)}
    unknown = set(changes) - fields
    if unknown:
        raise InvalidInput(field="policy", reason=f"unknown field(s) {', '.join(sorted(unknown))}")
    policy = dataclasses.replace(plan_policy(session), **changes)
    problem = policy_problem(policy)
    if problem is not None:
        raise InvalidInput(field=problem[0], reason=problem[1])
    row = session.get(CountPlanPolicy, 1) or CountPlanPolicy(id=1)
    for name in fields:
        setattr(row, name, getattr(policy, name))
    session.add(row)
    audit.record(session, actor, "count_plan_policy_changed", **changes)
    uow.commit()
    return policy


@use_case("classify_by_policy")
def classify(uow: UnitOfWork, today: dt.date, *, actor: Actor) -> dict[str, int]:
    """Classify every product by the policy (its basis and shares, movement of the look-back
    days up to ``today``); returns how many products each class got."""
    policy = plan_policy(uow.session)
    classes = classify_products(uow, since=today - dt.timedelta(days=policy.lookback_days - 1),
                                until=today, actor=actor, basis=policy.basis,
                                shares=(policy.share_a, policy.share_b))
    found = list(classes.values())
    return {cls: found.count(cls) for cls in ABC_CLASSES}


def class_sizes(session: Session) -> dict[str, int]:
    """Products per stored class; products never classified count as C."""
    from sqlalchemy import func, select

    from app.db.models import Product
    from app.db.models_counting import ProductAbcClass

    stored = dict(session.execute(select(ProductAbcClass.abc_class, func.count())
                                  .group_by(ProductAbcClass.abc_class)).all())
    products = session.scalar(select(func.count()).select_from(Product)) or 0
    sizes = {cls: int(stored.get(cls, 0)) for cls in ABC_CLASSES}
    sizes["C"] += products - sum(sizes.values())
    return sizes
