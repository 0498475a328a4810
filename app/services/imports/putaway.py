"""CSV imports for put-away: bin capacities and put-away rules (app.services.imports style).

Two ``Importer``s for app.services.imports.IMPORTERS: all rows or none, every problem by
row and column; an existing key is updated, a column left out of the file leaves that field
alone, a blank cell resets it ("no limit" / "no opinion").

    bin-capacities  location, max_units, max_weight_kg, max_volume_l, mix_lots
    putaway-rules   scope, target, home_location, preferred_zone, allowed_zones, mix_lots, fefo
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.csv_rules import Column, Problem, Row, Table, duplicates
from app.core.putaway_rules import RULE_SCOPES, STORAGE_KINDS, PutawayRule, rule_problems
from app.db.models import Location, Product
from app.db.models_putaway import LocationCapacity, PutawayRuleRow
from app.services.imports.common import Counts, Importer, existing_by, set_present
from app.services.putaway.data import split_zones

CAPACITY_COLUMNS = (
    Column("location", "text", "Location code of the bin. The key: an existing limit is replaced.",
           required=True, max_length=64),
    Column("max_units", "integer", "Most units the bin holds, all products together; blank = no limit.",
           minimum=0),
    Column("max_weight_kg", "decimal", "Most weight in kg (products' weight_kg); blank = no limit.",
           minimum=0),
    Column("max_volume_l", "decimal", "Most volume in litres (products' length x width x height); "
           "blank = no limit.", minimum=0),
    Column("mix_lots", "boolean", "May the bin hold several lots of one product? no = never, "
           "whatever the rules say.", default=True),
)
CAPACITY_FIELDS = ("max_units", "max_weight_kg", "max_volume_l", "mix_lots")

RULE_COLUMNS = (
    Column("scope", "choice", "What the rule is for: a product, a product group or a zone.",
           required=True, choices=RULE_SCOPES),
    Column("target", "text", "The SKU, product group or zone name. With scope, the key.",
           required=True, max_length=64),
    Column("home_location", "text", "Products only: the bin the product always goes to first.",
           max_length=64),
    Column("preferred_zone", "text", "Products and groups: empty bins are looked for here first.",
           max_length=32),
    Column("allowed_zones", "text", "Products and groups: the only zones allowed, separated by ';'; "
           "blank = every zone."),
    Column("mix_lots", "boolean", "May lots be mixed in a bin? Blank = the next rule decides "
           "(product, group, zone; default yes)."),
    Column("fefo", "boolean", "Put a lot only with stock expiring no later? Blank = the next rule "
           "decides (default: yes for products with expiry dates)."),
)
RULE_FIELDS = ("home_location", "preferred_zone", "allowed_zones", "mix_lots", "fefo")


def rule_from_row(row: Row) -> tuple[PutawayRule, list[Problem]]:
    """A read row -> the rule it states, and what does not fit the rule's scope (pure)."""
    rule = PutawayRule(
        scope=str(row.get("scope") or ""),
        target=str(row.get("target") or ""),
        home_location=row.get("home_location"),  # type: ignore[arg-type]
        preferred_zone=row.get("preferred_zone"),  # type: ignore[arg-type]
        allowed_zones=split_zones(row.get("allowed_zones")),  # type: ignore[arg-type]
        mix_lots=row.get("mix_lots"),  # type: ignore[arg-type]
        fefo=row.get("fefo"),  # type: ignore[arg-type]
    )
    # The scope cell is checked when it is read (a choice column); only report the others.
    problems = [Problem(row.number, column, reason) for column, reason in rule_problems(rule)
                if column in row.values and column != "scope"]
    return rule, problems


# --- bin capacities ------------------------------------------------------------------------
def check_capacities(session: Session, table: Table) -> list[Problem]:
    problems = duplicates(table.rows, "location")
    locations = existing_by(session, Location.code, (row.get("location") for row in table.rows))
    for row in table.rows:
        code = row.get("location")
        location = locations.get(code)
        if code is not None and location is None:
            problems.append(Problem(row.number, "location", f"no location {code} (import locations first)"))
        elif location is not None and location.kind not in STORAGE_KINDS:
            problems.append(Problem(row.number, "location", f"{code} is a {location.kind} location, "
                                    "not a storage bin or pick face"))
    return problems


