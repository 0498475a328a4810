"""The Replenish floor workflow: scan the reserve bin, the item, say how many, scan the face.

The first two scans are checked as they come (``check_reserve``, ``check_item``: read only);
the face scan confirms all of it in one transaction (``confirm_replenishment``): the scan's
idempotency key is claimed first, the units move reserve -> face through the ledger (from
the reserve's rows of that lot, earliest expiry first, license plates included), the task is
done when everything asked for has arrived, and order lines waiting for the product are
allocated from the face at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import Actor
from app.core.errors import InvalidInput, LotRequired
from app.core.permissions import use_case
from app.core.picking_rules import next_state, release_order_key
from app.core.replenishment_rules import (
    RESERVE_KINDS,
    NotAReserveBin,
    ReplenishmentClosed,
    WrongFace,
    WrongReplenishItem,
)
from app.db.models import Location, Lot, Move, OnHand, Product, utcnow
from app.db.models_picking import SalesOrder, SalesOrderLine
from app.db.models_replenishment import ReplenishmentTask
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.scanning import resolve, resolve_product

DOCUMENT = "replenishment"
CONTEXT = "replenish"


@dataclass(frozen=True)
class ReserveCheck:
    location: str
    free: int  # free units of the task's product there


@dataclass(frozen=True)
class ItemCheck:
    sku: str
    units: int  # per scan (a case barcode carries more)
    lot: str | None  # from a GS1 label


@dataclass(frozen=True)
class ReplenishResult:
    task_id: int
    sku: str
    units: int
    source: str
    face: str
    done: bool  # everything asked for has arrived
    allocated: int  # waiting order units now reserved from the face
    replayed: bool = False


def _task(session: Session, task_id: int, *, lock: bool = False) -> ReplenishmentTask:
    query = select(ReplenishmentTask).where(ReplenishmentTask.id == task_id)
    if lock and session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    task = session.scalar(query)
    if task is None or task.status != "open":
        raise ReplenishmentClosed(task=task_id, state=task.status if task else "gone")
    return task


def _free_rows(session: Session, product_id: int, location_id: int, lot: str | None) -> list[tuple]:
    """(on_hand id, lot id, plate id, free units) of the product in one bin, earliest expiry first."""
    query = (select(OnHand.id, OnHand.lot_id, OnHand.license_plate_id, OnHand.quantity - OnHand.reserved)
             .outerjoin(Lot, Lot.id == OnHand.lot_id)
             .where(OnHand.product_id == product_id, OnHand.location_id == location_id,
                    OnHand.quantity > OnHand.reserved)
             .order_by(Lot.expiry, OnHand.id))
    if lot is not None:
        query = query.where(Lot.code == lot)
    return [tuple(row) for row in session.execute(query)]


def _reserve_bin(session: Session, task: ReplenishmentTask, scan: str, sku: str) -> tuple[Location, int]:
    location = resolve(session, scan).expect("location").location
    free = sum(row[3] for row in _free_rows(session, task.product_id, location.id, None))
    if location.kind not in RESERVE_KINDS or location.blocked or free <= 0:
        raise NotAReserveBin(location=location.code, sku=sku)
    return location, free


def _sku(session: Session, product_id: int) -> str:
    return session.scalar(select(Product.sku).where(Product.id == product_id))


def check_reserve(session: Session, task_id: int, scan: str) -> ReserveCheck:
    """Step 1: the scanned bin is a reserve bin holding free units of the task's product."""
    task = _task(session, task_id)
    location, free = _reserve_bin(session, task, scan, _sku(session, task.product_id))
    return ReserveCheck(location.code, free)


def check_item(session: Session, task_id: int, scan: str) -> ItemCheck:
    """Step 2: the scanned item is the task's product (a case counts its units)."""
    task = _task(session, task_id)
    found = resolve_product(session, scan)
    expected = _sku(session, task.product_id)
    if found.product.id != task.product_id:
        raise WrongReplenishItem(scanned=found.product.sku, expected=expected)
    return ItemCheck(expected, found.scan.count or found.units, found.scan.lot or found.scan.serial)


