"""Pick routing: distances against Dijkstra, routes against Held-Karp, baselines by hand."""

from __future__ import annotations

import heapq
import random
from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.routing import (
    Layout,
    Pick,
    Point,
    Route,
    alphabetical_route,
    distance,
    largest_gap_route,
    plan_from_locations,
    route_length,
    s_shape_route,
    shortest_route,
)
from app.core.routing.exact import exact_tour
from app.core.routing.improve import distance_matrix, improve_order, tour_cost

# --- references ---------------------------------------------------------------------------


def dijkstra_distance(layout: Layout, a: Point, b: Point) -> float:
    """Shortest path on an explicit graph of the aisle network (independent of the
    closed form): aisles and cross aisles cut at every intersection and at a and b."""
    ys_on_aisle = {x: set(layout.cross_ys) for x in layout.aisle_xs}
    xs_on_cross = {y: set(layout.aisle_xs) for y in layout.cross_ys}
    for p in (a, b):
        if p.y in xs_on_cross:
            xs_on_cross[p.y].add(p.x)
        else:
            ys_on_aisle[p.x].add(p.y)
    graph: dict[tuple[float, float], list[tuple[tuple[float, float], float]]] = {}

    def link(u, v, w):
        graph.setdefault(u, []).append((v, w))
        graph.setdefault(v, []).append((u, w))

    for x, ys in ys_on_aisle.items():
        ys = sorted(ys)
        for y0, y1 in zip(ys, ys[1:]):
            link((x, y0), (x, y1), y1 - y0)
    for y, xs in xs_on_cross.items():
        xs = sorted(xs)
        for x0, x1 in zip(xs, xs[1:]):
            link((x0, y), (x1, y), x1 - x0)
    best = {tuple(a): 0.0}
    queue = [(0.0, tuple(a))]
    while queue:
        d, u = heapq.heappop(queue)
        if u == tuple(b):
            return d
        if d > best[u]:
            continue
        for v, w in graph.get(u, ()):
            if d + w < best.get(v, float("inf")):
                best[v] = d + w
                heapq.heappush(queue, (d + w, v))
    raise AssertionError("unreachable")


def held_karp(layout: Layout, picks: list[Pick]) -> float:
    """Optimal tour length over the picks with exact graph distances."""
    n = len(picks)
    if n == 0:
        return 0.0
    stops = [layout.depot, *picks]
    d = [[distance(layout, p, q) for q in stops] for p in stops]
    inf = float("inf")
    best = [[inf] * n for _ in range(1 << n)]
    for i in range(n):
        best[1 << i][i] = d[0][i + 1]
    for mask in range(1, 1 << n):
        row = best[mask]
        for last in range(n):
            cost = row[last]
            if cost == inf:
                continue
            d_last = d[last + 1]
            for nxt in range(n):
                if not mask >> nxt & 1:
                    new = cost + d_last[nxt + 1]
                    if new < best[mask | 1 << nxt][nxt]:
                        best[mask | 1 << nxt][nxt] = new
    full = best[(1 << n) - 1]
    return min(full[i] + d[i + 1][0] for i in range(n))


def random_instance(rng: random.Random, *, blocks: int = 1, max_aisles: int = 10,
                    max_picks: int = 9) -> tuple[Layout, list[Pick]]:
    n_aisles = rng.randint(2, max_aisles)
    xs = sorted(rng.sample(range(0, 4 * n_aisles + 4), n_aisles))
    length = float(rng.choice([10, 20, 30]))
    middles = sorted(rng.sample(range(1, int(length)), blocks - 1))
    depot_x = rng.choice([rng.choice(xs), rng.uniform(xs[0] - 3, xs[-1] + 3), xs[0]])
    layout = Layout.from_aisles(xs, length, middles, (depot_x, 0))
    spots = [0.0, length, *map(float, middles)]

    def pick_y() -> float:
        # mostly anywhere, sometimes exactly on a cross aisle or a whole number (ties)
        return rng.choice([rng.uniform(0, length), rng.choice(spots), float(rng.randint(0, int(length)))])

    picks = [Pick(rng.randrange(n_aisles), pick_y()) for _ in range(rng.randint(1, max_picks))]
    return layout, picks


