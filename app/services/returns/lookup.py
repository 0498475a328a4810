"""What a scan at the start of a return names: an RMA (its number or a routing label's unit
code), or the shipped order a parcel came back from, found by the order number, the parcel's
SSCC or tracking number, or a product it shipped (by its serial or lot when scanned)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import UnknownBarcode
from app.core.returns_rules import NoShippedOrder, SeveralOrdersMatch, returnable
from app.core.scan import ScannedCode
from app.db.models import LicensePlate, Move, Product, utcnow
from app.db.models_picking import Parcel, SalesOrder
from app.db.models_returns import ReturnUnit, Rma
from app.services.config import special_location
from app.services.returns.data import ORDER_DOCUMENT, load_rma, lot_for, returned_quantity, shipped_units
from app.services.scanning import resolve

UNIT_CODE = re.compile(r"^RU(\d{7,})$")
OPEN_STATES = ("announced", "receiving")


def find_rma(session: Session, code: str, channel: str | None) -> tuple[Rma | None, str]:
    """The RMA a code names and how it was recognised (rma | unit), or (None, "")."""
    unit_code = UNIT_CODE.match(code)
    if unit_code:
        unit = session.get(ReturnUnit, int(unit_code.group(1)))
        if unit is not None:
            return load_rma(session, unit.rma_id), "unit"
    query = select(Rma.id).where(Rma.number == code)
    if channel is not None:
        query = query.where(Rma.channel == channel)
    found = session.scalars(query).all()
    if len(found) > 1:
        numbers = session.scalars(select(Rma.channel).where(Rma.id.in_(found))).all()
        raise SeveralOrdersMatch(code=code, orders=", ".join(f"{c} {code}" for c in numbers))
    return (load_rma(session, found[0]), "rma") if found else (None, "")


def find_order(session: Session, code: ScannedCode, channel: str | None) -> tuple[SalesOrder, str]:
    """The shipped order a scan points to and how (order | parcel | product)."""
    query = select(SalesOrder).where(SalesOrder.number == code.code)
    if channel is not None:
        query = query.where(SalesOrder.channel == channel)
    orders = list(session.scalars(query))
    if orders:
        return _one_shipped(orders, code.code), "order"
    parcel = _parcel_for(session, code)
    if parcel is not None:
        return _one_shipped([parcel.order], code.code), "parcel"
    try:
        resolved = resolve(session, code)
    except UnknownBarcode:
        raise NoShippedOrder(code=code.code) from None
    if resolved.kind != "product":
        raise NoShippedOrder(code=resolved.label)
    return _order_for_product(session, resolved.product, code), "product"


def _one_shipped(orders: list[SalesOrder], code: str) -> SalesOrder:
    if len(orders) > 1:
        raise SeveralOrdersMatch(code=code, orders=", ".join(f"{o.channel} {o.number}" for o in orders))
    return orders[0]


def _parcel_for(session: Session, code: ScannedCode) -> Parcel | None:
    plate = session.scalar(select(LicensePlate.id).where(LicensePlate.code.in_(
        [c for c in (code.sscc, code.code) if c])))
    if plate is not None:
        parcel = session.scalar(select(Parcel).where(Parcel.license_plate_id == plate))
        if parcel is not None:
            return parcel
    return session.scalar(select(Parcel).where(Parcel.tracking_ref == code.code).limit(1))


def _order_for_product(session: Session, product: Product, code: ScannedCode) -> SalesOrder:
    """The shipped order a product came from: the last one that shipped its serial or lot,
    else the only order that still has units of it out there."""
    serial = code.serial or code.lot
    lot = lot_for(session, product, serial)
    query = (select(Move.document_id).where(
        Move.document_type == ORDER_DOCUMENT, Move.product_id == product.id,
        Move.to_location_id == special_location(session, "customer").id)
        .order_by(Move.id.desc()))
    if serial is not None:
        if lot is None:
            raise NoShippedOrder(code=f"{product.sku} {serial}")
        query = query.where(Move.lot_id == lot.id)
    candidates = list(dict.fromkeys(session.scalars(query)))
    if serial is None:
        candidates = [order_id for order_id in candidates
                      if returnable(shipped_units(session, order_id)[product.id].quantity,
                                    returned_quantity(session, order_id, product.id)) > 0]
        if len(candidates) > 1:
            orders = [session.get(SalesOrder, order_id) for order_id in candidates[:5]]
            raise SeveralOrdersMatch(code=product.sku, orders=", ".join(f"{o.channel} {o.number}" for o in orders))
    if not candidates:
        raise NoShippedOrder(code=product.sku)
    return session.get(SalesOrder, candidates[0])


def rma_for_order(session: Session, order: SalesOrder) -> Rma:
    """The open RMA of a shipped order, else a new unannounced one (not yet added)."""
    if not shipped_units(session, order.id):
        raise NoShippedOrder(code=f"{order.channel} {order.number}")
    existing = session.scalar(select(Rma.id).where(Rma.order_id == order.id, Rma.status.in_(OPEN_STATES))
                              .order_by(Rma.id).limit(1))
    if existing is not None:
        return load_rma(session, existing)
    count = len(session.scalars(select(Rma.id).where(Rma.order_id == order.id)).all())
    return Rma(channel=order.channel, number=f"{order.number}-R{count + 1}", order=order,
               status="receiving", announced=False, created_at=utcnow())
