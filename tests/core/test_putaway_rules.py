"""Put-away suggestions and bin checks, without a database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.putaway_errors import (
    BinBlocked,
    LotMixingNotAllowed,
    NotAStorageBin,
    OverUnitCapacity,
    OverVolumeCapacity,
    OverWeightCapacity,
    refusal_error,
)
from app.core.putaway_rules import (
    Bin,
    Item,
    PutawayRule,
    RuleBook,
    Stock,
    check_bin,
    suggest,
    volume_litres,
)

WIDGET, MILK, OTHER = 1, 2, 3
NO_RULES = RuleBook()


def widget(quantity: int = 5, **extra) -> Item:
    return Item(WIDGET, "WIDGET", quantity, **extra)


def milk(quantity: int = 10, lot_id: int = 70, expiry: dt.date = dt.date(2027, 6, 1), **extra) -> Item:
    return Item(MILK, "MILK", quantity, lot_id=lot_id, lot=f"L{lot_id}", expiry=expiry,
                expiry_tracked=True, **extra)


def bin_(n: int, x: float, y: float = 0.0, zone: str | None = "Z1", **extra) -> Bin:
    return Bin(location_id=n, code=f"B-{n:02d}", zone=zone, x=x, y=y, **extra)


def holding(product_id: int, quantity: int = 1, lot_id: int | None = None,
            expiry: dt.date | None = None, **extra) -> tuple[Stock, ...]:
    return (Stock(product_id, quantity, lot_id, f"L{lot_id}" if lot_id else None, expiry, **extra),)


def test_fixed_home_location_wins_over_nearer_bins():
    bins = [bin_(1, 1), bin_(2, 2, stock=holding(WIDGET)), bin_(3, 30)]
    rules = RuleBook([PutawayRule("product", "WIDGET", home_location="B-03")])
    suggestion = suggest([widget()], bins, rules)
    assert suggestion.destination == "B-03"
    assert suggestion.reason.code == "home_location"
    assert suggestion.reason.text == "B-03 is the home location of WIDGET."


def test_a_full_home_location_is_skipped_and_says_why():
    bins = [bin_(1, 1), bin_(3, 30, max_units=10, stock=holding(WIDGET, 8))]
    rules = RuleBook([PutawayRule("product", "WIDGET", home_location="B-03")])
    suggestion = suggest([widget(5)], bins, rules)
    assert suggestion.destination == "B-01"
    assert [(r.code, r.params["location"]) for r in suggestion.skipped] == [("over_units", "B-03")]


def test_a_bin_with_the_same_product_beats_a_nearer_empty_bin():
    bins = [bin_(1, 1), bin_(2, 9, stock=holding(WIDGET)), bin_(3, 5, stock=holding(OTHER))]
    suggestion = suggest([widget()], bins, NO_RULES)
    assert (suggestion.destination, suggestion.reason.code) == ("B-02", "same_product")
    assert [alt.code for alt in suggestion.alternatives] == ["B-01", "B-03"]
    assert suggestion.alternatives[0].reason.code == "empty_bin"


def test_the_same_lot_beats_another_lot_of_the_same_product():
    bins = [bin_(1, 1, stock=holding(MILK, 5, lot_id=71, expiry=dt.date(2027, 5, 1))),
            bin_(2, 9, stock=holding(MILK, 5, lot_id=70, expiry=dt.date(2027, 6, 1)))]
    suggestion = suggest([milk()], bins, NO_RULES)
    assert (suggestion.destination, suggestion.reason.code) == ("B-02", "same_lot")
    assert suggestion.reason.text == "B-02 already holds lot L70 of MILK."


@pytest.mark.parametrize("rules, bin_flag", [
    (RuleBook(), False),  # the location itself forbids it
    (RuleBook([PutawayRule("product", "MILK", mix_lots=False)]), True),
    (RuleBook([PutawayRule("group", "DAIRY", mix_lots=False)]), True),
    (RuleBook([PutawayRule("zone", "Z1", mix_lots=False)]), True),
])
def test_lots_are_not_mixed_where_forbidden(rules, bin_flag):
    other_lot = bin_(1, 1, mix_lots=bin_flag, stock=holding(MILK, 5, lot_id=71, expiry=dt.date(2027, 1, 1)))
    item = milk(group="DAIRY")
    refusal = check_bin([item], other_lot, rules)
    assert refusal is not None and refusal.code == "lots_mixed"
    error = refusal_error(refusal)
    assert isinstance(error, LotMixingNotAllowed)
    assert str(error) == "B-01 holds lot L71 of MILK; lots may not be mixed there."
    suggestion = suggest([item], [other_lot, bin_(2, 20)], rules)
    assert suggestion.destination == "B-02"


def test_a_product_rule_may_allow_mixing_that_its_zone_forbids():
    rules = RuleBook([PutawayRule("zone", "Z1", mix_lots=False), PutawayRule("product", "MILK", mix_lots=True)])
    other_lot = bin_(1, 1, stock=holding(MILK, 5, lot_id=71, expiry=dt.date(2027, 1, 1)))
    assert check_bin([milk()], other_lot, rules) is None
    assert check_bin([milk()], other_lot, RuleBook([PutawayRule("zone", "Z1", mix_lots=False)])) is not None


def test_fefo_avoids_bins_whose_stock_expires_after_the_incoming_lot():
    fresher = bin_(1, 1, stock=holding(MILK, 5, lot_id=71, expiry=dt.date(2027, 9, 1)))
    older = bin_(2, 20, stock=holding(MILK, 5, lot_id=72, expiry=dt.date(2027, 3, 1)))
    closest = bin_(3, 30, stock=holding(MILK, 5, lot_id=73, expiry=dt.date(2027, 5, 1)))
    suggestion = suggest([milk(expiry=dt.date(2027, 6, 1))], [fresher, older, closest], NO_RULES)
    assert (suggestion.destination, suggestion.reason.code) == ("B-03", "same_product_fefo")
    assert suggestion.reason.text == "B-03 holds MILK expiring 2027-05-01, no later than this lot (2027-06-01)."
    assert [alt.code for alt in suggestion.alternatives][:1] == ["B-02"]
    # Only fresher stock around: an empty bin is better than hiding older milk behind it.
    suggestion = suggest([milk(expiry=dt.date(2027, 6, 1))], [fresher, bin_(4, 40)], NO_RULES)
    assert (suggestion.destination, suggestion.reason.code) == ("B-04", "empty_bin")


def test_without_fefo_the_nearest_bin_of_the_product_wins():
    fresher = bin_(1, 1, stock=holding(MILK, 5, lot_id=71, expiry=dt.date(2027, 9, 1)))
    older = bin_(2, 20, stock=holding(MILK, 5, lot_id=72, expiry=dt.date(2027, 3, 1)))
    rules = RuleBook([PutawayRule("product", "MILK", fefo=False)])
    assert suggest([milk()], [fresher, older], rules).destination == "B-01"


def test_nearest_empty_bin_in_the_preferred_zone():
    origin = (10.0, 0.0)
    bins = [bin_(1, 11, zone="Z1"), bin_(2, 14, y=2, zone="Z2"), bin_(3, 12, y=3, zone="Z2"),
            bin_(4, 0, zone="Z2"), Bin(5, "NO-XY", zone="Z2")]
    rules = RuleBook([PutawayRule("product", "WIDGET", preferred_zone="Z2")])
    suggestion = suggest([widget()], bins, rules, origin)
    # Walking distance |dx|+|dy| from the dock: B-03 is 5 away, B-02 6, B-04 10.
    assert (suggestion.destination, suggestion.reason.code) == ("B-03", "empty_bin_in_zone")
    assert suggestion.reason.text == "B-03 is the nearest empty bin in zone Z2."
    assert [alt.code for alt in suggestion.alternatives] == ["B-02", "B-04", "NO-XY"]


def test_allowed_zones_exclude_the_others():
    bins = [bin_(1, 1, zone="Z1"), bin_(2, 50, zone="COLD")]
    rules = RuleBook([PutawayRule("group", "DAIRY", allowed_zones=("COLD",))])
    item = milk(group="DAIRY")
    assert suggest([item], bins, rules).destination == "B-02"
    assert check_bin([item], bins[0], rules).code == "zone_not_allowed"


def test_blocked_and_non_storage_locations_are_never_suggested():
    dock = Bin(10, "DOCK-1", kind="receiving", x=0, y=0)
    packing = Bin(11, "PACK-1", kind="packing", x=0, y=0)
    loss = Bin(12, "LOSS", kind="inventory_loss", x=0, y=0)
    blocked = bin_(1, 0, blocked=True)
    pick_face = Bin(2, "PF-01", kind="pick_face", x=50, y=0)
    suggestion = suggest([widget()], [dock, packing, loss, blocked, pick_face], NO_RULES)
    assert suggestion.destination == "PF-01" and suggestion.alternatives == ()
    assert isinstance(refusal_error(check_bin([widget()], blocked, NO_RULES)), BinBlocked)
    error = refusal_error(check_bin([widget()], packing, NO_RULES))
    assert isinstance(error, NotAStorageBin)
    assert str(error) == "PACK-1 is a packing location: put away into a storage bin or pick face."


def test_unit_capacity_counts_everything_in_the_bin():
    full = bin_(1, 1, max_units=10, stock=holding(OTHER, 4) + holding(WIDGET, 2))
    assert check_bin([widget(4)], full, NO_RULES) is None  # exactly full is fine
    refusal = check_bin([widget(5)], full, NO_RULES)
    assert isinstance(refusal_error(refusal), OverUnitCapacity)
    assert str(refusal_error(refusal)) == "B-01 holds 6 units, room for 10: 5 more do not fit."


def test_weight_capacity_uses_product_weights():
    heavy = bin_(1, 1, max_weight_kg=100.0, stock=holding(OTHER, 10, unit_weight_kg=6.0))
    assert check_bin([widget(8, unit_weight_kg=5.0)], heavy, NO_RULES) is None
    refusal = check_bin([widget(9, unit_weight_kg=5.0)], heavy, NO_RULES)
    assert isinstance(refusal_error(refusal), OverWeightCapacity)
    assert refusal.params["would_be"] == 105.0
    # Unknown weights cannot be held against a limit.
    assert check_bin([widget(100)], heavy, NO_RULES) is None


def test_volume_capacity_uses_product_dimensions():
    litres = volume_litres(20, 10, 10)  # cm -> 2 l per unit
    assert litres == 2.0
    small = bin_(1, 1, max_volume_l=10.0)
    assert check_bin([widget(5, unit_volume_l=litres)], small, NO_RULES) is None
    refusal = check_bin([widget(6, unit_volume_l=litres)], small, NO_RULES)
    assert isinstance(refusal_error(refusal), OverVolumeCapacity)
    assert str(refusal_error(refusal)) == "B-01 would hold 12.0 l, its limit is 10.0 l."


def test_capacity_skips_full_bins_when_suggesting():
    bins = [bin_(1, 1, max_units=3, stock=holding(WIDGET, 1)), bin_(2, 5, max_units=100)]
    suggestion = suggest([widget(5)], bins, NO_RULES)
    assert suggestion.destination == "B-02"


def test_a_plate_with_two_lines_must_fit_whole():
    lines = [widget(6), Item(OTHER, "OTHER", 5)]
    bins = [bin_(1, 1, max_units=10), bin_(2, 9, max_units=11)]
    assert suggest(lines, bins, NO_RULES).destination == "B-02"


def test_nothing_fits_says_so():
    suggestion = suggest([widget(50)], [bin_(1, 1, max_units=10)], NO_RULES)
    assert suggestion.destination is None and suggestion.alternatives == ()
    assert suggestion.reason.text == "No bin can take 50 x WIDGET: scan any bin that has room."


def test_product_rule_overrides_group_rule_field_by_field():
    rules = RuleBook([PutawayRule("group", "TOOLS", preferred_zone="Z2", fefo=False),
                      PutawayRule("product", "WIDGET", preferred_zone="Z3")])
    policy = rules.policy(widget(group="TOOLS"))
    assert (policy.preferred_zone, policy.fefo) == ("Z3", False)


stock_lines = st.lists(
    st.builds(Stock, product_id=st.sampled_from([WIDGET, MILK, OTHER]), quantity=st.integers(1, 20),
              lot_id=st.sampled_from([None, 70, 71]), unit_weight_kg=st.sampled_from([None, 1.0, 7.5])),
    max_size=3,
)
bins_strategy = st.lists(
    st.builds(Bin, location_id=st.integers(1, 10_000), code=st.text("ABC", min_size=1, max_size=3),
              kind=st.sampled_from(["storage", "pick_face", "receiving", "packing", "customer"]),
              zone=st.sampled_from([None, "Z1", "Z2"]), x=st.one_of(st.none(), st.floats(0, 50)),
              y=st.floats(0, 50), blocked=st.booleans(), max_units=st.one_of(st.none(), st.integers(0, 40)),
              max_weight_kg=st.one_of(st.none(), st.floats(0, 200)), mix_lots=st.booleans(),
              stock=stock_lines.map(tuple)),
    max_size=12, unique_by=lambda b: b.location_id,
)


@settings(max_examples=200, deadline=None)
@given(bins=bins_strategy, quantity=st.integers(1, 30), lot_id=st.sampled_from([70, 71]))
def test_every_suggested_bin_can_take_the_goods(bins, quantity, lot_id):
    items = [milk(quantity, lot_id=lot_id, unit_weight_kg=2.0)]
    rules = RuleBook([PutawayRule("product", "MILK", mix_lots=False)])
    suggestion = suggest(items, bins, rules)
    offered = ([suggestion.choice] if suggestion.choice else []) + list(suggestion.alternatives)
    by_id = {b.location_id: b for b in bins}
    for choice in offered:
        assert check_bin(items, by_id[choice.location_id], rules) is None
    assert len({choice.location_id for choice in offered}) == len(offered)
    if suggestion.choice is None:
        assert all(check_bin(items, b, rules) is not None for b in bins)
