"""Replenishment rules without a database: how much to bring to a pick face, whether its
levels make sense, and the errors of the replenish workflow."""

from __future__ import annotations

from app.core.errors import StockfloorError

RESERVE_KINDS = ("storage",)  # where replenishment takes from
FACE_KIND = "pick_face"


def refill_quantity(on_hand: int, min_units: int, max_units: int, unit: int, waiting: int = 0) -> int:
    """Units to bring to a face holding ``on_hand``: up to ``max_units`` in whole ``unit``s, at
    least one unit, and at least enough whole units for ``waiting`` order units beyond what the
    face holds."""
    room = max(max_units - on_hand, 0)
    units = max(room // unit, 1) * unit
    short = waiting - on_hand
    if short > 0:
        units = max(units, -(-short // unit) * unit)
    return units


def levels_problem(min_units: int, max_units: int, unit: int) -> tuple[str, str] | None:
    """(field, reason) when a face's levels cannot work; None when they can."""
    if min_units < 0:
        return "min_units", "cannot be negative"
    if max_units <= min_units:
        return "max_units", f"must be more than min ({min_units})"
    if unit < 1:
        return "unit", "must be at least 1"
    if unit > max_units:
        return "unit", f"one unit ({unit}) does not fit below max ({max_units})"
    return None


class NotAReserveBin(StockfloorError):
    template = "{location} holds no free {sku} to replenish from: scan a reserve bin that does."


class WrongReplenishItem(StockfloorError):
    template = "{scanned} is not {expected}: take {expected}."


class WrongFace(StockfloorError):
    template = "{scanned} is not the pick face of {sku}: take it to {face}."


class ReplenishmentClosed(StockfloorError):
    template = "Replenishment {task} is {state}: nothing to do."


class NotAPickFace(StockfloorError):
    template = "{location} is a {kind} location: min / max belong to pick faces."
