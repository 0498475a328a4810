"""Warehouse-wide rules, shared by every workstation through the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.permissions import use_case
from app.db.models import Location, WarehouseSetting
from app.services import audit


@dataclass(frozen=True)
class WarehouseRule:
    key: str
    type: type
    default: object
    description: str


RULES = {
    rule.key: rule
    for rule in (
        WarehouseRule("over_receipt_tolerance_pct", float, 10.0,
                      "Receive up to this % over the ordered quantity without a supervisor."),
        WarehouseRule("receiving_location", str, "", "Location code of the receiving dock."),
        WarehouseRule("quarantine_location", str, "", "Where damaged units go on receipt."),
        WarehouseRule("supplier_location", str, "", "Virtual location goods come from."),
        WarehouseRule("gs1_company_prefix", str, "0614141",
                      "GS1 company prefix for SSCCs (the default is GS1's example prefix)."),
        WarehouseRule("ship_from_address", str, "",
                      "Ship-from name and address on shipping labels, one line per line."),
    )
}


def get_rule(session: Session, key: str):  # noqa: ANN201 - typed by the rule
    """A rule's value; read once per transaction (the scan path asks several times)."""
    cache = session.info.get("warehouse_rules")
    if cache is None:  # one small table: read it whole, once
        cache = session.info["warehouse_rules"] = {
            row.key: row.value for row in session.scalars(select(WarehouseSetting))
        }
    rule = RULES[key]
    return rule.type(cache[key]) if key in cache else rule.default


@use_case("config.set_rule")
def set_rule(session: Session, key: str, value: object, *, actor: Actor) -> None:
    """Change a warehouse rule (the admin alone); the change is audited."""
    if key not in RULES:
        raise InvalidInput(field=key, reason="unknown warehouse setting")
    try:
        text = str(RULES[key].type(value))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(field=key, reason=str(exc)) from exc
    session.info.pop("warehouse_rules", None)
    stored = session.get(WarehouseSetting, key)
    audit.record(session, actor, "warehouse_rule_set", key=key, value=text,
                 before=None if stored is None else stored.value)
    if stored is None:
        session.add(WarehouseSetting(key=key, value=text))
    else:
        stored.value = text


def special_location(session: Session, kind: str) -> Location:
    """The dock, quarantine or supplier location: the configured code, else the first of its kind."""
    configured = get_rule(session, f"{kind}_location") if f"{kind}_location" in RULES else ""
    query = select(Location)
    if configured:
        query = query.where(Location.code == configured)
    else:
        query = query.where(Location.kind == kind).order_by(Location.id)
    location = session.scalar(query.limit(1))
    if location is None:
        raise NotFound(what=f"{kind} location", key=configured or kind)
    return location
