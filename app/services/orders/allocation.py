"""Promising stock to order lines: on-hand reservations, chosen by app.core.picking_rules.

Each promise is a conditional UPDATE in the ledger (``ledger.reserve``): two workstations
allocating the last unit at once cannot both get it; the loser sees how much is really
left and takes that, or nothing. What no stock covers stays on the line as backorder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import Actor
from app.core.errors import InsufficientStock
from app.core.permissions import use_case
from app.core.picking_rules import PICKABLE_KINDS, StockOption, next_state, rank_stock, release_order_key
from app.db.models import AuditEntry, Location, Lot, Move, OnHand, utcnow
from app.db.models_picking import Allocation, SalesOrder, SalesOrderLine
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.ledger import StockKey
from app.services.orders.documents import OrderView, load_order, order_view, order_views_where, with_lines
from app.services.replenishment import tasks as replenishment

# A competing reservation between our read and our UPDATE: re-read and try again this often.
RESERVE_ATTEMPTS = 3


@dataclass(frozen=True)
class AllocationResult:
    order: OrderView
    reserved_now: int  # units promised by this call

    @property
    def backorder(self) -> int:
        return self.order.backorder


def stock_options(
    session: Session, product_id: int, *, exclude_location_ids: Iterable[int] = ()
) -> list[StockOption]:
    """Unreserved stock of a product in pickable, unblocked locations (unranked)."""
    query = (
        select(OnHand.location_id, OnHand.lot_id, OnHand.license_plate_id,
               OnHand.quantity - OnHand.reserved, Location.code, Location.kind, Lot.expiry)
        .join(Location, Location.id == OnHand.location_id)
        .outerjoin(Lot, Lot.id == OnHand.lot_id)
        .where(OnHand.product_id == product_id, OnHand.quantity > OnHand.reserved,
               Location.kind.in_(PICKABLE_KINDS), Location.blocked.is_(False), replenishment.allocatable())
    )
    excluded = list(exclude_location_ids)
    if excluded:
        query = query.where(OnHand.location_id.not_in(excluded))
    rows = session.execute(query).all()
    lot_dates, key_dates = _receipt_dates(session, product_id)
    return [
        StockOption(
            key=StockKey(product_id, location_id, lot_id, plate_id),
            location_code=code, location_kind=kind, available=available, expiry=expiry,
            received_at=lot_dates.get(lot_id) if lot_id else key_dates.get((location_id, plate_id)),
        )
        for location_id, lot_id, plate_id, available, code, kind, expiry in rows
    ]


def _receipt_dates(session: Session, product_id: int) -> tuple[dict, dict]:
    """FIFO dates: the first move of each lot, and for untracked stock the first move
    into each (location, plate)."""
    first = func.min(Move.created_at)
    lots = dict(session.execute(
        select(Move.lot_id, first)
        .where(Move.product_id == product_id, Move.lot_id.is_not(None))
        .group_by(Move.lot_id)
    ).all())
    keys = {
        (location_id, plate_id): at
        for location_id, plate_id, at in session.execute(
            select(Move.to_location_id, Move.to_license_plate_id, first)
            .where(Move.product_id == product_id, Move.lot_id.is_(None))
            .group_by(Move.to_location_id, Move.to_license_plate_id)
        )
    }
    return lots, keys


def _reserve_up_to(session: Session, key: StockKey, wanted: int) -> int:
    """Reserve ``wanted`` units of ``key``, or as many as are still free."""
    location = session.get(Location, key.location_id)
    take = wanted
    for _ in range(RESERVE_ATTEMPTS):
        if take <= 0:
            return 0
        try:
            ledger.reserve(session, key, take, location)
            return take
        except InsufficientStock:  # someone else promised some meanwhile
            take = min(wanted, ledger.available_quantity(session, key))
    return 0


def allocate_line(
    session: Session,
    line: SalesOrderLine,
    quantity: int,
    *,
    ship_by: dt.date | None,
    today: dt.date,
    exclude_location_ids: Iterable[int] = (),
    separate: bool = False,
) -> list[Allocation]:
    """Reserve up to ``quantity`` units for ``line``; returns the allocations that grew.
    ``separate``: always new allocation rows (each becomes its own pick task)."""
    options = stock_options(session, line.product_id, exclude_location_ids=exclude_location_ids)
    touched: list[Allocation] = []
    need = quantity
    for option in rank_stock(options, today=today, ship_by=ship_by):
        if need <= 0:
            break
        got = _reserve_up_to(session, option.key, min(need, option.available))
        if got:
            touched.append(_add_to_allocation(session, line, option.key, got, separate))
            need -= got
    return touched


def _add_to_allocation(
    session: Session, line: SalesOrderLine, key: StockKey, units: int, separate: bool
) -> Allocation:
    for allocation in () if separate else line.allocations:
        if (allocation.location_id, allocation.lot_id, allocation.license_plate_id) == (
            key.location_id, key.lot_id, key.license_plate_id
        ) and allocation.quantity > 0:
            allocation.quantity += units
            return allocation
    allocation = Allocation(product_id=key.product_id, location_id=key.location_id,
                            lot_id=key.lot_id, license_plate_id=key.license_plate_id,
                            quantity=units)
    line.allocations.append(allocation)
    session.flush()
    return allocation


def reserved_for(line: SalesOrderLine) -> int:
    return sum(allocation.quantity for allocation in line.allocations)


@use_case("allocate_order")
def allocate_order(
    uow: UnitOfWork, order_id: int, *, actor: Actor, today: dt.date | None = None
) -> AllocationResult:
    """Reserve stock for every unit of the order not yet reserved or picked. Partial
    stock is reserved too; the rest shows as each line's backorder."""
    session = uow.session
    order = load_order(session, order_id, lock=True)
    next_state("order", order.number, order.status, "allocate")
    today = today or clock.today()
    reserved_now = 0
    for line in order.lines:
        need = _still_needed(line)
        if need > 0:
            before = reserved_for(line)
            allocate_line(session, line, need, ship_by=order.ship_by, today=today)
            reserved_now += reserved_for(line) - before
            _first_pass(line, _still_needed(line))
    if any(reserved_for(line) for line in order.lines):
        order.status = next_state("order", order.number, order.status, "allocate")
    _wait_for_replenishment(session, [(line.product_id, _still_needed(line)) for line in order.lines])
    audit.record(session, actor, "order_allocated", order=order.number, channel=order.channel,
                 units=reserved_now)
    session.flush()
    uow.commit()
    return AllocationResult(order_view(session, order), reserved_now)


