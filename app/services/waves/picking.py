"""Picking by scans: one task at a time in walking order. Scan the bin, scan the item (or
enter a quantity), and the units move in the ledger from their reservation in the bin to
the order's tote on the cart. A short pick takes what is there, writes the rest off, asks
for the bin to be counted and reserves replacement stock elsewhere as new tasks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from app.core import clock
from app.core.actor import Actor
from app.core.errors import InvalidInput, InvalidTransition, LotRequired, NotFound
from app.core.permissions import use_case
from app.core.picking_rules import (
    CART_KIND,
    ScanPickLocationFirst,
    TooManyPicked,
    WrongLot,
    WrongPickItem,
    WrongPickLocation,
    next_state,
)
from app.core.scan import scanned_units
from app.db.models import Location, Move, utcnow
from app.db.models_picking import PickTask
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.config import LocationRef, special_location, special_location_ref, special_location_refs
from app.services.orders.allocation import allocate_line
from app.services.replenishment import tasks as replenishment
from app.services.scanning import resolve, resolve_product
from app.services.waves.release import get_wave, new_task

try:  # counting is its own workflow: without it, a short pick only notes that a count is due
    from app.services.counting import request_count
except ModuleNotFoundError as missing:
    if missing.name != "app.services.counting":
        raise
    request_count = None

DOCUMENT = "sales_order"
CART_CODE = "CARTS"  # created on first use when the warehouse has no cart location
KEY_ROOM = 56  # short picks derive two move keys (":pick", ":loss") from the one given


@dataclass(frozen=True)
class PickPrompt:
    """What the picker sees: where to go, what to take, which tote it goes into."""

    task_id: int
    wave_id: int
    wave: str
    sequence: int
    location: str
    location_barcode: str
    sku: str
    name: str
    quantity: int  # still to pick on this task
    lot: str | None
    tote_slot: int
    order: str
    location_confirmed: bool
    tasks_total: int
    tasks_finished: int


@dataclass(frozen=True)
class PickResult:
    task_id: int
    sku: str
    units: int
    task_finished: bool
    next: PickPrompt | None  # None: the wave is picked
    replayed: bool = False  # the same confirmed scan arrived twice; nothing was added


@dataclass(frozen=True)
class ShortPickResult:
    task_id: int
    picked: int
    written_off: int
    reallocated: int  # units reserved elsewhere and added as new tasks
    backorder: int  # units nothing could cover
    count_requested: bool
    next: PickPrompt | None
    replayed: bool = False


def next_pick(session: Session, wave_id: int, actor: Actor | None = None, *,
              counts: tuple[int, int] | None = None) -> PickPrompt | None:
    """The next open task in walking order, or None when the wave is picked. With several
    pickers on one wave, ``actor`` resumes the task they started and skips tasks another
    picker has started (unless nothing else is left). ``counts``: the wave's (tasks,
    finished tasks) when the caller has just counted them in this transaction."""
    get_wave(session, wave_id)
    me = actor.user_id if actor else None
    # Mine first, then nobody's, then anyone's: the first of them in walking order, chosen in
    # SQL with what the prompt shows (a wave of thousands of tasks loads one).
    choice = [case((PickTask.picked_by == me, 0), else_=1)] if me is not None else []
    task = session.scalar(
        select(PickTask).where(PickTask.wave_id == wave_id, PickTask.status == "open")
        .order_by(*choice, case((PickTask.picked_by.is_(None), 0), else_=1), PickTask.sequence)
        .limit(1).options(*_PROMPT_LOADS)
    )
    return None if task is None else _prompt(session, task, counts)


def _prompt(session: Session, task: PickTask, counts: tuple[int, int] | None = None) -> PickPrompt:
    total, finished = counts or session.execute(
        select(func.count(PickTask.id), func.count(PickTask.id).filter(PickTask.status != "open"))
        .where(PickTask.wave_id == task.wave_id)
    ).one()
    return PickPrompt(
        task.id, task.wave_id, task.wave.number, task.sequence, task.location.code,
        task.location.barcode, task.product.sku, task.product.name,
        task.quantity - task.quantity_picked, task.lot.code if task.lot else None, task.tote_slot,
        f"{task.order.channel} {task.order.number}", task.location_confirmed, total, finished,
    )


# What a prompt shows and a pick changes, loaded with the task in one statement.
_PROMPT_LOADS = (joinedload(PickTask.location), joinedload(PickTask.product), joinedload(PickTask.lot),
                 joinedload(PickTask.order), joinedload(PickTask.wave))


def _task(session: Session, task_id: int, *, lock: bool = True) -> PickTask:
    query = select(PickTask).where(PickTask.id == task_id).options(
        *_PROMPT_LOADS, joinedload(PickTask.allocation), joinedload(PickTask.line)
    )
    if lock:  # two pickers on one task: the second waits and sees the first one's picks
        query = query.with_for_update(of=PickTask)
    task = session.scalar(query)
    if task is None:
        raise NotFound(what="Pick task", key=str(task_id))
    return task


def _open_task(session: Session, task_id: int) -> PickTask:
    task = _task(session, task_id)
    if task.status != "open":
        raise InvalidTransition(document=f"Pick {task.sequence} of {task.wave.number}",
                                state=task.status, action="pick")
    return task


@use_case("scan_location")
def scan_location(uow: UnitOfWork, task_id: int, scan: str, *, actor: Actor) -> PickPrompt:
    """Confirm the picker stands at the task's bin."""
    session = uow.session
    task = _open_task(session, task_id)
    location = resolve(session, scan).expect("location").location
    if location.id != task.location_id:
        raise WrongPickLocation(scanned=location.code, expected=task.location.code)
    task.location_confirmed = True
    session.flush()
    prompt = _prompt(session, task)  # in this transaction: no second one to read it
    uow.commit()
    return prompt


