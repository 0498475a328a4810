"""Picking by scans: one task at a time in walking order. Scan the bin, scan the item (or
enter a quantity), and the units move in the ledger from their reservation in the bin to
the order's tote on the cart. A short pick takes what is there, writes the rest off, asks
for the bin to be counted and reserves replacement stock elsewhere as new tasks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

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
from app.core.scan import ScannedCode, scanned_units
from app.core.values import made_in_one_step
from app.db.models import Location
from app.db.models_picking import PickTask, SalesOrderLine
from app.db.prepared import connection, stamp
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.config import LocationRef, special_location, special_location_ref, special_location_refs
from app.services.orders.allocation import allocate_line
from app.services.replenishment import tasks as replenishment
from app.services.scanning import ProductRef, resolve, resolve_product
from app.services.waves import pick_rows as rows
from app.services.waves.pick_rows import TaskRow
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


@made_in_one_step  # made on every scan
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


@made_in_one_step  # made on every scan
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


def next_pick(session: Session, wave_id: int, actor: Actor | None = None) -> PickPrompt | None:
    """The next open task in walking order, or None when the wave is picked. With several
    pickers on one wave, ``actor`` resumes the task they started and skips tasks another
    picker has started (unless nothing else is left)."""
    get_wave(session, wave_id)
    return _next(session, wave_id, actor)


def _next(session: Session, wave_id: int, actor: Actor | None,
          counts: tuple[int, int] | None = None) -> PickPrompt | None:
    """``next_pick`` of a wave known to exist; ``counts``: the wave's (tasks, finished tasks)
    when the caller has just counted them in this transaction."""
    row = rows.next_row(session, wave_id, actor.user_id if actor else None)
    return None if row is None else _prompt(session, row, counts)


def _prompt(session: Session, task: TaskRow, counts: tuple[int, int] | None = None) -> PickPrompt:
    total, finished = counts or rows.wave_counts(session, task.wave_id)
    return PickPrompt(
        task.id, task.wave_id, task.wave_number, task.sequence, task.location_code, task.location_barcode,
        task.sku, task.name, task.remaining, task.lot_code, task.tote_slot, f"{task.channel} {task.order_number}",
        task.location_confirmed, total, finished,
    )


def prompt_of(session: Session, task_id: int) -> PickPrompt:
    """The prompt of a task as this transaction sees it (after an undo, say)."""
    return _prompt(session, _task(session, task_id, lock=False))


def _task(session: Session, task_id: int, *, lock: bool = True) -> TaskRow:
    task = rows.task_row(session, task_id, lock=lock)
    if task is None:
        raise NotFound(what="Pick task", key=str(task_id))
    return task


def _open_task(session: Session, task_id: int, *, lock: bool = True) -> TaskRow:
    task = _task(session, task_id, lock=lock)
    if task.status != "open":
        raise InvalidTransition(document=task.label, state=task.status, action="pick")
    return task


@use_case("scan_location")
def scan_location(uow: UnitOfWork, task_id: int, scan: str, *, actor: Actor) -> PickPrompt:
    """Confirm the picker stands at the task's bin."""
    session = uow.session
    task = _open_task(session, task_id)
    location = resolve(session, scan).expect("location").location
    if location.id != task.location_id:
        raise WrongPickLocation(scanned=location.code, expected=task.location_code)
    rows.confirm_location(session, task.id)
    prompt = _prompt(session, task._replace(location_confirmed=True))  # in this transaction
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
    product, code, units = _item(uow, task, scan, quantity, lot)
    scan_id = audit.journal_scan(
        session, actor, context="picking", raw=scan, interpretation=code.summary(), outcome="ok",
        message=f"{units} x {product.sku} {task.location_code} -> tote {task.tote_slot}",
    )
    _, counts = _pick(session, task, units, actor=actor, key=idempotency_key, scan_id=scan_id, claimed=claimed)
    following = _next(session, task.wave_id, actor, counts)  # in this transaction: no second one
    uow.commit()
    return PickResult(task.id, product.sku, units, counts is not None, following)


