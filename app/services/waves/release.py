"""Waves: choosing allocated orders, releasing them to the floor as routed pick tasks, and
the pick list (on screen, CSV, PDF) in walking order.

Single-order picking gives each order its own wave; batch picking puts several orders on
one cart, each in its own tote slot (a license plate ``W000012-T03`` that the packer can
scan). Tasks are numbered in the order app.core.routing walks them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, joinedload

from app.core import csv_safe
from app.core.actor import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.permissions import use_case
from app.core.picking_rules import batches, next_state, release_order_key
from app.db.models import AuditEntry, LicensePlate, Location, utcnow
from app.db.models_picking import Allocation, PickTask, SalesOrder, Wave
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.orders.documents import OrderView, order_views_where, with_lines
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
    conditions = [SalesOrder.status == "allocated"]
    if channel is not None:
        conditions.append(SalesOrder.channel == channel)
    if carrier is not None:
        conditions.append(SalesOrder.carrier == carrier)
    if ship_by_until is not None:
        conditions.append(SalesOrder.ship_by <= ship_by_until)
    if min_priority is not None:
        conditions.append(SalesOrder.priority >= min_priority)
    views = sorted(order_views_where(session, *conditions),
                   key=lambda v: release_order_key(v.priority, v.ship_by, v.number))
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
    orders = _orders_to_release(session, list(dict.fromkeys(order_ids)))
    if not orders:
        raise InvalidInput(field="orders", reason="choose at least one order to release")
    for order in orders:
        next_state("order", f"{order.channel} {order.number}", order.status, "release")
    orders.sort(key=lambda o: release_order_key(o.priority, o.ship_by, o.number))
    groups = [[order] for order in orders] if mode == "single" else batches(orders, cart_slots)
    plan = floor_plan(session)
    # Every bin the tasks visit, in one statement; kept here so sequence_tasks finds them.
    bins = session.scalars(select(Location).where(Location.id.in_(  # noqa: F841 - held on purpose
        {a.location_id for order in orders for line in order.lines for a in line.allocations}))).all()
    waves = _new_waves(session, mode, actor, len(groups))
    totes = dict(session.execute(
        insert(LicensePlate).returning(LicensePlate.code, LicensePlate.id),
        [dict(code=f"{wave.number}-T{slot:02d}", is_sscc=False, created_at=utcnow())
         for wave, group in zip(waves, groups, strict=True) for slot in range(1, len(group) + 1)]).all())
    tasks, audits = [], []
    for wave, group in zip(waves, groups, strict=True):
        wave_tasks = _release(session, wave, group, totes, plan)
        tasks += wave_tasks
        audits.append(audit.entry(actor, "wave_released", wave=wave.number, mode=mode,
                                  orders=[o.number for o in group], tasks=len(wave_tasks)))
    session.flush()
    columns = [c.key for c in PickTask.__table__.columns if c.key not in ("id", "allocation_id")]
    session.execute(insert(PickTask), [
        {"allocation_id": task.allocation.id, **{key: getattr(task, key) for key in columns}} for task in tasks])
    session.execute(insert(AuditEntry), audits)
    uow.commit()
    return wave_views(session, waves)


def _new_waves(session: Session, mode: str, actor: Actor, how_many: int) -> list[Wave]:
    """Insert the waves in one statement (their numbers come from their ids) and load them;
    the rows are alike, so which id is whose does not matter."""
    ids = session.scalars(
        insert(Wave).returning(Wave.id),
        [dict(mode=mode, status="released", released_by=actor.user_id, created_at=utcnow())] * how_many).all()
    return list(session.scalars(select(Wave).where(Wave.id.in_(ids)).order_by(Wave.id)))


def _orders_to_release(session: Session, order_ids: list[int]) -> list[SalesOrder]:
    """The orders with lines and allocations in one statement, locked (PostgreSQL)."""
    query = with_lines(select(SalesOrder), allocations=True).where(SalesOrder.id.in_(order_ids))
    if session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update(of=SalesOrder)
    found = {order.id: order for order in session.scalars(query).unique()}
    missing = [order_id for order_id in order_ids if order_id not in found]
    if missing:
        raise NotFound(what="Order", key=str(missing[0]))
    return [found[order_id] for order_id in order_ids]


def _release(session: Session, wave: Wave, orders: list[SalesOrder], totes: dict[str, int], plan) -> list[PickTask]:
    """The wave's orders take their tote slots; their allocations become tasks in walking order."""
    tasks = []
    for slot, order in enumerate(orders, start=1):
        order.wave_id, order.tote_slot, order.tote_plate_id = wave.id, slot, totes[f"{wave.number}-T{slot:02d}"]
        order.status = next_state("order", order.number, order.status, "release")
        for line in order.lines:
            for allocation in line.allocations:
                if allocation.quantity > 0:
                    tasks.append(new_task(wave.id, order.id, line.id, allocation, slot))
    wave.route_length = sequence_tasks(session, plan, tasks)
    return tasks


