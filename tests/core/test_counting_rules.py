"""Counting rules without a database: ABC classes, due dates, tolerance, variance,
resolution of stock moved during a count, count states."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.counting_rules import (
    COUNT_TRANSITIONS,
    DEFAULT_POLICIES,
    KEEP_COUNTED,
    KEEP_DIFFERENCE,
    LINE_TRANSITIONS,
    ClassPolicy,
    adjustment,
    classify_abc,
    count_interval_days,
    is_due,
    line_outcome,
    next_count_state,
    next_due_date,
    period_start,
    units_counted,
    variance,
)
from app.core.errors import InvalidInput, InvalidTransition

TODAY = dt.date(2026, 11, 23)


# --- ABC ---------------------------------------------------------------------------------------
def test_pareto_classes_by_share_of_movement():
    movement = {"big": 700.0, "mid": 150.0, "small1": 80.0, "small2": 50.0, "tiny": 20.0, "still": 0.0}
    # shares before each item: big 0.0, mid 0.70, small1 0.85, small2 0.93, tiny 0.98
    assert classify_abc(movement) == {
        "big": "A", "mid": "A", "small1": "B", "small2": "B", "tiny": "C", "still": "C",
    }


def test_the_largest_mover_is_always_a_and_nothing_moving_is_c():
    assert classify_abc({"only": 5.0, "other": 0.0}) == {"only": "A", "other": "C"}
    assert classify_abc({"x": 0.0, "y": 0.0}) == {"x": "C", "y": "C"}
    assert classify_abc({}) == {}


def test_equal_movers_are_classified_the_same_way_every_time():
    movement = {f"P{n}": 10.0 for n in range(10)}
    assert classify_abc(movement) == classify_abc(dict(reversed(list(movement.items()))))


def test_custom_shares_and_their_validation():
    movement = {"a": 50.0, "b": 30.0, "c": 20.0}
    assert classify_abc(movement, (0.5, 0.8)) == {"a": "A", "b": "B", "c": "C"}
    with pytest.raises(InvalidInput):
        classify_abc(movement, (0.9, 0.5))


@given(st.dictionaries(st.text(min_size=1, max_size=4), st.floats(0, 1e6), max_size=30))
def test_a_items_never_move_less_than_c_items(movement):
    classes = classify_abc(movement)
    assert set(classes) == set(movement)
    a_values = [movement[k] for k, c in classes.items() if c == "A"]
    c_values = [movement[k] for k, c in classes.items() if c == "C" and movement[k] > 0]
    if a_values and c_values:
        assert min(a_values) >= max(c_values)


# --- due dates ---------------------------------------------------------------------------------
def test_counts_per_year_become_intervals():
    assert count_interval_days(12) == 30
    assert count_interval_days(4) == 91
    assert count_interval_days(1) == 365
    assert count_interval_days(0) is None
    with pytest.raises(InvalidInput):
        count_interval_days(-1)


def test_due_dates_per_class():
    last = TODAY - dt.timedelta(days=31)
    assert is_due(last, 12, TODAY)  # A: monthly, counted a month ago
    assert not is_due(last, 4, TODAY)  # B: quarterly
    assert next_due_date(last, 4, TODAY) == last + dt.timedelta(days=91)
    assert is_due(None, 1, TODAY)  # never counted: due at once
    assert next_due_date(None, 1, TODAY) == TODAY
    assert not is_due(None, 0, TODAY)  # a class set to 0 counts per year is never counted
    assert is_due(TODAY - dt.timedelta(days=30), 12, TODAY)  # due on the day itself


# --- variance and tolerance ----------------------------------------------------------------------
def test_variance_in_quantity_and_value():
    found = variance(expected=100, counted=97, unit_cost=2.5)
    assert (found.quantity, found.value, found.pct) == (-3, -7.5, -3.0)
    assert variance(0, 4, None).value == 0 and variance(0, 4, None).pct is None


def test_tolerance_needs_both_quantity_and_value_within():
    policy = ClassPolicy("B", counts_per_year=4, quantity_pct=5.0, value=20.0)
    assert policy.within(variance(100, 95, unit_cost=2.0))  # 5 units, value 10
    assert not policy.within(variance(100, 94, unit_cost=2.0))  # 6 units > 5 %
    assert not policy.within(variance(100, 96, unit_cost=10.0))  # value 40 > 20
    assert policy.within(variance(0, 0, unit_cost=10.0))
    assert not policy.within(variance(0, 1, unit_cost=0.0))  # found where nothing was expected


def test_default_policies_are_tighter_for_a():
    a, b, c = (DEFAULT_POLICIES[k] for k in "ABC")
    assert a.counts_per_year > b.counts_per_year > c.counts_per_year
    assert a.quantity_pct < b.quantity_pct < c.quantity_pct
    assert a.value < b.value < c.value


@pytest.mark.parametrize(
    ("expected", "counted", "moved", "recount", "auto", "outcome"),
    [
        (10, 10, False, False, True, "match"),
        (100, 98, False, False, True, "auto_approve"),
        (100, 98, False, False, False, "review"),
        (100, 80, False, False, True, "recount"),
        (100, 80, False, True, True, "review"),  # a recount is not recounted again
        (10, 10, True, False, True, "review"),  # moved stock is never settled silently
        (100, 98, True, False, True, "review"),
    ],
)
def test_line_outcome(expected, counted, moved, recount, auto, outcome):
    policy = ClassPolicy("C", counts_per_year=1, quantity_pct=5.0, value=100.0, auto_approve=auto)
    found = variance(expected, counted, unit_cost=1.0)
    assert line_outcome(found, policy, moved_during_count=moved, is_recount=recount) == outcome
    assert outcome in LINE_TRANSITIONS["open"]


# --- stock moved during the count --------------------------------------------------------------
def test_resolutions_when_stock_moved_during_the_count():
    # Snapshot 10, counter found 8, meanwhile 5 were put away: 15 on record now.
    assert adjustment(KEEP_COUNTED, expected=10, counted=8, current=15) == -7  # leaves 8
    assert adjustment(KEEP_DIFFERENCE, expected=10, counted=8, current=15) == -2  # leaves 13
    # Without movement both choices give the same adjustment.
    assert adjustment(KEEP_COUNTED, expected=10, counted=8, current=10) == adjustment(
        KEEP_DIFFERENCE, expected=10, counted=8, current=10) == -2
    with pytest.raises(InvalidInput):
        adjustment("guess", expected=1, counted=1, current=1)


def test_units_counted_per_scan():
    assert units_counted(None, None, 1) == 1
    assert units_counted(None, None, 12) == 12  # a case barcode
    assert units_counted(None, 40, 1) == 40  # bulk quantity entry
    assert units_counted(None, 3, 12) == 36  # three cases
    assert units_counted(6, None, 1) == 6  # GS1 count (AI 30/37)
    with pytest.raises(InvalidInput):
        units_counted(None, 0, 1)


# --- states and periods ------------------------------------------------------------------------
def test_count_states_follow_the_table():
    state = next_count_state("count", "CC-000001", "planned", "start")
    assert state == "counting"
    assert next_count_state("count", "CC-000001", state, "review") == "in_review"
    assert next_count_state("count", "CC-000001", "in_review", "close") == "closed"
    with pytest.raises(InvalidTransition) as error:
        next_count_state("count", "CC-000001", "closed", "start")
    assert str(error.value) == "CC-000001 is closed: 'start' is not possible."
    with pytest.raises(InvalidTransition):
        next_count_state("count_line", "WIDGET at A-01-01", "rejected", "approve")
    assert all(target in COUNT_TRANSITIONS for moves in COUNT_TRANSITIONS.values()
               for target in moves.values())


def test_periods_start_on_monday_or_the_first():
    assert period_start(dt.date(2026, 11, 26), "week") == dt.date(2026, 11, 23)
    assert period_start(dt.date(2026, 11, 26), "month") == dt.date(2026, 11, 1)
    with pytest.raises(InvalidInput):
        period_start(TODAY, "year")
