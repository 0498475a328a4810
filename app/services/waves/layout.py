"""The floor layout that pick routes are walked on.

Stored as rows (aisles with their x and length, middle cross aisles by y, the depot),
imported from a CSV; a location's place on the floor is its ``aisle`` label plus its ``y``
along the aisle. Without stored aisles the layout is derived from the locations' x/y
(app.core.routing.plan_from_extents, fed by one GROUP BY query). The router assumes one aisle length: the longest
stored aisle is used, shorter aisles simply have no bins near the back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.csv_rules import Column, ImportRejected, Problem, Row, decode, duplicates, read_table
from app.core.errors import InvalidFloorLayout
from app.core.permissions import use_case
from app.core.picking_rules import PICKABLE_KINDS
from app.core.routing import FloorPlan, Layout, plan_from_extents, shortest_route
from app.db.models import Location
from app.db.models_picking import FloorAisle, FloorCrossAisle, FloorDepot
from app.db.uow import UnitOfWork
from app.services import audit

COLUMNS = (
    Column("kind", "choice", "What the row describes.", required=True,
           choices=("aisle", "cross_aisle", "depot")),
    Column("label", "text", "Aisle: its label, as in the locations' aisle column.", max_length=16),
    Column("x", "decimal", "Aisle or depot: position across the aisles."),
    Column("y", "decimal", "Cross aisle: position along the aisles (> 0). Depot: 0 or blank."),
    Column("length", "decimal", "Aisle: length from the front cross aisle.", minimum=0),
)


@dataclass(frozen=True)
class LayoutSummary:
    aisles: int
    cross_aisles: int
    depot: tuple[float, float]


@use_case("import_layout_csv")
def import_layout_csv(uow: UnitOfWork, data: bytes, *, file: str, actor: Actor) -> LayoutSummary:
    """Replace the stored layout with the file's; every problem is reported, nothing is
    written unless there are none."""
    table = read_table(decode(data, file), COLUMNS)
    problems = list(table.problems)
    if not problems:
        problems += _row_problems(table.rows)
    if not problems:
        problems += _layout_problems(table.rows)
    if problems:
        raise ImportRejected(problems, file=file)
    session = uow.session
    for model in (FloorAisle, FloorCrossAisle, FloorDepot):
        session.execute(delete(model))
    aisles = [row for row in table.rows if row.get("kind") == "aisle"]
    crosses = [row for row in table.rows if row.get("kind") == "cross_aisle"]
    depot = next((row for row in table.rows if row.get("kind") == "depot"), None)
    session.add_all(FloorAisle(label=row.get("label"), x=row.get("x"), length=row.get("length"))
                    for row in aisles)
    session.add_all(FloorCrossAisle(y=row.get("y")) for row in crosses)
    depot_x = depot.get("x") if depot else min(row.get("x") for row in aisles)
    session.add(FloorDepot(id=1, x=depot_x, y=0.0))
    audit.record(session, actor, "layout_imported", file=file, aisles=len(aisles))
    session.flush()
    uow.commit()
    return LayoutSummary(len(aisles), len(crosses), (depot_x, 0.0))


def _row_problems(rows: list[Row]) -> list[Problem]:
    needs = {"aisle": ("label", "x", "length"), "cross_aisle": ("y",), "depot": ("x",)}
    problems = []
    for row in rows:
        kind = row.get("kind")
        problems += [Problem(row.number, name, f"required when kind is {kind}")
                     for name in needs[kind] if row.get(name) is None]
        if kind == "depot" and row.get("y") not in (None, 0.0):
            problems.append(Problem(row.number, "y", "the depot must be on the front cross aisle (y = 0)"))
        if kind == "cross_aisle" and (row.get("y") or 0) <= 0:
            problems.append(Problem(row.number, "y", "a middle cross aisle lies beyond the front (y > 0)"))
    aisles = [row for row in rows if row.get("kind") == "aisle"]
    if not aisles:
        problems.append(Problem(1, "kind", "the layout needs at least one aisle row"))
    problems += duplicates(aisles, "label", what=None)
    problems += duplicates(aisles, "x", what=None)
    problems += duplicates([row for row in rows if row.get("kind") == "cross_aisle"], "y")
    for extra in [row for row in rows if row.get("kind") == "depot"][1:]:
        problems.append(Problem(extra.number, "kind", "only one depot row"))
    return problems


def _layout_problems(rows: list[Row]) -> list[Problem]:
    aisles = sorted((row for row in rows if row.get("kind") == "aisle"), key=lambda r: r.get("x"))
    length = max(row.get("length") for row in aisles)
    problems = [Problem(row.number, "y", f"beyond the aisles' length {length:g}")
                for row in rows if row.get("kind") == "cross_aisle" and row.get("y") >= length]
    if not problems:
        try:
            _layout([row.get("x") for row in aisles], length,
                    [row.get("y") for row in rows if row.get("kind") == "cross_aisle"], None)
        except InvalidFloorLayout as exc:
            problems.append(Problem(1, "", exc.params["reason"]))
    return problems


def _layout(xs: Sequence[float], length: float, crosses: Sequence[float], depot_x: float | None) -> Layout:
    return Layout.from_aisles(xs, length, sorted(crosses), None if depot_x is None else (depot_x, 0.0))


def floor_plan(session: Session) -> FloorPlan | None:
    """The routing layout: stored rows first, else derived from located pickable bins;
    None when the floor is unknown (tasks then go in location-code order). Call it once per
    release: one query for the derived plan (one row per aisle label), three for a stored one.

    A stored layout that cannot be walked (rows edited past the import's checks) raises
    ``InvalidFloorLayout`` naming the problem; a derived one never does: labels at one x
    share an aisle, bins off the floor (negative or non-finite coordinates) come last."""
    aisles = session.execute(select(FloorAisle.label, FloorAisle.x, FloorAisle.length)
                             .order_by(FloorAisle.x, FloorAisle.label)).all()
    if aisles:
        return _stored_plan(session, aisles)
    extents = session.execute(
        select(Location.aisle, func.min(Location.x), func.max(Location.x), func.max(Location.y))
        .where(Location.kind.in_(PICKABLE_KINDS), Location.aisle.is_not(None),
               Location.x.between(-_FINITE, _FINITE), Location.y.between(0.0, _FINITE))
        .group_by(Location.aisle)).all()
    return plan_from_extents(extents) if extents else None


# Bounds that leave out NaN and infinities on both backends (PostgreSQL sorts NaN above all).
_FINITE = 1e300


def _stored_plan(session: Session, aisles) -> FloorPlan:
    for (label_a, x_a, _), (label_b, x_b, _) in zip(aisles, aisles[1:]):
        if x_a == x_b:
            raise InvalidFloorLayout(f"aisles {label_a} and {label_b} share x = {x_a:g}; "
                                     "import a corrected layout")
    depot_x = session.scalar(select(FloorDepot.x).where(FloorDepot.id == 1))
    try:
        layout = _layout([a.x for a in aisles], max(a.length for a in aisles),
                         list(session.scalars(select(FloorCrossAisle.y))), depot_x)
    except InvalidFloorLayout as error:
        raise InvalidFloorLayout(f"{error.params['reason']}; import a corrected layout") from None
    return FloorPlan(layout, {a.label: i for i, a in enumerate(aisles)})


def walking_order(plan: FloorPlan | None, locations: Sequence[Location]) -> tuple[list[int], float | None]:
    """Indices of ``locations`` in the shortest walk from the depot and back, and its
    length. Bins the layout does not place come last, by code."""
    placed = [i for i, loc in enumerate(locations) if plan is not None and plan.places(loc)]
    unplaced = sorted(set(range(len(locations))) - set(placed), key=lambda i: locations[i].code)
    if not placed:
        return unplaced, None
    route = shortest_route(plan.layout, [plan.pick_at(locations[i]) for i in placed])
    return [placed[i] for i in route.order] + unplaced, route.length
