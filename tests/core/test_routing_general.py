"""Routing on any layout: beyond the exact programme (3 or more middle cross aisles) LKH-3
stays within reach of the optimum; odd geometry, stored or derived from bins, only ever
gives the typed ``InvalidFloorLayout``."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import InvalidFloorLayout
from app.core.routing import (
    MAX_EXACT_CROSS_AISLES,
    Layout,
    Pick,
    alphabetical_route,
    distance,
    largest_gap_route,
    plan_from_locations,
    s_shape_route,
    shortest_route,
)
from app.core.routing.improve import distance_matrix
from app.core.routing.lkh import lkh_order
from tests.core.test_routing import assert_valid, held_karp, random_instance


def gap(length: float, optimum: float) -> float:
    return length / optimum - 1 if optimum else 0.0


def test_exact_programme_covers_two_middle_cross_aisles_only():
    assert MAX_EXACT_CROSS_AISLES == 4  # front, back and two middle ones


def test_distance_matrix_matches_the_closed_form():
    rng = random.Random(4)
    for _ in range(30):
        layout, picks = random_instance(rng, blocks=rng.randint(1, 6), max_picks=15)
        stops = [layout.depot, *picks]
        matrix = distance_matrix(layout, picks)
        for i, p in enumerate(stops):
            for j, q in enumerate(stops):
                assert matrix[i][j] == pytest.approx(distance(layout, p, q), abs=1e-9)


def test_many_cross_aisles_against_held_karp():
    rng = random.Random(2024)
    gaps = []
    for _ in range(80):
        layout, picks = random_instance(rng, blocks=rng.randint(4, 7), max_aisles=10, max_picks=10)
        assert len(layout.cross_ys) > MAX_EXACT_CROSS_AISLES
        route = shortest_route(layout, picks)
        assert_valid(layout, picks, route)
        optimum = held_karp(layout, picks)
        assert route.length >= optimum - 1e-9
        gaps.append(gap(route.length, optimum))
    print(f"3+ middle cross aisles vs Held-Karp: mean gap {sum(gaps) / len(gaps):.3%}, worst {max(gaps):.3%}")
    assert sum(gaps) / len(gaps) <= 0.01
    assert max(gaps) <= 0.03


def test_many_picks_on_three_middle_cross_aisles_against_the_exact_programme():
    # The programme is exact for any number of cross aisles, only slow beyond two middle ones:
    # on narrow floors it is the reference for pick counts Held-Karp cannot reach.
    rng = random.Random(77)
    gaps = []
    for _ in range(10):
        layout, picks = random_instance(rng, blocks=4, max_aisles=8, max_picks=40)
        picks += [Pick(rng.randrange(len(layout.aisle_xs)), rng.uniform(0, layout.aisle_length))
                  for _ in range(20)]
        route = shortest_route(layout, picks)
        assert_valid(layout, picks, route)
        optimum = shortest_route(layout, picks, method="exact").length
        assert route.length >= optimum - 1e-9
        gaps.append(gap(route.length, optimum))
    print(f"20-60 picks, 3 middle cross aisles vs exact: mean gap {sum(gaps) / len(gaps):.3%}, "
          f"worst {max(gaps):.3%}")
    assert sum(gaps) / len(gaps) <= 0.01
    assert max(gaps) <= 0.03


def test_exact_programme_is_the_optimum_with_three_middle_cross_aisles():
    rng = random.Random(31)
    for _ in range(40):
        layout, picks = random_instance(rng, blocks=4, max_aisles=6, max_picks=8)
        exact = shortest_route(layout, picks, method="exact")
        assert exact.length == pytest.approx(held_karp(layout, picks), abs=1e-9), (layout, picks)


def test_lkh_never_worse_than_the_policies_and_keeps_spots_together():
    layout = Layout.from_aisles(range(0, 45, 3), 40, cross_aisles_y=[8, 16, 24, 32])
    rng = random.Random(8)
    spots = list(dict.fromkeys(Pick(rng.randrange(15), float(rng.randint(0, 40))) for _ in range(25)))
    picks = spots + spots[:10]  # the same bin twice
    route = shortest_route(layout, picks)
    assert_valid(layout, picks, route)
    for policy in (alphabetical_route, s_shape_route, largest_gap_route):
        assert route.length <= policy(layout, picks).length + 1e-9
    position = {i: k for k, i in enumerate(route.order)}
    for i in range(10):
        assert abs(position[i] - position[len(spots) + i]) == 1


@pytest.mark.parametrize("stops", [0, 1, 2])
def test_lkh_is_not_asked_for_tiny_tours(stops):
    layout = Layout.from_aisles([0, 3], 10)
    picks = [Pick(1, 5.0), Pick(0, 7.0)][:stops]
    assert sorted(lkh_order(distance_matrix(layout, picks))) == list(range(stops))


# --- odd geometry ---------------------------------------------------------------------------

odd_floats = st.one_of(
    st.floats(-50, 50, allow_nan=False), st.sampled_from([0.0, 0.0, 3.0, 3.0, -0.0]),
    st.sampled_from([math.nan, math.inf, -math.inf]))


@settings(max_examples=300, deadline=None)
@given(xs=st.lists(odd_floats, min_size=0, max_size=6), length=odd_floats,
       crosses=st.lists(odd_floats, max_size=5), depot=st.one_of(st.none(), odd_floats),
       raw_picks=st.lists(st.tuples(st.integers(0, 5), odd_floats), max_size=8))
def test_any_stored_layout_routes_or_is_refused_with_the_typed_error(xs, length, crosses, depot, raw_picks):
    try:
        layout = Layout.from_aisles(xs, length, crosses, None if depot is None else (depot, 0))
    except InvalidFloorLayout:
        return
    picks = [Pick(a, y) for a, y in raw_picks if a < len(layout.aisle_xs) and 0 <= y <= layout.aisle_length]
    assert_valid(layout, picks, shortest_route(layout, picks))


@dataclass
class Bin:
    aisle: str
    x: float | None
    y: float | None


@settings(max_examples=300, deadline=None)
@given(bins=st.lists(st.builds(Bin, st.sampled_from("ABCDE"), st.one_of(st.none(), odd_floats),
                               st.one_of(st.none(), odd_floats)), min_size=1, max_size=25))
def test_a_plan_derived_from_any_bins_routes_every_bin_it_places(bins):
    try:
        plan = plan_from_locations(bins)
    except InvalidFloorLayout:  # only when no bin has usable coordinates
        assert not any(b.x is not None and b.y is not None and math.isfinite(b.x)
                       and math.isfinite(b.y) and b.y >= 0 for b in bins)
        return
    placed = [b for b in bins if plan.places(b)]
    assert placed
    picks = [plan.pick_at(b) for b in placed]
    assert_valid(plan.layout, picks, shortest_route(plan.layout, picks))
    for b in bins:
        if not plan.places(b):
            with pytest.raises(InvalidFloorLayout):
                plan.pick_at(b)


def test_bins_on_the_front_cross_aisle_or_sharing_an_x_make_a_plan():
    bins = [Bin("A", 1.5, 0.0), Bin("A", 2.5, 0.0), Bin("B", 2.0, 0.0), Bin("C", 8.0, 0.0)]
    plan = plan_from_locations(bins)
    assert plan.layout.aisle_xs == (2.0, 8.0)
    assert plan.layout.aisle_length == 1.0
    assert plan.aisle_index == {"A": 0, "B": 0, "C": 1}
    route = shortest_route(plan.layout, [plan.pick_at(b) for b in bins])
    assert route.length == pytest.approx(12.0)


@pytest.mark.parametrize("unit", [0.001, 1.0, 1000.0])
def test_lkh_works_in_any_unit(unit):
    rng = random.Random(6)
    for _ in range(10):
        layout, picks = random_instance(rng, blocks=5, max_aisles=10, max_picks=10)
        scaled = Layout.from_aisles([x * unit for x in layout.aisle_xs], layout.aisle_length * unit,
                                    [y * unit for y in layout.cross_aisles_y],
                                    (layout.depot.x * unit, 0))
        scaled_picks = [Pick(a, y * unit) for a, y in picks]
        route = shortest_route(scaled, scaled_picks)
        assert route.length == pytest.approx(held_karp(scaled, scaled_picks), rel=1e-9, abs=1e-12)
