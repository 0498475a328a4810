"""Packing: the packer scans a tote (or the order number), then every unit into a parcel.

Each scan is checked against the order: an item not on it, or one more than was picked,
is refused. Units move in the ledger from the tote on the cart to the packing bench, onto
the parcel's SSCC plate; closing a parcel (weight, carton) moves it to the shipping lane.
An order with units never picked cannot be finished until a supervisor splits them off
into a backorder (a new order that is allocated and picked later).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.core.actor import Actor, Approval
from app.core.checkdigits import make_sscc
from app.core.errors import InvalidInput, InvalidTransition, LotRequired, NotAllowed, NotFound
from app.core.permissions import use_case
from app.core.picking_rules import (
    CartonSize,
    ExtraItem,
    MissingItems,
    NotOnOrder,
    ParcelStillOpen,
    WrongLot,
    choose_carton,
    next_state,
)
from app.core.scan import interpret, scanned_units
from app.db.models import LicensePlate, Lot, Move, OnHand, Product, utcnow
from app.db.models_picking import Carton, Parcel, SalesOrder
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.config import get_rule, special_location
from app.services.orders.documents import (
    OrderInput,
    OrderView,
    add_order,
    find_orders,
    load_order,
    order_view,
    ship_to_of,
)
from app.services.packing import pack_rows
from app.services.scanning import resolve, resolve_product
from app.services.users import verified_approval
from app.services.waves.pick_rows import set_order_status
from app.services.waves.pick_undo import undone_move_ids
from app.services.waves.picking import DOCUMENT, cart_and, cart_location

# GS1 company prefix for parcel SSCCs (warehouse setting "gs1_company_prefix"); the
# default is GS1's documentation example and must be replaced before real shipping.
DEFAULT_COMPANY_PREFIX = "0614141"
# Extension digit of parcel SSCCs: keeps their serials apart from pallet SSCCs (digit 0).
PARCEL_SSCC_EXTENSION = 1


@dataclass(frozen=True)
class ParcelView:
    parcel_id: int
    number: int
    sscc: str
    status: str
    carton: str | None
    weight_kg: float | None
    items: tuple[tuple[str, str, int], ...]  # (sku, lot, quantity)

    @property
    def units(self) -> int:
        return sum(quantity for _, _, quantity in self.items)


@dataclass(frozen=True)
class PackingView:
    order: OrderView
    parcels: tuple[ParcelView, ...]
    suggested_carton: str | None  # for the open parcel and whatever is left to pack

    @property
    def open_parcel(self) -> ParcelView | None:
        return next((p for p in self.parcels if p.status == "open"), None)

    @property
    def to_pack(self) -> int:
        """Picked units still in the tote."""
        return sum(line.picked - line.packed for line in self.order.lines)

    @property
    def never_picked(self) -> int:
        return sum(line.quantity - line.picked for line in self.order.lines)


@dataclass(frozen=True)
class PackResult:
    view: PackingView
    sku: str
    units: int
    parcel: int  # parcel number within the order
    replayed: bool = False


@dataclass(frozen=True)
class SplitResult:
    order: OrderView
    backorder: OrderView


def packing_view(session: Session, order: SalesOrder) -> PackingView:
    """The order's parcels (one statement of plain rows) and the carton for the open parcel's
    contents plus everything still in the tote."""
    # units for the carton: what is still in the tote, plus what the open parcel holds
    units = {line.product_id: line.quantity_picked - line.quantity_packed for line in order.lines}
    heads: dict[int, tuple] = {}
    items: dict[int, list[tuple[str, str, int]]] = {}
    for parcel_id, number, plate, status, carton, weight, product_id, sku, lot, quantity in (
            pack_rows.parcel_rows(session, order.id)):
        heads.setdefault(parcel_id, (parcel_id, number, plate, status, carton, weight))
        bucket = items.setdefault(parcel_id, [])
        if sku is not None:
            bucket.append((sku, lot or "", quantity))
            if status == "open":
                units[product_id] = units.get(product_id, 0) + quantity
    views = tuple(ParcelView(*head, tuple(items[parcel_id])) for parcel_id, head in heads.items())
    return PackingView(order_view(session, order), views, suggest_carton(session, units))


def _parcel_view(parcel: Parcel) -> ParcelView:
    items = tuple((i.product.sku, i.lot.code if i.lot else "", i.quantity) for i in parcel.items)
    return ParcelView(parcel.id, parcel.number, parcel.plate.code, parcel.status,
                      parcel.carton.code if parcel.carton else None, parcel.weight_kg, items)


def _count_items(units: dict[int, int], parcel: Parcel) -> dict[int, int]:
    for item in parcel.items:
        units[item.product_id] = units.get(item.product_id, 0) + item.quantity
    return units


def packing_view_of(session: Session, order_id: int) -> PackingView:
    """The packing view of an order by its id (a read for the screens)."""
    return packing_view(session, load_order(session, order_id))


def suggest_carton(session: Session, units: dict[int, int]) -> str | None:
    """The smallest active carton for ``units`` (product id -> count); None if none fits."""
    carton = choose_carton(active_cartons(session), pack_rows.item_sizes(session, units))
    return carton.code if carton else None


def active_cartons(session: Session) -> list[CartonSize]:
    return pack_rows.cartons(session)


def order_for_scan(session: Session, scan: str) -> SalesOrder:
    """The order whose number, or whose tote, was scanned."""
    code = interpret(scan).code
    orders = find_orders(session, code)
    if len(orders) > 1:
        raise InvalidInput(field="order", reason=f"{code} is an order number in several channels: scan its tote")
    if orders:
        return orders[0]
    plate = resolve(session, scan).expect("license_plate").license_plate
    order = session.scalar(select(SalesOrder).where(SalesOrder.tote_plate_id == plate.id))
    if order is None:
        raise NotFound(what="Order in tote", key=plate.code)
    return order


@use_case("start_packing")
def start_packing(uow: UnitOfWork, scan: str, *, actor: Actor) -> PackingView:
    order = order_for_scan(uow.session, scan)
    next_state("order", f"{order.channel} {order.number}", order.status, "pack")
    audit.record(uow.session, actor, "packing_started", order=order.number, channel=order.channel)
    uow.commit()
    return packing_view(uow.session, order)


@use_case("pack_scan")
def pack_scan(
    uow: UnitOfWork,
    order_id: int,
    scan: str,
    *,
    actor: Actor,
    idempotency_key: str,
    quantity: int | None = None,
    lot: str | None = None,
) -> PackResult:
    """Verify one scan against the order and move its units from the tote into the open
    parcel (a new parcel is opened when none is)."""
    session = uow.session
    claimed = ledger.claim(session, idempotency_key)
    previous = None if claimed else ledger.find_move(session, idempotency_key)
    order = load_order(session, order_id, lock=previous is None)
    if previous is not None:
        return _replayed(session, order, previous)
    label = f"{order.channel} {order.number}"
    status = next_state("order", label, order.status, "pack")
    resolved = resolve_product(session, scan)  # a barcode: one prebuilt statement
    product, code = resolved.product, resolved.scan
    units = scanned_units(code.count, resolved.units, quantity)
    # An order may hold the product on several lines: the first with room for the units.
    lines = [ln for ln in order.lines if ln.product_id == product.id]
    if not lines:
        raise NotOnOrder(sku=product.sku, order=label)
    line = next((ln for ln in lines if ln.quantity_packed + units <= ln.quantity_picked), lines[0])
    if line.quantity_packed + units > line.quantity_picked:
        raise ExtraItem(picked=line.quantity_picked, sku=product.sku, order=label)
    lot_id = _lot_in_tote(session, order, product, code.lot or code.serial or lot)
    parcel_id, parcel_number, parcel_plate = _open_parcel(session, order)
    scan_id = audit.journal_scan(session, actor, context="packing", raw=scan,
                                 interpretation=code.summary(), outcome="ok",
                                 message=f"{units} x {product.sku} -> parcel {parcel_number}")
    cart, bench = cart_and(session, "packing")
    ledger.post_move(
        session, actor=actor, product_id=product.id, quantity=units, source=cart,
        destination=bench, reason="pack",
        idempotency_key=idempotency_key, lot_id=lot_id, from_license_plate_id=order.tote_plate_id,
        to_license_plate_id=parcel_plate, document_type=DOCUMENT,
        document_id=order.id, scan_id=scan_id, claimed=claimed,
    )
    pack_rows.add_item(session, parcel_id, line.id, line.product_id, lot_id, units)
    # The line's and the order's new figures by one UPDATE each; the loaded objects show them
    # as stored (no flush of the object graph).
    pack_rows.add_packed(session, line.id, units)
    set_committed_value(line, "quantity_packed", line.quantity_packed + units)
    if status != order.status:
        set_order_status(session, order.id, status)
        set_committed_value(order, "status", status)
    view = packing_view(session, order)  # read in this transaction: no second one after the commit
    uow.commit()
    return PackResult(view, product.sku, units, parcel_number)


def _lot_in_tote(session: Session, order: SalesOrder, product: Product, scanned: str | None) -> int | None:
    if product.tracking == "none":
        return None
    in_tote = dict(session.execute(
        select(Lot.code, Lot.id).join(OnHand, OnHand.lot_id == Lot.id)
        .where(OnHand.license_plate_id == order.tote_plate_id, OnHand.product_id == product.id,
               OnHand.quantity > 0)
    ).all())
    if scanned is None and len(in_tote) == 1:
        return next(iter(in_tote.values()))
    if scanned is None:
        raise LotRequired(sku=product.sku)
    if scanned not in in_tote:
        raise WrongLot(scanned=scanned, sku=product.sku, expected=" or ".join(sorted(in_tote)) or "-")
    return in_tote[scanned]


def _open_parcel(session: Session, order: SalesOrder) -> tuple[int, int, int]:
    """The order's open parcel (id, number, plate id), opened when there is none."""
    found = pack_rows.open_parcel(session, order.id)
    if found is not None:
        return found
    parcel = Parcel(order_id=order.id, number=pack_rows.last_number(session, order.id) + 1, status="open")
    session.add(parcel)
    session.flush()  # the parcel id is the SSCC's serial reference
    plate = LicensePlate(code=make_sscc(PARCEL_SSCC_EXTENSION, company_prefix(session), parcel.id), is_sscc=True)
    session.add(plate)
    session.flush()
    parcel.license_plate_id = plate.id
    session.flush()
    return parcel.id, parcel.number, plate.id