@use_case("scan_item")
def scan_item(
    uow: UnitOfWork,
    task_id: int,
    scan: str,
    *,
    actor: Actor,
    idempotency_key: str,
    quantity: int | None = None,
    lot: str | None = None,
) -> PickResult:
    """Pick what one confirmed scan says: one unit, a case, or ``quantity`` times either."""
    session = uow.session
    claimed = ledger.claim(session, idempotency_key)
    if not claimed and ledger.find_move(session, idempotency_key):
        return _replayed(session, task_id, idempotency_key, actor)
    task = _open_task(session, task_id)
    if not task.location_confirmed:
        raise ScanPickLocationFirst(location=task.location.code)
    resolved = resolve_product(session, scan)  # a barcode: one prebuilt statement
    product, code = resolved.product, resolved.scan
    if product.id != task.product_id:
        _note_mispick(uow, task.id)
        raise WrongPickItem(scanned=product.sku, location=task.location.code, expected=task.product.sku)
    _check_lot(task, code.lot or code.serial or lot)
    units = scanned_units(code.count, resolved.units, quantity)
    remaining = task.quantity - task.quantity_picked
    if units > remaining:
        raise TooManyPicked(remaining=remaining, sku=product.sku, units=units)
    scan_id = audit.journal_scan(
        session, actor, context="picking", raw=scan, interpretation=code.summary(), outcome="ok",
        message=f"{units} x {product.sku} {task.location.code} -> tote {task.tote_slot}",
    )
    counts = _pick(session, task, units, actor=actor, key=idempotency_key, scan_id=scan_id, claimed=claimed)
    session.flush()
    following = next_pick(session, task.wave_id, actor, counts=counts)  # in this transaction: no second one
    uow.commit()
    return PickResult(task.id, product.sku, units, task.status != "open", following)


def _note_mispick(uow: UnitOfWork, task_id: int) -> None:
    """A wrong item scanned at a task counts against its order's accuracy (KPIs), although the
    scan itself is refused: the count is kept in a transaction of its own, the claim is not."""
    uow.rollback()
    uow.session.execute(update(PickTask).where(PickTask.id == task_id)
                        .values(mispicks=PickTask.mispicks + 1))
    uow.commit()


