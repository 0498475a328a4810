"""Locations import: bins, docks and the virtual ends of moves, one row per location code."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.csv_rules import Column, Problem, Row, Table, duplicates
from app.db.models import LOCATION_KINDS, VIRTUAL_LOCATION_KINDS, Location, Move, OnHand
from app.services.imports.common import (
    LOOKUP,
    Counts,
    Importer,
    chunks,
    insert_rows,
    key_lookup,
    one_of,
    present,
    update_rows,
)

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


def _clashes_in_file(rows: list[Row], first: dict[str, tuple[int, str]]) -> list[Problem]:
    """A scan must find one location: no code or barcode may stand for two rows (``first``:
    the identifiers of every batch so far)."""
    problems = []
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
    for part in chunks(values, LOOKUP // 2):
        for code, barcode in session.execute(
            select(Location.code, Location.barcode).where(
                or_(one_of(session, Location.code, part), one_of(session, Location.barcode, part)))
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


def _with_history(session: Session, ids: list[int]) -> set[int]:
    """Which of the locations ``ids`` have moves or stock rows (two queries per LOOKUP ids)."""
    found: set[int] = set()
    for part in chunks(ids, LOOKUP // 2):
        found.update(session.scalars(select(Move.from_location_id).where(Move.from_location_id.in_(part))
                                     .union(select(Move.to_location_id).where(Move.to_location_id.in_(part)))))
        found.update(session.scalars(select(OnHand.location_id).where(OnHand.location_id.in_(part)).distinct()))
    return found


def _existing(session: Session, table: Table) -> dict[str, dict]:
    """The batch's locations already stored, by code (id, kind), kept for apply()."""
    if "existing" not in table.memo:
        table.memo["existing"] = key_lookup(session, LOCATIONS.c.code, (LOCATIONS.c.id, LOCATIONS.c.kind),
                                            (row.get("code") for row in table.rows))
    return table.memo["existing"]  # type: ignore[return-value]


def check(session: Session, table: Table) -> list[Problem]:
    rows = table.rows
    problems = (duplicates(rows, "code", first=table.seen("code")) + _clashes_in_file(rows, table.seen("identifier"))
                + _clashes_in_database(session, rows))
    existing = _existing(session, table)
    # The ledger sums physical locations only: switching sides would rewrite history.
    switching = [(row, existing[row.get("code")]) for row in rows
                 if row.get("code") in existing and row.get("kind") is not None
                 and (row.get("kind") in VIRTUAL_LOCATION_KINDS)
                 != (existing[row.get("code")]["kind"] in VIRTUAL_LOCATION_KINDS)]
    history = _with_history(session, [location["id"] for _, location in switching])
    for row, location in switching:
        if location["id"] in history:
            problems.append(Problem(row.number, "kind", f"{row.get('code')} has stock history: it cannot "
                                    f"change from {location['kind']} to {row.get('kind')}"))
    return problems


NEW_LOCATION = {"zone": None, "aisle": None, "bay": None, "level": None, "slot": None, "x": None, "y": None,
                "blocked": False}
LOCATIONS = Location.__table__


def apply(session: Session, table: Table) -> Counts:
    """INSERT and UPDATE executemany (common.insert_rows / update_rows): a few statements
    per batch, no ORM object per row."""
    existing = _existing(session, table)
    new, changed = [], []
    for row in table.rows:
        code = row.values["code"]
        values = present(row, FIELDS)
        if "barcode" in row.values:
            values["barcode"] = row.values["barcode"] or code
        location = existing.get(code)
        if location is None:
            new.append({**NEW_LOCATION, "code": code, "barcode": code, **values})
        elif values:
            changed.append({"id": location["id"], **values})
    insert_rows(session, LOCATIONS, new)
    update_rows(session, LOCATIONS, changed)
    session.expire_all()  # ORM objects loaded before the import must not hide what the statements wrote
    return Counts(len(new), len(table.rows) - len(new))


IMPORTER = Importer(
    kind="locations",
    noun="locations",
    key="code",
    description="Locations: bins, docks, packing and shipping, and the virtual ends of moves.",
    columns=COLUMNS,
    check=check,
    apply=apply,
    batched=True,
)