def assert_valid(layout: Layout, picks: list[Pick], route: Route) -> None:
    assert sorted(route.order) == list(range(len(picks)))
    walked = route_length(layout, [picks[i] for i in route.order])
    assert route.length == pytest.approx(walked, abs=1e-9)


# --- layout and distance ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(aisle_xs=[0, 3, 3], aisle_length=10),
        dict(aisle_xs=[3, 0], aisle_length=10),
        dict(aisle_xs=[], aisle_length=10),
        dict(aisle_xs=[0, 3], aisle_length=0),
        dict(aisle_xs=[0, 3], aisle_length=10, cross_aisles_y=[10]),
        dict(aisle_xs=[0, 3], aisle_length=10, cross_aisles_y=[5, 5]),
        dict(aisle_xs=[0, 3], aisle_length=10, depot=(0, 2)),
    ],
)
def test_layout_rejects_impossible_geometry(kwargs):
    with pytest.raises(ValueError):
        Layout.from_aisles(**kwargs)


def test_depot_defaults_to_the_front_of_the_first_aisle():
    assert Layout((2, 5), 10).depot == Point(2.0, 0.0)
    assert Layout.from_aisles([2, 5], 10).depot == Point(2.0, 0.0)
    assert Layout.from_aisles([2, 5], 10, depot=(3.5, 0)).depot == Point(3.5, 0.0)


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError):
        shortest_route(Layout((0, 3), 10), [(0, 1.0)], method="fast")


def test_distance_by_hand():
    layout = Layout.from_aisles([0, 4, 8], 10, cross_aisles_y=[6], depot=(2, 0))
    assert distance(layout, (0, 2), (0, 9)) == 7  # same aisle, straight through
    assert distance(layout, (0, 2), (1, 3)) == 2 + 4 + 3  # via the front
    assert distance(layout, (0, 8), (2, 9)) == 2 + 8 + 1  # via the back
    assert distance(layout, (0, 5), (1, 5)) == 1 + 4 + 1  # via the middle cross aisle
    assert distance(layout, (0, 4), (1, 8)) == 2 + 4 + 2  # across blocks, via the middle
    assert distance(layout, layout.depot, (2, 1)) == 6 + 1
    assert distance(layout, layout.depot, Point(3, 6)) == 2 + 6 + 1  # detour to an aisle
    assert distance(layout, Point(1, 10), Point(3, 10)) == 2  # along the back cross aisle
    with pytest.raises(ValueError):
        distance(layout, Point(1, 3), (0, 0))  # between aisles, not on a cross aisle
    with pytest.raises(ValueError):
        distance(layout, Point(4, -1), Point(4, 3))  # in front of the front cross aisle
    with pytest.raises(ValueError):
        distance(layout, (3, 1), (0, 0))  # no aisle 3


def test_distance_matches_dijkstra_on_random_layouts():
    rng = random.Random(7)
    for _ in range(300):
        layout, _ = random_instance(rng, blocks=rng.randint(1, 3))
        ys = layout.cross_ys

        def random_point() -> Point:
            if rng.random() < 0.7:
                return Point(rng.choice(layout.aisle_xs), rng.choice([rng.uniform(0, ys[-1]), *ys]))
            return Point(rng.uniform(layout.aisle_xs[0] - 5, layout.aisle_xs[-1] + 5), rng.choice(ys))

        a, b = random_point(), random_point()
        assert distance(layout, a, b) == pytest.approx(dijkstra_distance(layout, a, b), abs=1e-9)
        assert distance(layout, a, b) == pytest.approx(distance(layout, b, a), abs=1e-12)


# --- exactness ------------------------------------------------------------------------------


