"""Counting on the floor: my counts, scan a location (snapshot), scan what is there, confirm
an empty bin, finish. Blind: nothing returned here carries the quantity on record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.counting_rules import (
    OPEN_COUNT_STATES,
    EmptyNotConfirmed,
    LocationNotInCount,
    NotEmpty,
    ProductNotInCount,
    ScanLocationFirst,
    SerialAlreadyCounted,
    next_count_state,
    units_counted,
)
from app.core.errors import InvalidInput, LotRequired, NotAllowed
from app.core.permissions import use_case
from app.db.models import Location, Lot, OnHand, Product, utcnow
from app.db.models_counting import Count, CountEntry, CountLine, CountLocation
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.counting.common import (
    counted_by,
    get_count,
    last_move_id,
    settle_count_status,
    stock_at,
    user_name,
)
from app.services.counting.evaluation import evaluate_location
from app.services.scanning import resolve

SCAN_CONTEXT = "counting"


@dataclass(frozen=True)
class MyCount:
    count_id: int
    number: str
    kind: str
    due_date: dt.date
    reason: str | None
    only_sku: str | None  # a product count: only this product is counted
    locations_total: int
    locations_done: int
    next_location: str | None
    assigned_to_me: bool


@dataclass(frozen=True)
class StartResult:
    count_id: int
    number: str
    location_id: int
    location: str
    only_sku: str | None
    resumed: bool  # the location was already started; the earlier scans still count
    units_counted: int  # so far, by anyone, at this location


@dataclass(frozen=True)
class CountScanResult:
    count_id: int
    location: str
    sku: str
    name: str
    lot: str | None
    units: int  # this scan (negative when undone)
    line_total: int  # counted so far of this product and lot here
    replayed: bool = False  # the same confirmed scan arrived twice; counted once


@dataclass(frozen=True)
class FinishResult:
    count_id: int
    number: str
    location: str
    lines_counted: int
    units_counted: int
    empty_confirmed: bool
    count_complete: bool
    remaining_locations: tuple[str, ...]


def _first_counters(count: Count) -> set[int]:
    """Who counted the locations of a recount the first time round."""
    if count.parent is None:
        return set()
    location_ids = {cl.location_id for cl in count.locations}
    return set().union(*(counted_by(cl) for cl in count.parent.locations
                         if cl.location_id in location_ids))


def _counts_own_work(count: Count, actor: Actor) -> bool:
    # A recount is worth something only when someone else does it.
    return count.kind == "recount" and actor.user_id in _first_counters(count)


def _check_counter(session: Session, count: Count, actor: Actor) -> None:
    if _counts_own_work(count, actor):
        raise NotAllowed(who=actor.display_name, action=f"recount {count.number} after counting it")
    if count.assigned_user_id not in (None, actor.user_id) and not actor.is_supervisor:
        owner = user_name(session, count.assigned_user_id)
        raise NotAllowed(who=actor.display_name, action=f"count {count.number}, assigned to {owner}")


def my_counts(session: Session, actor: Actor, today: dt.date) -> list[MyCount]:
    """Counts due by ``today`` that the actor may do: assigned to them, or to nobody."""
    counts = session.scalars(
        select(Count)
        .where(Count.status.in_(OPEN_COUNT_STATES), Count.due_date <= today,
               Count.assigned_user_id.is_(None) | (Count.assigned_user_id == actor.user_id))
        .order_by(Count.due_date, Count.id)
    )
    mine: list[MyCount] = []
    for count in counts:
        if _counts_own_work(count, actor):
            continue
        waiting = sorted(cl.location.code for cl in count.locations if cl.status != "counted")
        only = session.get(Product, count.product_id) if count.product_id else None
        mine.append(MyCount(
            count.id, count.number, count.kind, count.due_date, count.reason,
            only.sku if only else None, len(count.locations), len(count.locations) - len(waiting),
            waiting[0] if waiting else None, count.assigned_user_id == actor.user_id,
        ))
    return mine


def _count_location(session: Session, count: Count, location_id: int) -> CountLocation:
    found = session.scalar(
        select(CountLocation)
        .where(CountLocation.count_id == count.id, CountLocation.location_id == location_id)
        .with_for_update()
    )
    if found is None:
        location = session.get(Location, location_id)
        raise LocationNotInCount(location=location.code if location else str(location_id),
                                 count=count.number)
    return found


def _take_snapshot(session: Session, count_location: CountLocation) -> None:
    """Expected per product/lot now, and the last move that touched the location."""
    location_id = count_location.location_id
    # PostgreSQL: wait for moves in flight at this location, so none is missed by both the
    # quantities and the move id (SQLite writers are serialised already).
    session.execute(select(OnHand.id).where(OnHand.location_id == location_id).with_for_update())
    count_location.snapshot_move_id = last_move_id(session, location_id)
    for (product_id, lot_id), quantity in stock_at(session, location_id,
                                                   count_location.product_id).items():
        count_location.lines.append(CountLine(product_id=product_id, lot_id=lot_id,
                                              expected=quantity, counted=0, status="open",
                                              moved_during_count=False))


@use_case("start_location")
def start_location(uow: UnitOfWork, count_id: int, location_scan: str, *, actor: Actor) -> StartResult:
    """The counter scans the location: counting starts there (or resumes)."""
    session = uow.session
    count = get_count(session, count_id, lock=True)
    resolved = resolve(session, location_scan).expect("location")
    location = resolved.location
    assert location is not None
    count_location = _count_location(session, count, location.id)
    _check_counter(session, count, actor)
    count.status = next_count_state("count", count.number, count.status, "start")
    resumed = count_location.status == "counting"
    count_location.status = next_count_state("count_location", location.code,
                                             count_location.status, "start")
    if not resumed:
        _take_snapshot(session, count_location)
        count_location.started_at = utcnow()
        count_location.started_by_id = actor.user_id
    if count.assigned_user_id is None:
        count.assigned_user_id = actor.user_id  # whoever starts an open count takes it
    audit.journal_scan(session, actor, context=SCAN_CONTEXT, raw=location_scan,
                       interpretation=resolved.scan.summary(), outcome="ok",
                       message=f"{count.number}: {'resume' if resumed else 'start'} {location.code}")
    session.flush()
    uow.commit()
    only = session.get(Product, count_location.product_id) if count_location.product_id else None
    return StartResult(count.id, count.number, location.id, location.code,
                       only.sku if only else None, resumed,
                       sum(line.counted for line in count_location.lines))


def _counting_at(session: Session, count_id: int, location_id: int, actor: Actor) -> CountLocation:
    """The location being counted, after checking that ``actor`` may count there now."""
    count = get_count(session, count_id, lock=True)
    count_location = _count_location(session, count, location_id)
    _check_counter(session, count, actor)
    if count_location.status == "pending":
        raise ScanLocationFirst(location=count_location.location.code)
    next_count_state("count", count.number, count.status, "count")
    next_count_state("count_location", count_location.location.code, count_location.status, "count")
    return count_location


def _lot_for(session: Session, product: Product, code: str | None,
             expiry: dt.date | None) -> Lot | None:
    """The counted lot or serial; one not on record is created (found stock)."""
    if product.tracking == "none":
        return None
    if not code:
        raise LotRequired(sku=product.sku)
    lot = session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == code))
    if lot is None:
        lot = Lot(product_id=product.id, code=code, expiry=expiry)
        session.add(lot)
        session.flush()
    return lot


@use_case("count_scan")
def count_scan(
    uow: UnitOfWork,
    count_id: int,
    location_id: int,
    item_scan: str,
    *,
    actor: Actor,
    idempotency_key: str,
    quantity: int | None = None,
    lot: str | None = None,
) -> CountScanResult:
    """Count what one confirmed scan says: one unit, a case's units, a GS1 count, or
    ``quantity`` times that for bulk. Lots and serials come from the GS1 scan or ``lot``."""
    session = uow.session
    previous = None if ledger.claim(session, idempotency_key) else session.scalar(
        select(CountEntry).where(CountEntry.idempotency_key == idempotency_key))
    if previous is not None:
        return _scan_result(previous.line, previous.quantity, replayed=True)
    count_location = _counting_at(session, count_id, location_id, actor)
    resolved = resolve(session, item_scan).expect("product")
    product = resolved.product
    assert product is not None
    if count_location.product_id not in (None, product.id):
        wanted = session.get(Product, count_location.product_id)
        raise ProductNotInCount(count=count_location.count.number, wanted=wanted.sku, sku=product.sku)
    code = resolved.scan
    units = units_counted(code.count, quantity, resolved.units)
    lot_row = _lot_for(session, product, code.serial or code.lot or lot, code.expiry)
    line = next((ln for ln in count_location.lines
                 if ln.product_id == product.id and ln.lot_id == (lot_row.id if lot_row else None)),
                None)
    if product.tracking == "serial":
        if units != 1:
            raise InvalidInput(field="quantity", reason=f"{product.sku} is serial tracked: one unit per scan")
        if line is not None and line.counted >= 1:
            raise SerialAlreadyCounted(serial=lot_row.code, sku=product.sku)
    if line is None:
        # Not on record here at the snapshot: found stock, expected 0.
        line = CountLine(product=product, lot=lot_row, expected=0, counted=0, status="open",
                         moved_during_count=False)
        count_location.lines.append(line)
    scan_id = audit.journal_scan(
        session, actor, context=SCAN_CONTEXT, raw=item_scan, interpretation=code.summary(),
        outcome="ok", message=f"{count_location.count.number}: {units} x {product.sku} "
                              f"at {count_location.location.code}",
    )
    line.counted += units
    if line.id is None:
        session.flush()  # found stock: the new line gets its id
    # Added on its own, not appended to line.entries: that would load every earlier scan of
    # the line, so the 500th unit scanned one by one would read 499 rows.
    session.add(CountEntry(count_line_id=line.id, quantity=units, user_id=actor.user_id,
                           workstation=actor.workstation, at=utcnow(), scan_id=scan_id,
                           idempotency_key=idempotency_key, undone=False))
    session.flush()
    uow.commit()
    return _scan_result(line, units)


def _scan_result(line: CountLine, units: int, *, replayed: bool = False) -> CountScanResult:
    return CountScanResult(
        line.count_location.count_id, line.count_location.location.code, line.product.sku,
        line.product.name, line.lot.code if line.lot else None, units, line.counted, replayed,
    )


@use_case("undo_last_count_scan")
def undo_last_count_scan(uow: UnitOfWork, count_id: int, location_id: int, *,
                         actor: Actor) -> CountScanResult | None:
    """Take back this counter's last scan at the location (None when there is none)."""
    session = uow.session
    count_location = _counting_at(session, count_id, location_id, actor)
    entries = [entry for line in count_location.lines for entry in line.entries
               if entry.user_id == actor.user_id and not entry.undone]
    if not entries:
        return None
    last = max(entries, key=lambda entry: entry.id)
    last.undone = True
    last.line.counted -= last.quantity
    audit.record(session, actor, "count_scan_undone", count=count_location.count.number,
                 location=count_location.location.code, sku=last.line.product.sku, units=last.quantity)
    session.flush()
    uow.commit()
    return _scan_result(last.line, -last.quantity)


