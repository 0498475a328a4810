"""Planning counts (supervisors): by location range, zone, product or ABC schedule; counts
other workflows request for one location; assignment; and the data of a count sheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import Actor, system_actor
from app.core.count_plan import spread
from app.core.counting_rules import (
    OPEN_COUNT_STATES,
    TRIGGER_REASONS,
    NothingToCount,
    next_count_state,
)
from app.core.errors import InvalidInput, NotFound
from app.core.permissions import use_case
from app.db.models import VIRTUAL_LOCATION_KINDS, Location, Lot, OnHand, Product, User, utcnow
from app.db.models_counting import Count, CountLocation
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.counting.common import (
    CountSummary,
    get_count,
    require_supervisor,
    stock_at,
    summarise,
    user_name,
)
from app.services.counting.policy import plan_policy
from app.services.counting.schedule import DueItem, due_for_counting


def _physical_locations(session: Session, *conditions) -> list[Location]:  # noqa: ANN002
    return list(session.scalars(
        select(Location).where(Location.kind.not_in(VIRTUAL_LOCATION_KINDS), *conditions)
        .order_by(Location.code)
    ))


def _check_counter(session: Session, counter_id: int | None) -> None:
    if counter_id is None:
        return
    if not session.scalar(select(User.id).where(User.id == counter_id, User.active.is_(True))):
        raise NotFound(what="Counter", key=str(counter_id))


def _create(
    session: Session,
    kind: str,
    locations: list[Location],
    *,
    actor: Actor,
    counter_id: int | None,
    due: dt.date | None,
    blind: bool = True,
    reason: str | None = None,
    product_id: int | None = None,
) -> Count:
    _check_counter(session, counter_id)
    count = Count(kind=kind, status="planned", blind=blind, due_date=due or clock.today(),
                  assigned_user_id=counter_id, created_by_id=actor.user_id, created_at=utcnow(),
                  reason=reason, product_id=product_id)
    for location in locations:
        count.locations.append(CountLocation(location=location, product_id=product_id,
                                             status="pending", empty_confirmed=False))
    session.add(count)
    session.flush()
    audit.record(session, actor, "count_planned", count=count.number, kind=kind, reason=reason,
                 locations=[location.code for location in locations],
                 counter=user_name(session, counter_id), due=count.due_date)
    return count


@use_case("plan_location_range")
def plan_location_range(
    uow: UnitOfWork, first_code: str, last_code: str, *, actor: Actor,
    counter_id: int | None = None, due: dt.date | None = None, blind: bool = True,
) -> CountSummary:
    """Count every physical location whose code sorts from ``first_code`` to ``last_code``."""
    require_supervisor(actor, "plan counts")
    first, last = sorted((first_code.strip(), last_code.strip()))
    locations = _physical_locations(uow.session, Location.code >= first, Location.code <= last)
    if not locations:
        raise NothingToCount(what=f"no location from {first} to {last}")
    count = _create(uow.session, "location_range", locations, actor=actor, counter_id=counter_id,
                    due=due, blind=blind, reason=f"{first}..{last}"[:32])
    uow.commit()
    return summarise(uow.session, count)


@use_case("plan_zone")
def plan_zone(
    uow: UnitOfWork, zone: str, *, actor: Actor,
    counter_id: int | None = None, due: dt.date | None = None, blind: bool = True,
) -> CountSummary:
    require_supervisor(actor, "plan counts")
    locations = _physical_locations(uow.session, Location.zone == zone)
    if not locations:
        raise NothingToCount(what=f"no location in zone {zone}")
    count = _create(uow.session, "zone", locations, actor=actor, counter_id=counter_id, due=due,
                    blind=blind, reason=f"zone {zone}"[:32])
    uow.commit()
    return summarise(uow.session, count)


def _product_count(session: Session, kind: str, product: Product, *, actor: Actor,
                   counter_id: int | None, due: dt.date | None, blind: bool) -> Count:
    in_stock = select(OnHand.location_id).where(OnHand.product_id == product.id, OnHand.quantity > 0)
    holding = _physical_locations(session, Location.id.in_(in_stock))
    if not holding:
        raise NothingToCount(what=f"{product.sku} is nowhere in stock")
    return _create(session, kind, holding, actor=actor, counter_id=counter_id, due=due,
                   blind=blind, reason=product.sku[:32], product_id=product.id)


@use_case("plan_product")
def plan_product(
    uow: UnitOfWork, product_id: int, *, actor: Actor,
    counter_id: int | None = None, due: dt.date | None = None, blind: bool = True,
) -> CountSummary:
    """Count one product in every location that holds it (other products there are ignored)."""
    require_supervisor(actor, "plan counts")
    product = uow.session.get(Product, product_id)
    if product is None:
        raise NotFound(what="Product", key=str(product_id))
    count = _product_count(uow.session, "product", product, actor=actor, counter_id=counter_id,
                           due=due, blind=blind)
    uow.commit()
    return summarise(uow.session, count)


@use_case("plan_abc_counts")
def plan_abc_counts(
    uow: UnitOfWork, today: dt.date, *, actor: Actor,
    counter_id: int | None = None, due: dt.date | None = None,
) -> list[CountSummary]:
    """One product count for each product the ABC schedule says is due in the plan's period
    (``due`` or today, for the policy's plan days), unless it already has an open count; the
    counts are spread evenly over the days, at most the policy's daily cap a day (what does not
    fit waits for the next plan)."""
    require_supervisor(actor, "plan counts")
    session = uow.session
    days = abc_plan(session, due or today)
    counts = [
        _product_count(session, "abc", session.get(Product, item.product_id), actor=actor,
                       counter_id=counter_id, due=day, blind=True)
        for day, items in days.by_day.items() for item in items
    ]
    uow.commit()
    return [summarise(session, count) for count in counts]


@dataclass(frozen=True)
class AbcPlan:
    by_day: dict[dt.date, list[DueItem]]
    left_over: list[DueItem]  # due, but past the daily cap: the next plan takes them

    def sizes(self) -> dict[dt.date, int]:
        return {day: len(items) for day, items in self.by_day.items()}


def abc_plan(session: Session, start: dt.date) -> AbcPlan:
    """What ``plan_abc_counts`` would plan from ``start`` (nothing is written)."""
    policy = plan_policy(session)
    already = set(session.scalars(
        select(Count.product_id).where(Count.status.in_(OPEN_COUNT_STATES), Count.product_id.is_not(None))))
    end = start + dt.timedelta(days=policy.plan_days - 1)
    due = [item for item in due_for_counting(session, end) if item.product_id not in already]
    by_day, left = spread(due, start, policy.plan_days, policy.daily_cap)
    return AbcPlan(by_day, left)


@dataclass(frozen=True)
class RequestedCount:
    count_id: int
    number: str
    created: bool  # False: an open count already covers the location


def request_count(
    session: Session, location_id: int, reason: str, product_id: int | None = None,
    *, actor: Actor | None = None,
) -> RequestedCount:
    """Ask for a count of one location (a short pick, a bin found empty, a refused put-away).

    Runs inside the caller's transaction and does not commit. An open count of the location
    that is not yet counted (and covers the product) is reused instead of adding another."""
    if reason not in TRIGGER_REASONS:
        raise InvalidInput(field="reason", reason=f"'{reason}' is not one of {', '.join(TRIGGER_REASONS)}")
    location = session.get(Location, location_id)
    if location is None or location.is_virtual:
        raise NotFound(what="Location", key=str(location_id))
    existing = session.scalar(
        select(Count)
        .join(CountLocation, CountLocation.count_id == Count.id)
        .where(Count.status.in_(OPEN_COUNT_STATES), CountLocation.location_id == location_id,
               CountLocation.status != "counted",
               CountLocation.product_id.is_(None) | (CountLocation.product_id == product_id))
        .order_by(Count.id)
        .limit(1)
    )
    if existing is not None:
        return RequestedCount(existing.id, existing.number, created=False)
    count = _create(session, "triggered", [location], actor=actor or system_actor("counting"),
                    counter_id=None, due=clock.today(), reason=reason, product_id=product_id)
    return RequestedCount(count.id, count.number, created=True)


@use_case("assign_count")
def assign_count(
    uow: UnitOfWork, count_id: int, counter_id: int | None, *, actor: Actor,
    due: dt.date | None = None,
) -> CountSummary:
    """Give a count to a counter (None: anyone may take it) and optionally a new due date."""
    require_supervisor(actor, "assign counts")
    session = uow.session
    count = get_count(session, count_id, lock=True)
    count.status = next_count_state("count", count.number, count.status, "assign")
    _check_counter(session, counter_id)
    count.assigned_user_id = counter_id
    if due is not None:
        count.due_date = due
    audit.record(session, actor, "count_assigned", count=count.number,
                 counter=user_name(session, counter_id), due=count.due_date)
    uow.commit()
    return summarise(session, count)


@use_case("cancel_count")
def cancel_count(uow: UnitOfWork, count_id: int, *, actor: Actor) -> CountSummary:
    """Drop a count before review. Lines not yet settled change no stock; adjustments of
    locations already accepted within tolerance stay in the ledger."""
    require_supervisor(actor, "cancel counts")
    count = get_count(uow.session, count_id, lock=True)
    count.status = next_count_state("count", count.number, count.status, "cancel")
    count.closed_at = utcnow()
    audit.record(uow.session, actor, "count_cancelled", count=count.number)
    uow.commit()
    return summarise(uow.session, count)


def open_counts(session: Session, *, statuses: tuple[str, ...] = ("planned", "counting", "in_review"),
                ) -> list[CountSummary]:
    counts = session.scalars(
        select(Count).where(Count.status.in_(statuses)).order_by(Count.due_date, Count.id)
    )
    return [summarise(session, count) for count in counts]


@dataclass(frozen=True)
class SheetRow:
    location: str
    zone: str | None
    sku: str | None  # None: nothing on record there, write down what is found
    name: str | None
    lot: str | None
    expected: int | None  # always None on a blind count


@dataclass(frozen=True)
class CountSheet:
    number: str
    kind: str
    due_date: dt.date
    counter: str | None
    blind: bool
    rows: tuple[SheetRow, ...]


def count_sheet(session: Session, count_id: int) -> CountSheet:
    """Rows for a printed count sheet: what the records say is at each location, without
    quantities when the count is blind."""
    count = get_count(session, count_id)
    rows: list[SheetRow] = []
    for count_location in sorted(count.locations, key=lambda cl: cl.location.code):
        location = count_location.location
        stock = stock_at(session, location.id, count_location.product_id)
        if not stock:
            rows.append(SheetRow(location.code, location.zone, None, None, None,
                                 None if count.blind else 0))
            continue
        items = []
        for (product_id, lot_id), quantity in stock.items():
            product = session.get(Product, product_id)
            lot = session.get(Lot, lot_id) if lot_id is not None else None
            items.append(SheetRow(location.code, location.zone, product.sku, product.name,
                                  lot.code if lot else None, None if count.blind else quantity))
        rows.extend(sorted(items, key=lambda row: (row.sku or "", row.lot or "")))
    return CountSheet(count.number, count.kind, count.due_date, user_name(session, count.assigned_user_id),
                      count.blind, tuple(rows))
