"""Warehouse geometry for pick routing: parallel aisles joined by straight cross aisles.

Coordinates: x runs along the cross aisles, y along the aisles. The front cross aisle is at
y = 0, the back one at y = ``aisle_length``; optional middle cross aisles split the floor
into blocks. Aisles are narrow (the side of the aisle is ignored), so a pick is just
(aisle index, y). Walking is only possible along aisles and cross aisles.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from app.core.errors import InvalidFloorLayout


class Pick(NamedTuple):
    """A pick position: aisle index (into ``Layout.aisle_xs``) and distance from the front."""

    aisle: int
    y: float


class Point(NamedTuple):
    """A position on the walkable network in floor coordinates (used for the depot)."""

    x: float
    y: float


@dataclass(frozen=True)
class Layout:
    """Aisles at ``aisle_xs`` (increasing), all ``aisle_length`` long.

    ``cross_aisles_y`` holds only the middle cross aisles; the front (y = 0) and back
    (y = aisle_length) cross aisles always exist. The depot lies on the front cross aisle,
    anywhere along it (not necessarily in front of an aisle).
    """

    aisle_xs: tuple[float, ...]
    aisle_length: float
    cross_aisles_y: tuple[float, ...] = ()
    depot: Point = None  # type: ignore[assignment]  # None: in front of the first aisle

    def __post_init__(self) -> None:
        object.__setattr__(self, "aisle_xs", tuple(float(x) for x in self.aisle_xs))
        object.__setattr__(self, "cross_aisles_y", tuple(float(y) for y in self.cross_aisles_y))
        object.__setattr__(self, "aisle_length", float(self.aisle_length))
        if not self.aisle_xs:
            raise InvalidFloorLayout("a layout needs at least one aisle")
        depot = (self.aisle_xs[0], 0.0) if self.depot is None else self.depot
        object.__setattr__(self, "depot", Point(float(depot[0]), float(depot[1])))
        numbers = (*self.aisle_xs, *self.cross_aisles_y, self.aisle_length, *self.depot)
        if not all(math.isfinite(v) for v in numbers):
            raise InvalidFloorLayout("every coordinate must be a finite number")
        for a, b in zip(self.aisle_xs, self.aisle_xs[1:]):
            if b <= a:
                raise InvalidFloorLayout(f"aisle x coordinates must be strictly increasing ({a:g}, {b:g})")
        if not self.aisle_length > 0:
            raise InvalidFloorLayout("aisle length must be positive")
        ys = (0.0, *self.cross_aisles_y, self.aisle_length)
        if any(b <= a for a, b in zip(ys, ys[1:])):
            raise InvalidFloorLayout(
                f"middle cross aisles must increase strictly inside (0, {self.aisle_length:g})")
        if self.depot.y != 0.0:
            raise InvalidFloorLayout("the depot must be on the front cross aisle (y = 0)")

    @classmethod
    def from_aisles(
        cls,
        aisle_xs: Sequence[float],
        aisle_length: float,
        cross_aisles_y: Sequence[float] = (),
        depot: tuple[float, float] | None = None,
    ) -> Layout:
        """Layout with the depot in front of the first aisle unless told otherwise."""
        return cls(tuple(aisle_xs), aisle_length, tuple(sorted(cross_aisles_y)),
                   None if depot is None else Point(*depot))

    @property
    def cross_ys(self) -> tuple[float, ...]:
        """y of every cross aisle, front first."""
        return (0.0, *self.cross_aisles_y, self.aisle_length)

    @property
    def block_count(self) -> int:
        return len(self.cross_aisles_y) + 1

    def block_of(self, y: float) -> int:
        """Block holding y; a point on a middle cross aisle counts for the block behind it."""
        return min(max(bisect.bisect_right(self.cross_ys, y) - 1, 0), self.block_count - 1)

    def point(self, pick: Pick | tuple[int, float]) -> Point:
        aisle, y = pick
        if not 0 <= aisle < len(self.aisle_xs):
            raise InvalidFloorLayout(f"no aisle with index {aisle}")
        if not 0.0 <= y <= self.aisle_length:
            raise InvalidFloorLayout(f"y={y} lies outside aisle {aisle}")
        return Point(self.aisle_xs[aisle], float(y))


def as_point(layout: Layout, where: Pick | Point | tuple[int, float]) -> Point:
    """``Point`` instances are floor coordinates; any other pair is an (aisle, y) pick."""
    if not isinstance(where, Point):
        return layout.point(where)
    on_aisle = _on_aisle(layout, where) and 0.0 <= where.y <= layout.aisle_length
    if not on_aisle and where.y not in layout.cross_ys:
        raise InvalidFloorLayout(f"{where} is not on an aisle or a cross aisle")
    return where


def distance(layout: Layout, a: Pick | Point | tuple, b: Pick | Point | tuple) -> float:
    """Exact shortest walking distance between two positions on the aisle network.

    Plain tuples are read as (aisle, y) picks; pass ``layout.depot`` (a ``Point``) for the
    depot. Closed form: a walk that changes x has to leave each end's aisle through one of
    the two cross aisles bounding it, and any two cross-aisle spots are joined by the
    rectilinear distance (via an aisle between them, or a detour to the nearest aisle).
    """
    p, q = as_point(layout, a), as_point(layout, b)
    if p.x == q.x and _on_aisle(layout, p) and _on_aisle(layout, q):
        return abs(p.y - q.y)
    if p.y == q.y and p.y in layout.cross_ys:
        return abs(p.x - q.x)
    return min(
        cost_p + cost_q + _cross_to_cross(layout, xp, yp, xq, yq)
        for xp, yp, cost_p in _exits(layout, p)
        for xq, yq, cost_q in _exits(layout, q)
    )


def route_length(layout: Layout, stops: Sequence[Pick | Point | tuple]) -> float:
    """Length of the closed walk depot -> stops in order -> depot."""
    total, here = 0.0, layout.depot
    for stop in stops:
        total += distance(layout, here, stop)
        here = stop
    return total + distance(layout, here, layout.depot)


def _on_aisle(layout: Layout, p: Point) -> bool:
    return _aisle_at(layout, p.x) is not None


def _aisle_at(layout: Layout, x: float) -> int | None:
    i = bisect.bisect_left(layout.aisle_xs, x)
    return i if i < len(layout.aisle_xs) and layout.aisle_xs[i] == x else None


def _exits(layout: Layout, p: Point) -> list[tuple[float, float, float]]:
    """(x, cross aisle y, cost) for each way from p onto a cross aisle."""
    ys = layout.cross_ys
    if p.y in ys:
        return [(p.x, p.y, 0.0)]
    hi = bisect.bisect_left(ys, p.y)
    return [(p.x, ys[hi - 1], p.y - ys[hi - 1]), (p.x, ys[hi], ys[hi] - p.y)]


def _cross_to_cross(layout: Layout, x1: float, y1: float, x2: float, y2: float) -> float:
    if y1 == y2:
        return abs(x1 - x2)
    lo, hi = min(x1, x2), max(x1, x2)
    xs = layout.aisle_xs
    i = bisect.bisect_left(xs, lo)
    if i < len(xs) and xs[i] <= hi:  # an aisle between them: no detour
        detour = 0.0
    else:  # both beside the same gap between aisles (or beyond the ends): walk to one
        left = lo - xs[i - 1] if i > 0 else float("inf")
        right = xs[i] - hi if i < len(xs) else float("inf")
        detour = 2 * min(left, right)
    return hi - lo + detour + abs(y1 - y2)


# --- building a layout from storage locations -------------------------------------------


class LocationLike(Protocol):
    """What routing needs from a storage location row (bay, level and slot are not needed:
    the bay is implied by y, and the level does not change the walk)."""

    aisle: Hashable
    x: float
    y: float


class AisleExtent(NamedTuple):
    """One aisle label's bins, summed up: smallest and largest x, largest y."""

    aisle: Hashable
    min_x: float
    max_x: float
    max_y: float