def _check_lot(task: PickTask, scanned: str | None) -> None:
    if task.product.tracking == "none":
        return
    if not scanned:
        raise LotRequired(sku=task.product.sku)
    if task.lot is not None and scanned != task.lot.code:
        raise WrongLot(scanned=scanned, sku=task.product.sku, expected=task.lot.code)


def _pick(session: Session, task: PickTask, units: int, *, actor: Actor, key: str,
          scan_id: int | None = None, claimed: bool = False) -> tuple[int, int] | None:
    """``claimed``: the scan claimed ``key`` in this transaction (no move can hold it yet).
    The wave's (tasks, finished tasks) when this pick finished the task (they were counted)."""
    order = task.order
    order.status = next_state("order", order.number, order.status, "pick")
    task.wave.status = next_state("wave", task.wave.number, task.wave.status, "pick")
    ledger.post_move(
        session, actor=actor, product_id=task.product_id, quantity=units,
        source=task.location, destination=cart_location(session), reason="pick",
        idempotency_key=key, lot_id=task.lot_id, from_license_plate_id=task.license_plate_id,
        to_license_plate_id=order.tote_plate_id, document_type=DOCUMENT, document_id=order.id,
        scan_id=scan_id, from_reserved=True, claimed=claimed,
    )
    replenishment.after_pick(session, task.location_id)  # a face below min gets a task
    task.quantity_picked += units
    task.allocation.quantity -= units
    task.line.quantity_picked += units
    task.picked_by = actor.user_id
    if task.quantity_picked == task.quantity:
        return _finish_task(session, task, "done")
    return None


def _finish_task(session: Session, task: PickTask, status: str) -> tuple[int, int]:
    """Close the task; the order is picked when none of its tasks is open, the wave too.
    Returns the wave's (tasks, finished tasks): the next prompt shows them."""
    task.status, task.done_at = status, utcnow()
    session.flush()
    order, wave = task.order, task.wave
    # The order's open tasks and the wave's tasks, finished or not, counted in one statement.
    is_open = PickTask.status == "open"
    order_open, wave_total, wave_finished = session.execute(
        select(func.count(PickTask.id).filter(PickTask.order_id == order.id, is_open),
               func.count(PickTask.id).filter(PickTask.wave_id == wave.id),
               func.count(PickTask.id).filter(PickTask.wave_id == wave.id, ~is_open))
        .where((PickTask.order_id == order.id) | (PickTask.wave_id == wave.id))
    ).one()
    wave_open = wave_total - wave_finished
    if not order_open:
        order.status = next_state("order", order.number, order.status, "finish_picking")
    if not wave_open:
        wave.status = next_state("wave", wave.number, wave.status, "finish")
        wave.completed_at = utcnow()
    return wave_total, wave_finished


