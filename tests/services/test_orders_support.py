"""Helpers shared by the order, allocation, wave, picking and packing tests (no tests here):
stock in bins through the ledger, orders, pick faces and cartons on the small warehouse."""

from __future__ import annotations

import datetime as dt
import uuid

import time_machine
from sqlalchemy import select

from app.core import clock
from app.db.models import Location, Lot, OnHand
from app.db.models_picking import Carton
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.orders import documents as orders
from app.services.orders.documents import OrderInput, ShipTo
from tests.factories import add_location

SHIP_TO = ShipTo("Ada Lovelace", "1 Analytical St", "London", "N1 9GU", "GB")


def key() -> str:
    return uuid.uuid4().hex


def put_stock(database, warehouse, sku: str, location: str, quantity: int, *, lot: str | None = None,
              expiry: dt.date | None = None, days_ago: int | None = None) -> None:
    """Receive ``quantity`` straight into a bin (a ledger move from the supplier), dated
    ``days_ago`` days back so FIFO has something to compare."""
    with UnitOfWork(database) as uow:
        session = uow.session
        product = warehouse.products[sku]
        lot_row = None
        if lot is not None:
            lot_row = session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == lot))
            if lot_row is None:
                lot_row = Lot(product_id=product.id, code=lot, expiry=expiry)
                session.add(lot_row)
                session.flush()
        target = session.scalar(select(Location).where(Location.code == location))
        supplier = session.scalar(select(Location).where(Location.code == "SUPPLIER"))
        # the ledger is append-only: an old move is written in the past, not back-dated
        with time_machine.travel(clock.now() - dt.timedelta(days=days_ago or 0), tick=False):
            ledger.post_move(session, actor=warehouse.operator, product_id=product.id,
                             quantity=quantity, source=supplier, destination=target,
                             reason="test", idempotency_key=key(),
                             lot_id=lot_row.id if lot_row else None)
            session.flush()
        uow.commit()


def add_bin(database, code: str, kind: str = "pick_face", **extra) -> None:
    with UnitOfWork(database) as uow:
        add_location(uow.session, code, kind, **extra)
        uow.commit()


def add_cartons(database, *sizes: tuple[str, float, float, float, float | None]) -> None:
    with UnitOfWork(database) as uow:
        for code, length, width, height, max_kg in sizes:
            uow.session.add(Carton(code=code, length_cm=length, width_cm=width, height_cm=height,
                                   max_weight_kg=max_kg, active=True))
        uow.commit()


def new_order(database, actor, number: str, lines: dict[str, int] | list[tuple[str, int]], **extra) -> int:
    """``lines``: SKU -> units, or (SKU, units) pairs (a SKU may then come on several lines)."""
    pairs = tuple(lines.items()) if isinstance(lines, dict) else tuple(lines)
    data = OrderInput(extra.pop("channel", "Shopify"), number, extra.pop("ship_to", SHIP_TO),
                      extra.pop("carrier", "DHL"), pairs, **extra)
    with UnitOfWork(database) as uow:
        return orders.create_order(uow, data, actor=actor).order_id


def on_hand(database, warehouse, sku: str, location: str) -> tuple[int, int]:
    """(quantity, reserved) of a product in a location, all lots and plates together."""
    with UnitOfWork(database, write=False) as uow:
        rows = uow.session.execute(
            select(OnHand.quantity, OnHand.reserved).join(Location, Location.id == OnHand.location_id)
            .where(OnHand.product_id == warehouse.products[sku].id, Location.code == location)
        ).all()
    return sum(r[0] for r in rows), sum(r[1] for r in rows)


def ledger_problems(database) -> list:
    with UnitOfWork(database, write=False) as uow:
        return ledger.check_ledger(uow.session)
