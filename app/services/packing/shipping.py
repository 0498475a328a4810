"""Shipping: parcel labels and packing slips, the dispatch list per carrier, handing
parcels over (stock leaves to the customer location), and the confirmations export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.core import csv_safe
from app.core.actor import Actor
from app.core.errors import NotFound
from app.core.permissions import use_case
from app.core.picking_rules import NothingToDispatch, next_state
from app.db.models import utcnow
from app.db.models_picking import Parcel, ParcelItem, SalesOrder, Shipment
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.config import get_rule, special_location
from app.services.orders.documents import load_order, ship_to_of
from app.services.waves.picking import DOCUMENT

DEFAULT_SHIP_FROM = "Stockfloor warehouse"


@dataclass(frozen=True)
class DispatchRow:
    parcel_id: int
    sscc: str
    order: str
    channel: str
    carrier: str
    service: str
    parcel: str  # "2/3"
    weight_kg: float | None
    carton: str | None
    ship_to: str
    tracking_ref: str | None


@dataclass(frozen=True)
class ShipmentView:
    shipment_id: int
    number: str
    carrier: str
    parcels: tuple[str, ...]  # SSCCs
    orders_shipped: tuple[str, ...]


def _parcel(session: Session, parcel_id: int) -> Parcel:
    parcel = session.scalar(select(Parcel).where(Parcel.id == parcel_id).options(
        joinedload(Parcel.plate), joinedload(Parcel.order), selectinload(Parcel.items)))
    if parcel is None:
        raise NotFound(what="Parcel", key=str(parcel_id))
    return parcel


def ship_from(session: Session) -> tuple[str, ...]:
    """Sender lines from the warehouse setting "ship_from_address" (one line per line)."""
    lines = get_rule(session, "ship_from_address").splitlines()
    return tuple(line for line in lines if line.strip()) or (DEFAULT_SHIP_FROM,)


def parcel_label(session: Session, parcel_id: int):
    """The GS1 logistic label data of a parcel (SSCC, sender, recipient, order reference)."""
    from app.printing.data import LicensePlateLabel

    parcel = _parcel(session, parcel_id)
    order = parcel.order
    service = f" {order.service}" if order.service else ""
    # The label is printed when the parcel closes: how many more follow is not known yet.
    return LicensePlateLabel(
        sscc=parcel.plate.code, ship_from=ship_from(session), ship_to=ship_to_of(order).lines(),
        contents=f"Parcel {parcel.number}, {order.carrier}{service}",
        count=sum(item.quantity for item in parcel.items), reference=f"{order.channel} {order.number}",
    )


def _parcel_counts(session: Session, order_ids: set[int]) -> dict[int, int]:
    """How many parcels each order has, in one statement (not one per order or parcel)."""
    if not order_ids:
        return {}
    rows = session.execute(select(Parcel.order_id, func.count(Parcel.id))
                           .where(Parcel.order_id.in_(order_ids)).group_by(Parcel.order_id))
    return {order_id: count for order_id, count in rows}


def shipping_label(session: Session, parcel_id: int, *, fmt: str = "pdf", size=None, dpi: int = 203) -> bytes:
    """The parcel's label as a 4x6 in PDF page or ZPL (via app.printing)."""
    from app.printing.data import LABEL_4X6

    label = parcel_label(session, parcel_id)
    if fmt == "zpl":
        from app.printing.zpl import render_labels_zpl

        return render_labels_zpl([label], size or LABEL_4X6, dpi=dpi)
    from app.printing.labels import render_labels_pdf

    return render_labels_pdf([label], size or LABEL_4X6, title=f"Parcel {label.sscc}")


def packing_slip_pdf(session: Session, order_id: int, *, page_size: str = "A4", language: str = "en") -> bytes:
    """A4/Letter packing slip: recipient, parcels with SSCCs, and what is in each."""
    from app.printing.documents import Column, render_table_document
    from app.printing.words import words

    _ = words(language)
    order = load_order(session, order_id)
    parcels = list(session.scalars(
        select(Parcel).where(Parcel.order_id == order.id).order_by(Parcel.number)
        .options(joinedload(Parcel.plate),
                 selectinload(Parcel.items).joinedload(ParcelItem.product),
                 selectinload(Parcel.items).joinedload(ParcelItem.lot))))
    rows = [{"parcel": parcel.number, "sscc": parcel.plate.code, "sku": item.product.sku,
             "name": item.product.name, "lot": item.lot.code if item.lot else "",
             "quantity": item.quantity}
            for parcel in parcels for item in parcel.items]
    columns = [Column(_("Parcel"), "parcel", 0.8, "RIGHT"), Column("SSCC", "sscc", 1.6),
               Column(_("SKU"), "sku", 1.0), Column(_("Product"), "name", 2.2), Column(_("Lot"), "lot", 0.8),
               Column(_("Qty"), "quantity", 0.5, "RIGHT")]
    service = f" {order.service}" if order.service else ""
    meta = [_("Ship to: {address}").format(address=", ".join(ship_to_of(order).lines())),
            _("From: {address}").format(address=", ".join(ship_from(session))),
            _("Carrier: {carrier}. Parcels: {parcels}. Units: {units}.").format(
                carrier=f"{order.carrier}{service}", parcels=len(parcels), units=sum(r["quantity"] for r in rows))]
    title = _("Packing slip {channel} {number}").format(channel=order.channel, number=order.number)
    return render_table_document(title, meta, columns, rows, page_size=page_size, footer=title,
                                 language=language)


