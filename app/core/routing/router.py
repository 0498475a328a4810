"""Pick routes: the shortest route, and the classic policies to compare it with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.core.routing.exact import exact_tour
from app.core.routing.heuristics import alphabetical_order, largest_gap_order, s_shape_order
from app.core.routing.improve import distance_matrix, improve_order, tour_cost
from app.core.routing.layout import Layout, Pick, route_length
from app.core.routing.lkh import lkh_order

# The exact programme's state count grows fast with the cross aisles. CPU time for 60 picks
# on 30 aisles: 2 cross aisles ~4 ms a route, 3 ~8 ms, 4 ~30 ms, 5 ~0.3 s; LKH takes ~50 ms.
MAX_EXACT_CROSS_AISLES = 4

Method = Literal["auto", "exact", "heuristic"]


@dataclass(frozen=True)
class Route:
    """Picks in walking order (indices into the input) and the walk's total length,
    depot to depot, measured along the shortest paths between consecutive stops."""

    order: tuple[int, ...]
    length: float

    def stops(self, picks: Sequence[Pick]) -> list[Pick]:
        return [picks[i] for i in self.order]


def shortest_route(layout: Layout, picks: Sequence[Pick | tuple[int, float]], *,
                   method: Method = "auto") -> Route:
    """The shortest route through ``picks`` from and back to the depot.

    Proven optimal (Ratliff & Rosenthal's programme, extended to middle cross aisles) when
    the layout has at most ``MAX_EXACT_CROSS_AISLES`` cross aisles (front and back included)
    or ``method="exact"``. Otherwise, or with ``method="heuristic"``: LKH-3 on the exact
    walking distances, compared with S-shape, largest gap and alphabetical order (a policy
    that does better is polished by 2-opt and or-opt), so never worse than any of them.
    """
    if method not in ("auto", "exact", "heuristic"):
        raise ValueError(f"unknown routing method {method!r}")
    picks = _checked(layout, picks)
    if not picks:
        return Route((), 0.0)
    use_exact = method == "exact" or (
        method == "auto" and len(layout.cross_ys) <= MAX_EXACT_CROSS_AISLES
    )
    if use_exact:
        return _route(layout, picks, exact_tour(layout, picks).order)
    return _route(layout, picks, _heuristic_order(layout, picks))


def _heuristic_order(layout: Layout, picks: list[Pick]) -> list[int]:
    spots = list(dict.fromkeys(picks))  # picks at one spot are visited together
    matrix = distance_matrix(layout, spots)
    lkh = lkh_order(matrix)
    policies = [alphabetical_order(layout, spots), s_shape_order(layout, spots),
                largest_gap_order(layout, spots)]
    best = min(policies, key=lambda order: tour_cost(matrix, order))
    # LKH's tour is already free of improving 2-opt and or-opt moves; a policy's rarely is.
    if tour_cost(matrix, lkh) <= tour_cost(matrix, best):
        best = lkh
    else:
        best = improve_order(matrix, best)
    at_spot: dict[Pick, list[int]] = {}
    for i, pick in enumerate(picks):
        at_spot.setdefault(pick, []).append(i)
    return [i for k in best for i in at_spot[spots[k]]]


def alphabetical_route(layout: Layout, picks: Sequence[Pick | tuple[int, float]]) -> Route:
    """Sorted by aisle, then by position along the aisle."""
    picks = _checked(layout, picks)
    return _route(layout, picks, alphabetical_order(layout, picks))


def s_shape_route(layout: Layout, picks: Sequence[Pick | tuple[int, float]]) -> Route:
    picks = _checked(layout, picks)
    return _route(layout, picks, s_shape_order(layout, picks))


def largest_gap_route(layout: Layout, picks: Sequence[Pick | tuple[int, float]]) -> Route:
    picks = _checked(layout, picks)
    return _route(layout, picks, largest_gap_order(layout, picks))


def _route(layout: Layout, picks: list[Pick], order: Sequence[int]) -> Route:
    return Route(tuple(order), route_length(layout, [picks[i] for i in order]))


def _checked(layout: Layout, picks: Sequence[Pick | tuple[int, float]]) -> list[Pick]:
    out = []
    for aisle, y in picks:
        layout.point((aisle, y))  # raises ValueError for a spot off the layout
        out.append(Pick(int(aisle), float(y)))
    return out
