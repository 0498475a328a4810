"""Warehouse-wide rules, shared by every workstation through the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Select, bindparam, select, union_all
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.permissions import use_case
from app.db.models import Location, WarehouseSetting
from app.db.prepared import Prepared, connection
from app.services import audit

_ALL_RULES = Prepared(select(WarehouseSetting.key, WarehouseSetting.value))
_LOCATION = Location.__table__
_LOCATION_COLUMNS = (_LOCATION.c.id, _LOCATION.c.code, _LOCATION.c.kind, _LOCATION.c.blocked)
_LOCATION_BY_CODE = Prepared(select(*_LOCATION_COLUMNS).where(_LOCATION.c.code == bindparam("code")).limit(1))
# The first location of a kind, one statement per kind with the kind written in: PostgreSQL
# keeps the plan of a prepared statement only when it cannot do better knowing the value,
# and with a parameter here it could (the kind's index, not a walk of all bins by id).
_FIRST_OF_KIND: dict[str, Prepared] = {}


def _first_of(kind: str) -> Select:
    return select(*_LOCATION_COLUMNS).where(_LOCATION.c.kind == kind).order_by(_LOCATION.c.id).limit(1)


def _first_of_kind(kind: str) -> Prepared:
    statement = _FIRST_OF_KIND.get(kind)
    if statement is None:
        statement = _FIRST_OF_KIND[kind] = Prepared(_first_of(kind))
    return statement


class LocationRef(NamedTuple):  # a named tuple: made on every scan, in one step
    """A location as the scan path needs it (no ORM object)."""

    id: int
    code: str
    kind: str
    blocked: bool


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
        WarehouseRule("scan_required_at", str, "",
                      "Prompt kinds where a typed code is refused and the label must be scanned: "
                      "a comma list of location, item, tote, document."),
    )
}


def get_rule(session: Session, key: str):  # noqa: ANN201 - typed by the rule
    """A rule's value; read once per transaction (the scan path asks several times)."""
    cache = session.info.get("warehouse_rules")
    if cache is None:  # one small table: read it whole, once
        cache = session.info["warehouse_rules"] = {
            key: value for key, value in _ALL_RULES.execute(connection(session))
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


# The prompt kinds ``scan_required_at`` may name (the dialogue's step and question kinds).
SCAN_PROMPT_KINDS = ("location", "item", "tote", "document")


def scan_required_at(session: Session) -> tuple[str, ...]:
    """The prompt kinds where a typed code is refused, in SCAN_PROMPT_KINDS order."""
    named = {part.strip() for part in str(get_rule(session, "scan_required_at")).split(",")}
    return tuple(kind for kind in SCAN_PROMPT_KINDS if kind in named)


@use_case("set_scan_required_at")
def set_scan_required_at(uow, kinds, *, actor: Actor) -> tuple[str, ...]:  # noqa: ANN001 - UnitOfWork, iterable
    """The admin: refuse typed codes at these prompt kinds (none: typing is accepted everywhere)."""
    unknown = sorted(set(kinds) - set(SCAN_PROMPT_KINDS))
    if unknown:
        raise InvalidInput(field="scan_required_at", reason=f"unknown prompt kind {', '.join(unknown)}")
    chosen = tuple(kind for kind in SCAN_PROMPT_KINDS if kind in set(kinds))
    set_rule(uow.session, "scan_required_at", ",".join(chosen), actor=actor)
    uow.commit()
    return chosen


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


def special_location_ref(session: Session, kind: str) -> LocationRef:
    """``special_location`` as plain values, by one statement built once (the scan path)."""
    configured = get_rule(session, f"{kind}_location") if f"{kind}_location" in RULES else ""
    conn = connection(session)
    row = (_LOCATION_BY_CODE.first(conn, {"code": configured}) if configured
           else _first_of_kind(kind).first(conn))
    if row is None:
        raise NotFound(what=f"{kind} location", key=configured or kind)
    return LocationRef(*row)


_FIRST_OF_KINDS: dict[tuple[str, ...], Prepared] = {}  # built once per combination of kinds
_LOCATION_RULES: dict[tuple[str, ...], tuple[str, ...]] = {}  # kinds -> their "<kind>_location" rules


def special_location_refs(session: Session, *kinds: str) -> tuple[LocationRef, ...]:
    """Several special locations (e.g. dock and supplier) by one statement."""
    rules = _LOCATION_RULES.get(kinds)
    if rules is None:
        rules = _LOCATION_RULES[kinds] = tuple(f"{kind}_location" for kind in kinds if f"{kind}_location" in RULES)
    for rule in rules:
        if get_rule(session, rule):  # a location configured by its code
            return tuple(special_location_ref(session, kind) for kind in kinds)
    statement = _FIRST_OF_KINDS.get(kinds)
    if statement is None:
        firsts = [_first_of(kind).subquery() for kind in kinds]
        statement = _FIRST_OF_KINDS[kinds] = Prepared(union_all(*(select(*first.c) for first in firsts)))
    found = dict.fromkeys(kinds)
    for row in statement.execute(connection(session)):
        found[row[2]] = row
    refs = []
    for kind in kinds:
        row = found[kind]
        if row is None:
            raise NotFound(what=f"{kind} location", key=kind)
        refs.append(tuple.__new__(LocationRef, row))  # LocationRef(*row), by the C call alone
    return tuple(refs)
