"""A realistic demo warehouse, the same for the same seed (dates are relative to today).

Floor: docks DOCK-1/2, QUAR-1, RET-1, PACK-1/2, SHIP-1/2 on the front cross aisle (y = 0),
the virtual SUPPLIER, CUSTOMER and LOSS, and storage aisles A-H: 20 bays x 4 levels each.
Bin codes are aisle-bay-level-slot (A-03-02-1). Level 1 is the pick face (kind pick_face,
two slots a bay); levels 2-4 are reserve pallet bins (kind storage, one slot). Aisle A runs
at x = 1.5 m, aisles 3 m apart; bay b's pick position is y = 1.2 b - 0.6 m (aisles 24 m).
Two reserve bins at the back of aisle H (H-20-03-1, H-20-04-1) are blocked.

Products carry GTIN-13s under the GS1 prefix 952 (kept for demonstrations), many a case
GTIN-14 of 6, 12 or 24; food is lot + expiry tracked, cleaning lot tracked, a few devices
serial tracked. Stock enters bins through the ledger from SUPPLIER ("opening_balance"); reserve
pallets sit on SSCC license plates. Open purchase orders PO-24001... and one ASN (ASN-88001)
wait to be received.

Outbound: the floor layout for pick routes (aisles A-H, a middle cross aisle at y = 12 m, the
depot at the packing benches, x = 15 m), cartons BOX-S/M/L/XL, and 20 customer orders from
Shopify, Amazon and eBay for DHL, UPS and DPD with priorities and ship-by dates. The 4 most
urgent are on a released batch wave (one cart, a tote each), 2 more on single-order waves,
10 are allocated and wait for a supervisor to release them, 4 are open (not allocated yet).
Parcel SSCCs use the demo company prefix.

Users (badge, PIN, role, language):
  B-1001  1111  operator    en  Oskar Berg (oskar)
  B-1002  2222  operator    es  Lucía Gómez (lucia)
  B-2001  9999  supervisor  en  Sam Patel (sam)
  B-3001  0000  admin       en  Ada Admin (admin)
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

import app.db.all_models  # noqa: F401  (every table, so that --force erases them all)
from app.core import clock
from app.core.actor import Actor, system_actor
from app.core.checkdigits import make_sscc, with_check_digit
from app.core.errors import InvalidInput, StockfloorError
from app.core.permissions import use_case
from app.core.picking_rules import next_state, release_order_key
from app.db import chain
from app.db.models import (
    Base,
    LicensePlate,
    Location,
    Lot,
    Move,
    OnHand,
    Product,
    ProductBarcode,
    PurchaseOrder,
    PurchaseOrderLine,
    User,
)
from app.db.models_picking import Carton, FloorAisle, FloorCrossAisle, FloorDepot, SalesOrder
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.config import set_rule
from app.services.demo_catalogue import (
    AISLE_SPACING,
    AISLES,
    BATCH_ORDERS,
    BAY_DEPTH,
    BAYS,
    BLOCKED,
    BRANDS,
    CARRIERS,
    CARTONS,
    CHANNELS,
    COMPANY_PREFIX,
    CROSS_AISLE_Y,
    CUSTOMERS,
    DEMO_USERS,
    DEPOT_X,
    FIRST_AISLE_X,
    FRONT,
    GROUPS,
    LEVELS,
    MAX_PRODUCTS,
    OPEN_ORDERS,
    PICK_SLOTS,
    SALES_ORDERS,
    SINGLE_WAVES,
    VIRTUAL,
    Group,
)
from app.services.demo_history import build_history, history_start
from app.services.orders.allocation import allocate_line
from app.services.orders.documents import OrderInput, ShipTo, add_order
from app.services.replenishment.faces import set_demo_levels
from app.services.users import create_user
from app.services.waves import release as waves


class DatabaseNotEmpty(StockfloorError):
    template = ("The database {where} already holds data ({contents}). "
                "Use --force to erase everything in it and build the demo warehouse.")


@dataclass(frozen=True)
class DemoSummary:
    products: int
    locations: int
    bins: int
    lots: int
    license_plates: int
    moves: int
    units: int
    orders: int
    users: tuple[tuple[str, str, str, str, str, str], ...] = DEMO_USERS
    sales_orders: int = 0
    waves: int = 0  # released, ready to pick
    history_days: int = 0  # working days of history before today (demo_history)
    history_orders: int = 0


@use_case("build_demo")
def build_demo(uow: UnitOfWork, *, products: int = 300, seed: int = 1, force: bool = False,
               today: dt.date | None = None, actor: Actor | None = None, history: bool = True) -> DemoSummary:
    """Fill an empty database with the demo warehouse (``force``: erase everything first)."""
    if not 1 <= products <= MAX_PRODUCTS:
        raise InvalidInput(field="products", reason=f"must be between 1 and {MAX_PRODUCTS}")
    session, rng, today = uow.session, random.Random(seed), today or clock.today()
    found = contents(session)
    if found and not force:
        raise DatabaseNotEmpty(where=uow.database.describe(), contents=found)
    if found:
        _erase_everything(session)
        actor = system_actor(actor.workstation)  # whoever asked was erased with the rest
    actor = actor or system_actor("demo")
    places = _build_locations(session)
    catalogue = _build_products(session, rng, products)
    session.flush()
    opening = history_start(today) - dt.timedelta(days=1)  # stock is there before the history starts
    moves, units, lots, plates = _put_stock(session, rng, today, actor, catalogue, places,
                                            at=dt.datetime.combine(opening, dt.time(18)).astimezone())
    orders = _build_orders(session, rng, today, catalogue)
    for username, name, badge, role, pin, language in DEMO_USERS:
        create_user(session, username=username, display_name=name, badge_code=badge, role=role,
                    pin=pin, language=language)
    for rule, code in (("receiving_location", "DOCK-1"), ("quarantine_location", "QUAR-1"),
                       ("supplier_location", "SUPPLIER"), ("gs1_company_prefix", COMPANY_PREFIX),
                       ("ship_from_address", "Stockfloor Demo Warehouse\nHafenstraße 7\n20457 Hamburg\nDE")):
        set_rule(session, rule, code, actor=actor)
    _build_floor(session)
    past = build_history(session, random.Random(seed), today, prefix=COMPANY_PREFIX, channels=CHANNELS,
                         customers=CUSTOMERS, carriers=CARRIERS) if history else None
    sales_orders, allocated = _build_sales_orders(session, rng, today)
    set_demo_levels(session)  # pick faces fed from reserve; a few need replenishing already
    audit.record(session, actor, "demo_built", products=products, seed=seed)
    released = _release_waves(uow, allocated, actor)  # commits everything above with it
    uow.commit()
    return DemoSummary(len(catalogue), len(places["all"]), len(places["pick"]) + len(places["reserve"]),
                       lots, plates, moves, units, orders, sales_orders=sales_orders, waves=released,
                       history_days=past.days if past else 0, history_orders=past.orders if past else 0)


def contents(session: Session) -> str:
    """'' for an empty database, else what is in it ('12 products, 3 users...')."""
    found = []
    for model in (Product, Location, User, PurchaseOrder, Move):
        count = session.scalar(select(func.count()).select_from(model))
        if count:
            found.append(f"{count} {model.__tablename__.replace('_', ' ')}")
    return ", ".join(found)


def _erase_everything(session: Session) -> None:
    """--force: the append-only tables' triggers are lifted for this one transaction (the chain
    goes with the rows, so the new demo starts a clean one)."""
    chain.drop_triggers(session.connection())
    for table in reversed(Base.metadata.sorted_tables):  # children before parents
        session.execute(table.delete())
    chain.install_triggers(session.connection())


def _build_locations(session: Session) -> dict[str, list[Location]]:
    """Every location, inserted in one statement (800 ORM inserts cost a second)."""
    rows = [dict(code=code, kind=kind, zone="FRONT", x=x, y=0.0) for code, kind, x in FRONT]
    rows += [dict(code=code, kind=kind) for code, kind in VIRTUAL]
    for index, aisle in enumerate(AISLES):
        x = FIRST_AISLE_X + index * AISLE_SPACING
        for bay in range(1, BAYS + 1):
            y = round(bay * BAY_DEPTH - BAY_DEPTH / 2, 2)
            for level in range(1, LEVELS + 1):
                pick_face = level == 1
                for slot in range(1, (PICK_SLOTS if pick_face else 1) + 1):
                    rows.append(dict(code=f"{aisle}-{bay:02d}-{level:02d}-{slot}",
                                     kind="pick_face" if pick_face else "storage",
                                     zone="PICK" if pick_face else "RESERVE", aisle=aisle, bay=bay,
                                     level=level, slot=slot, x=x, y=y))
    for row in rows:
        row.setdefault("barcode", row["code"])
        row["blocked"] = row["code"] in BLOCKED
    session.execute(insert(Location), rows)
    every = session.scalars(select(Location).order_by(Location.code)).all()
    return {
        "all": every,
        "pick": [place for place in every if place.kind == "pick_face"],
        "reserve": [place for place in every if place.kind == "storage" and not place.blocked],
    }


def _build_products(session: Session, rng: random.Random, count: int) -> list[tuple[Product, Group]]:
    pools = {}
    for group in GROUPS:
        combos = [(brand, item, variant) for brand in BRANDS for item in group.items
                  for variant in group.variants]
        rng.shuffle(combos)
        pools[group.name] = combos
    serial_limit = max(2, count // 50)  # "a few" serial tracked devices
    numbers = {group.prefix: 0 for group in GROUPS}
    catalogue = []
    for index in range(count):
        candidates = [g for g in GROUPS if pools[g.name] and (g.tracking != "serial" or serial_limit)]
        group = rng.choices(candidates, weights=[g.share for g in candidates])[0] if candidates else GROUPS[0]
        if group.tracking == "serial":
            serial_limit -= 1
        brand, item, variant = pools[group.name].pop() if pools[group.name] else (
            rng.choice(BRANDS), rng.choice(group.items), f"#{index + 1}")
        numbers[group.prefix] += 1
        gtin = with_check_digit(f"{COMPANY_PREFIX}{index + 1:05d}")
        product = Product(
            sku=f"{group.prefix}-{numbers[group.prefix]:04d}", name=f"{brand} {item}, {variant}",
            unit="each", tracking=group.tracking, expiry_tracked=group.shelf_life_days is not None,
            product_group=group.name, weight_kg=round(rng.uniform(*group.weight_kg), 3),
            length_cm=float(rng.randint(5, 40)), width_cm=float(rng.randint(4, 30)),
            height_cm=float(rng.randint(2, 35)), unit_cost=round(rng.uniform(*group.cost), 2),
        )
        product.barcodes.append(ProductBarcode(code=gtin, kind="gtin", quantity=1))
        if group.cases and rng.random() < 0.6:
            # A case GTIN-14: indicator digit 1 + the unit's GTIN without its check digit.
            case_gtin = with_check_digit("1" + gtin[:12])
            product.barcodes.append(ProductBarcode(code=case_gtin, kind="case", quantity=rng.choice(group.cases)))
        session.add(product)
        catalogue.append((product, group))
    return catalogue


def case_size(product: Product) -> int:
    return max((b.quantity for b in product.barcodes), default=1)


def _put_stock(session: Session, rng: random.Random, today: dt.date, actor, catalogue,
               places, *, at: dt.datetime | None = None) -> tuple[int, int, int, int]:
    """Opening balances: a pick face for most products, a reserve pallet for some."""
    supplier = next(p for p in places["all"] if p.kind == "supplier")
    pick_bins, reserve_bins = iter(places["pick"]), iter(places["reserve"])
    lots: list[Lot] = []
    stock: list[tuple[Product, Location, int, Lot | None, LicensePlate | None]] = []
    plates = 0
    for product, group in catalogue:
        if rng.random() < 0.1:
            continue  # nothing in stock yet: it arrives on an open purchase order
        case = case_size(product)
        pick = next(pick_bins, None) or next(reserve_bins, None)
        if pick is None:
            break  # every bin is used
        if group.tracking == "serial":
            for _ in range(rng.randint(3, 5)):
                lots.append(Lot(product_id=product.id, code=f"SN{len(lots) + 1:07d}"))
                stock.append((product, pick, 1, lots[-1], None))
            continue
        quantity = case * rng.randint(1, 4) + rng.randint(0, case - 1) if case > 1 else rng.randint(5, 80)
        stock.append((product, pick, quantity, _new_lot(rng, today, product, group, lots, 0), None))
        reserve = next(reserve_bins, None) if rng.random() < 0.3 else None
        if reserve is not None:
            plates += 1
            plate = LicensePlate(code=make_sscc(0, COMPANY_PREFIX, plates), is_sscc=True)
            session.add(plate)
            pallet = case * rng.randint(10, 40) if case > 1 else rng.randint(100, 400)
            stock.append((product, reserve, pallet, _new_lot(rng, today, product, group, lots, 1), plate))
    session.add_all(lots)
    session.flush()
    for number, (product, location, quantity, lot, plate) in enumerate(stock, start=1):
        ledger.post_move(session, actor=actor, product_id=product.id, quantity=quantity, source=supplier,
                         destination=location, reason="opening_balance", idempotency_key=f"demo:{number}",
                         lot_id=lot.id if lot else None, to_license_plate_id=plate.id if plate else None, at=at)
    return len(stock), sum(item[2] for item in stock), len(lots), plates


def _new_lot(rng: random.Random, today: dt.date, product: Product, group: Group, lots: list[Lot],
             age: int) -> Lot | None:
    """A lot for lot-tracked products; ``age`` 1 makes the reserve lot expire after the pick face's."""
    if group.tracking != "lot":
        return None
    expiry = None
    if group.shelf_life_days:
        low, high = group.shelf_life_days
        expiry = today + dt.timedelta(days=rng.randint(low, high) + age * high)
    lots.append(Lot(product_id=product.id, code=f"L{len(lots) + 1:06d}", expiry=expiry))
    return lots[-1]


