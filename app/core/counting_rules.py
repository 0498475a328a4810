"""Cycle-count rules that need no database: ABC classes, how often each class is counted,
tolerances, variance, what to do with stock that moved during a count, and count states."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from app.core.errors import InvalidInput, InvalidTransition, StockfloorError

ABC_CLASSES = ("A", "B", "C")
ABC_BASES = ("value", "frequency")  # movement value (qty x unit cost) or number of moves
# Cumulative share of movement up to which an item is A, then B; the rest is C (Pareto).
DEFAULT_ABC_SHARES = (0.80, 0.95)

# Why a supervisor approves or rejects a counted line.
REASON_CODES = ("miscount", "found", "lost", "damaged", "expired", "unrecorded_move")
# Why another workflow asked for a count of one location.
TRIGGER_REASONS = ("short_pick", "bin_found_empty", "putaway_refused", "supervisor_request")
# Stock moved at a location while it was being counted: the reviewer picks one.
KEEP_COUNTED = "keep_counted"  # the location holds what was counted
KEEP_DIFFERENCE = "keep_difference"  # apply counted - expected-at-snapshot to current stock
RESOLUTIONS = (KEEP_COUNTED, KEEP_DIFFERENCE)

COUNT_KINDS = ("location_range", "zone", "product", "abc", "triggered", "recount")

# state -> {action: next state}
COUNT_TRANSITIONS: dict[str, dict[str, str]] = {
    "planned": {"assign": "planned", "start": "counting", "cancel": "cancelled"},
    "counting": {"assign": "counting", "start": "counting", "count": "counting",
                 "review": "in_review", "close": "closed", "cancel": "cancelled"},
    "in_review": {"close": "closed"},
    "closed": {},
    "cancelled": {},
}
COUNT_LOCATION_TRANSITIONS: dict[str, dict[str, str]] = {
    "pending": {"start": "counting"},
    "counting": {"start": "counting", "count": "counting", "finish": "counted"},
    "counted": {},
}
# A line is evaluated once, when its location is finished; only "to_review" lines wait for a person.
LINE_TRANSITIONS: dict[str, dict[str, str]] = {
    "open": {"match": "matched", "auto_approve": "auto_approved", "review": "to_review",
             "recount": "recounted"},
    "to_review": {"approve": "approved", "reject": "rejected"},
    "matched": {},
    "auto_approved": {},
    "approved": {},
    "rejected": {},
    "recounted": {},
}
TRANSITIONS = {
    "count": COUNT_TRANSITIONS,
    "count_location": COUNT_LOCATION_TRANSITIONS,
    "count_line": LINE_TRANSITIONS,
}
OPEN_COUNT_STATES = ("planned", "counting")


# --- errors ----------------------------------------------------------------------------------
class LocationNotInCount(StockfloorError):
    template = "{location} is not part of count {count}."


class ProductNotInCount(StockfloorError):
    template = "Count {count} is for {wanted} only; {sku} is not counted here."


class ScanLocationFirst(StockfloorError):
    template = "Scan location {location} before counting in it."


class EmptyNotConfirmed(StockfloorError):
    template = "Nothing was counted at {location}: scan what is there, or confirm it is empty."


class NotEmpty(StockfloorError):
    template = "{units} units were already counted at {location}: it is not empty."


class SerialAlreadyCounted(StockfloorError):
    template = "Serial {serial} of {sku} was already counted here."


class NothingToCount(StockfloorError):
    template = "Nothing to count: {what}."


class ResolutionRequired(StockfloorError):
    template = (
        "{sku} at {location} moved during the count: choose 'keep counted quantity' "
        "or 'keep the difference'."
    )


def next_count_state(kind: str, document: str, state: str, action: str) -> str:
    """The state after ``action`` for a count, count location or count line."""
    allowed = TRANSITIONS[kind].get(state, {})
    if action not in allowed:
        raise InvalidTransition(
            document=document, state=state.replace("_", " "), action=action.replace("_", " ")
        )
    return allowed[action]


# --- ABC classes and how often they are counted ----------------------------------------------
K = TypeVar("K", bound=Hashable)


def classify_abc(
    movement: Mapping[K, float], shares: tuple[float, float] = DEFAULT_ABC_SHARES
) -> dict[K, str]:
    """Pareto classes: the items that make the first ``shares[0]`` of all movement are A,
    up to ``shares[1]`` B, the rest C. An item is placed by the share *before* it, so the
    largest mover is always A; items that did not move are C."""
    a_share, b_share = shares
    if not 0 < a_share <= b_share <= 1:
        raise InvalidInput(field="ABC shares", reason=f"need 0 < A <= B <= 1, got {shares}")
    total = sum(v for v in movement.values() if v > 0)
    classes: dict[K, str] = {}
    before = 0.0
    # Ties are broken by key so that the same ledger always gives the same classes.
    for key, value in sorted(movement.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        if value <= 0 or total == 0:
            classes[key] = "C"
            continue
        share = before / total
        classes[key] = "A" if share < a_share else "B" if share < b_share else "C"
        before += value
    return classes


def count_interval_days(counts_per_year: int) -> int | None:
    """Days between two counts of one item; None when the class is not counted at all."""
    if counts_per_year < 0:
        raise InvalidInput(field="counts per year", reason=f"cannot be negative, got {counts_per_year}")
    if counts_per_year == 0:
        return None
    return max(round(365 / counts_per_year), 1)


def next_due_date(last_counted: dt.date | None, counts_per_year: int, today: dt.date) -> dt.date | None:
    """When an item must be counted next: at once if never counted, None if never."""
    interval = count_interval_days(counts_per_year)
    if interval is None:
        return None
    if last_counted is None:
        return today
    return last_counted + dt.timedelta(days=interval)


def is_due(last_counted: dt.date | None, counts_per_year: int, today: dt.date) -> bool:
    due = next_due_date(last_counted, counts_per_year, today)
    return due is not None and due <= today


# --- tolerance and variance ------------------------------------------------------------------
@dataclass(frozen=True)
class ClassPolicy:
    """How one ABC class is counted: how often, how exactly, and whether small variances
    are accepted without a supervisor."""

    abc_class: str
    counts_per_year: int
    quantity_pct: float  # allowed |variance| as % of the expected quantity
    value: float  # allowed |variance| x unit cost, in the warehouse's currency
    auto_approve: bool = True

    def within(self, variance: Variance) -> bool:
        if variance.quantity == 0:
            return True
        allowed_units = abs(variance.expected) * self.quantity_pct / 100
        return abs(variance.quantity) <= allowed_units and abs(variance.value) <= self.value


DEFAULT_POLICIES = {
    "A": ClassPolicy("A", counts_per_year=12, quantity_pct=1.0, value=50.0),
    "B": ClassPolicy("B", counts_per_year=4, quantity_pct=2.0, value=100.0),
    "C": ClassPolicy("C", counts_per_year=1, quantity_pct=5.0, value=250.0),
}


@dataclass(frozen=True)
class Variance:
    expected: int
    counted: int
    quantity: int  # counted - expected
    value: float  # quantity x unit cost

    @property
    def pct(self) -> float | None:
        """Variance as % of the expected quantity; None when nothing was expected."""
        return None if self.expected == 0 else 100.0 * self.quantity / self.expected


def variance(expected: int, counted: int, unit_cost: float | None) -> Variance:
    quantity = counted - expected
    return Variance(expected, counted, quantity, round(quantity * float(unit_cost or 0), 4))


def line_outcome(
    variance_: Variance, policy: ClassPolicy, *, moved_during_count: bool, is_recount: bool
) -> str:
    """The evaluation action for a counted line (see LINE_TRANSITIONS["open"])."""
    if moved_during_count:
        return "review"  # never settle moved stock without a person deciding
    if variance_.quantity == 0:
        return "match"
    if policy.within(variance_):
        return "auto_approve" if policy.auto_approve else "review"
    return "review" if is_recount else "recount"


def adjustment(resolution: str, *, expected: int, counted: int, current: int) -> int:
    """Signed quantity to post to a location when a counted line is approved.

    ``expected`` is the snapshot at the start of the count, ``current`` the on-hand now.
    Without movement both resolutions agree."""
    if resolution == KEEP_COUNTED:
        return counted - current
    if resolution == KEEP_DIFFERENCE:
        return counted - expected
    raise InvalidInput(field="resolution", reason=f"'{resolution}' is not one of {', '.join(RESOLUTIONS)}")


def units_counted(gs1_count: int | None, quantity: int | None, per_scan: int) -> int:
    """Units one scan stands for: a GS1 count or a case barcode, times an entered quantity."""
    if quantity is not None and quantity <= 0:
        raise InvalidInput(field="quantity", reason=f"must be at least 1, got {quantity}")
    return (gs1_count if gs1_count is not None else per_scan) * (quantity or 1)


# --- accuracy over time ----------------------------------------------------------------------
PERIODS = ("week", "month")


def period_start(day: dt.date, period: str) -> dt.date:
    """The Monday of the ISO week, or the first of the month."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    raise InvalidInput(field="period", reason=f"'{period}' is not one of {', '.join(PERIODS)}")