@use_case("short_pick")
def short_pick(
    uow: UnitOfWork,
    task_id: int,
    found_qty: int,
    reason: str,
    *,
    actor: Actor,
    idempotency_key: str,
    today: dt.date | None = None,
) -> ShortPickResult:
    """The bin holds less than the task asks: pick the ``found_qty`` units that are there,
    write the missing units off (so nobody is sent for them again), request a count of the
    bin, and reserve replacement stock in other bins as new tasks at the end of the wave."""
    session = uow.session
    if len(idempotency_key) > KEY_ROOM:
        raise InvalidInput(field="idempotency_key", reason=f"at most {KEY_ROOM} characters")
    loss_key = f"{idempotency_key}:loss"
    if not ledger.claim(session, idempotency_key) and ledger.find_move(session, loss_key):
        return _short_replayed(session, task_id, loss_key, actor)
    task = _open_task(session, task_id)
    if not task.location_confirmed:
        raise ScanPickLocationFirst(location=task.location.code)
    remaining = task.quantity - task.quantity_picked
    if not 0 <= found_qty < remaining:
        raise InvalidInput(field="quantity",
                           reason=f"found must be 0 to {remaining - 1}; {remaining} is a full pick")
    if found_qty:
        _pick(session, task, found_qty, actor=actor, key=f"{idempotency_key}:pick")
    missing = remaining - found_qty
    order = task.order
    ledger.post_move(
        session, actor=actor, product_id=task.product_id, quantity=missing,
        source=task.location, destination=special_location(session, "inventory_loss"),
        reason="short_pick", idempotency_key=loss_key, lot_id=task.lot_id,
        from_license_plate_id=task.license_plate_id, document_type=DOCUMENT,
        document_id=order.id, from_reserved=True,
    )
    task.allocation.quantity -= missing
    task.short_reason = reason
    replacements = allocate_line(session, task.line, missing, ship_by=order.ship_by,
                                 today=today or clock.today(),
                                 exclude_location_ids=[task.location_id], separate=True)
    _add_tasks(session, task, replacements)
    replenishment.after_pick(session, task.location_id)  # an emptied face gets its task
    counted = _request_count(session, task, reason, actor)
    _finish_task(session, task, "short")
    reallocated = sum(a.quantity for a in replacements)
    audit.record(session, actor, "short_pick", wave=task.wave.number, order=order.number,
                 location=task.location.code, sku=task.product.sku, found=found_qty,
                 missing=missing, reallocated=reallocated, reason=reason)
    session.flush()
    uow.commit()
    return ShortPickResult(task.id, found_qty, missing, reallocated, missing - reallocated,
                           counted, next_pick(session, task.wave_id, actor))


def _add_tasks(session: Session, short: PickTask, allocations) -> None:
    last = session.scalar(select(func.max(PickTask.sequence)).where(PickTask.wave_id == short.wave_id))
    for offset, allocation in enumerate(allocations, start=1):
        session.add(new_task(short.wave, short.order, short.line, allocation, short.tote_slot,
                             sequence=last + offset))
    session.flush()


def _request_count(session: Session, task: PickTask, reason: str, actor: Actor) -> bool:
    if request_count is None:
        audit.record(session, actor, "count_wanted", location=task.location.code,
                     sku=task.product.sku, reason=f"short pick: {reason}")
        return False
    request_count(session, task.location_id, "short_pick", product_id=task.product_id, actor=actor)
    return True


def _replayed(session: Session, task_id: int, key: str, actor: Actor) -> PickResult:
    task = _task(session, task_id, lock=False)
    move = ledger.find_move(session, key)
    return PickResult(task.id, task.product.sku, move.quantity, task.status != "open",
                      next_pick(session, task.wave_id, actor), replayed=True)


def _short_replayed(session: Session, task_id: int, loss_key: str, actor: Actor) -> ShortPickResult:
    task = _task(session, task_id, lock=False)
    loss = ledger.find_move(session, loss_key)
    return ShortPickResult(task.id, task.quantity_picked, loss.quantity, 0, 0, False,
                           next_pick(session, task.wave_id, actor), replayed=True)


def cart_location(session: Session) -> LocationRef:
    """Where picked units wait in their totes: the first cart location (id, code, kind, blocked
    by one prebuilt statement: every pick and pack scan asks), created if none."""
    try:
        return special_location_ref(session, CART_KIND)
    except NotFound:
        pass
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # Two workstations may get here at once: the second insert does nothing.
    session.execute(insert(Location).values(code=CART_CODE, barcode=CART_CODE, kind=CART_KIND,
                                            blocked=False).on_conflict_do_nothing())
    return special_location_ref(session, CART_KIND)


def cart_and(session: Session, kind: str) -> tuple[LocationRef, LocationRef]:
    """The cart location and the special location ``kind`` by one statement (the pack scan
    takes units from the one to the other)."""
    try:
        return special_location_refs(session, CART_KIND, kind)
    except NotFound:  # no cart yet (made on first use), or no such location: one at a time
        return cart_location(session), special_location_ref(session, kind)


# --- undo of the last pick scan ------------------------------------------------------------
PICK_UNDO = "pick_undo"