def dispatch_list(session: Session, carrier: str | None = None) -> list[DispatchRow]:
    """Closed parcels of packed orders waiting for their carrier."""
    query = (
        select(Parcel).join(SalesOrder, SalesOrder.id == Parcel.order_id)
        .where(Parcel.status == "closed", SalesOrder.status == "packed")
        .options(joinedload(Parcel.plate), joinedload(Parcel.order), joinedload(Parcel.carton))
        .order_by(SalesOrder.carrier, SalesOrder.id, Parcel.number)
    )
    if carrier is not None:
        query = query.where(SalesOrder.carrier == carrier)
    parcels = list(session.scalars(query))
    counts = _parcel_counts(session, {parcel.order_id for parcel in parcels})
    return [
        DispatchRow(p.id, p.plate.code, p.order.number, p.order.channel, p.order.carrier,
                    p.order.service, f"{p.number}/{counts[p.order_id]}", p.weight_kg,
                    p.carton.code if p.carton else None, p.order.ship_to_name, p.tracking_ref)
        for p in parcels
    ]


@use_case("set_tracking_ref")
def set_tracking_ref(uow: UnitOfWork, parcel_id: int, tracking_ref: str, *, actor: Actor) -> None:
    """The carrier's tracking number for a parcel (exports fall back to the SSCC)."""
    parcel = _parcel(uow.session, parcel_id)
    parcel.tracking_ref = tracking_ref.strip() or None
    audit.record(uow.session, actor, "tracking_set", sscc=parcel.plate.code, tracking=parcel.tracking_ref)
    uow.commit()


@use_case("dispatch")
def dispatch(
    uow: UnitOfWork, carrier: str, *, actor: Actor, parcel_ids: Iterable[int] | None = None
) -> ShipmentView:
    """Hand parcels to ``carrier`` (all on its dispatch list, or the given ones): their
    stock moves to the customer location, parcels are shipped, and so is every order
    whose parcels have all gone."""
    session = uow.session
    rows = dispatch_list(session, carrier)
    wanted = None if parcel_ids is None else set(parcel_ids)
    chosen = [row.parcel_id for row in rows if wanted is None or row.parcel_id in wanted]
    if not chosen:
        raise NothingToDispatch(carrier=carrier)
    shipment = Shipment(carrier=carrier, dispatched_by=actor.user_id, dispatched_at=utcnow())
    session.add(shipment)
    session.flush()
    lane, customer = special_location(session, "shipping"), special_location(session, "customer")
    orders: dict[int, SalesOrder] = {}
    sent: list[str] = []
    for parcel_id in chosen:
        parcel = session.scalar(select(Parcel).where(Parcel.id == parcel_id).with_for_update()
                                .execution_options(populate_existing=True))
        if parcel.status != "closed":  # another dispatcher took it meanwhile
            continue
        for item in parcel.items:
            ledger.post_move(
                session, actor=actor, product_id=item.product_id, quantity=item.quantity,
                source=lane, destination=customer, reason="ship",
                idempotency_key=f"parcel:{parcel.id}:ship:{item.id}", lot_id=item.lot_id,
                from_license_plate_id=parcel.license_plate_id, document_type=DOCUMENT,
                document_id=parcel.order_id,
            )
        parcel.status, parcel.shipment_id = "shipped", shipment.id
        orders[parcel.order_id] = parcel.order
        sent.append(parcel.plate.code)
    session.flush()
    shipped = []
    for order in orders.values():
        waiting = session.scalar(select(Parcel.id).where(Parcel.order_id == order.id,
                                                         Parcel.status != "shipped").limit(1))
        if waiting is None:
            locked = load_order(session, order.id, lock=True)
            locked.status = next_state("order", locked.number, locked.status, "ship")
            locked.shipped_at = utcnow()
            shipped.append(f"{locked.channel} {locked.number}")
    audit.record(session, actor, "shipment_dispatched", shipment=shipment.number, carrier=carrier,
                 parcels=sent, orders=shipped)
    session.flush()
    uow.commit()
    return ShipmentView(shipment.id, shipment.number, carrier, tuple(sent), tuple(shipped))


EXPORT_HEADER = ("order", "channel", "carrier", "service", "parcel", "parcels", "sscc",
                 "tracking_ref", "weight_kg", "shipment", "shipped_at")


def export_shipments_csv(
    session: Session, file: TextIO, *, since: dt.datetime | None = None, carrier: str | None = None
) -> int:
    """Shipment confirmations for the sales channels: one row per shipped parcel (the
    tracking reference falls back to the SSCC). Returns the number of rows."""
    query = (
        select(Parcel, Shipment).join(Shipment, Shipment.id == Parcel.shipment_id)
        .options(joinedload(Parcel.plate), joinedload(Parcel.order))
        .order_by(Shipment.id, Parcel.order_id, Parcel.number)
    )
    if since is not None:
        query = query.where(Shipment.dispatched_at >= since)
    if carrier is not None:
        query = query.where(Shipment.carrier == carrier)
    rows = session.execute(query).all()
    counts = _parcel_counts(session, {parcel.order_id for parcel, _shipment in rows})
    writer = csv_safe.writer(file)
    writer.writerow(EXPORT_HEADER)
    for parcel, shipment in rows:
        order = parcel.order
        total = counts[order.id]
        writer.writerow([order.number, order.channel, order.carrier, order.service, parcel.number,
                         total, parcel.plate.code, parcel.tracking_ref or parcel.plate.code,
                         "" if parcel.weight_kg is None else f"{parcel.weight_kg:g}",
                         shipment.number, shipment.dispatched_at.isoformat(timespec="seconds")])
    return len(rows)
