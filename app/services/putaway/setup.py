"""Setting up put-away by hand: bin capacities, put-away rules and the deviation setting.
Supervisors only. Importing them from CSV: app/services/imports/putaway.py."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.errors import InvalidInput, NotAllowed
from app.core.permissions import use_case
from app.core.putaway_rules import RULE_SCOPES, STORAGE_KINDS, PutawayRule, rule_problems
from app.db.models import Location, Product, utcnow
from app.db.models_putaway import LocationCapacity, PutawayRuleRow
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.config import set_rule
from app.services.imports.putaway import find_rule
from app.services.putaway.confirm import DEVIATION_POLICIES
from app.services.putaway.data import all_rules


@dataclass(frozen=True)
class CapacityRow:
    location: str
    max_units: int | None = None
    max_weight_kg: float | None = None
    max_volume_l: float | None = None
    mix_lots: bool = True


def _require_supervisor(actor: Actor, action: str) -> None:
    if not actor.is_supervisor:
        raise NotAllowed(who=actor.display_name, action=action)


def _storage_location(session: Session, code: str, field: str) -> Location:
    location = session.scalar(select(Location).where(Location.code == code))
    if location is None:
        raise InvalidInput(field=field, reason=f"no location {code}")
    if location.kind not in STORAGE_KINDS:
        raise InvalidInput(field=field, reason=f"{code} is not a storage bin or pick face")
    return location


@use_case("set_location_capacity")
def set_location_capacity(uow: UnitOfWork, capacity: CapacityRow, *, actor: Actor) -> CapacityRow:
    """Replace a bin's limits (None = no limit) and its lot-mixing flag."""
    _require_supervisor(actor, "change bin capacities")
    for name in ("max_units", "max_weight_kg", "max_volume_l"):
        value = getattr(capacity, name)
        if value is not None and value < 0:
            raise InvalidInput(field=name, reason=f"must be at least 0, got {value}")
    location = _storage_location(uow.session, capacity.location, "location")
    row = uow.session.get(LocationCapacity, location.id)
    if row is None:
        row = LocationCapacity(location_id=location.id)
        uow.session.add(row)
    row.max_units, row.max_weight_kg = capacity.max_units, capacity.max_weight_kg
    row.max_volume_l, row.mix_lots = capacity.max_volume_l, capacity.mix_lots
    audit.record(uow.session, actor, "location_capacity_set", **asdict(capacity))
    uow.commit()
    return capacity


@use_case("set_putaway_rule")
def set_putaway_rule(uow: UnitOfWork, rule: PutawayRule, *, actor: Actor) -> PutawayRule:
    """Create or replace the rule for ``rule.scope`` / ``rule.target`` with every field given."""
    _require_supervisor(actor, "change put-away rules")
    for field, reason in rule_problems(rule):
        raise InvalidInput(field=field, reason=reason)
    session = uow.session
    product = None
    if rule.scope == "product":
        product = session.scalar(select(Product).where(Product.sku == rule.target))
        if product is None:
            raise InvalidInput(field="target", reason=f"no product {rule.target}")
    home = _storage_location(session, rule.home_location, "home_location") if rule.home_location else None
    row = find_rule(session, rule.scope, rule.target)
    if row is None:
        row = PutawayRuleRow(scope=rule.scope, product_id=product.id if product else None,
                             target=None if product else rule.target)
        session.add(row)
    row.home_location_id = home.id if home else None
    row.preferred_zone = rule.preferred_zone
    row.allowed_zones = ";".join(rule.allowed_zones) or None
    row.mix_lots, row.fefo = rule.mix_lots, rule.fefo
    row.updated_at, row.updated_by = utcnow(), actor.user_id
    audit.record(session, actor, "putaway_rule_set", **asdict(rule))
    uow.commit()
    return rule


@use_case("remove_putaway_rule")
def remove_putaway_rule(uow: UnitOfWork, scope: str, target: str, *, actor: Actor) -> bool:
    _require_supervisor(actor, "change put-away rules")
    row = find_rule(uow.session, scope, target)
    if row is None:
        return False
    uow.session.delete(row)
    audit.record(uow.session, actor, "putaway_rule_removed", scope=scope, target=target)
    uow.commit()
    return True


@use_case("set_deviation_policy")
def set_deviation_policy(uow: UnitOfWork, policy: str, *, actor: Actor) -> None:
    """'reason': another bin than suggested is fine with a reason; 'supervisor': only with one."""
    _require_supervisor(actor, "change warehouse settings")
    if policy not in DEVIATION_POLICIES:
        raise InvalidInput(field="putaway_deviation",
                           reason=f"'{policy}' is not one of {', '.join(DEVIATION_POLICIES)}")
    set_rule(uow.session, "putaway_deviation", policy, actor=actor)
    audit.record(uow.session, actor, "setting_changed", key="putaway_deviation", value=policy)
    uow.commit()


def list_putaway_rules(session: Session) -> list[PutawayRule]:
    return sorted(all_rules(session), key=lambda r: (RULE_SCOPES.index(r.scope), r.target))


def list_location_capacities(session: Session) -> list[CapacityRow]:
    rows = session.execute(
        select(LocationCapacity, Location.code)
        .join(Location, Location.id == LocationCapacity.location_id)
        .order_by(Location.code)
    ).all()
    return [CapacityRow(code, row.max_units, row.max_weight_kg, row.max_volume_l, row.mix_lots)
            for row, code in rows]