def company_prefix(session: Session) -> str:
    return get_rule(session, "gs1_company_prefix") or DEFAULT_COMPANY_PREFIX


@use_case("close_parcel")
def close_parcel(
    uow: UnitOfWork,
    parcel_id: int,
    *,
    actor: Actor,
    weight_kg: float,
    carton_code: str | None = None,
) -> ParcelView:
    """Close a parcel with its weighed weight and carton (default: the suggestion) and move
    it to the shipping lane. Its label is ``app.services.packing.shipping.shipping_label``."""
    session = uow.session
    parcel = session.scalar(select(Parcel).where(Parcel.id == parcel_id).with_for_update())
    if parcel is None:
        raise NotFound(what="Parcel", key=str(parcel_id))
    if parcel.status != "open":
        raise InvalidTransition(document=f"Parcel {parcel.plate.code}", state=parcel.status, action="close")
    if not weight_kg or weight_kg <= 0:
        raise InvalidInput(field="weight", reason=f"enter the weight of parcel {parcel.number} in kg")
    order = parcel.order
    carton_code = carton_code or suggest_carton(session, _count_items({}, parcel))
    if carton_code:
        carton = session.scalar(select(Carton).where(Carton.code == carton_code))
        if carton is None:
            raise NotFound(what="Carton", key=carton_code)
        parcel.carton = carton
    lane = special_location(session, "shipping")
    for item in parcel.items:  # deterministic keys: closing twice cannot move twice
        ledger.post_move(
            session, actor=actor, product_id=item.product_id, quantity=item.quantity,
            source=special_location(session, "packing"), destination=lane, reason="stage",
            idempotency_key=f"parcel:{parcel.id}:stage:{item.id}", lot_id=item.lot_id,
            from_license_plate_id=parcel.license_plate_id, to_license_plate_id=parcel.license_plate_id,
            document_type=DOCUMENT, document_id=order.id,
        )
    parcel.status, parcel.weight_kg, parcel.closed_at = "closed", weight_kg, utcnow()
    audit.record(session, actor, "parcel_closed", order=order.number, sscc=parcel.plate.code,
                 weight_kg=weight_kg, carton=carton_code)
    session.flush()
    uow.commit()
    return _parcel_view(parcel)