@use_case("confirm_replenishment")
def confirm_replenishment(
    uow: UnitOfWork, task_id: int, *, reserve_scan: str, item_scan: str, quantity: int, face_scan: str,
    actor: Actor, idempotency_key: str, lot: str | None = None, today: dt.date | None = None,
) -> ReplenishResult:
    """Move ``quantity`` units from the scanned reserve bin to the task's face (the face scan
    confirms). Replaying the same key changes nothing and answers as the first time."""
    session = uow.session
    if not ledger.claim(session, idempotency_key):
        return _replayed(session, task_id, idempotency_key)
    task = _task(session, task_id, lock=True)
    product = session.get(Product, task.product_id)
    source, _free = _reserve_bin(session, task, reserve_scan, product.sku)
    item = check_item(session, task_id, item_scan)
    lot = item.lot or lot
    if product.tracking != "none" and not lot:
        raise LotRequired(sku=product.sku)
    face = resolve(session, face_scan).expect("location").location
    if face.id != task.to_location_id:
        expected = session.get(Location, task.to_location_id).code
        raise WrongFace(scanned=face.code, sku=product.sku, face=expected)
    remaining = task.quantity - task.quantity_moved
    if not 1 <= quantity <= remaining:
        raise InvalidInput(field="quantity", reason=f"bring 1 to {remaining}, not {quantity}")
    rows = _free_rows(session, product.id, source.id, lot if product.tracking != "none" else None)
    free = sum(row[3] for row in rows)
    if quantity > free:
        where = f"{source.code} ({lot})" if lot else source.code
        raise InvalidInput(field="quantity", reason=f"{where} has {free} free units of {product.sku}, "
                                                    f"not {quantity}")
    scan_id = audit.journal_scan(session, actor, context=CONTEXT, raw=face_scan,
                                 interpretation=f"location {face.code}", outcome="ok",
                                 message=f"{quantity} x {product.sku} {source.code} -> {face.code}")
    left = quantity
    for number, (_row, lot_id, plate_id, units) in enumerate(rows):
        take = min(left, units)
        if take <= 0:
            break
        ledger.post_move(session, actor=actor, product_id=product.id, quantity=take, source=source,
                         destination=face, reason="replenish", claimed=True,
                         idempotency_key=idempotency_key if number == 0 else f"{idempotency_key}:{number}",
                         lot_id=lot_id, from_license_plate_id=plate_id, document_type=DOCUMENT,
                         document_id=task.id, scan_id=scan_id)
        left -= take
    task.quantity_moved += quantity
    done = task.quantity_moved >= task.quantity
    if done:
        task.status, task.done_at, task.done_by, task.waiting_units = "done", utcnow(), actor.user_id, 0
    allocated = allocate_waiting(session, product.id, today=today or clock.today(), actor=actor)
    audit.record(session, actor, "replenished", task=task.id, sku=product.sku, units=quantity,
                 source=source.code, face=face.code, allocated=allocated)
    session.flush()
    uow.commit()
    return ReplenishResult(task.id, product.sku, quantity, source.code, face.code, done, allocated)


def _replayed(session: Session, task_id: int, key: str) -> ReplenishResult:
    move = ledger.find_move(session, key)
    task = session.get(ReplenishmentTask, task_id)
    if move is None or task is None:  # a concurrent duplicate that failed: nothing happened
        raise ReplenishmentClosed(task=task_id, state="being replenished")
    units = sum(session.scalars(select(Move.quantity).where(Move.scan_id == move.scan_id)))
    locations = dict(session.execute(select(Location.id, Location.code).where(
        Location.id.in_((move.from_location_id, move.to_location_id)))).all())
    return ReplenishResult(task.id, _sku(session, task.product_id), units, locations[move.from_location_id],
                           locations[move.to_location_id], task.status == "done", 0, replayed=True)


def allocate_waiting(session: Session, product_id: int, *, today: dt.date, actor: Actor) -> int:
    """Reserve stock for order lines of ``product_id`` still waiting (open or partly allocated
    orders, most urgent first). Returns the units reserved."""
    from app.services.orders.allocation import allocate_line, reserved_for

    orders = session.scalars(
        select(SalesOrder).join(SalesOrderLine, SalesOrderLine.order_id == SalesOrder.id)
        .where(SalesOrder.status.in_(("open", "allocated")), SalesOrderLine.product_id == product_id)
        .distinct()).all()
    total = 0
    for order in sorted(orders, key=lambda o: release_order_key(o.priority, o.ship_by, o.number)):
        got = 0
        for line in order.lines:
            need = line.quantity - line.quantity_picked - reserved_for(line)
            if line.product_id == product_id and need > 0:
                before = reserved_for(line)
                allocate_line(session, line, need, ship_by=order.ship_by, today=today)
                got += reserved_for(line) - before
        if got:
            order.status = next_state("order", order.number, order.status, "allocate")
            audit.record(session, actor, "order_allocated", order=order.number, channel=order.channel, units=got,
                         after="replenishment")
            total += got
    return total
