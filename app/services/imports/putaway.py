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
from app.services.imports.common import (
    LOOKUP,
    Counts,
    Importer,
    chunks,
    insert_rows,
    key_lookup,
    present,
    update_rows,
)
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
LOCATIONS, CAPACITIES, RULES = Location.__table__, LocationCapacity.__table__, PutawayRuleRow.__table__


def _locations(session: Session, table: Table, column: str) -> dict[str, dict]:
    """The batch's locations named in ``column``, by code (id, kind), kept for apply()."""
    if column not in table.memo:
        table.memo[column] = key_lookup(session, LOCATIONS.c.code, (LOCATIONS.c.id, LOCATIONS.c.kind),
                                        (row.get(column) for row in table.rows))
    return table.memo[column]  # type: ignore[return-value]


def check_capacities(session: Session, table: Table) -> list[Problem]:
    problems = duplicates(table.rows, "location", first=table.seen("location"))
    locations = _locations(session, table, "location")
    for row in table.rows:
        code = row.get("location")
        location = locations.get(code)
        if code is not None and location is None:
            problems.append(Problem(row.number, "location", f"no location {code} (import locations first)"))
        elif location is not None and location["kind"] not in STORAGE_KINDS:
            problems.append(Problem(row.number, "location", f"{code} is a {location['kind']} location, "
                                    "not a storage bin or pick face"))
    return problems


NEW_CAPACITY = {"max_units": None, "max_weight_kg": None, "max_volume_l": None, "mix_lots": True}


def apply_capacities(session: Session, table: Table) -> Counts:
    """A few INSERT / UPDATE executemany statements per batch."""
    locations = _locations(session, table, "location")
    ids = [locations[row.values["location"]]["id"] for row in table.rows]
    stored = key_lookup(session, CAPACITIES.c.location_id, (CAPACITIES.c.location_id,), ids)
    new, changed = [], []
    for row, location_id in zip(table.rows, ids, strict=True):
        values = present(row, CAPACITY_FIELDS)
        if location_id in stored:
            changed.append({"location_id": location_id, **values})
        else:
            new.append({**NEW_CAPACITY, "location_id": location_id, **values})
    insert_rows(session, CAPACITIES, new)
    update_rows(session, CAPACITIES, changed, key="location_id")
    session.expire_all()
    return Counts(len(new), len(changed))


CAPACITY_IMPORTER = Importer(
    kind="bin-capacities",
    noun="bins",
    key="location",
    description="Bin capacities for put-away: units, weight, volume, and whether lots may mix.",
    columns=CAPACITY_COLUMNS,
    check=check_capacities,
    apply=apply_capacities,
    batched=True,
)


# --- put-away rules --------------------------------------------------------------------------
def _key(row: Row) -> tuple[object, object] | None:
    return (row.get("scope"), row.get("target")) if row.get("target") is not None else None


def _products(session: Session, table: Table) -> dict[str, dict]:
    if "products" not in table.memo:
        table.memo["products"] = key_lookup(session, Product.__table__.c.sku, (Product.__table__.c.id,), (
            row.get("target") for row in table.rows if row.get("scope") == "product"))
    return table.memo["products"]  # type: ignore[return-value]


def check_rules(session: Session, table: Table) -> list[Problem]:
    rows = table.rows
    problems = duplicates(rows, "target", key=_key, what="a rule for this target", first=table.seen("rule"))
    skus = _products(session, table)
    homes = _locations(session, table, "home_location")
    for row in rows:
        _, scope_problems = rule_from_row(row)
        problems.extend(scope_problems)
        if row.get("scope") == "product" and row.get("target") is not None and row.get("target") not in skus:
            problems.append(Problem(row.number, "target", f"no product {row.get('target')} (import products first)"))
        home = row.get("home_location")
        if home is not None and home not in homes:
            problems.append(Problem(row.number, "home_location", f"no location {home}"))
        elif home is not None and homes[home]["kind"] not in STORAGE_KINDS:
            problems.append(Problem(row.number, "home_location", f"{home} is not a storage bin or pick face"))
    return problems


def _stored_rules(session: Session, table: Table, skus: dict[str, dict]) -> dict[tuple, int]:
    """Rules already stored for the batch's rows: (scope, target) -> id, in two queries per
    LOOKUP keys (product rules by product id, the others by target)."""
    product_ids = {skus[row.values["target"]]["id"]: row.values["target"]
                   for row in table.rows if row.values["scope"] == "product"}
    found: dict[tuple, int] = {}
    for part in chunks(product_ids, LOOKUP):
        for rule_id, product_id in session.execute(
                select(RULES.c.id, RULES.c.product_id).where(RULES.c.product_id.in_(part))):
            found[("product", product_ids[product_id])] = rule_id
    targets = [row.values["target"] for row in table.rows if row.values["scope"] != "product"]
    for part in chunks(targets, LOOKUP):
        for rule_id, scope, target in session.execute(
                select(RULES.c.id, RULES.c.scope, RULES.c.target).where(RULES.c.target.in_(part),
                                                                         RULES.c.scope != "product")):
            found[(scope, target)] = rule_id
    return found


def apply_rules(session: Session, table: Table) -> Counts:
    """A few INSERT / UPDATE executemany statements per batch."""
    skus = _products(session, table)
    homes = _locations(session, table, "home_location")
    stored = _stored_rules(session, table, skus)
    new, changed = [], []
    for row in table.rows:
        scope, target = row.values["scope"], row.values["target"]
        values = present(row, ("preferred_zone", "mix_lots", "fefo"))
        if "home_location" in row.values:
            home = homes.get(row.values["home_location"])
            values["home_location_id"] = home["id"] if home else None
        if "allowed_zones" in row.values:
            values["allowed_zones"] = ";".join(split_zones(row.values["allowed_zones"])) or None  # type: ignore[arg-type]
        rule_id = stored.get((scope, target))
        if rule_id is None:
            product = skus[target]["id"] if scope == "product" else None
            new.append({**NEW_RULE, "scope": scope, "product_id": product,
                        "target": None if product else target, **values})
        else:
            changed.append({"id": rule_id, **values})
    insert_rows(session, RULES, new)
    update_rows(session, RULES, changed)
    session.expire_all()
    return Counts(len(new), len(changed))


NEW_RULE = {"home_location_id": None, "preferred_zone": None, "allowed_zones": None, "mix_lots": None,
            "fefo": None}


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
    batched=True,
)