@use_case("check_pick_item")
def check_pick_item(uow: UnitOfWork, task_id: int, scan: str, *, actor: Actor,
                    quantity: int | None = None) -> None:
    """Refuse now what ``scan_item`` would refuse of this item scan (a wrong item counts as a
    mispick, as there), changing nothing else: on a batch cart the dialogue asks this before
    the tote question, so a wrong item is told before it goes into a tote. A lot still to be
    asked for is no refusal."""
    task = _open_task(uow.session, task_id, lock=False)
    try:
        _item(uow, task, scan, quantity, None)
    except LotRequired:
        return


def _item(uow: UnitOfWork, task: TaskRow, scan: str, quantity: int | None,
          lot: str | None) -> tuple[ProductRef, ScannedCode, int]:
    """The product, the interpreted scan and the units of an item scan at ``task``; the scan's
    refusal otherwise."""
    if not task.location_confirmed:
        raise ScanPickLocationFirst(location=task.location_code)
    resolved = resolve_product(uow.session, scan)  # a barcode: one prebuilt statement
    product, code = resolved.product, resolved.scan
    if product.id != task.product_id:
        _note_mispick(uow, task.id)
        raise WrongPickItem(scanned=product.sku, location=task.location_code, expected=task.sku)
    _check_lot(task, code.lot or code.serial or lot)
    units = scanned_units(code.count, resolved.units, quantity)
    if units > task.remaining:
        raise TooManyPicked(remaining=task.remaining, sku=product.sku, units=units)
    return product, code, units


def _note_mispick(uow: UnitOfWork, task_id: int) -> None:
    """A wrong item scanned at a task counts against its order's accuracy (KPIs), although the
    scan itself is refused: the count is kept in a transaction of its own, the claim is not."""
    uow.rollback()
    uow.session.execute(update(PickTask).where(PickTask.id == task_id)
                        .values(mispicks=PickTask.mispicks + 1))
    uow.commit()


def _check_lot(task: TaskRow, scanned: str | None) -> None:
    if task.tracking == "none":
        return
    if not scanned:
        raise LotRequired(sku=task.sku)
    if task.lot_code is not None and scanned != task.lot_code:
        raise WrongLot(scanned=scanned, sku=task.sku, expected=task.lot_code)


def _pick(session: Session, task: TaskRow, units: int, *, actor: Actor, key: str,
          scan_id: int | None = None, claimed: bool = False) -> tuple[TaskRow, tuple[int, int] | None]:
    """``claimed``: the scan claimed ``key`` in this transaction (no move can hold it yet).
    Returns the task as it is stored now and, when this pick finished it, the wave's (tasks,
    finished tasks), which were counted."""
    order_status = next_state("order", task.order_number, task.order_status, "pick")
    wave_status = next_state("wave", task.wave_number, task.wave_status, "pick")
    ledger.post_move(
        session, actor=actor, product_id=task.product_id, quantity=units,
        source=task.location, destination=cart_location(session), reason="pick",
        idempotency_key=key, lot_id=task.lot_id, from_license_plate_id=task.license_plate_id,
        to_license_plate_id=task.tote_plate_id, document_type=DOCUMENT, document_id=task.order_id,
        scan_id=scan_id, from_reserved=True, claimed=claimed,
    )
    replenishment.after_pick(session, task.location_id)  # a face below min gets a task
    done_at = stamp(connection(session)) if units == task.remaining else None  # the task is done: closed at once
    rows.add_picked(session, task.id, task.allocation_id, task.order_line_id, units, actor.user_id,
                    done_at=done_at)
    picked = task._replace(quantity_picked=task.quantity_picked + units)
    if done_at is not None:
        return _finish_task(session, picked, "done", order_status, wave_status, closed_at=done_at)
    return _store_states(session, picked, order_status, wave_status), None


def _finish_task(session: Session, task: TaskRow, status: str, order_status: str, wave_status: str,
                 reason: str | None = None, *, closed_at: dt.datetime | None = None,
                 ) -> tuple[TaskRow, tuple[int, int]]:
    """Close the task (``closed_at``: closed already, by the pick that finished it); the
    order is picked when none of its tasks is open, the wave too. Returns the task as stored
    now and the wave's (tasks, finished tasks): the next prompt shows them."""
    now = closed_at
    if now is None:
        now = stamp(connection(session))
        rows.close(session, task.id, status, now, reason)
    order_open, total, finished = rows.finish_counts(session, task.order_id, task.wave_id)
    if not order_open:
        order_status = next_state("order", task.order_number, order_status, "finish_picking")
    completed = None
    if total == finished:
        wave_status = next_state("wave", task.wave_number, wave_status, "finish")
        completed = now
    stored = _store_states(session, task._replace(status=status), order_status, wave_status, completed)
    return stored, (total, finished)


