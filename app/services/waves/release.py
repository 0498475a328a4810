"""Waves: choosing allocated orders, releasing them to the floor as routed pick tasks, and
the pick list (on screen, CSV, PDF) in walking order.

Single-order picking gives each order its own wave; batch picking puts several orders on
one cart, each in its own tote slot (a license plate ``W000012-T03`` that the packer can
scan). Tasks are numbered in the order app.core.routing walks them.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from app.core.actor import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.permissions import use_case
from app.core.picking_rules import batches, next_state, release_order_key
from app.db.models import LicensePlate, Location
from app.db.models_picking import Allocation, PickTask, SalesOrder, SalesOrderLine, Wave
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.orders.documents import OrderView, load_order, order_view
from app.services.waves.layout import floor_plan, walking_order

MODES = ("single", "batch")
DEFAULT_CART_SLOTS = 8


@dataclass(frozen=True)
class WaveView:
    wave_id: int
    number: str
    mode: str
    status: str
    orders: tuple[tuple[int, str, int], ...]  # (order id, "channel number", tote slot)
    tasks_total: int
    tasks_finished: int
    units_total: int
    units_picked: int
    route_length: float | None

    @property
    def done(self) -> bool:
        return self.status == "done"


def list_releasable_orders(
    session: Session,
    *,
    channel: str | None = None,
    carrier: str | None = None,
    ship_by_until: dt.date | None = None,
    min_priority: int | None = None,
    complete_only: bool = False,
) -> list[OrderView]:
    """Allocated orders not yet in a wave, most urgent first. ``complete_only`` leaves out
    orders with a backorder."""
    query = select(SalesOrder).where(SalesOrder.status == "allocated")
    if channel is not None:
        query = query.where(SalesOrder.channel == channel)
    if carrier is not None:
        query = query.where(SalesOrder.carrier == carrier)
    if ship_by_until is not None:
        query = query.where(SalesOrder.ship_by <= ship_by_until)
    if min_priority is not None:
        query = query.where(SalesOrder.priority >= min_priority)
    orders = sorted(session.scalars(query), key=lambda o: release_order_key(o.priority, o.ship_by, o.number))
    views = [order_view(session, order) for order in orders]
    return [v for v in views if v.allocated > 0 and not (complete_only and v.backorder)]


@use_case("release_waves")
def release_waves(
    uow: UnitOfWork,
    order_ids: Iterable[int],
    *,
    actor: Actor,
    mode: str = "single",
    cart_slots: int = DEFAULT_CART_SLOTS,
) -> list[WaveView]:
    """Release allocated orders: one wave per order (single) or per cart of ``cart_slots``
    orders (batch). Each wave's tasks are numbered in shortest walking order."""
    if mode not in MODES:
        raise InvalidInput(field="mode", reason=f"'{mode}' is not one of " + ", ".join(MODES))
    if cart_slots < 1:
        raise InvalidInput(field="cart slots", reason=f"a cart holds at least one tote, not {cart_slots}")
    session = uow.session
    orders = [load_order(session, order_id, lock=True) for order_id in dict.fromkeys(order_ids)]
    if not orders:
        raise InvalidInput(field="orders", reason="choose at least one order to release")
    for order in orders:
        next_state("order", f"{order.channel} {order.number}", order.status, "release")
    orders.sort(key=lambda o: release_order_key(o.priority, o.ship_by, o.number))
    groups = [[order] for order in orders] if mode == "single" else batches(orders, cart_slots)
    plan = floor_plan(session)
    waves = [_release(session, group, mode, plan, actor) for group in groups]
    uow.commit()
    return [wave_view(session, wave) for wave in waves]


def _release(session: Session, orders: list[SalesOrder], mode: str, plan, actor: Actor) -> Wave:
    wave = Wave(mode=mode, status="released", released_by=actor.user_id)
    session.add(wave)
    session.flush()
    tasks = []
    for slot, order in enumerate(orders, start=1):
        tote = LicensePlate(code=f"{wave.number}-T{slot:02d}", is_sscc=False)
        session.add(tote)
        session.flush()
        order.wave_id, order.tote_slot, order.tote_plate_id = wave.id, slot, tote.id
        order.status = next_state("order", order.number, order.status, "release")
        for line in order.lines:
            for allocation in line.allocations:
                if allocation.quantity > 0:
                    tasks.append(new_task(wave, order, line, allocation, slot))
    wave.route_length = sequence_tasks(session, plan, tasks)
    session.add_all(tasks)
    session.flush()
    audit.record(session, actor, "wave_released", wave=wave.number, mode=mode,
                 orders=[o.number for o in orders], tasks=len(tasks))
    return wave


def new_task(wave: Wave, order: SalesOrder, line: SalesOrderLine, allocation: Allocation,
             slot: int, sequence: int = 0) -> PickTask:
    return PickTask(
        wave_id=wave.id, allocation=allocation, order_id=order.id, order_line_id=line.id,
        product_id=allocation.product_id, location_id=allocation.location_id,
        lot_id=allocation.lot_id, license_plate_id=allocation.license_plate_id,
        sequence=sequence, tote_slot=slot, quantity=allocation.quantity, quantity_picked=0,
        status="open", location_confirmed=False,
    )


