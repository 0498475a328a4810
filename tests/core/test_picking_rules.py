"""Allocation choice, carton choice and order states, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.errors import InvalidTransition
from app.core.picking_rules import (
    ORDER_TRANSITIONS,
    CartonSize,
    ItemSize,
    StockOption,
    batches,
    choose_carton,
    next_state,
    plan_allocation,
    rank_stock,
    release_order_key,
)

TODAY = dt.date(2026, 11, 22)
T0 = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.timezone.utc)


def option(code, kind="storage", available=5, days_old=0, expiry=None):
    return StockOption(key=code, location_code=code, location_kind=kind, available=available,
                       received_at=T0 + dt.timedelta(days=-days_old), expiry=expiry)


def codes(options):
    return [o.location_code for o in options]


def test_fifo_takes_the_oldest_receipt_first():
    ranked = rank_stock([option("A", days_old=1), option("B", days_old=30), option("C", days_old=5)],
                        today=TODAY)
    assert codes(ranked) == ["B", "C", "A"]


def test_pick_faces_come_before_reserve_storage_even_when_younger():
    ranked = rank_stock([option("R-OLD", "storage", days_old=90), option("F-NEW", "pick_face")],
                        today=TODAY)
    assert codes(ranked) == ["F-NEW", "R-OLD"]


def test_fefo_beats_the_pick_face_for_expiring_lots():
    soon = option("R", "storage", expiry=TODAY + dt.timedelta(days=10))
    later = option("F", "pick_face", expiry=TODAY + dt.timedelta(days=40))
    assert codes(rank_stock([later, soon], today=TODAY)) == ["R", "F"]


def test_expired_lots_and_lots_expiring_before_ship_by_are_never_promised():
    expired = option("X", expiry=TODAY - dt.timedelta(days=1))
    today_last_day = option("T", expiry=TODAY)
    before_ship = option("S", expiry=TODAY + dt.timedelta(days=2))
    fine = option("F", expiry=TODAY + dt.timedelta(days=30))
    assert codes(rank_stock([expired, today_last_day, fine], today=TODAY)) == ["T", "F"]
    ship_by = TODAY + dt.timedelta(days=3)
    assert codes(rank_stock([expired, before_ship, fine], today=TODAY, ship_by=ship_by)) == ["F"]


def test_only_pickable_locations_are_used():
    ranked = rank_stock([option("DOCK", "receiving"), option("Q", "quarantine"),
                         option("RET", "returns"), option("OK", "storage")], today=TODAY)
    assert codes(ranked) == ["OK"]


def test_partial_stock_leaves_a_backorder():
    plan, backorder = plan_allocation([option("A", available=3, days_old=2), option("B", available=2)],
                                      7, today=TODAY)
    assert [(o.location_code, n) for o, n in plan] == [("A", 3), ("B", 2)]
    assert backorder == 2


def test_allocation_stops_when_the_quantity_is_covered():
    plan, backorder = plan_allocation([option("A", available=10, days_old=2), option("B")], 4,
                                      today=TODAY)
    assert [(o.location_code, n) for o, n in plan] == [("A", 4)] and backorder == 0


CARTONS = [CartonSize("S", 20, 15, 10, 5), CartonSize("M", 40, 30, 20, 15),
           CartonSize("L", 60, 40, 40, 30)]


def test_smallest_carton_that_holds_the_volume():
    small_items = [ItemSize(4, 10, 5, 5, 0.2)]  # 1000 cm3 of S's 3000 * 0.8
    assert choose_carton(CARTONS, small_items).code == "S"
    many = [ItemSize(12, 10, 10, 5, 0.2)]  # 6000 cm3: too much for S
    assert choose_carton(CARTONS, many).code == "M"


def test_a_long_item_needs_a_carton_it_fits_through():
    rod = [ItemSize(1, 50, 2, 2, 0.5)]  # tiny volume, but 50 cm long
    assert choose_carton(CARTONS, rod).code == "L"


def test_weight_limit_and_nothing_fits():
    heavy = [ItemSize(2, 5, 5, 5, 4.0)]  # 8 kg: more than S carries
    assert choose_carton(CARTONS, heavy).code == "M"
    huge = [ItemSize(1, 100, 100, 100, 1)]
    assert choose_carton(CARTONS, huge) is None


def test_unknown_sizes_count_as_nothing():
    assert choose_carton(CARTONS, [ItemSize(3)]).code == "S"


def test_order_states_follow_the_table():
    state = "open"
    for action in ("allocate", "release", "pick", "finish_picking", "pack", "finish_packing", "ship"):
        state = next_state("order", "Shopify 1001", state, action)
    assert state == "shipped"
    with pytest.raises(InvalidTransition) as error:
        next_state("order", "Shopify 1001", "picking", "cancel")
    assert str(error.value) == "Shopify 1001 is picking: 'cancel' is not possible."
    assert all(target in ORDER_TRANSITIONS for actions in ORDER_TRANSITIONS.values()
               for target in actions.values())


def test_release_order_and_carts():
    keys = sorted([(0, None, "C"), (5, TODAY, "B"), (5, TODAY - dt.timedelta(days=1), "A")],
                  key=lambda t: release_order_key(*t))
    assert [k[2] for k in keys] == ["A", "B", "C"]
    assert batches(list("abcde"), 2) == [["a", "b"], ["c", "d"], ["e"]]