@dataclass(frozen=True)
class PickUndoResult:
    task_id: int
    sku: str
    units: int
    location: str
    tote_slot: int
    prompt: PickPrompt  # the task the units went back to: the picker picks them again here


def undone_move_ids(session: Session, reason: str, order_ids) -> set[int]:  # noqa: ANN001 - iterable of ids
    """Ids of the moves already reversed by an undo move (key ``undo:<id>``) of ``reason``."""
    keys = session.scalars(select(Move.idempotency_key).where(
        Move.reason == reason, Move.document_type == DOCUMENT, Move.document_id.in_(list(order_ids))))
    return {int(key.split(":", 1)[1]) for key in keys}


@use_case("undo_last_pick")
def undo_last_pick(uow: UnitOfWork, wave_id: int, *, actor: Actor) -> PickUndoResult | None:
    """Put this picker's last pick scan on the wave back: a compensating move from the tote to
    the bin, the units reserved for the order again, the task's and the line's picked counts
    reduced. None when there is nothing of theirs to undo. A task that is finished (picked in
    full or short) cannot be undone: its order may be packing already."""
    session = uow.session
    get_wave(session, wave_id)
    order_ids = set(session.scalars(select(PickTask.order_id).where(PickTask.wave_id == wave_id)))
    if not order_ids:
        return None
    undone = undone_move_ids(session, PICK_UNDO, order_ids)
    candidates = session.scalars(
        select(Move).where(Move.reason == "pick", Move.document_type == DOCUMENT,
                           Move.document_id.in_(order_ids), Move.user_id == actor.user_id)
        .order_by(Move.id.desc()))
    last = next((move for move in candidates if move.id not in undone), None)
    if last is None:
        return None
    task = _task_of(session, wave_id, last)
    if task.status != "open" or last.idempotency_key.endswith(":pick"):
        raise InvalidTransition(document=f"Pick {task.sequence} of {task.wave.number}",
                                state=task.status, action="undo")
    ledger.post_move(
        session, actor=actor, product_id=last.product_id, quantity=last.quantity,
        source=cart_location(session), destination=task.location, reason=PICK_UNDO,
        idempotency_key=f"undo:{last.id}", lot_id=last.lot_id,
        from_license_plate_id=last.to_license_plate_id, to_license_plate_id=last.from_license_plate_id,
        document_type=DOCUMENT, document_id=last.document_id,
    )
    ledger.reserve(session, ledger.StockKey(task.product_id, task.location_id, task.lot_id,
                                            task.license_plate_id), last.quantity, task.location)
    task.quantity_picked -= last.quantity
    task.allocation.quantity += last.quantity
    task.line.quantity_picked -= last.quantity
    audit.record(session, actor, "pick_undo", wave=task.wave.number, order=task.order.number,
                 location=task.location.code, sku=task.product.sku, units=last.quantity, move=last.id)
    session.flush()
    uow.commit()
    return PickUndoResult(task.id, task.product.sku, last.quantity, task.location.code, task.tote_slot,
                          _prompt(session, task))


def _task_of(session: Session, wave_id: int, move: Move) -> PickTask:
    """The task a pick move was made on: same order, product, bin, lot and plate (open first)."""
    tasks = list(session.scalars(
        select(PickTask).where(
            PickTask.wave_id == wave_id, PickTask.order_id == move.document_id,
            PickTask.product_id == move.product_id, PickTask.location_id == move.from_location_id,
            PickTask.lot_id.is_(None) if move.lot_id is None else PickTask.lot_id == move.lot_id,
            PickTask.license_plate_id.is_(None) if move.from_license_plate_id is None
            else PickTask.license_plate_id == move.from_license_plate_id,
            PickTask.quantity_picked >= move.quantity)
        .order_by(PickTask.sequence).with_for_update(of=PickTask)))
    if not tasks:
        raise NotFound(what="Pick task of move", key=str(move.id))
    return next((task for task in tasks if task.status == "open"), tasks[0])
