"""A pick task as the scan path reads and changes it: plain rows by prebuilt statements
(``app.db.prepared``), no ORM objects.

An item scan is the floor's most frequent action. Loading the task as an ORM object with its
bin, product, lot, order and wave, then flushing five changed objects, cost more than all its
statements took to run; here one statement reads the task with everything the scan checks and
the prompt shows, and each change is one UPDATE that adds to the stored figure (two pickers
on tasks of one order line both count).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import Select, bindparam, case, func, literal, select, update
from sqlalchemy.orm import Session

from app.db.models import Location, Lot, Product
from app.db.models_picking import Allocation, PickTask, SalesOrder, SalesOrderLine, Wave
from app.db.prepared import Prepared, connection
from app.services.config import LocationRef

_TASKS = PickTask.__table__
_LOCATIONS = Location.__table__
_PRODUCTS = Product.__table__
_LOTS = Lot.__table__
_ORDERS = SalesOrder.__table__
_WAVES = Wave.__table__
_LINES = SalesOrderLine.__table__
_ALLOCATIONS = Allocation.__table__


class TaskRow(NamedTuple):
    """One task with what its scans check and its prompt shows."""

    id: int
    wave_id: int
    allocation_id: int
    order_id: int
    order_line_id: int
    product_id: int
    location_id: int
    lot_id: int | None
    license_plate_id: int | None
    sequence: int
    tote_slot: int
    quantity: int
    quantity_picked: int
    status: str
    location_confirmed: bool
    location_code: str
    location_barcode: str
    location_kind: str
    location_blocked: bool
    sku: str
    name: str
    tracking: str
    lot_code: str | None
    channel: str
    order_number: str
    order_status: str
    tote_plate_id: int | None
    wave_status: str

    @property
    def wave_number(self) -> str:
        return wave_number(self.wave_id)

    @property
    def remaining(self) -> int:
        return self.quantity - self.quantity_picked

    @property
    def location(self) -> LocationRef:
        return LocationRef(self.location_id, self.location_code, self.location_kind, self.location_blocked)

    @property
    def label(self) -> str:
        """The task as its errors name it."""
        return f"Pick {self.sequence} of {self.wave_number}"


def wave_number(wave_id: int) -> str:
    return f"W{wave_id:06d}"  # as Wave.number


def _rows(tasks) -> Select:  # noqa: ANN001 - the pick_tasks table or a one-task subquery of it
    """The TaskRow columns of ``tasks`` with their bin, product, lot, order and wave."""
    return (
        select(tasks.c.id, tasks.c.wave_id, tasks.c.allocation_id, tasks.c.order_id, tasks.c.order_line_id,
               tasks.c.product_id, tasks.c.location_id, tasks.c.lot_id, tasks.c.license_plate_id,
               tasks.c.sequence, tasks.c.tote_slot, tasks.c.quantity, tasks.c.quantity_picked, tasks.c.status,
               tasks.c.location_confirmed, _LOCATIONS.c.code, _LOCATIONS.c.barcode, _LOCATIONS.c.kind,
               _LOCATIONS.c.blocked, _PRODUCTS.c.sku, _PRODUCTS.c.name, _PRODUCTS.c.tracking, _LOTS.c.code,
               _ORDERS.c.channel, _ORDERS.c.number, _ORDERS.c.status, _ORDERS.c.tote_plate_id, _WAVES.c.status)
        .select_from(tasks.join(_LOCATIONS, _LOCATIONS.c.id == tasks.c.location_id)
                     .join(_PRODUCTS, _PRODUCTS.c.id == tasks.c.product_id)
                     .join(_ORDERS, _ORDERS.c.id == tasks.c.order_id)
                     .join(_WAVES, _WAVES.c.id == tasks.c.wave_id)
                     .outerjoin(_LOTS, _LOTS.c.id == tasks.c.lot_id))
    )


_BY_ID = _rows(_TASKS).where(_TASKS.c.id == bindparam("task"))
_TASK = Prepared(_BY_ID)
# Two pickers on one task: the second waits here and then sees the first one's picks.
_TASK_LOCKED = Prepared(_BY_ID.with_for_update(of=_TASKS))
# The picker's own started task first, then nobody's, then anyone's, in walking order: the
# one task chosen before anything is joined (a wave of thousands of tasks reads one).
_NEXT = Prepared(_rows(
    select(_TASKS).where(_TASKS.c.wave_id == bindparam("wave"), _TASKS.c.status == literal("open"))
    .order_by(case((_TASKS.c.picked_by == bindparam("me"), 0), else_=1),
              case((_TASKS.c.picked_by.is_(None), 0), else_=1), _TASKS.c.sequence)
    .limit(1).subquery("t")))
_is_open = _TASKS.c.status == literal("open")
_WAVE_COUNTS = Prepared(select(func.count(_TASKS.c.id), func.count(_TASKS.c.id).filter(~_is_open))
                        .where(_TASKS.c.wave_id == bindparam("wave")))
# The order's open tasks and the wave's tasks, finished or not, in one statement.
_FINISH_COUNTS = Prepared(
    select(func.count(_TASKS.c.id).filter(_TASKS.c.order_id == bindparam("order"), _is_open),
           func.count(_TASKS.c.id).filter(_TASKS.c.wave_id == bindparam("wave")),
           func.count(_TASKS.c.id).filter(_TASKS.c.wave_id == bindparam("wave"), ~_is_open))
    .where((_TASKS.c.order_id == bindparam("order")) | (_TASKS.c.wave_id == bindparam("wave"))))
_PICKED = Prepared(update(_TASKS).where(_TASKS.c.id == bindparam("task")).values(
    quantity_picked=_TASKS.c.quantity_picked + bindparam("units"), picked_by=bindparam("user")))
# A pick that finishes its task closes it in the same statement (a scan's round trip fewer).
_PICKED_DONE = Prepared(update(_TASKS).where(_TASKS.c.id == bindparam("task")).values(
    quantity_picked=_TASKS.c.quantity_picked + bindparam("units"), picked_by=bindparam("user"),
    status="done", done_at=bindparam("at", type_=_TASKS.c.done_at.type)))
_CLOSE = Prepared(update(_TASKS).where(_TASKS.c.id == bindparam("task")).values(
    status=bindparam("status"), done_at=bindparam("at", type_=_TASKS.c.done_at.type),
    short_reason=bindparam("reason", type_=_TASKS.c.short_reason.type)))
_CONFIRMED = Prepared(update(_TASKS).where(_TASKS.c.id == bindparam("task")).values(location_confirmed=True))
_ALLOCATION_LESS = Prepared(update(_ALLOCATIONS).where(_ALLOCATIONS.c.id == bindparam("allocation")).values(
    quantity=_ALLOCATIONS.c.quantity - bindparam("units")))
_LINE_PICKED = Prepared(update(_LINES).where(_LINES.c.id == bindparam("line")).values(
    quantity_picked=_LINES.c.quantity_picked + bindparam("units")))
_ORDER_STATUS = Prepared(update(_ORDERS).where(_ORDERS.c.id == bindparam("order")).values(
    status=bindparam("status")))
_WAVE_STATUS = Prepared(update(_WAVES).where(_WAVES.c.id == bindparam("wave")).values(
    status=bindparam("status"), completed_at=bindparam("at", type_=_WAVES.c.completed_at.type)))


def task_row(session: Session, task_id: int, *, lock: bool) -> TaskRow | None:
    conn = connection(session)
    row = (_TASK_LOCKED if lock else _TASK).first(conn, {"task": task_id})
    return None if row is None else tuple.__new__(TaskRow, row)  # TaskRow._make, without its call


def next_row(session: Session, wave_id: int, user_id: int | None) -> TaskRow | None:
    """The open task ``user_id`` gets next on the wave (None: the wave is picked)."""
    row = _NEXT.first(connection(session), {"wave": wave_id, "me": user_id})
    return None if row is None else tuple.__new__(TaskRow, row)  # TaskRow._make, without its call


def wave_counts(session: Session, wave_id: int) -> tuple[int, int]:
    """The wave's (tasks, finished tasks)."""
    total, finished = _WAVE_COUNTS.first(connection(session), {"wave": wave_id})
    return total, finished