@dataclass(frozen=True)
class FloorPlan:
    """A layout plus the map from the locations' aisle labels to layout aisle indices
    (two labels at the same x share one aisle)."""

    layout: Layout
    aisle_index: Mapping[Hashable, int]

    def places(self, location: LocationLike) -> bool:
        """The location lies on this floor: a known aisle, y within the aisles."""
        y = location.y
        return (location.aisle in self.aisle_index and y is not None
                and 0.0 <= float(y) <= self.layout.aisle_length)

    def pick_at(self, location: LocationLike) -> Pick:
        """The pick position of a storage location."""
        if not self.places(location):
            raise InvalidFloorLayout(
                f"location y={location.y} in aisle {location.aisle!r} is not on the floor plan")
        return Pick(self.aisle_index[location.aisle], float(location.y))


# Without a bin beyond the front cross aisle, the aisles' length is immaterial (no walk goes
# up them); any positive value makes a valid layout.
_FLAT_AISLE_LENGTH = 1.0


def plan_from_locations(
    locations: Iterable[LocationLike],
    *,
    cross_aisles_y: Sequence[float] = (),
    depot_x: float | None = None,
    aisle_length: float | None = None,
) -> FloorPlan:
    """Derive the layout from location coordinates (see ``plan_from_extents``)."""
    extents: dict[Hashable, list[float]] = {}
    for loc in locations:
        if loc.x is None or loc.y is None:
            continue
        x, y = float(loc.x), float(loc.y)
        if not (math.isfinite(x) and math.isfinite(y)) or y < 0:
            continue
        e = extents.get(loc.aisle)
        if e is None:
            extents[loc.aisle] = [x, x, y]
        else:
            e[0], e[1], e[2] = min(e[0], x), max(e[1], x), max(e[2], y)
    return plan_from_extents([AisleExtent(a, *e) for a, e in extents.items()],
                             cross_aisles_y=cross_aisles_y, depot_x=depot_x,
                             aisle_length=aisle_length)