def test_single_block_is_optimal_on_seeded_instances():
    rng = random.Random(1983)
    for _ in range(250):
        layout, picks = random_instance(rng)
        route = shortest_route(layout, picks)
        assert_valid(layout, picks, route)
        assert route.length == pytest.approx(held_karp(layout, picks), abs=1e-9), (layout, picks)


@settings(max_examples=150, deadline=None)
@given(
    xs=st.lists(st.integers(0, 30), min_size=2, max_size=10, unique=True).map(sorted),
    depot_x=st.floats(-3, 33, allow_nan=False),
    raw_picks=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 20)), min_size=1, max_size=8),
)
def test_single_block_is_optimal_hypothesis(xs, depot_x, raw_picks):
    layout = Layout.from_aisles(xs, 20, depot=(depot_x, 0))
    picks = [Pick(a % len(xs), float(y)) for a, y in raw_picks]
    route = shortest_route(layout, picks)
    assert_valid(layout, picks, route)
    assert route.length == pytest.approx(held_karp(layout, picks), abs=1e-9)


def test_dp_optimum_equals_the_walked_order():
    # The Euler tour's pick order, walked with shortest paths, must cost exactly the DP value.
    rng = random.Random(11)
    for _ in range(200):
        layout, picks = random_instance(rng, blocks=rng.randint(1, 3), max_picks=25)
        tour = exact_tour(layout, picks)
        assert tour.length == pytest.approx(route_length(layout, [picks[i] for i in tour.order]), abs=1e-9)


def test_multi_block_exact_is_optimal():
    rng = random.Random(2001)
    for _ in range(150):
        layout, picks = random_instance(rng, blocks=rng.choice([2, 3]), max_aisles=7)
        route = shortest_route(layout, picks)
        assert_valid(layout, picks, route)
        assert route.length == pytest.approx(held_karp(layout, picks), abs=1e-9), (layout, picks)


def test_large_single_block_takes_linear_work():
    # 400 aisles would be hopeless for anything exponential; the DP walks them in one pass.
    layout = Layout.from_aisles([2.5 * i for i in range(400)], 40, depot=(500, 0))
    rng = random.Random(3)
    picks = [Pick(rng.randrange(400), rng.uniform(0, 40)) for _ in range(300)]
    route = shortest_route(layout, picks)
    assert_valid(layout, picks, route)
    assert route.length <= s_shape_route(layout, picks).length
    assert route.length <= largest_gap_route(layout, picks).length


# --- multi-block: never worse than the baselines; heuristic close to optimal ---------------------


def test_multi_block_never_worse_than_baselines():
    rng = random.Random(5)
    for _ in range(60):
        layout, picks = random_instance(rng, blocks=rng.randint(2, 5), max_aisles=14, max_picks=40)
        route = shortest_route(layout, picks)
        assert_valid(layout, picks, route)
        for baseline in (alphabetical_route, s_shape_route, largest_gap_route):
            assert route.length <= baseline(layout, picks).length + 1e-9


def test_heuristic_is_close_to_optimal_and_never_worse_than_baselines():
    rng = random.Random(99)
    gaps = []
    for _ in range(60):
        layout, picks = random_instance(rng, blocks=rng.randint(2, 4), max_aisles=8)
        route = shortest_route(layout, picks, method="heuristic")
        assert_valid(layout, picks, route)
        for baseline in (alphabetical_route, s_shape_route, largest_gap_route):
            assert route.length <= baseline(layout, picks).length + 1e-9
        optimum = held_karp(layout, picks)
        assert route.length >= optimum - 1e-9
        gaps.append(route.length / optimum - 1 if optimum else 0.0)
    average = sum(gaps) / len(gaps)
    print(f"heuristic (LKH) average gap to Held-Karp: {average:.3%}, worst {max(gaps):.3%}")
    assert average < 0.01
    assert max(gaps) < 0.10