def finish_counts(session: Session, order_id: int, wave_id: int) -> tuple[int, int, int]:
    """(the order's open tasks, the wave's tasks, the wave's finished tasks)."""
    order_open, total, finished = _FINISH_COUNTS.first(connection(session), {"order": order_id, "wave": wave_id})
    return order_open, total, finished


def add_picked(session: Session, task_id: int, allocation_id: int, line_id: int, units: int,
               user_id: int | None, *, done_at: dt.datetime | None = None) -> None:
    """``units`` more picked on the task (by ``user_id``) and on its order line; that many
    fewer reserved by its allocation (negative ``units``: given back). ``done_at``: these
    units finish the task, which is closed as done then."""
    conn = connection(session)
    if done_at is None:
        _PICKED.execute(conn, {"task": task_id, "units": units, "user": user_id})
    else:
        _PICKED_DONE.execute(conn, {"task": task_id, "units": units, "user": user_id, "at": done_at})
    _ALLOCATION_LESS.execute(conn, {"allocation": allocation_id, "units": units})
    _LINE_PICKED.execute(conn, {"line": line_id, "units": units})


def release_allocation(session: Session, task: TaskRow, units: int) -> None:
    """``units`` of the task's allocation are no longer reserved (written off)."""
    _ALLOCATION_LESS.execute(connection(session), {"allocation": task.allocation_id, "units": units})


def close(session: Session, task_id: int, status: str, at: dt.datetime, reason: str | None = None) -> None:
    _CLOSE.execute(connection(session), {"task": task_id, "status": status, "at": at, "reason": reason})


def confirm_location(session: Session, task_id: int) -> None:
    _CONFIRMED.execute(connection(session), {"task": task_id})


def set_order_status(session: Session, order_id: int, status: str) -> None:
    _ORDER_STATUS.execute(connection(session), {"order": order_id, "status": status})


def set_wave_status(session: Session, wave_id: int, status: str, completed_at: dt.datetime | None = None) -> None:
    _WAVE_STATUS.execute(connection(session), {"wave": wave_id, "status": status, "at": completed_at})
