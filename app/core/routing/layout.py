"""Warehouse geometry for pick routing: parallel aisles joined by straight cross aisles.

Coordinates: x runs along the cross aisles, y along the aisles. The front cross aisle is at
y = 0, the back one at y = ``aisle_length``; optional middle cross aisles split the floor
into blocks. Aisles are narrow (the side of the aisle is ignored), so a pick is just
(aisle index, y). Walking is only possible along aisles and cross aisles.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol


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
        if not self.aisle_xs:
            raise ValueError("a layout needs at least one aisle")
        depot = (self.aisle_xs[0], 0.0) if self.depot is None else self.depot
        object.__setattr__(self, "depot", Point(float(depot[0]), float(depot[1])))
        if any(b <= a for a, b in zip(self.aisle_xs, self.aisle_xs[1:])):
            raise ValueError("aisle x coordinates must be strictly increasing")
        if not self.aisle_length > 0:
            raise ValueError("aisle length must be positive")
        ys = (0.0, *self.cross_aisles_y, self.aisle_length)
        if any(b <= a for a, b in zip(ys, ys[1:])):
            raise ValueError("middle cross aisles must increase strictly inside (0, aisle_length)")
        if self.depot.y != 0.0:
            raise ValueError("the depot must be on the front cross aisle (y = 0)")

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
            raise ValueError(f"no aisle with index {aisle}")
        if not 0.0 <= y <= self.aisle_length:
            raise ValueError(f"y={y} lies outside aisle {aisle}")
        return Point(self.aisle_xs[aisle], float(y))


def as_point(layout: Layout, where: Pick | Point | tuple[int, float]) -> Point:
    """``Point`` instances are floor coordinates; any other pair is an (aisle, y) pick."""
    if not isinstance(where, Point):
        return layout.point(where)
    on_aisle = _on_aisle(layout, where) and 0.0 <= where.y <= layout.aisle_length
    if not on_aisle and where.y not in layout.cross_ys:
        raise ValueError(f"{where} is not on an aisle or a cross aisle")
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


@dataclass(frozen=True)
class FloorPlan:
    """A layout plus the map from the locations' aisle labels to layout aisle indices."""

    layout: Layout
    aisle_index: Mapping[Hashable, int]

    def pick_at(self, location: LocationLike) -> Pick:
        """The pick position of a storage location."""
        aisle = self.aisle_index[location.aisle]
        y = float(location.y)
        if not 0.0 <= y <= self.layout.aisle_length:
            raise ValueError(f"location y={y} lies outside aisle {location.aisle!r}")
        return Pick(aisle, y)


def plan_from_locations(
    locations: Iterable[LocationLike],
    *,
    cross_aisles_y: Sequence[float] = (),
    depot_x: float | None = None,
    aisle_length: float | None = None,
) -> FloorPlan:
    """Derive the layout from location coordinates.

    An aisle's x is the middle of its locations' x values (locations on both sides of a
    narrow aisle sit a little left and right of it). Aisles are indexed by increasing x.
    The aisle length defaults to the largest location y (the back cross aisle starts there).
    """
    xs_by_aisle: dict[Hashable, list[float]] = {}
    max_y = 0.0
    for loc in locations:
        xs_by_aisle.setdefault(loc.aisle, []).append(float(loc.x))
        max_y = max(max_y, float(loc.y))
    if not xs_by_aisle:
        raise ValueError("no locations")
    centre = {aisle: (min(xs) + max(xs)) / 2 for aisle, xs in xs_by_aisle.items()}
    labels = sorted(centre, key=centre.__getitem__)
    aisle_xs = [centre[label] for label in labels]
    length = aisle_length if aisle_length is not None else max_y
    depot = (aisle_xs[0] if depot_x is None else depot_x, 0.0)
    layout = Layout.from_aisles(aisle_xs, length, cross_aisles_y, depot)
    return FloorPlan(layout, {label: i for i, label in enumerate(labels)})