def new_task(wave_id: int, order_id: int, line_id: int, allocation: Allocation,
             slot: int, sequence: int = 0) -> PickTask:
    return PickTask(
        wave_id=wave_id, allocation=allocation, order_id=order_id, order_line_id=line_id,
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
    return wave_views(session, [wave])[0]


def wave_views(session: Session, waves: list[Wave]) -> list[WaveView]:
    """Views of many waves in two statements: their orders, and their tasks summed per wave."""
    ids = [wave.id for wave in waves]
    orders: dict[int, list[tuple[int, str, int]]] = {wave_id: [] for wave_id in ids}
    for wave_id, order_id, channel, number, slot in session.execute(
        select(SalesOrder.wave_id, SalesOrder.id, SalesOrder.channel, SalesOrder.number, SalesOrder.tote_slot)
        .where(SalesOrder.wave_id.in_(ids)).order_by(SalesOrder.wave_id, SalesOrder.tote_slot)
    ):
        orders[wave_id].append((order_id, f"{channel} {number}", slot))
    sums = {row[0]: row[1:] for row in session.execute(
        select(PickTask.wave_id, func.count(PickTask.id), func.count(PickTask.id).filter(PickTask.status != "open"),
               func.coalesce(func.sum(PickTask.quantity), 0), func.coalesce(func.sum(PickTask.quantity_picked), 0))
        .where(PickTask.wave_id.in_(ids)).group_by(PickTask.wave_id)
    )}
    views = []
    for wave in waves:
        total, finished, units, picked = sums.get(wave.id, (0, 0, 0, 0))
        views.append(WaveView(wave.id, wave.number, wave.mode, wave.status, tuple(orders[wave.id]),
                              total, finished, int(units), int(picked), wave.route_length))
    return views


def list_waves(session: Session, *, status: str | None = None, limit: int = 200) -> list[WaveView]:
    query = select(Wave).order_by(Wave.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Wave.status == status)
    return wave_views(session, list(session.scalars(query)))


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
    writer = csv_safe.writer(file)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([row.sequence, row.location, row.sku, row.name, row.quantity, row.lot,
                         row.tote_slot, row.order, row.picked, row.status])
    return len(rows)


def picklist_pdf(session: Session, wave_id: int, *, page_size: str = "A4", language: str = "en") -> bytes:
    """A4/Letter pick list in walking order, each line with its location's barcode."""
    from app.printing.documents import Column, render_table_document
    from app.printing.words import words

    _ = words(language)
    view = wave_view(session, get_wave(session, wave_id))
    rows = picklist(session, wave_id)
    columns = [Column(_("#"), "sequence", 0.4, "RIGHT"), Column(_("Location"), "location", 1.0, bold=True),
               Column(_("SKU"), "sku", 1.0), Column(_("Product"), "name", 2.0), Column(_("Lot"), "lot", 0.8),
               Column(_("Qty"), "quantity", 0.5, "RIGHT"), Column(_("Tote"), "tote_slot", 0.65, "RIGHT")]
    meta = [_("Orders (tote: order): {orders}").format(
                orders=", ".join(f"{slot}: {label}" for _id, label, slot in view.orders)),
            _("Lines: {lines}, units: {units}").format(lines=len(rows), units=view.units_total)
            + (_(", walk {length}").format(length=f"{view.route_length:g}") if view.route_length else "")]
    title = _("Pick list {number}").format(number=view.number)
    return render_table_document(title, meta, columns, rows, barcode_column="location_barcode",
                                 barcode_header=_("Location"), page_size=page_size, footer=title,
                                 language=language)