def plan_from_extents(
    extents: Iterable[AisleExtent | tuple[Hashable, float, float, float]],
    *,
    cross_aisles_y: Sequence[float] = (),
    depot_x: float | None = None,
    aisle_length: float | None = None,
) -> FloorPlan:
    """Derive the layout from each aisle label's bins (as one GROUP BY query gives them).

    An aisle's x is the middle of its locations' x values (locations on both sides of a
    narrow aisle sit a little left and right of it); labels whose middles coincide share one
    aisle. The aisle length defaults to the largest location y (the back cross aisle starts
    there), or 1 when every bin sits on the front cross aisle. Bins with a negative or
    non-finite coordinate are left out (they come last in a walk, by code). Raises
    ``InvalidFloorLayout`` only for bad explicit arguments or when no bin is left.
    """
    centre: dict[Hashable, float] = {}
    max_y = 0.0
    for aisle, min_x, max_x, top in extents:
        values = (float(min_x), float(max_x), float(top))
        if not all(math.isfinite(v) for v in values) or values[2] < 0:
            continue
        centre[aisle] = (values[0] + values[1]) / 2
        max_y = max(max_y, values[2])
    if not centre:
        raise InvalidFloorLayout("no positioned bins to derive the floor plan from")
    aisle_xs = sorted(set(centre.values()))
    index_of_x = {x: i for i, x in enumerate(aisle_xs)}
    if aisle_length is None:
        aisle_length = max_y if max_y > 0 else _FLAT_AISLE_LENGTH
    depot = (aisle_xs[0] if depot_x is None else depot_x, 0.0)
    layout = Layout.from_aisles(aisle_xs, aisle_length, cross_aisles_y, depot)
    return FloorPlan(layout, {label: index_of_x[x] for label, x in centre.items()})
