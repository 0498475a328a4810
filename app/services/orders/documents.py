"""Customer orders: creating them and looking at them (cancelling gives reservations back,
so it lives in app/services/orders/allocation.py).

Quantities per line: ``quantity`` ordered, ``allocated`` still reserved in bins, ``picked``
into totes, ``packed`` into parcels; the ``backorder`` is what nothing covers yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.core.actor import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.permissions import use_case
from app.db.models import Product
from app.db.models_picking import Allocation, SalesOrder, SalesOrderLine
from app.db.uow import UnitOfWork
from app.services import audit


@dataclass(frozen=True)
class ShipTo:
    name: str
    address1: str
    city: str
    postcode: str
    country: str
    address2: str = ""

    def lines(self) -> tuple[str, ...]:
        """The address as it is written on a label."""
        return tuple(filter(None, (self.name, self.address1, self.address2,
                                   f"{self.postcode} {self.city}".strip(), self.country)))


@dataclass(frozen=True)
class OrderInput:
    channel: str
    number: str
    ship_to: ShipTo
    carrier: str
    lines: tuple[tuple[str, int], ...]  # (sku, quantity)
    service: str = ""
    priority: int = 0
    ship_by: dt.date | None = None


@dataclass(frozen=True)
class OrderLineView:
    line_id: int
    line_no: int
    sku: str
    name: str
    quantity: int
    allocated: int
    picked: int
    packed: int

    @property
    def backorder(self) -> int:
        return max(self.quantity - self.picked - self.allocated, 0)

    @property
    def missing(self) -> int:
        """Units not packed yet."""
        return self.quantity - self.packed


@dataclass(frozen=True)
class OrderView:
    order_id: int
    channel: str
    number: str
    status: str
    carrier: str
    service: str
    priority: int
    ship_by: dt.date | None
    ship_to: ShipTo
    lines: tuple[OrderLineView, ...]
    wave_id: int | None = None
    tote_slot: int | None = None

    @property
    def backorder(self) -> int:
        return sum(line.backorder for line in self.lines)

    @property
    def allocated(self) -> int:
        return sum(line.allocated for line in self.lines)

    @property
    def label(self) -> str:
        return f"{self.channel} {self.number}"


def ship_to_of(order: SalesOrder) -> ShipTo:
    return ShipTo(order.ship_to_name, order.ship_to_address1, order.ship_to_city,
                  order.ship_to_postcode, order.ship_to_country, order.ship_to_address2)


def order_view(session: Session, order: SalesOrder) -> OrderView:
    return order_views(session, [order])[0]


def order_views(session: Session, orders: Sequence[SalesOrder]) -> list[OrderView]:
    """Views of many orders (lines and products loaded with them, see ``with_lines``): the
    reservations of all of them in one aggregate statement, not one per order."""
    ids = [order.id for order in orders]
    reserved = dict(session.execute(
        select(Allocation.order_line_id, func.sum(Allocation.quantity))
        .join(SalesOrderLine, SalesOrderLine.id == Allocation.order_line_id)
        .where(SalesOrderLine.order_id.in_(ids))
        .group_by(Allocation.order_line_id)
    ).all()) if ids else {}
    return [_view(order, reserved) for order in orders]


def order_views_where(session: Session, *conditions) -> list[OrderView]:  # noqa: ANN002 - SQL conditions
    """Views of the orders matching ``conditions`` (on SalesOrder), by id: one joined
    statement of plain columns and one aggregate of reservations, however many orders."""
    head = (SalesOrder.id, SalesOrder.channel, SalesOrder.number, SalesOrder.status, SalesOrder.carrier,
            SalesOrder.service, SalesOrder.priority, SalesOrder.ship_by, SalesOrder.ship_to_name,
            SalesOrder.ship_to_address1, SalesOrder.ship_to_city, SalesOrder.ship_to_postcode,
            SalesOrder.ship_to_country, SalesOrder.ship_to_address2, SalesOrder.wave_id, SalesOrder.tote_slot)
    rows = session.execute(
        select(*head, SalesOrderLine.id, SalesOrderLine.line_no, Product.sku, Product.name,
               SalesOrderLine.quantity, SalesOrderLine.quantity_picked, SalesOrderLine.quantity_packed)
        .outerjoin(SalesOrderLine, SalesOrderLine.order_id == SalesOrder.id)
        .outerjoin(Product, Product.id == SalesOrderLine.product_id)
        .where(*conditions).order_by(SalesOrder.id, SalesOrderLine.line_no, SalesOrderLine.id)
    ).all()
    reserved = dict(session.execute(
        select(Allocation.order_line_id, func.sum(Allocation.quantity))
        .join(SalesOrderLine, SalesOrderLine.id == Allocation.order_line_id)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .where(*conditions).group_by(Allocation.order_line_id)
    ).all())
    heads: dict[int, tuple] = {}
    lines: dict[int, list[OrderLineView]] = {}
    for row in rows:
        order_id = row[0]
        heads.setdefault(order_id, row[:16])
        line_id, line_no, sku, name, quantity, picked, packed = row[16:]
        if line_id is not None:
            lines.setdefault(order_id, []).append(OrderLineView(
                line_id, line_no, sku, name, quantity, int(reserved.get(line_id) or 0), picked, packed))
    return [OrderView(*h[:8], ShipTo(*h[8:14]), tuple(lines.get(order_id, ())), h[14], h[15])
            for order_id, h in heads.items()]


def with_lines(query: Select, *, allocations: bool = False) -> Select:
    """An order query that brings each order's lines and products (or, for allocating and
    releasing, their allocations instead of the products) in the same statement."""
    lines = joinedload(SalesOrder.lines)
    return query.options(lines.joinedload(SalesOrderLine.allocations if allocations else SalesOrderLine.product))


def _view(order: SalesOrder, reserved: dict[int, int]) -> OrderView:
    lines = tuple(
        OrderLineView(line.id, line.line_no, line.product.sku, line.product.name, line.quantity,
                      int(reserved.get(line.id) or 0), line.quantity_picked, line.quantity_packed)
        for line in order.lines
    )
    return OrderView(order.id, order.channel, order.number, order.status, order.carrier,
                     order.service, order.priority, order.ship_by, ship_to_of(order), lines,
                     order.wave_id, order.tote_slot)


def load_order(session: Session, order_id: int, *, lock: bool = False) -> SalesOrder:
    """The order with its lines and products; ``lock`` keeps other writers out (PostgreSQL)
    until this transaction ends, so two workstations never act on one order at once."""
    query = (
        select(SalesOrder)
        .where(SalesOrder.id == order_id)
        .options(selectinload(SalesOrder.lines).joinedload(SalesOrderLine.product))
    )
    if lock:
        query = query.with_for_update(of=SalesOrder)
    order = session.scalar(query)
    if order is None:
        raise NotFound(what="Order", key=str(order_id))
    return order


def find_orders(session: Session, number: str, channel: str | None = None) -> list[SalesOrder]:
    query = select(SalesOrder).where(SalesOrder.number == number)
    if channel is not None:
        query = query.where(SalesOrder.channel == channel)
    return list(session.scalars(query.order_by(SalesOrder.id)))


def get_order(session: Session, order_id: int) -> OrderView:
    return order_view(session, load_order(session, order_id))


def list_orders(
    session: Session, *, status: str | None = None, channel: str | None = None, limit: int = 500
) -> list[OrderView]:
    query = select(SalesOrder.id)
    if status is not None:
        query = query.where(SalesOrder.status == status)
    if channel is not None:
        query = query.where(SalesOrder.channel == channel)
    first = query.order_by(SalesOrder.id).limit(limit).subquery()
    orders = session.scalars(with_lines(select(SalesOrder).where(SalesOrder.id.in_(select(first.c.id))))
                             .order_by(SalesOrder.id)).unique().all()
    return order_views(session, orders)


def add_order(session: Session, data: OrderInput, *, split_from: SalesOrder | None = None) -> SalesOrder:
    """Insert one order; SKUs must exist (the importers check every row first)."""
    if not data.lines:
        raise InvalidInput(field="lines", reason=f"order {data.number} has no lines")
    skus = [sku for sku, _ in data.lines]
    products = {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(skus)))}
    order = SalesOrder(
        channel=data.channel, number=data.number, status="open",
        ship_to_name=data.ship_to.name, ship_to_address1=data.ship_to.address1,
        ship_to_address2=data.ship_to.address2, ship_to_city=data.ship_to.city,
        ship_to_postcode=data.ship_to.postcode, ship_to_country=data.ship_to.country,
        carrier=data.carrier, service=data.service, priority=data.priority, ship_by=data.ship_by,
        split_from_id=split_from.id if split_from else None,
    )
    for line_no, (sku, quantity) in enumerate(data.lines, start=1):
        if sku not in products:
            raise NotFound(what="Product", key=sku)
        if quantity < 1:
            raise InvalidInput(field="quantity", reason=f"{sku}: must be at least 1, got {quantity}")
        order.lines.append(SalesOrderLine(line_no=line_no, product=products[sku], quantity=quantity,
                                          quantity_picked=0, quantity_packed=0))
    session.add(order)
    session.flush()
    return order


@use_case("create_order")
def create_order(uow: UnitOfWork, data: OrderInput, *, actor: Actor) -> OrderView:
    if find_orders(uow.session, data.number, data.channel):
        raise InvalidInput(field="order_number",
                           reason=f"{data.channel} order {data.number} already exists")
    order = add_order(uow.session, data)
    audit.record(uow.session, actor, "order_created", order=order.number, channel=order.channel)
    uow.commit()
    return order_view(uow.session, order)
