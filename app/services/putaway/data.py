"""Put-away's view of the database: what waits, task lines, and the core's bins, rules, items."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, case, exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from app.core.errors import NotFound
from app.core.putaway_rules import (
    MAX_ALTERNATIVES,
    STORAGE_KINDS,
    Bin,
    Item,
    PutawayRule,
    RuleBook,
    Stock,
    Suggestion,
    volume_litres,
)
from app.db.models import LicensePlate, Location, Lot, OnHand, Product
from app.db.models_putaway import LocationCapacity, PutawayRuleRow
from app.services.config import special_location

WAITING_KINDS = ("receiving", "returns", "quarantine")


@dataclass(frozen=True)
class WaitingItem:
    location: str
    location_id: int
    sku: str
    name: str
    product_id: int
    quantity: int
    lot: str | None = None
    lot_id: int | None = None
    expiry: dt.date | None = None
    license_plate: str | None = None
    license_plate_id: int | None = None


@dataclass(frozen=True)
class TaskLine:
    product_id: int
    sku: str
    name: str
    quantity: int
    lot_id: int | None = None
    lot: str | None = None
    expiry: dt.date | None = None
    license_plate_id: int | None = None  # the plate the units sit on at the source


@dataclass(frozen=True)
class PutawayTask:
    """What to put away from where, and where to. A plate task moves the whole plate."""

    source: str
    source_id: int
    lines: tuple[TaskLine, ...]
    suggestion: Suggestion
    license_plate: str | None = None
    license_plate_id: int | None = None

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_plate(self) -> bool:
        return self.license_plate_id is not None


def list_waiting(
    session: Session, *, sources: tuple[str, ...] = WAITING_KINDS, product_id: int | None = None,
    license_plate_id: int | None = None,
) -> list[WaitingItem]:
    """Stock on the given kinds of location, in walking order (x, y, then location code),
    optionally only of one product or on one plate (a scan asks for just that).

    Reserved units are not waiting: e.g. a returned unit is held until it is inspected."""
    free = OnHand.quantity - OnHand.reserved
    query = (
        select(free, Location, Product, Lot, LicensePlate)
        .join(Location, Location.id == OnHand.location_id)
        .join(Product, Product.id == OnHand.product_id)
        .outerjoin(Lot, Lot.id == OnHand.lot_id)
        .outerjoin(LicensePlate, LicensePlate.id == OnHand.license_plate_id)
        .where(Location.kind.in_(sources), free > 0)
    )
    if product_id is not None:
        query = query.where(OnHand.product_id == product_id)
    if license_plate_id is not None:
        query = query.where(OnHand.license_plate_id == license_plate_id)
    rows = session.execute(query).all()
    items = [
        WaitingItem(
            location=location.code, location_id=location.id, sku=product.sku, name=product.name,
            product_id=product.id, quantity=quantity,
            lot=lot.code if lot else None, lot_id=lot.id if lot else None,
            expiry=lot.expiry if lot else None,
            license_plate=plate.code if plate else None, license_plate_id=plate.id if plate else None,
        )
        for quantity, location, product, lot, plate in rows
    ]
    walk = {location.id: _walking_key(location) for _, location, *_ in rows}
    return sorted(items, key=lambda w: (walk[w.location_id], w.sku, w.lot or "", w.license_plate or ""))


def _walking_key(location: Location) -> tuple:
    return (location.x is None, location.x or 0.0, location.y is None, location.y or 0.0, location.code)


def task_lines(waiting: Iterable[WaitingItem]) -> tuple[TaskLine, ...]:
    return tuple(
        TaskLine(w.product_id, w.sku, w.name, w.quantity, w.lot_id, w.lot, w.expiry, w.license_plate_id)
        for w in waiting
    )


def item_for_line(session: Session, line: TaskLine) -> Item:
    return items_for_lines(session, [line])[0]


def items_for_lines(session: Session, lines: Sequence[TaskLine]) -> list[Item]:
    """The core's items for task lines: products and lots in two statements, not two per line."""
    products = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_({line.product_id for line in lines})))}
    lot_ids = {line.lot_id for line in lines if line.lot_id is not None}
    lots = {lot.id: lot for lot in session.scalars(select(Lot).where(Lot.id.in_(lot_ids)))} if lot_ids else {}
    return [item_for(products[line.product_id], line.quantity, lots.get(line.lot_id)) for line in lines]  # type: ignore[arg-type]


