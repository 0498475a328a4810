"""The ABC counting plan without a database: how a period's due counts are spread over its days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from app.core.errors import InvalidInput

T = TypeVar("T")

DEFAULT_LOOKBACK_DAYS = 90  # the movement a classification looks at
DEFAULT_PLAN_DAYS = 20  # the days one plan is spread over
DEFAULT_DAILY_CAP = 25  # the most counts planned for one day
BASES = ("value", "frequency")


@dataclass(frozen=True)
class PlanPolicy:
    share_a: float = 0.80  # the movers making the first 80 % of movement are A
    share_b: float = 0.95  # up to 95 % B, the rest C
    basis: str = "value"
    lookback_days: int = DEFAULT_LOOKBACK_DAYS
    plan_days: int = DEFAULT_PLAN_DAYS
    daily_cap: int = DEFAULT_DAILY_CAP


def policy_problem(policy: PlanPolicy) -> tuple[str, str] | None:
    """(field, reason) when the policy cannot work; None when it can."""
    if not 0 < policy.share_a < policy.share_b < 1:
        return "shares", f"need 0 < A < B < 100 %, got A {policy.share_a:.0%}, B {policy.share_b:.0%}"
    if policy.basis not in BASES:
        return "basis", f"'{policy.basis}' is not one of {', '.join(BASES)}"
    for name in ("lookback_days", "plan_days", "daily_cap"):
        if getattr(policy, name) < 1:
            return name.replace("_", " "), "must be at least 1"
    return None


def daily_quota(due: int, days: int, cap: int) -> int:
    """Counts per day: the due items spread evenly over the days, never more than ``cap``."""
    if days < 1 or cap < 1:
        raise InvalidInput(field="plan", reason="days and daily cap must be at least 1")
    return min(cap, -(-due // days)) if due else 0


def spread(items: Sequence[T], start: dt.date, days: int, cap: int) -> tuple[dict[dt.date, list[T]], list[T]]:
    """Give ``items`` (most urgent first) to the days from ``start``: each day the same quota
    (the last days may get fewer), at most ``cap``; returns (day -> items, items left over for
    the next plan when the cap leaves no room)."""
    quota = daily_quota(len(items), days, cap)
    plan: dict[dt.date, list[T]] = {}
    for index in range(days):
        chunk = list(items[index * quota:(index + 1) * quota]) if quota else []
        if chunk:
            plan[start + dt.timedelta(days=index)] = chunk
    return plan, list(items[days * quota:])