def _store_states(session: Session, task: TaskRow, order_status: str, wave_status: str,
                  completed_at: dt.datetime | None = None) -> TaskRow:
    """Write the order's and the wave's new states where they differ from the stored ones."""
    if order_status != task.order_status:
        rows.set_order_status(session, task.order_id, order_status)
    if wave_status != task.wave_status or completed_at is not None:
        rows.set_wave_status(session, task.wave_id, wave_status, completed_at)
    return task._replace(order_status=order_status, wave_status=wave_status)


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
        raise ScanPickLocationFirst(location=task.location_code)
    remaining = task.remaining
    if not 0 <= found_qty < remaining:
        raise InvalidInput(field="quantity",
                           reason=f"found must be 0 to {remaining - 1}; {remaining} is a full pick")
    if found_qty:
        task, _ = _pick(session, task, found_qty, actor=actor, key=f"{idempotency_key}:pick")
    missing = remaining - found_qty
    ledger.post_move(
        session, actor=actor, product_id=task.product_id, quantity=missing,
        source=task.location, destination=special_location(session, "inventory_loss"),
        reason="short_pick", idempotency_key=loss_key, lot_id=task.lot_id,
        from_license_plate_id=task.license_plate_id, document_type=DOCUMENT,
        document_id=task.order_id, from_reserved=True,
    )
    rows.release_allocation(session, task, missing)
    line = session.get(SalesOrderLine, task.order_line_id)  # read after this scan's changes
    replacements = allocate_line(session, line, missing, ship_by=line.order.ship_by,
                                 today=today or clock.today(),
                                 exclude_location_ids=[task.location_id], separate=True)
    _add_tasks(session, task, replacements)
    replenishment.after_pick(session, task.location_id)  # an emptied face gets its task
    counted = _request_count(session, task, reason, actor)
    _finish_task(session, task, "short", task.order_status, task.wave_status, reason)
    reallocated = sum(a.quantity for a in replacements)
    audit.record(session, actor, "short_pick", wave=task.wave_number, order=task.order_number,
                 location=task.location_code, sku=task.sku, found=found_qty,
                 missing=missing, reallocated=reallocated, reason=reason)
    session.flush()
    uow.commit()
    return ShortPickResult(task.id, found_qty, missing, reallocated, missing - reallocated,
                           counted, _next(session, task.wave_id, actor))


def _add_tasks(session: Session, short: TaskRow, allocations) -> None:
    last = session.scalar(select(func.max(PickTask.sequence)).where(PickTask.wave_id == short.wave_id))
    for offset, allocation in enumerate(allocations, start=1):
        session.add(new_task(short.wave_id, short.order_id, short.order_line_id, allocation, short.tote_slot,
                             sequence=last + offset))
    session.flush()  # the wave's count of tasks (finishing the short one) includes them


def _request_count(session: Session, task: TaskRow, reason: str, actor: Actor) -> bool:
    if request_count is None:
        audit.record(session, actor, "count_wanted", location=task.location_code,
                     sku=task.sku, reason=f"short pick: {reason}")
        return False
    request_count(session, task.location_id, "short_pick", product_id=task.product_id, actor=actor)
    return True


def _replayed(session: Session, task_id: int, key: str, actor: Actor) -> PickResult:
    task = _task(session, task_id, lock=False)
    move = ledger.find_move(session, key)
    return PickResult(task.id, task.sku, move.quantity, task.status != "open",
                      _next(session, task.wave_id, actor), replayed=True)


def _short_replayed(session: Session, task_id: int, loss_key: str, actor: Actor) -> ShortPickResult:
    task = _task(session, task_id, lock=False)
    loss = ledger.find_move(session, loss_key)
    return ShortPickResult(task.id, task.quantity_picked, loss.quantity, 0, 0, False,
                           _next(session, task.wave_id, actor), replayed=True)


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