def item_for(product: Product, quantity: int, lot: Lot | None = None) -> Item:
    return Item(
        product_id=product.id,
        sku=product.sku,
        quantity=quantity,
        lot_id=lot.id if lot else None,
        lot=lot.code if lot else None,
        expiry=lot.expiry if lot else None,
        group=product.product_group,
        unit_weight_kg=product.weight_kg,
        unit_volume_l=volume_litres(product.length_cm, product.width_cm, product.height_cm),
        expiry_tracked=product.expiry_tracked,
    )


def all_rules(session: Session) -> list[PutawayRule]:
    home = aliased(Location)
    rows = session.execute(
        select(PutawayRuleRow, Product.sku, home.code)
        .outerjoin(Product, Product.id == PutawayRuleRow.product_id)
        .outerjoin(home, home.id == PutawayRuleRow.home_location_id)
    ).all()
    return [to_rule(row, sku, home_code) for row, sku, home_code in rows]


def rule_book(session: Session) -> RuleBook:
    return RuleBook(all_rules(session))


def to_rule(row: PutawayRuleRow, sku: str | None, home_code: str | None) -> PutawayRule:
    return PutawayRule(
        scope=row.scope,
        target=sku if row.scope == "product" else row.target,  # type: ignore[arg-type]
        home_location=home_code,
        preferred_zone=row.preferred_zone,
        allowed_zones=split_zones(row.allowed_zones),
        mix_lots=row.mix_lots,
        fefo=row.fefo,
    )


def split_zones(text: str | None) -> tuple[str, ...]:
    """'Z1; Z2' (or 'Z1,Z2') -> ('Z1', 'Z2'), without repeats."""
    zones = (zone.strip() for zone in (text or "").replace(",", ";").split(";"))
    return tuple(dict.fromkeys(zone for zone in zones if zone))


def storage_bins(session: Session) -> list[Bin]:
    """Every storage bin and pick face, with its limits and what it holds (supervisor tools
    only: a scan asks ``candidate_bins``)."""
    locations = session.scalars(select(Location).where(Location.kind.in_(STORAGE_KINDS)))
    return bins_for(session, list(locations))


def candidate_bins(
    session: Session, items: Sequence[Item], rules: RuleBook, origin: tuple[float, float],
) -> list[Bin]:
    """The bins the core's ``suggest`` can rank first, chosen in SQL with LIMIT instead of the
    whole warehouse: the lead product's home location, the bins already holding the items'
    products, and among the ``NEAREST`` unblocked bins (allowed zones, preferred zone first)
    the nearest empty ones that fit and the nearest others. A constant number of statements
    at any size; an empty bin farther than the ``NEAREST`` nearest is not looked for."""
    lead = max(items, key=lambda item: item.quantity)
    policy = rules.policy(lead)
    wanted = MAX_ALTERNATIVES + 1
    ids: dict[int, None] = {}
    if policy.home_location:
        ids.update(dict.fromkeys(session.scalars(
            select(Location.id).where(Location.code == policy.home_location))))
    ids.update(dict.fromkeys(session.scalars(
        select(OnHand.location_id).distinct()
        .join(Location, Location.id == OnHand.location_id)
        .where(OnHand.product_id.in_({item.product_id for item in items}), OnHand.quantity > 0,
               Location.kind.in_(STORAGE_KINDS), Location.blocked.is_(False)))))
    near = _open_bins(_allowed_zones(items, rules), origin, policy.preferred_zone).limit(NEAREST).subquery()
    holding = exists().where(OnHand.location_id == near.c.id, OnHand.quantity > 0)
    capacity = aliased(LocationCapacity)
    rows = session.execute(
        select(near.c.id, holding, capacity.max_units, capacity.max_weight_kg, capacity.max_volume_l)
        .outerjoin(capacity, capacity.location_id == near.c.id)
        .order_by(*(near.c[f"o{n}"] for n in range(4)))
    ).all()
    room = _room_for(items)
    empty = [row[0] for row in rows if not row[1] and _fits(row[2:], room)]
    ids.update(dict.fromkeys(empty[:wanted]))
    ids.update(dict.fromkeys([row[0] for row in rows if row[1]][:4 * wanted]))
    locations = session.scalars(select(Location).where(Location.id.in_(ids))).all()
    return bins_for(session, locations)


