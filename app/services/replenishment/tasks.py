"""Replenishment tasks: created when a face falls below min after a pick, or when allocation
would short a faced product while reserve holds it (the order then waits for the task);
listed for the floor with a suggested reserve bin (earliest expiry first)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, case, exists, func, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.permissions import use_case
from app.core.replenishment_rules import RESERVE_KINDS, ReplenishmentClosed, refill_quantity
from app.db.models import Location, Lot, OnHand, Product, utcnow
from app.db.models_picking import Allocation, SalesOrder, SalesOrderLine
from app.db.models_replenishment import FaceSetting, ReplenishmentTask
from app.db.prepared import Prepared, connection, stamp
from app.db.uow import UnitOfWork
from app.services import audit

_FACE = FaceSetting.__table__
_HAND = OnHand.__table__
_LOC = Location.__table__
_TASK = ReplenishmentTask.__table__


def _reserve_holds(product_id):  # noqa: ANN001, ANN202 - a SQL condition
    """Free units of the product lie in an unblocked reserve bin."""
    hand, loc = _HAND.alias("reserve_hand"), _LOC.alias("reserve_loc")
    return exists(select(literal(1)).select_from(hand.join(loc, loc.c.id == hand.c.location_id))
                  .where(hand.c.product_id == product_id, hand.c.quantity > hand.c.reserved,
                         loc.c.kind.in_(RESERVE_KINDS), loc.c.blocked.is_(False)))


def allocatable():  # noqa: ANN201 - a SQL condition on OnHand joined with Location
    """Stock allocation may promise: not the reserve of a product that has a pick face (that
    reserve feeds the face through replenishment tasks)."""
    faced = exists(select(literal(1)).where(_FACE.c.product_id == OnHand.product_id))
    return (Location.kind.not_in(RESERVE_KINDS)) | ~faced


def _below_min_insert(dialect):  # noqa: ANN001, ANN202
    """One statement: an open below-min task for the face, when it is below min, reserve holds the
    product and the face has no open task (the partial unique index says so, concurrently too)."""
    held = (select(func.coalesce(func.sum(_HAND.c.quantity), 0))
            .where(_HAND.c.location_id == _FACE.c.location_id, _HAND.c.product_id == _FACE.c.product_id)
            .scalar_subquery())
    room = _FACE.c.max_units - held
    quantity = case((room // _FACE.c.unit >= 1, (room // _FACE.c.unit) * _FACE.c.unit), else_=_FACE.c.unit)
    chosen = select(_FACE.c.product_id, _FACE.c.location_id, quantity, literal(0), literal(0),
                    literal("below_min"), literal("open"), bindparam("now", type_=_TASK.c.created_at.type)).where(
        _FACE.c.location_id == bindparam("face"), held < _FACE.c.min_units, _reserve_holds(_FACE.c.product_id))
    statement = dialect.insert(_TASK).from_select(
        ["product_id", "to_location_id", "quantity", "quantity_moved", "waiting_units", "trigger", "status",
         "created_at"], chosen)
    # The predicate is a literal: once psycopg prepares the statement (its 5th run), a bound
    # 'open' would be a parameter and PostgreSQL could no longer infer the partial index.
    return statement.on_conflict_do_nothing(index_elements=[_TASK.c.to_location_id],
                                            index_where=text("status = 'open'"))


_BELOW_MIN = {"postgresql": _below_min_insert(postgresql), "sqlite": _below_min_insert(sqlite)}
_BELOW_MIN_FAST = {name: Prepared(statement) for name, statement in _BELOW_MIN.items()}


def after_pick(session: Session, location_id: int) -> None:
    """A pick (or a short pick) took units from ``location_id``: when it is a face now below min
    and reserve holds its product, an open task appears. One statement, nothing read back."""
    conn = connection(session)
    _BELOW_MIN_FAST[conn.dialect.name].execute(conn, {"face": location_id, "now": stamp(conn)})


def request_for_shortages(session: Session, shortages: dict[int, int]) -> dict[int, int]:
    """Allocation could not cover ``shortages`` (product -> units) from stock it may promise:
    for each faced product whose reserve holds free units, an open task for its face (or the open
    one grown) waits for them. Returns product -> units now waiting for a replenishment."""
    wanted = {product_id: units for product_id, units in shortages.items() if units > 0}
    if not wanted:
        return {}
    session.flush()  # allocations this transaction made count in what is still outstanding
    faces = session.execute(
        select(FaceSetting, func.coalesce(
            select(func.sum(OnHand.quantity)).where(OnHand.location_id == FaceSetting.location_id,
                                                    OnHand.product_id == FaceSetting.product_id)
            .scalar_subquery(), 0))
        .where(FaceSetting.product_id.in_(wanted), _reserve_holds(FaceSetting.product_id))
        .order_by(FaceSetting.location_id)).all()
    first_face: dict[int, tuple[FaceSetting, int]] = {}
    for setting, on_hand in faces:
        first_face.setdefault(setting.product_id, (setting, on_hand))
    if not first_face:
        return {}
    open_tasks = {task.to_location_id: task for task in session.scalars(
        select(ReplenishmentTask).where(ReplenishmentTask.status == "open",
                                        ReplenishmentTask.to_location_id.in_(
                                            [s.location_id for s, _ in first_face.values()])))}
    outstanding = _outstanding(session, list(first_face))
    waiting: dict[int, int] = {}
    for product_id, (setting, on_hand) in first_face.items():
        task = open_tasks.get(setting.location_id)
        if task is None:
            task = ReplenishmentTask(product_id=product_id, to_location_id=setting.location_id, quantity_moved=0,
                                     waiting_units=0, trigger="allocation", status="open", created_at=utcnow())
            session.add(task)
        task.waiting_units = max(outstanding.get(product_id, 0), wanted[product_id])
        task.quantity = max(task.quantity or 0, (task.quantity_moved or 0) + refill_quantity(
            on_hand, setting.min_units, setting.max_units, setting.unit, waiting=task.waiting_units))
        waiting[product_id] = task.waiting_units
    session.flush()
    return waiting


def _outstanding(session: Session, product_ids: list[int]) -> dict[int, int]:
    """Units of open or partly allocated orders not yet picked nor promised, by product."""
    promised = (select(Allocation.order_line_id, func.sum(Allocation.quantity).label("units"))
                .group_by(Allocation.order_line_id).subquery())
    need = SalesOrderLine.quantity - SalesOrderLine.quantity_picked - func.coalesce(promised.c.units, 0)
    return {product_id: int(units or 0) for product_id, units in session.execute(
        select(SalesOrderLine.product_id, func.sum(case((need > 0, need), else_=0)))
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .outerjoin(promised, promised.c.order_line_id == SalesOrderLine.id)
        .where(SalesOrderLine.product_id.in_(product_ids), SalesOrder.status.in_(("open", "allocated")))
        .group_by(SalesOrderLine.product_id))}


def waiting_units(session: Session, product_ids) -> dict[int, int]:  # noqa: ANN001
    """Order units waiting for an open replenishment, by product."""
    return dict(session.execute(
        select(ReplenishmentTask.product_id, func.sum(ReplenishmentTask.waiting_units))
        .where(ReplenishmentTask.status == "open", ReplenishmentTask.product_id.in_(list(product_ids)))
        .group_by(ReplenishmentTask.product_id)).all())


@dataclass(frozen=True)
class OpenTask:
    id: int
    sku: str
    name: str
    tracking: str
    face: str
    quantity: int  # still to bring
    waiting_units: int
    trigger: str
    reserve: str | None  # the suggested reserve bin (earliest expiry, then fullest)
    reserve_lot: str | None
    reserve_free: int  # free units of the product in reserve, all bins


def open_tasks(session: Session) -> list[OpenTask]:
    """Open tasks, those orders wait for first, then the oldest; with a suggested reserve bin.
    Two queries however many tasks."""
    face = Location.__table__.alias("face")
    rows = session.execute(
        select(ReplenishmentTask.id, ReplenishmentTask.product_id, Product.sku, Product.name, Product.tracking,
               face.c.code, ReplenishmentTask.quantity - ReplenishmentTask.quantity_moved,
               ReplenishmentTask.waiting_units, ReplenishmentTask.trigger)
        .join(Product, Product.id == ReplenishmentTask.product_id)
        .join(face, face.c.id == ReplenishmentTask.to_location_id)
        .where(ReplenishmentTask.status == "open")
        .order_by((ReplenishmentTask.waiting_units > 0).desc(), ReplenishmentTask.created_at, ReplenishmentTask.id)
    ).all()
    reserve = reserve_options(session, {row.product_id for row in rows})
    tasks = []
    for task_id, product_id, sku, name, tracking, code, quantity, waiting, trigger in rows:
        options = reserve.get(product_id, [])
        best = options[0] if options else None
        tasks.append(OpenTask(task_id, sku, name, tracking, code, max(quantity, 0), waiting, trigger,
                              best[0] if best else None, best[1] if best else None,
                              sum(option[2] for option in options)))
    return tasks


def reserve_options(session: Session, product_ids: set[int]) -> dict[int, list[tuple[str, str | None, int]]]:
    """Free reserve stock per product as (bin, lot, free units), earliest expiry then fullest first."""
    if not product_ids:
        return {}
    free = func.sum(OnHand.quantity - OnHand.reserved)
    rows = session.execute(
        select(OnHand.product_id, Location.code, Lot.code, free, func.min(Lot.expiry))
        .join(Location, Location.id == OnHand.location_id)
        .outerjoin(Lot, Lot.id == OnHand.lot_id)
        .where(OnHand.product_id.in_(product_ids), OnHand.quantity > OnHand.reserved,
               Location.kind.in_(RESERVE_KINDS), Location.blocked.is_(False))
        .group_by(OnHand.product_id, Location.code, Lot.code)).all()
    found: dict[int, list] = {}
    for product_id, code, lot, units, expiry in rows:
        found.setdefault(product_id, []).append((code, lot, int(units), expiry))
    return {product_id: [(code, lot, units) for code, lot, units, _ in
                         sorted(options, key=lambda o: (o[3] is None, o[3] or 0, -o[2], o[0]))]
            for product_id, options in found.items()}


@use_case("cancel_replenishment")
def cancel_replenishment(uow: UnitOfWork, task_id: int, *, actor: Actor) -> None:
    """A supervisor drops an open task (the face was refilled another way)."""
    session = uow.session
    task = session.get(ReplenishmentTask, task_id)
    if task is None or task.status != "open":
        raise ReplenishmentClosed(task=task_id, state=task.status if task else "gone")
    task.status, task.done_at, task.done_by = "cancelled", utcnow(), actor.user_id
    audit.record(session, actor, "replenishment_cancelled", task=task_id)
    uow.commit()