def _first_pass(line: SalesOrderLine, uncovered: int) -> None:
    """Remember the line's first allocation: the stockout rate counts lines it left short."""
    if line.first_allocated_at is None:
        line.first_allocated_at, line.short_at_allocation = utcnow(), uncovered > 0


def _still_needed(line: SalesOrderLine) -> int:
    return line.quantity - line.quantity_picked - reserved_for(line)


@use_case("allocate_waiting_orders")
def allocate_waiting_orders(
    uow: UnitOfWork, *, actor: Actor, channel: str | None = None, today: dt.date | None = None
) -> list[AllocationResult]:
    """Allocate every open or partly allocated order, most urgent first, as one batch: the
    orders, their stock options and FIFO dates are read in a few statements, the same rules
    as ``allocate_order`` are applied in memory, and the reservations are written together
    (conditional UPDATEs, executemany) in one commit. If another workstation took some of
    that stock meanwhile, the batch is rolled back and the orders go one by one."""
    session = uow.session
    today = today or clock.today()
    query = with_lines(select(SalesOrder), allocations=True).where(SalesOrder.status.in_(("open", "allocated")))
    if channel is not None:
        query = query.where(SalesOrder.channel == channel)
    if not session.get_bind().dialect.name == "sqlite":
        query = query.with_for_update(of=SalesOrder)
    orders = [o for o in sorted(session.scalars(query).unique(),
                                key=lambda o: release_order_key(o.priority, o.ship_by, o.number))
              if any(_still_needed(line) > 0 for line in o.lines)]
    try:
        reserved = _allocate_batch(session, orders, today=today, actor=actor)
    except InsufficientStock:
        uow.rollback()
        return [allocate_order(uow, order_id, actor=actor, today=today) for order_id in [o.id for o in orders]]
    session.flush()
    views = {view.order_id: view for view in order_views_where(session, SalesOrder.id.in_(reserved))}
    uow.commit()
    return [AllocationResult(views[order.id], reserved[order.id]) for order in orders]


def _allocate_batch(session: Session, orders: list[SalesOrder], *, today: dt.date, actor: Actor) -> dict[int, int]:
    """Plan every order against the stock read once; write it; units reserved per order."""
    options = _options_by_product(
        session, {line.product_id for order in orders for line in order.lines if _still_needed(line) > 0})
    free = {option.key: option.available for found in options.values() for option, _ in found}
    row_ids = {option.key: row_id for found in options.values() for option, row_id in found}
    taken: dict[int, int] = {}  # on_hand row id -> units promised by this batch
    reserved: dict[int, int] = {}
    short: list[tuple[int, int]] = []  # (product, units) no stock covered
    new_rows: dict[tuple[int, StockKey], int] = {}  # (line id, key) -> units of a new allocation
    ranked: dict[tuple[int, dt.date | None], list[StockOption]] = {}  # the rank ignores quantities
    for order in orders:
        reserved[order.id] = 0
        for line in order.lines:
            need = _still_needed(line)
            if need <= 0:
                continue
            mine = (line.product_id, order.ship_by)
            if mine not in ranked:
                ranked[mine] = rank_stock([option for option, _ in options.get(line.product_id, ())],
                                          today=today, ship_by=order.ship_by)
            for option in ranked[mine]:
                if need <= 0:
                    break
                got = min(need, free[option.key])
                if got <= 0:
                    continue
                free[option.key] -= got
                taken[row_ids[option.key]] = taken.get(row_ids[option.key], 0) + got
                _grow_allocation(line, option.key, got, new_rows)
                need -= got
                reserved[order.id] += got
            short.append((line.product_id, need))
            _first_pass(line, need)
        if reserved[order.id] or any(reserved_for(line) for line in order.lines):
            order.status = next_state("order", order.number, order.status, "allocate")
    ledger.reserve_rows(session, taken)
    if new_rows:
        session.execute(insert(Allocation), [
            dict(order_line_id=line_id, product_id=key.product_id, location_id=key.location_id, lot_id=key.lot_id,
                 license_plate_id=key.license_plate_id, quantity=units) for (line_id, key), units in new_rows.items()])
    _wait_for_replenishment(session, short)
    session.execute(insert(AuditEntry), [
        audit.entry(actor, "order_allocated", order=order.number, channel=order.channel, units=reserved[order.id])
        for order in orders])
    return reserved


