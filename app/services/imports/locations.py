"""Locations import: bins, docks and the virtual ends of moves, one row per location code."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.csv_rules import Column, Problem, Row, Table, duplicates
from app.db.models import LOCATION_KINDS, VIRTUAL_LOCATION_KINDS, Location, Move, OnHand
from app.services.imports.common import Counts, Importer, chunks, existing_by, set_present

COLUMNS = (
    Column("code", "text", "Location code, e.g. A-03-02-1. The key: an existing code is updated.",
           required=True, max_length=64),
    Column("barcode", "text", "What the location's label encodes; blank means the code itself.",
           max_length=64),
    Column("kind", "choice", "What the location is for; supplier, customer and inventory_loss "
           "are virtual (they hold no stock).", required=True, choices=LOCATION_KINDS),
    Column("zone", "text", "Zone name, for put-away rules and reports.", max_length=32),
    Column("aisle", "text", "Aisle name, e.g. A.", max_length=16),
    Column("bay", "integer", "Bay number along the aisle.", minimum=0),
    Column("level", "integer", "Shelf level, 1 = floor / pick face.", minimum=0),
    Column("slot", "integer", "Position within the level.", minimum=0),
    Column("x", "decimal", "Floor position across the aisles, metres (pick routing)."),
    Column("y", "decimal", "Floor position along the aisle from the front cross aisle, metres."),
    Column("blocked", "boolean", "Blocked locations take no stock.", default=False),
)
FIELDS = ("kind", "zone", "aisle", "bay", "level", "slot", "x", "y", "blocked")


def _identifiers(row: Row) -> dict[str, str]:
    """What a scan of this location can match: its code and its barcode."""
    code = row.get("code")
    found = {"code": code} if code else {}
    if row.get("barcode") and row.get("barcode") != code:
        found["barcode"] = row.get("barcode")
    return found


def _clashes_in_file(rows: list[Row]) -> list[Problem]:
    """A scan must find one location: no code or barcode may stand for two rows."""
    problems = []
    first: dict[str, tuple[int, str]] = {}
    for row in rows:
        for column, value in _identifiers(row).items():
            where = first.get(value)
            if where is not None and where[1] != row.get("code"):
                problems.append(Problem(row.number, column, f"{value} is already used on row {where[0]}"))
            first.setdefault(value, (row.number, row.get("code")))
    return problems


def _clashes_in_database(session: Session, rows: list[Row]) -> list[Problem]:
    values = [value for row in rows for value in _identifiers(row).values()]
    holders: dict[str, str] = {}
    for part in chunks(values):
        for code, barcode in session.execute(
            select(Location.code, Location.barcode).where(
                or_(Location.code.in_(part), Location.barcode.in_(part)))
        ):
            holders.setdefault(code, code)
            holders.setdefault(barcode, code)
    problems = []
    for row in rows:
        for column, value in _identifiers(row).items():
            owner = holders.get(value)
            if owner is not None and owner != row.get("code"):
                problems.append(Problem(row.number, column, f"{value} is already used by location {owner}"))
    return problems


def _has_history(session: Session, location: Location) -> bool:
    moved = session.scalar(select(Move.id).where(
        or_(Move.from_location_id == location.id, Move.to_location_id == location.id)).limit(1))
    stocked = session.scalar(select(OnHand.id).where(OnHand.location_id == location.id).limit(1))
    return moved is not None or stocked is not None


def check(session: Session, table: Table) -> list[Problem]:
    rows = table.rows
    problems = duplicates(rows, "code") + _clashes_in_file(rows) + _clashes_in_database(session, rows)
    existing = existing_by(session, Location.code, (row.get("code") for row in rows))
    for row in rows:
        location = existing.get(row.get("code"))
        kind = row.get("kind")
        if location is None or kind is None or kind == location.kind:
            continue
        # The ledger sums physical locations only: switching sides would rewrite history.
        if (kind in VIRTUAL_LOCATION_KINDS) != location.is_virtual and _has_history(session, location):
            problems.append(Problem(row.number, "kind", f"{location.code} has stock history: it cannot "
                                    f"change from {location.kind} to {kind}"))
    return problems


def apply(session: Session, table: Table) -> Counts:
    existing = existing_by(session, Location.code, (row.get("code") for row in table.rows))
    created = updated = 0
    for row in table.rows:
        location = existing.get(row.get("code"))
        if location is None:
            location = Location(code=row.get("code"), blocked=False)
            session.add(location)
            created += 1
        else:
            updated += 1
        set_present(location, row, FIELDS)
        if "barcode" in row.values or location.barcode is None:
            location.barcode = row.get("barcode") or location.code
    session.flush()
    return Counts(created, updated)


IMPORTER = Importer(
    kind="locations",
    noun="locations",
    key="code",
    description="Locations: bins, docks, packing and shipping, and the virtual ends of moves.",
    columns=COLUMNS,
    check=check,
    apply=apply,
)
