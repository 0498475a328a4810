"""Put-away's view of the database: what waits, task lines, and the core's bins, rules, items."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Integer,
    Row,
    bindparam,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

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
from app.db.prepared import Prepared, connection
from app.services.config import special_location_ref
from app.services.putaway.nearest import nearest_open_bins
from app.services.putaway.scans import Place

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
    location_kind: str = ""
    x: float | None = None  # where the location is (the walk to a bin starts there)
    y: float | None = None


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

    Reserved units are not waiting: e.g. a returned unit is held until it is inspected.
    One prebuilt statement of tuples (no ORM objects), however much waits."""
    rows = _waiting_statement(product_id is not None, license_plate_id is not None).execute(
        connection(session), {"sources": list(sources), "product_id": product_id, "plate_id": license_plate_id})
    items = sorted(rows, key=lambda r: (r.x is None, r.x or 0.0, r.y is None, r.y or 0.0, r.location,
                                        r.sku, r.lot or "", r.license_plate or ""))
    return [WaitingItem(r.location, r.location_id, r.sku, r.name, r.product_id, r.quantity, r.lot, r.lot_id,
                        r.expiry, r.license_plate, r.license_plate_id, r.kind, r.x, r.y) for r in items]


_LOC, _OH, _PRODUCT = Location.__table__, OnHand.__table__, Product.__table__
_LOT, _PLATE, _CAPACITY = Lot.__table__, LicensePlate.__table__, LocationCapacity.__table__


@functools.cache
def _waiting_statement(of_product: bool, on_plate: bool) -> Prepared:
    free = _OH.c.quantity - _OH.c.reserved
    query = (
        select(free.label("quantity"), _LOC.c.code.label("location"), _LOC.c.id.label("location_id"),
               _LOC.c.kind, _LOC.c.x, _LOC.c.y, _PRODUCT.c.sku, _PRODUCT.c.name, _PRODUCT.c.id.label("product_id"),
               _LOT.c.code.label("lot"), _LOT.c.id.label("lot_id"), _LOT.c.expiry,
               _PLATE.c.code.label("license_plate"), _PLATE.c.id.label("license_plate_id"))
        .select_from(_OH.join(_LOC, _LOC.c.id == _OH.c.location_id)
                     .join(_PRODUCT, _PRODUCT.c.id == _OH.c.product_id)
                     .outerjoin(_LOT, _LOT.c.id == _OH.c.lot_id)
                     .outerjoin(_PLATE, _PLATE.c.id == _OH.c.license_plate_id))
        .where(_LOC.c.kind.in_(bindparam("sources", expanding=True)), free > 0)
    )
    if of_product:
        query = query.where(_OH.c.product_id == bindparam("product_id"))
    if on_plate:
        query = query.where(_OH.c.license_plate_id == bindparam("plate_id"))
    return Prepared(query, named=True)


def task_lines(waiting: Iterable[WaitingItem]) -> tuple[TaskLine, ...]:
    return tuple(
        TaskLine(w.product_id, w.sku, w.name, w.quantity, w.lot_id, w.lot, w.expiry, w.license_plate_id)
        for w in waiting
    )


def item_for_line(session: Session, line: TaskLine) -> Item:
    return items_for_lines(session, [line])[0]


def items_for_lines(session: Session, lines: Sequence[TaskLine]) -> list[Item]:
    """The core's items for task lines: products and lots in two statements, not two per line."""
    conn = connection(session)
    products = {row.id: row for row in _ITEM_PRODUCTS.execute(conn, {"ids": list({line.product_id for line in lines})})}
    lot_ids = list({line.lot_id for line in lines if line.lot_id is not None})
    lots = {row.id: row for row in _ITEM_LOTS.execute(conn, {"ids": lot_ids})} if lot_ids else {}
    return [item_for(products[line.product_id], line.quantity, lots.get(line.lot_id))  # type: ignore[arg-type]
            for line in lines]


_ITEM_PRODUCTS = Prepared(select(
    _PRODUCT.c.id, _PRODUCT.c.sku, _PRODUCT.c.product_group, _PRODUCT.c.weight_kg, _PRODUCT.c.length_cm,
    _PRODUCT.c.width_cm, _PRODUCT.c.height_cm, _PRODUCT.c.expiry_tracked,
).where(_PRODUCT.c.id.in_(bindparam("ids", expanding=True))), named=True)
_ITEM_LOTS = Prepared(select(_LOT.c.id, _LOT.c.code, _LOT.c.expiry)
                      .where(_LOT.c.id.in_(bindparam("ids", expanding=True))), named=True)


def item_for(product: Product | Row, quantity: int, lot: Lot | Row | None = None) -> Item:
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
    rows = _all_rules_statement().execute(connection(session))
    return [to_rule(row, row.sku, row.home_code) for row in rows]