@use_case("confirm_empty")
def confirm_empty(uow: UnitOfWork, count_id: int, location_id: int, *, actor: Actor) -> FinishResult:
    """The counter confirms there is nothing at the location; this also finishes it."""
    session = uow.session
    count_location = _counting_at(session, count_id, location_id, actor)
    units = sum(line.counted for line in count_location.lines)
    if units:
        raise NotEmpty(units=units, location=count_location.location.code)
    count_location.empty_confirmed = True
    return _finish(uow, count_location, actor)


@use_case("finish_location")
def finish_location(uow: UnitOfWork, count_id: int, location_id: int, *, actor: Actor) -> FinishResult:
    """Done at this location: the lines are judged against the snapshot (not shown here)."""
    count_location = _counting_at(uow.session, count_id, location_id, actor)
    if not count_location.empty_confirmed and not any(ln.counted for ln in count_location.lines):
        raise EmptyNotConfirmed(location=count_location.location.code)
    return _finish(uow, count_location, actor)


def _finish(uow: UnitOfWork, count_location: CountLocation, actor: Actor) -> FinishResult:
    session = uow.session
    count = count_location.count
    count_location.status = next_count_state("count_location", count_location.location.code,
                                             count_location.status, "finish")
    count_location.finished_at = utcnow()
    count_location.finished_by_id = actor.user_id
    session.flush()
    evaluate_location(session, count_location, actor=actor)
    settle_count_status(count)
    audit.record(session, actor, "count_location_finished", count=count.number,
                 location=count_location.location.code, empty=count_location.empty_confirmed)
    session.flush()
    uow.commit()
    remaining = tuple(sorted(cl.location.code for cl in count.locations if cl.status != "counted"))
    counted = [line for line in count_location.lines if line.counted]
    return FinishResult(count.id, count.number, count_location.location.code, len(counted),
                        sum(line.counted for line in counted), count_location.empty_confirmed,
                        not remaining, remaining)
