"""Helpers shared by the returns tests (no tests here): orders "shipped" by ledger moves into
the customer location, the way shipping's dispatch posts them, without picking and packing."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.core.actor import system_actor
from app.db.models import LicensePlate, Location, Lot, OnHand
from app.db.models_picking import Parcel, SalesOrder, SalesOrderLine
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.config import set_rule
from app.services.returns import receive as returns
from app.services.returns.inspection import Inspection, inspect_unit
from tests.factories import add_location

ORDER_DOCUMENT = "sales_order"


def key() -> str:
    return uuid.uuid4().hex


def location(session, code: str) -> Location:
    return session.scalar(select(Location).where(Location.code == code))


def ship_order(database, warehouse, number: str, lines: dict[str, int | list[str]], *,
               channel: str = "Shopify", sscc: str | None = None, tracking: str | None = None) -> int:
    """A shipped order: ``lines`` maps SKU -> units, or SKU -> serials/lots (one unit each).
    Units go supplier -> SHIP-1 -> customer, the last move as the order's document."""
    with UnitOfWork(database) as uow:
        session = uow.session
        order = SalesOrder(channel=channel, number=number, status="shipped", ship_to_name="Ada Lovelace",
                           ship_to_address1="1 Analytical St", ship_to_city="London",
                           ship_to_postcode="N1 9GU", ship_to_country="GB", carrier="DHL")
        for line_no, (sku, what) in enumerate(lines.items(), start=1):
            count = len(what) if isinstance(what, list) else what
            order.lines.append(SalesOrderLine(line_no=line_no, product=warehouse.products[sku], quantity=count,
                                              quantity_picked=count, quantity_packed=count))
        session.add(order)
        session.flush()
        lane, supplier, customer = (location(session, c) for c in ("SHIP-1", "SUPPLIER", "CUSTOMER"))
        for sku, what in lines.items():
            product = warehouse.products[sku]
            batches = [(code, 1) for code in what] if isinstance(what, list) else [(None, what)]
            for code, quantity in batches:
                lot_id = None
                if code is not None:
                    lot = session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == code))
                    if lot is None:
                        lot = Lot(product_id=product.id, code=code)
                        session.add(lot)
                        session.flush()
                    lot_id = lot.id
                common = dict(actor=warehouse.operator, product_id=product.id, quantity=quantity, lot_id=lot_id)
                ledger.post_move(session, source=supplier, destination=lane, reason="test",
                                 idempotency_key=key(), **common)
                ledger.post_move(session, source=lane, destination=customer, reason="ship",
                                 idempotency_key=key(), document_type=ORDER_DOCUMENT, document_id=order.id,
                                 **common)
        if sscc or tracking:
            plate = LicensePlate(code=sscc or key()[:18], is_sscc=bool(sscc))
            session.add(plate)
            session.flush()
            session.add(Parcel(order_id=order.id, number=1, license_plate_id=plate.id, status="shipped",
                               tracking_ref=tracking))
        uow.commit()
        return order.id


def add_places(database, *places: tuple[str, str]) -> None:
    with UnitOfWork(database) as uow:
        for code, kind in places:
            add_location(uow.session, code, kind)
        uow.commit()


def warehouse_rule(database, name: str, value) -> None:
    with UnitOfWork(database) as uow:
        set_rule(uow.session, name, value, actor=system_actor())
        uow.commit()


def run(database, use_case, *args, **kwargs):
    with UnitOfWork(database) as uow:
        return use_case(uow, *args, **kwargs)


def read(database, query, *args, **kwargs):
    with UnitOfWork(database, write=False) as uow:
        return query(uow.session, *args, **kwargs)


def open_rma(database, actor, scan: str):
    return run(database, returns.open_return, scan, actor=actor)


def receive(database, actor, rma_id: int, scan: str, **kwargs):
    return run(database, returns.receive_item, rma_id, scan, actor=actor,
               idempotency_key=kwargs.pop("idempotency_key", key()), **kwargs)


def inspect(database, actor, unit_id: int, grade: str, **kwargs):
    inspection = Inspection(grade, kwargs.pop("checklist", ()), kwargs.pop("findings", ()),
                            kwargs.pop("notes", ""))
    return run(database, inspect_unit, unit_id, inspection, actor=actor,
               idempotency_key=kwargs.pop("idempotency_key", key()), **kwargs)


def stock(database, sku_id: int, code: str) -> tuple[int, int]:
    """(quantity, reserved) of a product at a location, every lot together."""
    with UnitOfWork(database, write=False) as uow:
        rows = uow.session.execute(
            select(OnHand.quantity, OnHand.reserved).join(Location, Location.id == OnHand.location_id)
            .where(OnHand.product_id == sku_id, Location.code == code)).all()
    return sum(r[0] for r in rows), sum(r[1] for r in rows)