def _build_orders(session: Session, rng: random.Random, today: dt.date, catalogue) -> int:
    suppliers = list(dict.fromkeys(group.supplier for group in GROUPS))
    orders = 0
    for index, supplier in enumerate(suppliers):
        offered = [product for product, group in catalogue if group.supplier == supplier]
        if not offered:
            continue
        asn = index == len(suppliers) - 1  # the electronics supplier announces its delivery
        order = PurchaseOrder(
            number=f"ASN-{88001 + index}" if asn else f"PO-{24001 + index}", kind="asn" if asn else "po",
            supplier=supplier, status="open", expected_date=today + dt.timedelta(days=index + 1),
        )
        for line_no, product in enumerate(rng.sample(offered, min(len(offered), rng.randint(3, 8))), 1):
            case = case_size(product)
            quantity = (rng.randint(2, 5) if product.tracking == "serial"
                        else case * rng.randint(2, 10) if case > 1 else rng.randint(10, 100))
            order.lines.append(PurchaseOrderLine(line_no=line_no, product=product, quantity_expected=quantity,
                                                 quantity_received=0, quantity_damaged=0))
        session.add(order)
        orders += 1
    return orders


# --- outbound ----------------------------------------------------------------------------------
def _build_floor(session: Session) -> None:
    """The routing layout matching the bins, and the cartons the packers choose from."""
    length = BAYS * BAY_DEPTH
    session.add_all(FloorAisle(label=aisle, x=FIRST_AISLE_X + index * AISLE_SPACING, length=length)
                    for index, aisle in enumerate(AISLES))
    session.add(FloorCrossAisle(y=CROSS_AISLE_Y))
    session.add(FloorDepot(id=1, x=DEPOT_X, y=0.0))
    session.add_all(Carton(code=code, length_cm=length_cm, width_cm=width, height_cm=height,
                           max_weight_kg=kg, active=True)
                    for code, length_cm, width, height, kg in CARTONS)