def test_local_search_leaves_no_improving_move():
    rng = random.Random(12)
    for _ in range(10):
        layout, picks = random_instance(rng, blocks=4, max_aisles=12, max_picks=30)
        matrix = distance_matrix(layout, picks)
        order = improve_order(matrix, alphabetical_route(layout, picks).order)
        assert sorted(order) == list(range(len(picks)))
        cost = tour_cost(matrix, order)
        for i in range(len(order)):  # no single pick can be moved somewhere better
            rest = order[:i] + order[i + 1 :]
            for k in range(len(rest) + 1):
                assert tour_cost(matrix, rest[:k] + [order[i]] + rest[k:]) >= cost - 1e-9
        for i in range(len(order)):  # no stretch can be reversed for a gain
            for j in range(i + 2, len(order) + 1):
                flipped = order[:i] + order[i:j][::-1] + order[j:]
                assert tour_cost(matrix, flipped) >= cost - 1e-9


def test_many_cross_aisles_fall_back_to_the_heuristic():
    layout = Layout.from_aisles(range(0, 30, 3), 40, cross_aisles_y=[8, 16, 24, 32])
    rng = random.Random(8)
    picks = [Pick(rng.randrange(10), rng.uniform(0, 40)) for _ in range(30)]
    route = shortest_route(layout, picks)
    assert_valid(layout, picks, route)
    assert route.length <= s_shape_route(layout, picks).length
    assert route.length <= alphabetical_route(layout, picks).length


# --- edge cases -----------------------------------------------------------------------------


ALL_ROUTERS = [shortest_route, alphabetical_route, s_shape_route, largest_gap_route]


@pytest.mark.parametrize("router", ALL_ROUTERS)
def test_no_picks(router):
    layout = Layout.from_aisles([0, 3, 6], 10, cross_aisles_y=[5])
    assert router(layout, []) == Route((), 0.0)


@pytest.mark.parametrize("router", ALL_ROUTERS)
def test_picks_at_the_same_spot_come_together(router):
    layout = Layout.from_aisles([0, 3, 6], 10)
    picks = [Pick(2, 4.0), Pick(0, 7.0), Pick(2, 4.0), Pick(0, 7.0), Pick(2, 4.0)]
    route = router(layout, picks)
    assert_valid(layout, picks, route)
    spots = [picks[i] for i in route.order]
    runs = [s for i, s in enumerate(spots) if i == 0 or spots[i - 1] != s]
    assert Counter(runs) == Counter({Pick(2, 4.0): 1, Pick(0, 7.0): 1})
    assert route.length == router(layout, [Pick(2, 4.0), Pick(0, 7.0)]).length


def test_picks_at_the_depot_cost_nothing():
    layout = Layout.from_aisles([0, 3, 6], 10, depot=(3, 0))
    assert shortest_route(layout, [(1, 0.0), (1, 0.0)]).length == 0
    assert shortest_route(layout, [(1, 0.0), (1, 2.0)]).length == 4


def test_one_aisle_goes_in_and_out():
    layout = Layout.from_aisles([0, 3, 6, 9], 10, depot=(1, 0))
    picks = [Pick(2, 8.0), Pick(2, 3.0), Pick(2, 5.0)]
    route = shortest_route(layout, picks)
    assert route.length == 2 * 5 + 2 * 8  # across to aisle 2, up to y=8 and back
    assert [p.y for p in route.stops(picks)] in ([3, 5, 8], [8, 5, 3])


def test_depot_in_the_middle_serves_both_sides():
    layout = Layout.from_aisles([0, 3, 6, 9, 12], 10, depot=(6, 0))
    picks = [Pick(0, 10.0), Pick(4, 10.0)]
    # up aisle 0 or 4, along the back, down the other: 12 across twice + 2 aisle lengths
    assert shortest_route(layout, picks).length == 2 * 12 + 2 * 10
    assert shortest_route(layout, [Pick(0, 2.0), Pick(4, 2.0)]).length == 2 * 12 + 4 * 2


def test_pick_on_a_middle_cross_aisle():
    layout = Layout.from_aisles([0, 3, 6], 20, cross_aisles_y=[10])
    picks = [Pick(2, 10.0), Pick(0, 15.0)]
    route = shortest_route(layout, picks)
    assert_valid(layout, picks, route)
    assert route.length == held_karp(layout, picks) == 15 + 5 + 6 + 10 + 6