@functools.cache
def _all_rules_statement() -> Prepared:
    rules, home = PutawayRuleRow.__table__, _LOC.alias("home")
    return Prepared(select(rules, _PRODUCT.c.sku, home.c.code.label("home_code"))
                    .select_from(rules.outerjoin(_PRODUCT, _PRODUCT.c.id == rules.c.product_id)
                                 .outerjoin(home, home.c.id == rules.c.home_location_id))
                    .order_by(rules.c.id), named=True)


def rule_book(session: Session) -> RuleBook:
    return RuleBook(all_rules(session))


def to_rule(row: PutawayRuleRow | Row, sku: str | None, home_code: str | None) -> PutawayRule:
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
    conn = session.connection()  # by kind, not by an IN list of every bin (SQLite caps parameters)
    return _bins(session, conn.execute(_STORAGE_PLACES).all(), stock=conn.execute(_STORAGE_STOCK))


def candidate_bins(
    session: Session, items: Sequence[Item], rules: RuleBook, origin: tuple[float, float],
) -> list[Bin]:
    """The bins the core's ``suggest`` can rank first, chosen in SQL with LIMIT instead of the
    whole warehouse: the lead product's home location, the bins already holding the items'
    products, and among the ``NEAREST`` unblocked bins (allowed zones, preferred zone first)
    the nearest empty ones that fit and the nearest others. A bounded number of statements
    at any size; an empty bin farther than the ``NEAREST`` nearest is not looked for."""
    lead = max(items, key=lambda item: item.quantity)
    policy = rules.policy(lead)
    wanted = MAX_ALTERNATIVES + 1
    conn = connection(session)
    ids: dict[int, None] = {}
    if policy.home_location:
        ids.update(dict.fromkeys(row[0] for row in _HOME.execute(conn, {"code": policy.home_location})))
    ids.update(dict.fromkeys(row[0] for row in _HOLDING.execute(
        conn, {"products": list({item.product_id for item in items})})))
    ids.update(dict.fromkeys(row[0] for row in nearest_open_bins(
        session, _allowed_zones(items, rules), origin, policy.preferred_zone, _room_for(items),
        empty=wanted, occupied=4 * wanted)))
    # (Not one statement with the home and holding ones as OR-ed subqueries: PostgreSQL then
    # filters every location instead of looking the few up by id.)
    places = _PLACES.execute(conn, {"ids": list(ids)})
    return _bins(session, places, items)


_HOME = Prepared(select(_LOC.c.id).where(_LOC.c.code == bindparam("code")))
_HOLDING = Prepared(
    select(_OH.c.location_id).distinct().select_from(_OH.join(_LOC, _LOC.c.id == _OH.c.location_id))
    .where(_OH.c.product_id.in_(bindparam("products", expanding=True)), _OH.c.quantity > 0,
           _LOC.c.kind.in_(STORAGE_KINDS), _LOC.c.blocked.is_(False))
)
# Bins with their limits (none: no limit, lots may mix).
_ALL_PLACES = (
    select(_LOC.c.id, _LOC.c.code, _LOC.c.kind, _LOC.c.zone, _LOC.c.x, _LOC.c.y, _LOC.c.blocked,
           _CAPACITY.c.max_units, _CAPACITY.c.max_weight_kg, _CAPACITY.c.max_volume_l, _CAPACITY.c.mix_lots)
    .select_from(_LOC.outerjoin(_CAPACITY, _CAPACITY.c.location_id == _LOC.c.id)).order_by(_LOC.c.id)
)
_PLACES = Prepared(_ALL_PLACES.where(_LOC.c.id.in_(bindparam("ids", expanding=True))), named=True)
_STORAGE_PLACES = _ALL_PLACES.where(_LOC.c.kind.in_(STORAGE_KINDS))

def _allowed_zones(items: Sequence[Item], rules: RuleBook) -> frozenset[str] | None:
    """The zones every item may go to (None: any zone)."""
    zones: frozenset[str] | None = None
    for item in items:
        allowed = rules.policy(item).allowed_zones
        if allowed:
            zones = allowed if zones is None else zones & allowed
    return zones


def _room_for(items: Sequence[Item]) -> tuple[float, float, float]:
    """Units, weight and volume of the items (unknown weights/volumes count as 0)."""
    return (sum(item.quantity for item in items),
            sum(item.quantity * (item.unit_weight_kg or 0.0) for item in items),
            sum(item.quantity * (item.unit_volume_l or 0.0) for item in items))


def place_rows(session: Session, ids: Iterable[int]) -> dict[int, Row]:
    """Locations by id with their place and limits (``bins_for``'s rows), in one statement."""
    return {row[0]: row for row in _PLACES.execute(connection(session), {"ids": list(ids)})}


def place_of(row: Row) -> Place:
    return Place(row.id, row.code, row.kind, row.x, row.y)


def bins_for(session: Session, rows: Sequence[Row], items: Sequence[Item] | None = None) -> list[Bin]:
    """The core's bins for ``place_rows`` rows (in this order), their stock in one statement.
    With ``items``: the stock as far as a decision about these items needs it (``_bins``)."""
    return _bins(session, rows, items)


