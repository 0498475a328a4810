"""Locations import: bins, docks and the virtual ends of moves, one row per location code."""

from __future__ import annotations

from operator import itemgetter

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.csv_rules import Column, Problem, Table
from app.db.models import LOCATION_KINDS, VIRTUAL_LOCATION_KINDS, Location, Move, OnHand
from app.services.imports.common import (
    LOOKUP,
    Counts,
    Importer,
    chunks,
    insert_tuples,
    one_of,
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


def _identifiers(table: Table) -> list[tuple[int, str | None, str | None]]:
    """Each row's number and what a scan of it can match: its code, and its barcode when
    that is another text (else None). Worked out once per batch."""
    if "_identifiers" not in table.memo:
        found = []
        for row in table.rows:
            values = row.values
            code, barcode = values.get("code"), values.get("barcode")
            found.append((row.number, code or None, barcode if barcode and barcode != code else None))
        table.memo["_identifiers"] = found
    return table.memo["_identifiers"]  # type: ignore[return-value]


def _clashes_in_file(table: Table) -> list[Problem]:
    """A code twice in the file; and a scan must find one location: no code or barcode may
    stand for two rows (the Table's ``seen``: the codes and identifiers of every batch so far)."""
    codes, first = table.seen("code"), table.seen("identifier")
    identifiers = _identifiers(table)
    if all(barcode is None for _, _, barcode in identifiers):  # each row's code only, as most files
        batch = [(number, code) for number, code, _ in identifiers if code is not None]
        new = {code for _, code in batch}
        if len(new) == len(batch) and codes.keys().isdisjoint(new) and first.keys().isdisjoint(new):
            codes.update((code, number) for number, code in batch)  # what the loop below would do
            first.update((code, (number, code)) for number, code in batch)
            return []
    problems = []
    for number, code, barcode in identifiers:
        if code is None:
            continue
        if code in codes:
            problems.append(Problem(number, "code", f"{code} is already on row {codes[code]}"))
        else:
            codes[code] = number
        where = first.get(code)
        if where is None:
            first[code] = (number, code)
        elif where[1] != code:
            problems.append(Problem(number, "code", f"{code} is already used on row {where[0]}"))
        if barcode is not None:
            where = first.get(barcode)
            if where is None:
                first[barcode] = (number, code)
            elif where[1] != code:
                problems.append(Problem(number, "barcode", f"{barcode} is already used on row {where[0]}"))
    return problems


def _stored(session: Session, table: Table) -> tuple[dict[str, dict], dict[str, str]]:
    """One lookup for the batch's codes and barcodes: the batch's locations already stored,
    by code (id, kind; kept for apply() as ``existing``), and the stored location each of
    the batch's identifiers already stands for (``holders``: identifier -> its code)."""
    identifiers = _identifiers(table)
    codes = [code for _, code, _ in identifiers if code is not None]
    batch_codes = set(codes)
    values = codes + [barcode for _, _, barcode in identifiers if barcode is not None]
    existing: dict[str, dict] = {}
    holders: dict[str, str] = {}
    query = select(LOCATIONS.c.id, LOCATIONS.c.code, LOCATIONS.c.barcode, LOCATIONS.c.kind)
    for part in chunks(values, LOOKUP // 2):
        for location_id, code, barcode, kind in session.execute(
                query.where(or_(one_of(session, LOCATIONS.c.code, part), one_of(session, LOCATIONS.c.barcode, part)))):
            holders.setdefault(code, code)
            holders.setdefault(barcode, code)
            if code in batch_codes:
                existing[code] = {"id": location_id, "kind": kind}
    table.memo["existing"] = existing
    return existing, holders


def _clashes_in_database(table: Table, holders: dict[str, str]) -> list[Problem]:
    problems = []
    if not holders:
        return problems
    for number, code, barcode in _identifiers(table):
        for column, value in (("code", code), ("barcode", barcode)):
            owner = holders.get(value) if value is not None else None
            if owner is not None and owner != code:
                problems.append(Problem(number, column, f"{value} is already used by location {owner}"))
    return problems


def _with_history(session: Session, ids: list[int]) -> set[int]:
    """Which of the locations ``ids`` have moves or stock rows (two queries per LOOKUP ids)."""
    found: set[int] = set()
    for part in chunks(ids, LOOKUP // 2):
        found.update(session.scalars(select(Move.from_location_id).where(Move.from_location_id.in_(part))
                                     .union(select(Move.to_location_id).where(Move.to_location_id.in_(part)))))
        found.update(session.scalars(select(OnHand.location_id).where(OnHand.location_id.in_(part)).distinct()))
    return found


def check(session: Session, table: Table) -> list[Problem]:
    """One batch of the file (``Importer.batched``): nothing of the file is written yet."""
    existing, holders = _stored(session, table)
    problems = _clashes_in_file(table) + _clashes_in_database(table, holders)
    if not existing:
        return problems
    # The ledger sums physical locations only: switching sides would rewrite history.
    switching = [(row, existing[row.get("code")]) for row in table.rows
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
    """New locations in one INSERT executemany of plain tuples (the driver's own statement:
    nothing is compiled or converted per row), changed ones by UPDATE executemany
    (common.update_rows): a few statements per batch, no ORM object per row. Every row of
    the batch was read without a problem, so each has every column of the file."""
    existing = table.memo["existing"] if "existing" in table.memo else _stored(session, table)[0]
    fields = [name for name in FIELDS if table.has(name)]  # "kind" is required
    absent = [name for name in NEW_LOCATION if name not in fields]
    defaults = tuple(NEW_LOCATION[name] for name in absent)
    pick = itemgetter("code", *fields)
    new: list[tuple] = []
    changed: list[dict] = []
    for row in table.rows:
        values = row.values
        code = values["code"]
        location = existing.get(code) if existing else None
        if location is None:
            new.append((values.get("barcode") or code, *pick(values), *defaults))
        else:
            update = {"id": location["id"], **{name: values[name] for name in fields}}
            if "barcode" in values:
                update["barcode"] = values["barcode"] or code
            changed.append(update)
    if new:
        insert_tuples(session, LOCATIONS, ("barcode", "code", *fields, *absent), new)
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