# How many of the nearest bins a suggestion looks at for empty ones.
NEAREST = 256


def _allowed_zones(items: Sequence[Item], rules: RuleBook) -> frozenset[str] | None:
    """The zones every item may go to (None: any zone)."""
    zones: frozenset[str] | None = None
    for item in items:
        allowed = rules.policy(item).allowed_zones
        if allowed:
            zones = allowed if zones is None else zones & allowed
    return zones


def _open_bins(zones: frozenset[str] | None, origin: tuple[float, float], preferred: str | None) -> Select:
    """Unblocked storage bins (in ``zones``): their id, then their place in the walking order
    (preferred zone first, nearest by walking distance, bins without coordinates last)."""
    order = [
        case((Location.zone == preferred, 0), else_=1) if preferred else None,
        case((Location.x.is_(None) | Location.y.is_(None), 1), else_=0),
        func.abs(Location.x - origin[0]) + func.abs(Location.y - origin[1]),
        Location.code,
    ]
    columns = [literal(0) if column is None else column for column in order]
    query = (select(Location.id, *(column.label(f"o{n}") for n, column in enumerate(columns)))
             .where(Location.kind.in_(STORAGE_KINDS), Location.blocked.is_(False))
             .order_by(*(column for column in order if column is not None)))
    return query if zones is None else query.where(Location.zone.in_(zones))


def _room_for(items: Sequence[Item]) -> tuple[float, float, float]:
    """Units, weight and volume of the items (unknown weights/volumes count as 0)."""
    return (sum(item.quantity for item in items),
            sum(item.quantity * (item.unit_weight_kg or 0.0) for item in items),
            sum(item.quantity * (item.unit_volume_l or 0.0) for item in items))


def _fits(limits: Sequence[float | None], load: tuple[float, float, float]) -> bool:
    return all(limit is None or amount <= limit + 1e-9 for limit, amount in zip(limits, load, strict=True))


def bins_for(session: Session, locations: Iterable[Location]) -> list[Bin]:
    locations = list(locations)
    ids = [location.id for location in locations]
    capacities = {
        row.location_id: row
        for row in session.scalars(select(LocationCapacity).where(LocationCapacity.location_id.in_(ids)))
    }
    stock: dict[int, list[Stock]] = defaultdict(list)
    rows = session.execute(
        select(OnHand.location_id, OnHand.quantity, OnHand.product_id, OnHand.lot_id, Lot.code, Lot.expiry,
               Product.weight_kg, Product.length_cm, Product.width_cm, Product.height_cm)
        .join(Product, Product.id == OnHand.product_id)
        .outerjoin(Lot, Lot.id == OnHand.lot_id)
        .where(OnHand.location_id.in_(ids), OnHand.quantity > 0)
    ).all()
    for location_id, quantity, product_id, lot_id, lot, expiry, weight, *dimensions in rows:
        stock[location_id].append(Stock(
            product_id=product_id, quantity=quantity, lot_id=lot_id, lot=lot, expiry=expiry,
            unit_weight_kg=weight, unit_volume_l=volume_litres(*dimensions),
        ))
    return [_bin(location, capacities.get(location.id), tuple(stock[location.id])) for location in locations]


def _bin(location: Location, capacity: LocationCapacity | None, stock: tuple[Stock, ...]) -> Bin:
    return Bin(
        location_id=location.id,
        code=location.code,
        kind=location.kind,
        zone=location.zone,
        x=location.x,
        y=location.y,
        blocked=bool(location.blocked),
        max_units=capacity.max_units if capacity else None,
        max_weight_kg=capacity.max_weight_kg if capacity else None,
        max_volume_l=capacity.max_volume_l if capacity else None,
        mix_lots=capacity.mix_lots if capacity else True,
        stock=stock,
    )


def origin(session: Session, source: Location | None) -> tuple[float, float]:
    """Where walking starts: the location the goods wait on, else the receiving dock, else 0/0."""
    candidates = [source]
    try:
        candidates.append(special_location(session, "receiving"))
    except NotFound:  # a warehouse without a dock still gets suggestions
        pass
    for location in candidates:
        if location is not None and location.x is not None and location.y is not None:
            return (location.x, location.y)
    return (0.0, 0.0)