_STOCK_COLUMNS = (_OH.c.location_id, _OH.c.quantity, _OH.c.product_id, _OH.c.lot_id, _LOT.c.code, _LOT.c.expiry,
                  _PRODUCT.c.weight_kg, _PRODUCT.c.length_cm, _PRODUCT.c.width_cm, _PRODUCT.c.height_cm)
_STOCK_FROM = _OH.join(_PRODUCT, _PRODUCT.c.id == _OH.c.product_id).outerjoin(_LOT, _LOT.c.id == _OH.c.lot_id)
_STOCK = Prepared(
    select(*_STOCK_COLUMNS).select_from(_STOCK_FROM)
    .where(_OH.c.location_id.in_(bindparam("ids", expanding=True)), _OH.c.quantity > 0)
)
# Stock in ``_STOCK``'s columns for a decision about some products: their lines in every bin
# and every line of the bins with a weight or volume limit (``whole``); of the other bins, the
# units of every other product summed into one line of product OTHER_PRODUCTS.
OTHER_PRODUCTS = 0  # no product has id 0
_SUMMED = select(
    _OH.c.location_id, func.sum(_OH.c.quantity), literal(OTHER_PRODUCTS, Integer), *(null() for _ in range(7)),
).where(_OH.c.location_id.in_(bindparam("summed", expanding=True)), _OH.c.quantity > 0,
        _OH.c.product_id.not_in(bindparam("products", expanding=True))).group_by(_OH.c.location_id)
_STORAGE_STOCK = (select(*_STOCK_COLUMNS).select_from(_STOCK_FROM.join(_LOC, _LOC.c.id == _OH.c.location_id))
                  .where(_LOC.c.kind.in_(STORAGE_KINDS), _OH.c.quantity > 0))
_ITEM_STOCK = Prepared(union_all(
    select(*_STOCK_COLUMNS).select_from(_STOCK_FROM).where(
        _OH.c.quantity > 0,
        or_(_OH.c.location_id.in_(bindparam("whole", expanding=True)),
            _OH.c.location_id.in_(bindparam("summed", expanding=True))
            & _OH.c.product_id.in_(bindparam("products", expanding=True)))),
    _SUMMED,
))


def _bins(session: Session, places: Sequence[tuple], items: Sequence[Item] | None = None, *,
          stock: Iterable[tuple] | None = None) -> list[Bin]:
    """Bins for ``_PLACES`` rows, with their stock read in one statement (or given in ``_STOCK``'s
    columns): every line, or (with ``items``) what a decision about them reads: the items'
    products' lines (lots, FEFO, same product), units (empty? unit limit) and, only where a
    weight or volume limit needs every line, every line. The other products of a bin without
    those limits come summed into one ``OTHER_PRODUCTS`` line: tens of rows instead of every
    line of every candidate bin."""
    conn = connection(session)
    if stock is not None:
        rows = stock
    elif items is None:
        rows = _STOCK.execute(conn, {"ids": [place[0] for place in places]})
    else:
        whole = [place[0] for place in places if place[8] is not None or place[9] is not None]
        summed = [place[0] for place in places if place[8] is None and place[9] is None]
        rows = _ITEM_STOCK.execute(conn, {"whole": whole, "summed": summed,
                                          "products": list({item.product_id for item in items})})
    held: dict[int, list[Stock]] = defaultdict(list)
    for location_id, quantity, product_id, lot_id, lot, expiry, weight, *dimensions in rows:
        held[location_id].append(Stock(
            product_id=product_id, quantity=quantity, lot_id=lot_id, lot=lot, expiry=expiry,
            unit_weight_kg=weight, unit_volume_l=volume_litres(*dimensions),
        ))
    return [Bin(location_id=location_id, code=code, kind=kind, zone=zone, x=x, y=y, blocked=bool(blocked),
                max_units=max_units, max_weight_kg=max_weight, max_volume_l=max_volume,
                mix_lots=True if mix_lots is None else mix_lots, stock=tuple(held[location_id]))
            for location_id, code, kind, zone, x, y, blocked, max_units, max_weight, max_volume, mix_lots in places]


def origin(session: Session, source: Location | Place | None) -> tuple[float, float]:
    """Where walking starts: the location the goods wait on, else the receiving dock, else 0/0."""
    if source is not None and source.x is not None and source.y is not None:
        return (source.x, source.y)
    try:
        dock = special_location_ref(session, "receiving")
    except NotFound:  # a warehouse without a dock still gets suggestions
        return (0.0, 0.0)
    if source is not None and dock.id == source.id:
        return (0.0, 0.0)  # the goods wait on the dock, which has no place
    place = place_of(place_rows(session, [dock.id])[dock.id])
    return (place.x, place.y) if place.x is not None and place.y is not None else (0.0, 0.0)