@pytest.mark.parametrize("router", ALL_ROUTERS)
def test_pick_outside_the_layout_is_rejected(router):
    layout = Layout.from_aisles([0, 3], 10)
    with pytest.raises(ValueError):
        router(layout, [(2, 1.0)])
    with pytest.raises(ValueError):
        router(layout, [(0, 11.0)])


# --- baselines by hand ------------------------------------------------------------------


def test_alphabetical_sorts_by_aisle_then_position():
    layout = Layout.from_aisles([0, 3, 6], 10)
    picks = [Pick(2, 1.0), Pick(0, 9.0), Pick(2, 0.5), Pick(0, 2.0)]
    assert alphabetical_route(layout, picks).order == (3, 1, 2, 0)


def test_s_shape_single_block():
    layout = Layout.from_aisles([0, 3, 6, 9], 10)
    picks = [Pick(3, 2.0), Pick(0, 6.0), Pick(0, 1.0), Pick(2, 3.0), Pick(2, 8.0)]
    route = s_shape_route(layout, picks)
    # up aisle 0, down aisle 2, up aisle 3 (odd count: in and back out)
    assert route.order == (2, 1, 4, 3, 0)
    assert route.length == 10 + 6 + 10 + 3 + 2 + 2 + 9


def test_s_shape_two_blocks_starts_up_the_left_aisle():
    layout = Layout.from_aisles([0, 3, 6], 20, cross_aisles_y=[10])
    picks = [Pick(1, 15.0), Pick(0, 4.0), Pick(2, 5.0), Pick(2, 12.0), Pick(1, 3.0)]
    # aisle 0 up to the back block; back block left to right; front block right to left
    assert s_shape_route(layout, picks).order == (1, 0, 3, 2, 4)


def test_largest_gap_single_block():
    layout = Layout.from_aisles([0, 3, 6, 9], 10)
    picks = [Pick(0, 5.0), Pick(1, 1.0), Pick(1, 8.0), Pick(2, 2.0), Pick(3, 4.0), Pick(1, 9.0)]
    route = largest_gap_route(layout, picks)
    # aisle 0 up; aisle 1 from the back (9, 8); aisle 2 gap at its back: nothing from the
    # back; aisle 3 down; then aisle 2 and aisle 1 from the front on the way back
    assert route.order == (0, 5, 2, 4, 3, 1)


# --- locations --------------------------------------------------------------------------------


@dataclass
class Row:
    aisle: str
    bay: int
    level: int
    slot: int
    x: float
    y: float


def test_plan_from_locations():
    rows = [
        Row("B", 1, 1, 1, 5.5, 2.0),
        Row("B", 1, 2, 1, 6.5, 2.0),  # other side of aisle B
        Row("A", 3, 1, 2, 1.5, 18.0),
        Row("A", 1, 1, 1, 2.5, 2.0),
        Row("C", 2, 1, 1, 10.0, 12.0),
    ]
    plan = plan_from_locations(rows, depot_x=4)
    assert plan.layout.aisle_xs == (2.0, 6.0, 10.0)
    assert plan.layout.aisle_length == 18.0
    assert plan.layout.depot == Point(4.0, 0.0)
    assert plan.aisle_index == {"A": 0, "B": 1, "C": 2}
    assert plan.pick_at(rows[4]) == Pick(2, 12.0)
    picks = [plan.pick_at(r) for r in rows]
    route = shortest_route(plan.layout, picks)
    assert_valid(plan.layout, picks, route)
    assert route.length == pytest.approx(held_karp(plan.layout, picks))
    longer = plan_from_locations(rows, aisle_length=20, cross_aisles_y=[10])
    assert longer.layout.cross_ys == (0.0, 10.0, 20.0)
    assert longer.layout.depot == Point(2.0, 0.0)
    with pytest.raises(ValueError):
        plan.pick_at(Row("A", 9, 1, 1, 2.0, 30.0))
