"""Returns' view of the database: its warehouse settings, where units go, what an order
shipped and got back, the supervisor's rules and checklists, and the views screens show.

What "shipped on the original order" means: the ledger's moves into the customer location
for the order (document "sales_order"), per product and lot. Shipping (app/services/packing/shipping.py)
posts exactly these when parcels are dispatched, so returns need nothing else from it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from app.core.errors import NotFound
from app.core.returns_rules import (
    APPROVAL_LIMITS_DEFAULT,
    DISPOSITIONS,
    REFUND_PCT_DEFAULT,
    ChecklistItem,
    DispositionRule,
    DispositionRules,
)
from app.db.models import Location, Lot, Move, Product
from app.db.models_picking import SalesOrder
from app.db.models_returns import ReturnChecklistItem, ReturnRuleRow, ReturnUnit, Rma, RmaLine
from app.services.config import RULES, WarehouseRule, get_rule, special_location

ORDER_DOCUMENT = "sales_order"  # app.services.waves.picking.DOCUMENT: shipments are moves of the order
DOCUMENT = "rma"
RETURN_REASON = "return"

RETURNS_WAREHOUSE_RULES = (
    WarehouseRule("returns_location", str, "",
                  "Where returned units land, held for inspection (a location of kind returns)."),
    WarehouseRule("returns_restock_location", str, "",
                  "Where restocked returns wait for put-away; empty: they stay where they landed."),
    WarehouseRule("returns_refurbish_location", str, "",
                  "Where units to refurbish go; empty: the first 'refurbish' location, else quarantine."),
    WarehouseRule("returns_scrap_approval_value", float, APPROVAL_LIMITS_DEFAULT["scrap"],
                  "Scrapping a returned unit worth more than this needs a supervisor."),
    WarehouseRule("returns_rtv_approval_value", float, APPROVAL_LIMITS_DEFAULT["return_to_vendor"],
                  "Returning a unit worth more than this to the vendor needs a supervisor."),
    *(WarehouseRule(f"returns_refund_pct_{grade.lower()}", float, pct,
                    f"Refund recommended for grade {grade}, in % of the price.")
      for grade, pct in REFUND_PCT_DEFAULT.items()),
)


def register_warehouse_rules(rules: dict[str, WarehouseRule] = RULES) -> None:
    """Add returns' settings to app.services.config's table (as put-away does)."""
    for rule in RETURNS_WAREHOUSE_RULES:
        rules.setdefault(rule.key, rule)


register_warehouse_rules()  # special_location(session, "returns") honours returns_location


# --- where units go -----------------------------------------------------------------------
def _configured(session: Session, key: str) -> Location | None:
    code = str(get_rule(session, key) or "").strip()
    if not code:
        return None
    location = session.scalar(select(Location).where(Location.code == code))
    if location is None:
        raise NotFound(what="Location", key=code)
    return location


def destination_for(session: Session, disposition: str, landing: Location) -> Location:
    """The location a disposition sends a unit to (virtual ones: stock leaves)."""
    if disposition == "restock":
        return _configured(session, "returns_restock_location") or landing
    if disposition == "quarantine":
        return special_location(session, "quarantine")
    if disposition == "refurbish":
        configured = _configured(session, "returns_refurbish_location")
        if configured is not None:
            return configured
        bench = session.scalar(select(Location).where(Location.kind == "refurbish").order_by(Location.id).limit(1))
        return bench or special_location(session, "quarantine")
    if disposition == "return_to_vendor":
        return special_location(session, "supplier")
    if disposition == "scrap":
        return special_location(session, "inventory_loss")
    raise NotFound(what="Disposition", key=disposition)


# --- rules the supervisor sets ------------------------------------------------------------------
def disposition_rules(session: Session) -> DispositionRules:
    rows = session.scalars(select(ReturnRuleRow).order_by(ReturnRuleRow.id))
    return DispositionRules(tuple(DispositionRule(r.scope, r.target, r.grade, r.disposition) for r in rows))


def approval_limits(session: Session) -> dict[str, float]:
    return {"scrap": float(get_rule(session, "returns_scrap_approval_value")),
            "return_to_vendor": float(get_rule(session, "returns_rtv_approval_value"))}


def refund_policy(session: Session) -> dict[str, float]:
    return {grade: float(get_rule(session, f"returns_refund_pct_{grade.lower()}"))
            for grade in REFUND_PCT_DEFAULT}


def configured_checklists(session: Session) -> dict[str, tuple[ChecklistItem, ...]]:
    lists: dict[str, list[ChecklistItem]] = defaultdict(list)
    for group, code, label in session.execute(select(
            ReturnChecklistItem.product_group, ReturnChecklistItem.code, ReturnChecklistItem.label)
            .order_by(ReturnChecklistItem.product_group, ReturnChecklistItem.position)):
        lists[group].append(ChecklistItem(code, label))
    return {group: tuple(items) for group, items in lists.items()}


# --- what an order shipped and got back -----------------------------------------------------------
@dataclass
class Shipped:
    quantity: int = 0
    lots: dict[int, int] = field(default_factory=dict)  # lot id -> units


def shipped_units(session: Session, order_id: int) -> dict[int, Shipped]:
    """Per product id: units the order sent to the customer, and which lots or serials."""
    customer_ids = select(Location.id).where(Location.kind == "customer")
    rows = session.execute(
        select(Move.product_id, Move.lot_id, func.sum(Move.quantity))
        .where(Move.document_type == ORDER_DOCUMENT, Move.document_id == order_id,
               Move.to_location_id.in_(customer_ids))
        .group_by(Move.product_id, Move.lot_id)
    ).all()
    shipped: dict[int, Shipped] = defaultdict(Shipped)
    for product_id, lot_id, quantity in rows:
        entry = shipped[product_id]
        entry.quantity += int(quantity)
        if lot_id is not None:
            entry.lots[lot_id] = entry.lots.get(lot_id, 0) + int(quantity)
    return dict(shipped)


def returned_quantity(session: Session, order_id: int, product_id: int) -> int:
    """Units of a product that came back on any RMA of the order (undone ones excluded)."""
    return int(session.scalar(
        select(func.coalesce(func.sum(ReturnUnit.quantity), 0))
        .join(Rma, Rma.id == ReturnUnit.rma_id)
        .where(Rma.order_id == order_id, ReturnUnit.product_id == product_id,
               ReturnUnit.status != "cancelled")
    ))


# --- views ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RmaLineView:
    line_id: int
    line_no: int
    sku: str
    name: str
    announced: int
    received: int
    reason: str


@dataclass(frozen=True)
class UnitView:
    unit_id: int
    code: str  # RU0000012: what the routing label's barcode carries
    line_no: int
    sku: str
    name: str
    product_group: str | None
    lot: str | None
    quantity: int
    status: str  # received | disposed | cancelled
    reason: str
    flags: tuple[str, ...] = ()
    grade: str | None = None
    disposition: str | None = None
    destination: str | None = None
    findings: tuple[str, ...] = ()
    checklist: tuple[tuple[str, bool], ...] = ()
    notes: str = ""
    refund_pct: float | None = None

    @property
    def waiting(self) -> bool:
        return self.status == "received"


@dataclass(frozen=True)
class RmaView:
    rma_id: int
    channel: str
    number: str
    order_number: str
    status: str
    announced: bool
    lines: tuple[RmaLineView, ...]
    units: tuple[UnitView, ...]

    @property
    def label(self) -> str:
        return f"{self.channel} {self.number}"

    @property
    def waiting(self) -> tuple[UnitView, ...]:
        """Units on the returns location that wait for inspection."""
        return tuple(unit for unit in self.units if unit.waiting)

    @property
    def expected(self) -> int:
        return sum(line.announced for line in self.lines)

    @property
    def received(self) -> int:
        return sum(unit.quantity for unit in self.units if unit.status != "cancelled")


def split_codes(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(";") if part)


def unit_view(unit: ReturnUnit) -> UnitView:
    return _unit_view(
        unit.id, unit.line.line_no, unit.product.sku, unit.product.name, unit.product.product_group,
        unit.lot.code if unit.lot else None, unit.quantity, unit.status, unit.line.reason, unit.flags,
        unit.grade, unit.disposition, unit.destination.code if unit.destination else None, unit.findings,
        unit.checklist, unit.notes, unit.refund_pct)


def _unit_view(unit_id: int, line_no: int, sku: str, name: str, group: str | None, lot: str | None,
               quantity: int, status: str, reason: str, flags: str, grade: str | None, disposition: str | None,
               destination: str | None, findings: str, checklist: str, notes: str,
               refund_pct: float | None) -> UnitView:
    checked = json.loads(checklist) if checklist else {}
    return UnitView(unit_id, f"RU{unit_id:07d}", line_no, sku, name, group, lot, quantity, status, reason,
                    split_codes(flags), grade, disposition, destination, split_codes(findings),
                    tuple((code, bool(ok)) for code, ok in checked.items()), notes or "", refund_pct)


def rma_view(session: Session, rma: Rma) -> RmaView:
    """The view of a loaded RMA (its lines and order loaded with it): its units by one statement."""
    head = (rma.id, rma.channel, rma.number, rma.order.number, rma.status, rma.announced)
    lines = [(line.id, line.line_no, line.product.sku, line.product.name, line.quantity, line.reason)
             for line in rma.lines]
    return _rma_view(head, lines, session.execute(_UNIT_ROWS.where(ReturnUnit.rma_id == rma.id)).all())


def rma_views(session: Session, *conditions) -> list[RmaView]:  # noqa: ANN002 - SQL conditions on Rma
    """Views of the RMAs matching ``conditions``, oldest first: one statement of the RMAs with
    their lines, one of their units, however many RMAs (the Returns screen's list)."""
    rows = session.execute(
        select(Rma.id, Rma.channel, Rma.number, SalesOrder.number, Rma.status, Rma.announced,
               RmaLine.id, RmaLine.line_no, Product.sku, Product.name, RmaLine.quantity, RmaLine.reason)
        .join(SalesOrder, SalesOrder.id == Rma.order_id)
        .outerjoin(RmaLine, RmaLine.rma_id == Rma.id).outerjoin(Product, Product.id == RmaLine.product_id)
        .where(*conditions).order_by(Rma.created_at, Rma.id, RmaLine.line_no)).all()
    units: dict[int, list] = defaultdict(list)
    for row in session.execute(_UNIT_ROWS.where(ReturnUnit.rma_id.in_(select(Rma.id).where(*conditions)))):
        units[row.rma_id].append(row)
    heads: dict[int, tuple] = {}
    lines: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        heads.setdefault(row[0], tuple(row[:6]))
        if row[6] is not None:
            lines[row[0]].append(tuple(row[6:]))
    return [_rma_view(head, lines[rma_id], units[rma_id]) for rma_id, head in heads.items()]


# A unit's view as columns: the unit with its line, product, lot and destination.
_DESTINATION = aliased(Location)
_UNIT_ROWS = (
    select(ReturnUnit.rma_id, ReturnUnit.rma_line_id, ReturnUnit.id, RmaLine.line_no, Product.sku, Product.name,
           Product.product_group, Lot.code, ReturnUnit.quantity, ReturnUnit.status, RmaLine.reason,
           ReturnUnit.flags, ReturnUnit.grade, ReturnUnit.disposition, _DESTINATION.code, ReturnUnit.findings,
           ReturnUnit.checklist, ReturnUnit.notes, ReturnUnit.refund_pct)
    .join(RmaLine, RmaLine.id == ReturnUnit.rma_line_id).join(Product, Product.id == ReturnUnit.product_id)
    .outerjoin(Lot, Lot.id == ReturnUnit.lot_id).outerjoin(_DESTINATION, _DESTINATION.id == ReturnUnit.destination_id)
    .order_by(ReturnUnit.id)
)


def _rma_view(head: tuple, lines: list[tuple], unit_rows: list) -> RmaView:
    """head: (id, channel, number, order number, status, announced); lines: (id, line_no, sku,
    name, announced, reason); unit_rows: _UNIT_ROWS rows of the RMA."""
    received: dict[int, int] = defaultdict(int)
    for row in unit_rows:
        if row.status != "cancelled":
            received[row.rma_line_id] += row.quantity
    views = tuple(RmaLineView(line_id, line_no, sku, name, quantity, received[line_id], reason)
                  for line_id, line_no, sku, name, quantity, reason in lines)
    return RmaView(*head, views, tuple(_unit_view(*row[2:]) for row in unit_rows))


def load_rma(session: Session, rma_id: int, *, lock: bool = False) -> Rma:
    query = (select(Rma).where(Rma.id == rma_id)
             .options(selectinload(Rma.lines).joinedload(RmaLine.product), joinedload(Rma.order)))
    if lock:
        query = query.with_for_update(of=Rma)  # one workstation changes an RMA at a time
    rma = session.scalar(query)
    if rma is None:
        raise NotFound(what="RMA", key=str(rma_id))
    return rma


def load_unit(session: Session, unit_id: int, *, lock: bool = False) -> ReturnUnit:
    query = (select(ReturnUnit).where(ReturnUnit.id == unit_id)
             .options(joinedload(ReturnUnit.product), joinedload(ReturnUnit.lot),
                      joinedload(ReturnUnit.line), joinedload(ReturnUnit.location)))
    if lock:
        query = query.with_for_update(of=ReturnUnit)
    unit = session.scalar(query)
    if unit is None:
        raise NotFound(what="Returned unit", key=str(unit_id))
    return unit


def lot_for(session: Session, product: Product, code: str | None) -> Lot | None:
    if product.tracking == "none" or not code:
        return None
    return session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == code))


def check_disposition(disposition: str) -> str:
    if disposition not in DISPOSITIONS:
        raise NotFound(what="Disposition", key=disposition)
    return disposition
