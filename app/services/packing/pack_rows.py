"""What a pack scan reads and changes of parcels, as plain rows by prebuilt statements
(``app.db.prepared``): every pack scan shows the order's parcels and the carton suggestion
again, and loading them as ORM objects (parcels, plates, cartons, items, products, lots)
cost more than the scan's writes.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from app.core.picking_rules import CartonSize, ItemSize
from app.db.models import LicensePlate, Lot, Product
from app.db.models_picking import Carton, Parcel, ParcelItem, SalesOrderLine
from app.db.prepared import Prepared, connection

_PARCELS = Parcel.__table__
_ITEMS = ParcelItem.__table__
_PLATES = LicensePlate.__table__
_CARTONS = Carton.__table__
_PRODUCTS = Product.__table__
_LOTS = Lot.__table__
_LINES = SalesOrderLine.__table__

# The order's parcels with their plate, carton and items (product, lot), in parcel order.
_PARCEL_ROWS = Prepared(
    select(_PARCELS.c.id, _PARCELS.c.number, _PLATES.c.code, _PARCELS.c.status, _CARTONS.c.code,
           _PARCELS.c.weight_kg, _ITEMS.c.product_id, _PRODUCTS.c.sku, _LOTS.c.code, _ITEMS.c.quantity)
    .select_from(_PARCELS.outerjoin(_PLATES, _PLATES.c.id == _PARCELS.c.license_plate_id)
                 .outerjoin(_CARTONS, _CARTONS.c.id == _PARCELS.c.carton_id)
                 .outerjoin(_ITEMS, _ITEMS.c.parcel_id == _PARCELS.c.id)
                 .outerjoin(_PRODUCTS, _PRODUCTS.c.id == _ITEMS.c.product_id)
                 .outerjoin(_LOTS, _LOTS.c.id == _ITEMS.c.lot_id))
    .where(_PARCELS.c.order_id == bindparam("order")).order_by(_PARCELS.c.number, _ITEMS.c.id))
_ACTIVE_CARTONS = Prepared(
    select(_CARTONS.c.code, _CARTONS.c.length_cm, _CARTONS.c.width_cm, _CARTONS.c.height_cm,
           _CARTONS.c.max_weight_kg).where(_CARTONS.c.active.is_(True)).order_by(_CARTONS.c.id))
_SIZES = Prepared(
    select(_PRODUCTS.c.id, _PRODUCTS.c.length_cm, _PRODUCTS.c.width_cm, _PRODUCTS.c.height_cm,
           _PRODUCTS.c.weight_kg).where(_PRODUCTS.c.id.in_(bindparam("ids", expanding=True))))
_OPEN_PARCEL = Prepared(
    select(_PARCELS.c.id, _PARCELS.c.number, _PARCELS.c.license_plate_id)
    .where(_PARCELS.c.order_id == bindparam("order"), _PARCELS.c.status == "open"))
_ADD_TO_ITEM = {
    has_lot: Prepared(update(_ITEMS).where(
        _ITEMS.c.parcel_id == bindparam("parcel"), _ITEMS.c.order_line_id == bindparam("line"),
        _ITEMS.c.lot_id == bindparam("lot") if has_lot else _ITEMS.c.lot_id.is_(None))
        .values(quantity=_ITEMS.c.quantity + bindparam("units")))
    for has_lot in (False, True)}
_NEW_ITEM = Prepared(_ITEMS.insert())
_ADD_PACKED = Prepared(update(_LINES).where(_LINES.c.id == bindparam("line")).values(
    quantity_packed=_LINES.c.quantity_packed + bindparam("units")))
_LAST_NUMBER = Prepared(select(func.coalesce(func.max(_PARCELS.c.number), 0))
                        .where(_PARCELS.c.order_id == bindparam("order")))


def parcel_rows(session: Session, order_id: int) -> list[tuple]:
    """(id, number, plate, status, carton, weight, item product id, sku, lot, quantity) per
    item of each of the order's parcels (an empty parcel: one row, item columns None)."""
    return _PARCEL_ROWS.execute(connection(session), {"order": order_id})


def cartons(session: Session) -> list[CartonSize]:
    return [CartonSize(*row) for row in _ACTIVE_CARTONS.execute(connection(session))]


def item_sizes(session: Session, units: dict[int, int]) -> list[ItemSize]:
    """The sizes of ``units`` (product id -> count) of the products that have any."""
    ids = [product_id for product_id, n in units.items() if n > 0]
    if not ids:
        return []
    rows = _SIZES.execute(connection(session), {"ids": ids})
    return [ItemSize(units[product_id], *sizes) for product_id, *sizes in rows]


def open_parcel(session: Session, order_id: int) -> tuple[int, int, int | None] | None:
    """The order's open parcel: (id, number, plate id), or None."""
    return _OPEN_PARCEL.first(connection(session), {"order": order_id})


def last_number(session: Session, order_id: int) -> int:
    return _LAST_NUMBER.scalar(connection(session), {"order": order_id})


def add_item(session: Session, parcel_id: int, line_id: int, product_id: int, lot_id: int | None,
             units: int) -> None:
    """``units`` more of the order line (and lot) in the parcel: its item grows, or is made."""
    conn = connection(session)
    grown = _ADD_TO_ITEM[lot_id is not None].rowcount(
        conn, {"parcel": parcel_id, "line": line_id, "lot": lot_id, "units": units})
    if not grown:
        _NEW_ITEM.execute(conn, {"parcel_id": parcel_id, "order_line_id": line_id, "product_id": product_id,
                                 "lot_id": lot_id, "quantity": units})


def add_packed(session: Session, line_id: int, units: int) -> None:
    _ADD_PACKED.execute(connection(session), {"line": line_id, "units": units})