def _wait_for_replenishment(session: Session, short: list[tuple[int, int]]) -> None:
    """Units no face covers while reserve holds them wait for a replenishment task instead of
    a backorder (app.services.replenishment); it allocates them when the face is refilled."""
    units: dict[int, int] = {}
    for product_id, need in short:
        if need > 0:
            units[product_id] = units.get(product_id, 0) + need
    replenishment.request_for_shortages(session, units)


def _grow_allocation(line: SalesOrderLine, key: StockKey, units: int, new_rows: dict) -> None:
    """Add to the line's live allocation of that stock, else to a new one (inserted later)."""
    for allocation in line.allocations:
        if (allocation.location_id, allocation.lot_id, allocation.license_plate_id) == (
            key.location_id, key.lot_id, key.license_plate_id
        ) and allocation.quantity > 0:
            allocation.quantity += units
            return
    new_rows[(line.id, key)] = new_rows.get((line.id, key), 0) + units


def _options_by_product(session: Session, product_ids: set[int]) -> dict[int, list[tuple[StockOption, int]]]:
    """Unreserved pickable stock of many products with FIFO dates: (option, on_hand id)."""
    found: dict[int, list[tuple[StockOption, int]]] = {product_id: [] for product_id in product_ids}
    if not product_ids:
        return found
    rows = session.execute(
        select(OnHand.id, OnHand.product_id, OnHand.location_id, OnHand.lot_id, OnHand.license_plate_id,
               OnHand.quantity - OnHand.reserved, Location.code, Location.kind, Lot.expiry)
        .join(Location, Location.id == OnHand.location_id)
        .outerjoin(Lot, Lot.id == OnHand.lot_id)
        .where(OnHand.product_id.in_(product_ids), OnHand.quantity > OnHand.reserved,
               Location.kind.in_(PICKABLE_KINDS), Location.blocked.is_(False), replenishment.allocatable())
    ).all()
    first = func.min(Move.created_at)
    lot_dates = dict(session.execute(
        select(Move.lot_id, first).where(Move.product_id.in_(product_ids), Move.lot_id.is_not(None))
        .group_by(Move.lot_id)).all())
    key_dates = {(product_id, location_id, plate_id): at for product_id, location_id, plate_id, at in session.execute(
        select(Move.product_id, Move.to_location_id, Move.to_license_plate_id, first)
        .where(Move.product_id.in_(product_ids), Move.lot_id.is_(None))
        .group_by(Move.product_id, Move.to_location_id, Move.to_license_plate_id))}
    for row_id, product_id, location_id, lot_id, plate_id, available, code, kind, expiry in rows:
        received = lot_dates.get(lot_id) if lot_id else key_dates.get((product_id, location_id, plate_id))
        found[product_id].append((StockOption(
            key=StockKey(product_id, location_id, lot_id, plate_id), location_code=code, location_kind=kind,
            available=available, expiry=expiry, received_at=received), row_id))
    return found


def release_allocations(session: Session, allocations: Iterable[Allocation]) -> int:
    """Give reserved units back to the bins; returns how many."""
    released = 0
    for allocation in allocations:
        if allocation.quantity > 0:
            ledger.release(session, _key(allocation), allocation.quantity)
            released += allocation.quantity
            allocation.quantity = 0
    return released


def _key(allocation: Allocation) -> StockKey:
    return StockKey(allocation.product_id, allocation.location_id, allocation.lot_id,
                    allocation.license_plate_id)


@use_case("deallocate_order")
def deallocate_order(uow: UnitOfWork, order_id: int, *, actor: Actor) -> OrderView:
    """Give back an allocated order's reservations (before its wave is released)."""
    return _unreserve(uow, order_id, "deallocate", actor=actor)


@use_case("cancel_order")
def cancel_order(uow: UnitOfWork, order_id: int, *, actor: Actor) -> OrderView:
    """Cancel an order that is not being picked yet; its reservations are given back."""
    return _unreserve(uow, order_id, "cancel", actor=actor)


def _unreserve(uow: UnitOfWork, order_id: int, action: str, *, actor: Actor) -> OrderView:
    session = uow.session
    order = load_order(session, order_id, lock=True)
    order.status = next_state("order", order.number, order.status, action)
    units = release_allocations(session, [a for line in order.lines for a in line.allocations])
    audit.record(session, actor, f"order_{action}", order=order.number, channel=order.channel,
                 units=units)
    session.flush()
    uow.commit()
    return order_view(session, order)
