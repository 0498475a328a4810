"""Pick routing on a parallel-aisle floor: layout model, exact distances, shortest routes.

    layout = Layout.from_aisles([0, 3, 6, 9], aisle_length=30, depot=(4.5, 0))
    route = shortest_route(layout, [(0, 12.0), (3, 4.5), (2, 29.0)])
    route.order   # pick indices in walking order
    route.length  # metres (or whatever unit the coordinates use), depot to depot
"""

from app.core.routing.layout import (
    AisleExtent,
    FloorPlan,
    Layout,
    LocationLike,
    Pick,
    Point,
    distance,
    plan_from_extents,
    plan_from_locations,
    route_length,
)
from app.core.routing.router import (
    MAX_EXACT_CROSS_AISLES,
    Route,
    alphabetical_route,
    largest_gap_route,
    s_shape_route,
    shortest_route,
)

__all__ = [
    "AisleExtent",
    "FloorPlan",
    "Layout",
    "LocationLike",
    "MAX_EXACT_CROSS_AISLES",
    "Pick",
    "Point",
    "Route",
    "alphabetical_route",
    "distance",
    "largest_gap_route",
    "plan_from_extents",
    "plan_from_locations",
    "route_length",
    "s_shape_route",
    "shortest_route",
]