def apply_capacities(session: Session, table: Table) -> Counts:
    locations = existing_by(session, Location.code, (row.get("location") for row in table.rows))
    created = updated = 0
    for row in table.rows:
        location = locations[row.get("location")]
        capacity = session.get(LocationCapacity, location.id)
        if capacity is None:
            capacity = LocationCapacity(location_id=location.id, mix_lots=True)
            session.add(capacity)
            created += 1
        else:
            updated += 1
        set_present(capacity, row, CAPACITY_FIELDS)
    session.flush()
    return Counts(created, updated)


CAPACITY_IMPORTER = Importer(
    kind="bin-capacities",
    noun="bins",
    key="location",
    description="Bin capacities for put-away: units, weight, volume, and whether lots may mix.",
    columns=CAPACITY_COLUMNS,
    check=check_capacities,
    apply=apply_capacities,
)


# --- put-away rules --------------------------------------------------------------------------
def _key(row: Row) -> tuple[object, object] | None:
    return (row.get("scope"), row.get("target")) if row.get("target") is not None else None


def check_rules(session: Session, table: Table) -> list[Problem]:
    rows = table.rows
    problems = duplicates(rows, "target", key=_key, what="a rule for this target")
    skus = existing_by(session, Product.sku, (r.get("target") for r in rows if r.get("scope") == "product"))
    homes = existing_by(session, Location.code, (r.get("home_location") for r in rows))
    for row in rows:
        _, scope_problems = rule_from_row(row)
        problems.extend(scope_problems)
        if row.get("scope") == "product" and row.get("target") is not None and row.get("target") not in skus:
            problems.append(Problem(row.number, "target", f"no product {row.get('target')} (import products first)"))
        home = row.get("home_location")
        if home is not None and home not in homes:
            problems.append(Problem(row.number, "home_location", f"no location {home}"))
        elif home is not None and homes[home].kind not in STORAGE_KINDS:
            problems.append(Problem(row.number, "home_location", f"{home} is not a storage bin or pick face"))
    return problems


def apply_rules(session: Session, table: Table) -> Counts:
    skus = existing_by(session, Product.sku, (r.get("target") for r in table.rows if r.get("scope") == "product"))
    homes = existing_by(session, Location.code, (r.get("home_location") for r in table.rows))
    created = updated = 0
    for row in table.rows:
        scope, target = row.get("scope"), row.get("target")
        product = skus.get(target) if scope == "product" else None
        stored = find_rule(session, scope, target)  # type: ignore[arg-type]
        if stored is None:
            stored = PutawayRuleRow(scope=scope, product_id=product.id if product else None,
                                    target=None if product else target)
            session.add(stored)
            created += 1
        else:
            updated += 1
        set_present(stored, row, ("preferred_zone", "mix_lots", "fefo"))
        if "home_location" in row.values:
            home = homes.get(row.get("home_location"))
            stored.home_location_id = home.id if home else None
        if "allowed_zones" in row.values:
            stored.allowed_zones = ";".join(split_zones(row.get("allowed_zones"))) or None  # type: ignore[arg-type]
    session.flush()
    return Counts(created, updated)


def find_rule(session: Session, scope: str, target: str) -> PutawayRuleRow | None:
    if scope == "product":
        return session.scalar(select(PutawayRuleRow).join(Product, Product.id == PutawayRuleRow.product_id)
                              .where(Product.sku == target))
    return session.scalar(select(PutawayRuleRow).where(PutawayRuleRow.scope == scope,
                                                        PutawayRuleRow.target == target))


RULE_IMPORTER = Importer(
    kind="putaway-rules",
    noun="rules",
    key="scope+target",
    description="Put-away rules per product, product group or zone: home bin, zones, lots, FEFO.",
    columns=RULE_COLUMNS,
    check=check_rules,
    apply=apply_rules,
)