@use_case("finish_packing")
def finish_packing(uow: UnitOfWork, order_id: int, *, actor: Actor) -> PackingView:
    """Every unit is in closed parcels: the order is packed and waits for its carrier."""
    session = uow.session
    order = load_order(session, order_id, lock=True)
    label = f"{order.channel} {order.number}"
    still_open = session.scalar(select(Parcel).where(Parcel.order_id == order.id, Parcel.status == "open"))
    if still_open is not None:
        raise ParcelStillOpen(parcel=still_open.number, order=label)
    missing = [f"{ln.quantity - ln.quantity_packed} x {ln.product.sku}"
               for ln in order.lines if ln.quantity_packed < ln.quantity]
    if missing:
        raise MissingItems(order=label, missing=", ".join(missing))
    order.status = next_state("order", label, order.status, "finish_packing")
    audit.record(session, actor, "order_packed", order=order.number, channel=order.channel)
    session.flush()
    uow.commit()
    return packing_view(session, order)


@use_case("split_order")
def split_order(uow: UnitOfWork, order_id: int, *, actor: Actor, approval: Approval | None = None) -> SplitResult:
    """Supervisor: move the units that were never picked to a new order (the backorder),
    so that this one can be packed and shipped with what it has."""
    approval = verified_approval(uow.session, approval, actor)  # badge + PIN, checked here
    approver = actor if actor.is_supervisor else approval
    if approver is None or not approver.is_supervisor:
        raise NotAllowed(who=actor.display_name, action="split an order")
    session = uow.session
    order = load_order(session, order_id, lock=True)
    label = f"{order.channel} {order.number}"
    next_state("order", label, order.status, "split")
    rest = [(line, line.quantity - line.quantity_picked) for line in order.lines
            if line.quantity > line.quantity_picked]
    if not rest:
        raise InvalidInput(field="order", reason=f"every unit of {label} was picked: pack the rest")
    splits = session.scalar(select(func.count(SalesOrder.id)).where(SalesOrder.split_from_id == order.id))
    data = OrderInput(order.channel, f"{order.number}-BO{splits + 1}", ship_to_of(order), order.carrier,
                      tuple((line.product.sku, units) for line, units in rest), order.service,
                      order.priority, order.ship_by)
    backorder = add_order(session, data, split_from=order)
    for line, _ in rest:
        line.quantity = line.quantity_picked
    audit.record(session, approver, "order_split", order=order.number, backorder=backorder.number,
                 operator=actor.display_name, units=sum(units for _, units in rest))
    session.flush()
    uow.commit()
    return SplitResult(order_view(session, order), order_view(session, backorder))


