"""ABC classes from the ledger, the per-class counting policy, and what is due for counting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.counting_rules import (
    ABC_BASES,
    ABC_CLASSES,
    DEFAULT_ABC_SHARES,
    DEFAULT_POLICIES,
    ClassPolicy,
    classify_abc,
    next_due_date,
)
from app.core.errors import InvalidInput
from app.core.permissions import use_case
from app.db.models import VIRTUAL_LOCATION_KINDS, Location, Move, OnHand, Product, utcnow
from app.db.models_counting import CountClassPolicy, CountLine, CountLocation, ProductAbcClass
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.counting.common import day_bounds, local_day, require_supervisor

# Count corrections are not demand: they never make a product A.
ADJUSTMENT_REASONS = ("count_gain", "count_loss")
UNCLASSIFIED = "C"


def class_policies(session: Session) -> dict[str, ClassPolicy]:
    """The policy of each class: the warehouse's stored one, else the default."""
    stored = {row.abc_class: row for row in session.scalars(select(CountClassPolicy))}
    policies = dict(DEFAULT_POLICIES)
    for cls, row in stored.items():
        policies[cls] = ClassPolicy(cls, row.counts_per_year, row.quantity_pct, row.value,
                                    row.auto_approve)
    return policies


@use_case("set_class_policy")
def set_class_policy(
    uow: UnitOfWork,
    abc_class: str,
    *,
    actor: Actor,
    counts_per_year: int | None = None,
    quantity_pct: float | None = None,
    value: float | None = None,
    auto_approve: bool | None = None,
) -> ClassPolicy:
    """Change how one class is counted; unchanged fields keep their current value."""
    require_supervisor(actor, "change count tolerances")
    if abc_class not in ABC_CLASSES:
        raise InvalidInput(field="class", reason=f"'{abc_class}' is not one of A, B, C")
    changes = {
        name: given
        for name, given in (("counts_per_year", counts_per_year), ("quantity_pct", quantity_pct),
                            ("value", value), ("auto_approve", auto_approve))
        if given is not None
    }
    for name in ("counts_per_year", "quantity_pct", "value"):
        if name in changes and changes[name] < 0:
            raise InvalidInput(field=name.replace("_", " "), reason="cannot be negative")
    session = uow.session
    policy = replace(class_policies(session)[abc_class], **changes)
    row = session.get(CountClassPolicy, abc_class) or CountClassPolicy(abc_class=abc_class)
    row.counts_per_year = policy.counts_per_year
    row.quantity_pct = policy.quantity_pct
    row.value = policy.value
    row.auto_approve = policy.auto_approve
    session.add(row)
    audit.record(session, actor, "count_policy_changed", abc_class=abc_class, **changes)
    uow.commit()
    return policy


def movement_by_product(
    session: Session, since: dt.date, until: dt.date, basis: str
) -> dict[int, float]:
    """Movement of every product between two dates (inclusive) from the ledger."""
    if basis not in ABC_BASES:
        raise InvalidInput(field="basis", reason=f"'{basis}' is not one of {', '.join(ABC_BASES)}")
    start, end = day_bounds(since, until)
    measure = (
        func.sum(Move.quantity * func.coalesce(Product.unit_cost, 0))
        if basis == "value"
        else func.count(Move.id)
    )
    rows = session.execute(
        select(Move.product_id, measure)
        .join(Product, Product.id == Move.product_id)
        .where(Move.created_at >= start, Move.created_at < end,
               Move.reason.not_in(ADJUSTMENT_REASONS))
        .group_by(Move.product_id)
    )
    movement = {product_id: 0.0 for product_id in session.scalars(select(Product.id))}
    movement.update({product_id: float(total or 0) for product_id, total in rows})
    return movement


@use_case("classify_products")
def classify_products(
    uow: UnitOfWork,
    *,
    since: dt.date,
    until: dt.date,
    actor: Actor,
    basis: str = "value",
    shares: tuple[float, float] = DEFAULT_ABC_SHARES,
) -> dict[str, str]:
    """Classify every product A/B/C from its movement in the period and store the classes.
    Returns SKU -> class."""
    require_supervisor(actor, "classify products")
    session = uow.session
    movement = movement_by_product(session, since, until, basis)
    classes = classify_abc(movement, shares)
    session.execute(delete(ProductAbcClass))
    now = utcnow()
    session.add_all(
        ProductAbcClass(product_id=pid, abc_class=cls, basis=basis, movement=movement[pid],
                        period_start=since, period_end=until, computed_at=now)
        for pid, cls in classes.items()
    )
    skus = dict(session.execute(select(Product.id, Product.sku)).all())
    audit.record(session, actor, "abc_classified", basis=basis, since=since, until=until,
                 counts={cls: list(classes.values()).count(cls) for cls in ABC_CLASSES})
    uow.commit()
    return {skus[pid]: cls for pid, cls in classes.items()}


def product_classes(session: Session) -> dict[int, str]:
    """Stored classes; a product never classified counts as C (see UNCLASSIFIED)."""
    return dict(session.execute(select(ProductAbcClass.product_id, ProductAbcClass.abc_class))
                .all())


def last_counted(session: Session) -> dict[int, dt.date]:
    """The day each product was last counted anywhere (a finished count location)."""
    counted_lines = (
        select(CountLine.product_id, func.max(CountLocation.finished_at))
        .join(CountLocation, CountLocation.id == CountLine.count_location_id)
        .where(CountLocation.finished_at.is_not(None))
        .group_by(CountLine.product_id)
    )
    # A product count of a bin found empty leaves no line, but the product was counted.
    empty_product_counts = (
        select(CountLocation.product_id, func.max(CountLocation.finished_at))
        .where(CountLocation.finished_at.is_not(None), CountLocation.product_id.is_not(None))
        .group_by(CountLocation.product_id)
    )
    latest: dict[int, dt.date] = {}
    for query in (counted_lines, empty_product_counts):
        for product_id, at in session.execute(query):
            day = local_day(at)
            latest[product_id] = max(day, latest.get(product_id, day))
    return latest


@dataclass(frozen=True)
class DueItem:
    product_id: int
    sku: str
    name: str
    abc_class: str
    last_counted: dt.date | None
    due_date: dt.date
    locations: tuple[str, ...]  # physical locations holding it now


def due_for_counting(session: Session, today: dt.date) -> list[DueItem]:
    """Products in stock whose class says they must be counted by ``today``: A first,
    most overdue first."""
    policies = class_policies(session)
    classes = product_classes(session)
    counted = last_counted(session)
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, Location.code)
        .join(OnHand, OnHand.product_id == Product.id)
        .join(Location, Location.id == OnHand.location_id)
        .where(OnHand.quantity > 0, Location.kind.not_in(VIRTUAL_LOCATION_KINDS))
        .distinct()
        .order_by(Product.sku, Location.code)
    )
    holding: dict[int, tuple[str, str, list[str]]] = {}
    for product_id, sku, name, code in rows:
        holding.setdefault(product_id, (sku, name, []))[2].append(code)
    due: list[DueItem] = []
    for product_id, (sku, name, codes) in holding.items():
        cls = classes.get(product_id, UNCLASSIFIED)
        last = counted.get(product_id)
        when = next_due_date(last, policies[cls].counts_per_year, today)
        if when is not None and when <= today:
            due.append(DueItem(product_id, sku, name, cls, last, when, tuple(codes)))
    return sorted(due, key=lambda item: (item.abc_class, item.due_date, item.sku))