def sequence_tasks(session: Session, plan, tasks: list[PickTask]) -> float | None:
    """Number the tasks in walking order (several tasks at one bin: by tote slot); returns
    the route's length."""
    by_id = {task.location_id: session.get(Location, task.location_id) for task in tasks}
    locations = list(by_id.values())
    order, length = walking_order(plan, locations)
    rank = {locations[index].id: position for position, index in enumerate(order)}
    tasks.sort(key=lambda t: (rank[t.location_id], t.tote_slot, t.product_id))
    for number, task in enumerate(tasks, start=1):
        task.sequence = number
    return length


def get_wave(session: Session, wave_id: int) -> Wave:
    wave = session.get(Wave, wave_id)
    if wave is None:
        raise NotFound(what="Wave", key=str(wave_id))
    return wave


def wave_view(session: Session, wave: Wave) -> WaveView:
    orders = session.execute(
        select(SalesOrder.id, SalesOrder.channel, SalesOrder.number, SalesOrder.tote_slot)
        .where(SalesOrder.wave_id == wave.id).order_by(SalesOrder.tote_slot)
    ).all()
    total, finished, units, picked = session.execute(
        select(func.count(PickTask.id), func.count(PickTask.id).filter(PickTask.status != "open"),
               func.coalesce(func.sum(PickTask.quantity), 0),
               func.coalesce(func.sum(PickTask.quantity_picked), 0))
        .where(PickTask.wave_id == wave.id)
    ).one()
    return WaveView(wave.id, wave.number, wave.mode, wave.status,
                    tuple((i, f"{c} {n}", s) for i, c, n, s in orders),
                    total, finished, int(units), int(picked), wave.route_length)


def list_waves(session: Session, *, status: str | None = None, limit: int = 200) -> list[WaveView]:
    query = select(Wave).order_by(Wave.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Wave.status == status)
    return [wave_view(session, wave) for wave in session.scalars(query)]


# --- the pick list --------------------------------------------------------------------------
@dataclass(frozen=True)
class PickListRow:
    sequence: int
    location: str
    location_barcode: str
    sku: str
    name: str
    quantity: int
    picked: int
    lot: str
    tote_slot: int
    order: str
    status: str  # open | done | short


def picklist(session: Session, wave_id: int) -> list[PickListRow]:
    """The wave's tasks in walking order, with progress (for screens and printouts)."""
    get_wave(session, wave_id)
    tasks = session.scalars(
        select(PickTask).where(PickTask.wave_id == wave_id).order_by(PickTask.sequence)
        .options(joinedload(PickTask.location), joinedload(PickTask.product),
                 joinedload(PickTask.lot), joinedload(PickTask.order))
    )
    return [
        PickListRow(t.sequence, t.location.code, t.location.barcode, t.product.sku, t.product.name,
                    t.quantity, t.quantity_picked, t.lot.code if t.lot else "", t.tote_slot,
                    f"{t.order.channel} {t.order.number}", t.status)
        for t in tasks
    ]


CSV_HEADER = ("sequence", "location", "sku", "name", "quantity", "lot", "tote_slot", "order", "picked", "status")


def export_picklist_csv(session: Session, wave_id: int, file: TextIO) -> int:
    """Write the pick list as CSV in visiting order; returns the number of rows."""
    rows = picklist(session, wave_id)
    writer = csv.writer(file)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([row.sequence, row.location, row.sku, row.name, row.quantity, row.lot,
                         row.tote_slot, row.order, row.picked, row.status])
    return len(rows)


def picklist_pdf(session: Session, wave_id: int, *, page_size: str = "A4") -> bytes:
    """A4/Letter pick list in walking order, each line with its location's barcode."""
    from app.printing.documents import Column, render_table_document

    view = wave_view(session, get_wave(session, wave_id))
    rows = picklist(session, wave_id)
    columns = [Column("#", "sequence", 0.4, "RIGHT"), Column("Location", "location", 1.0, bold=True),
               Column("SKU", "sku", 1.0), Column("Product", "name", 2.0), Column("Lot", "lot", 0.8),
               Column("Qty", "quantity", 0.5, "RIGHT"), Column("Tote", "tote_slot", 0.65, "RIGHT")]
    meta = ["Orders (tote: order): " + ", ".join(f"{slot}: {label}" for _, label, slot in view.orders),
            f"Lines: {len(rows)}, units: {view.units_total}"
            + (f", walk {view.route_length:g}" if view.route_length else "")]
    return render_table_document(f"Pick list {view.number}", meta, columns, rows,
                                 barcode_column="location_barcode", barcode_header="Location",
                                 page_size=page_size, footer=f"Pick list {view.number}")