def _replayed(session: Session, order: SalesOrder, move) -> PackResult:
    sku = session.get(Product, move.product_id).sku
    item_plate = move.to_license_plate_id
    parcel = session.scalar(select(Parcel).where(Parcel.license_plate_id == item_plate))
    return PackResult(packing_view(session, order), sku, move.quantity, parcel.number if parcel else 0,
                      replayed=True)


# --- undo of the last pack scan --------------------------------------------------------------
PACK_UNDO = "pack_undo"


@use_case("undo_last_pack")
def undo_last_pack(uow: UnitOfWork, order_id: int, *, actor: Actor) -> PackResult | None:
    """Take this packer's last scan on the order out of its parcel again: a compensating move
    from the packing bench back into the tote, the parcel's item and the line's packed count
    reduced. None when there is nothing of theirs to undo. A closed (or dispatched) parcel
    cannot be undone."""
    session = uow.session
    order = load_order(session, order_id, lock=True)
    undone = undone_move_ids(session, PACK_UNDO, (order.id,))
    candidates = session.scalars(
        select(Move).where(Move.reason == "pack", Move.document_type == DOCUMENT, Move.document_id == order.id,
                           Move.user_id == actor.user_id).order_by(Move.id.desc()))
    last = next((move for move in candidates if move.id not in undone), None)
    if last is None:
        return None
    parcel = session.scalar(select(Parcel).where(Parcel.license_plate_id == last.to_license_plate_id)
                            .with_for_update())
    if parcel is None:
        raise NotFound(what="Parcel of move", key=str(last.id))
    if parcel.status != "open":
        raise InvalidTransition(document=f"Parcel {parcel.plate.code}", state=parcel.status, action="undo")
    ledger.post_move(
        session, actor=actor, product_id=last.product_id, quantity=last.quantity,
        source=special_location(session, "packing"), destination=cart_location(session), reason=PACK_UNDO,
        idempotency_key=f"undo:{last.id}", lot_id=last.lot_id, from_license_plate_id=parcel.license_plate_id,
        to_license_plate_id=last.from_license_plate_id, document_type=DOCUMENT, document_id=order.id,
    )
    line = next(ln for ln in order.lines if ln.product_id == last.product_id)
    item = next(i for i in parcel.items if i.order_line_id == line.id and i.lot_id == last.lot_id)
    item.quantity -= last.quantity
    if item.quantity == 0:
        parcel.items.remove(item)
        session.delete(item)
    line.quantity_packed -= last.quantity
    sku = line.product.sku
    audit.record(session, actor, "pack_undo", order=order.number, sscc=parcel.plate.code, sku=sku,
                 units=last.quantity, move=last.id)
    session.flush()
    uow.commit()
    return PackResult(packing_view(session, order), sku, last.quantity, parcel.number)