def _build_sales_orders(session: Session, rng: random.Random, today: dt.date) -> tuple[int, list[SalesOrder]]:
    """SALES_ORDERS customer orders for products on pick faces (mostly untracked ones, so a
    plain product barcode picks them); all but the OPEN_ORDERS newest are allocated.
    Returns how many orders there are and the allocated ones."""
    on_faces = session.execute(
        select(Product.sku, Product.tracking, func.sum(OnHand.quantity))
        .join(OnHand, OnHand.product_id == Product.id).join(Location, Location.id == OnHand.location_id)
        .where(Location.kind == "pick_face", Product.tracking != "serial")
        .group_by(Product.sku, Product.tracking).order_by(Product.sku)
    ).all()
    left = {sku: int(units) for sku, _, units in on_faces}
    weights = [4 if tracking == "none" else 1 for _, tracking, _ in on_faces]
    created = []
    for index in range(SALES_ORDERS if left else 0):
        channel = CHANNELS[index % len(CHANNELS)]
        carrier, services = CARRIERS[rng.randrange(len(CARRIERS))]
        lines: dict[str, int] = {}
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            sku = rng.choices(on_faces, weights=weights)[0][0]
            if left[sku] > lines.get(sku, 0):
                lines[sku] = lines.get(sku, 0) + min(rng.randint(1, 3), left[sku] - lines.get(sku, 0))
        if not lines:
            continue
        for sku, units in lines.items():
            left[sku] -= units
        created.append(add_order(session, OrderInput(
            channel, _order_number(channel, index, rng), ShipTo(*rng.choice(CUSTOMERS)), carrier,
            tuple(lines.items()), rng.choice(services), rng.choice((0, 0, 0, 1, 1, 2)),
            today + dt.timedelta(days=rng.choice((0, 1, 1, 2, 3))),
        )))
    allocated = []
    for order in created[:max(len(created) - OPEN_ORDERS, 0)]:  # the newest arrivals wait
        reserved = [allocate_line(session, line, line.quantity, ship_by=order.ship_by, today=today)
                    for line in order.lines]
        if any(reserved):  # as allocation.allocate_order: nothing reserved, still open
            order.status = next_state("order", order.number, order.status, "allocate")
            allocated.append(order)
    session.flush()
    return len(created), allocated


def _order_number(channel: str, index: int, rng: random.Random) -> str:
    """Numbers as each channel writes them."""
    if channel == "Amazon":
        return f"302-{rng.randint(1000000, 9999999)}-{rng.randint(1000000, 9999999)}"
    if channel == "eBay":
        return f"{rng.randint(10, 29)}-{rng.randint(10000, 99999)}-{rng.randint(10000, 99999)}"
    return str(1001 + index)


def _release_waves(uow: UnitOfWork, allocated: list[SalesOrder], actor: Actor) -> int:
    """The most urgent orders on the floor already: one cart of BATCH_ORDERS totes and
    SINGLE_WAVES single-order waves; the rest wait for a supervisor. Returns the waves."""
    urgent = sorted(allocated, key=lambda o: release_order_key(o.priority, o.ship_by, o.number))
    batch = [order.id for order in urgent[:BATCH_ORDERS]]
    singles = [order.id for order in urgent[BATCH_ORDERS:BATCH_ORDERS + SINGLE_WAVES]]
    released = 0
    if batch:
        released += len(waves.release_waves(uow, batch, actor=actor, mode="batch", cart_slots=len(batch)))
    if singles:
        released += len(waves.release_waves(uow, singles, actor=actor, mode="single"))
    return released
