"""Put-away's view of the database: what waits, task lines, and the core's bins, rules, items."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.core.errors import NotFound
from app.core.putaway_rules import (
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


def list_waiting(session: Session, *, sources: tuple[str, ...] = WAITING_KINDS) -> list[WaitingItem]:
    """Stock on the given kinds of location, in walking order (x, y, then location code).

    Reserved units are not waiting: e.g. a returned unit is held until it is inspected."""
    free = OnHand.quantity - OnHand.reserved
    rows = session.execute(
        select(free, Location, Product, Lot, LicensePlate)
        .join(Location, Location.id == OnHand.location_id)
        .join(Product, Product.id == OnHand.product_id)
        .outerjoin(Lot, Lot.id == OnHand.lot_id)
        .outerjoin(LicensePlate, LicensePlate.id == OnHand.license_plate_id)
        .where(Location.kind.in_(sources), free > 0)
    ).all()
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
    product = session.get(Product, line.product_id)
    lot = session.get(Lot, line.lot_id) if line.lot_id is not None else None
    return item_for(product, line.quantity, lot)  # type: ignore[arg-type]


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
    """Every storage bin and pick face, with its limits and what it holds."""
    locations = session.scalars(select(Location).where(Location.kind.in_(STORAGE_KINDS)))
    return bins_for(session, list(locations))


def bins_for(session: Session, locations: Iterable[Location]) -> list[Bin]:
    locations = list(locations)
    ids = [location.id for location in locations]
    capacities = {
        row.location_id: row
        for row in session.scalars(select(LocationCapacity).where(LocationCapacity.location_id.in_(ids)))
    }
    stock: dict[int, list[Stock]] = defaultdict(list)
    rows = session.execute(
        select(OnHand.location_id, OnHand.quantity, Product, Lot)
        .join(Product, Product.id == OnHand.product_id)
        .outerjoin(Lot, Lot.id == OnHand.lot_id)
        .where(OnHand.location_id.in_(ids), OnHand.quantity > 0)
    ).all()
    for location_id, quantity, product, lot in rows:
        stock[location_id].append(Stock(
            product_id=product.id,
            quantity=quantity,
            lot_id=lot.id if lot else None,
            lot=lot.code if lot else None,
            expiry=lot.expiry if lot else None,
            unit_weight_kg=product.weight_kg,
            unit_volume_l=volume_litres(product.length_cm, product.width_cm, product.height_cm),
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
