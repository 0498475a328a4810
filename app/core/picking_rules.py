"""Picking and packing rules that need no database: which stock to promise to an order line,
which carton fits, and which states orders and waves move through.

Allocation order (``rank_stock``):
1. Lots with an expiry date go first-expired-first-out (FEFO), before any location rule:
   walking to reserve storage is cheaper than writing off an expired pick face.
   A lot is never promised when it expires before the order's ship-by date (or before
   today when the order has none); a lot expiring *on* that day is still usable.
2. Pick faces before reserve storage.
3. First in, first out by receipt date (the first move of the lot, else of the stock key).
4. Location code, so that equal stock is always chosen the same way.
Only storage and pick-face locations that are not blocked are pickable: never the dock,
quarantine, returns, packing or shipping.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from app.core.errors import InvalidTransition, StockfloorError

PICKABLE_KINDS = ("pick_face", "storage")
CART_KIND = "cart"  # where picked units wait in their totes until packed

# --- document states ---------------------------------------------------------------------
# open: imported, nothing promised. allocated: stock reserved for some or all units (the rest
# is the line's backorder). picking: in a released wave. picked: every pick task finished
# (short picks included). packed: every unit verified into closed parcels. shipped: dispatched.
ORDER_TRANSITIONS: dict[str, dict[str, str]] = {
    "open": {"allocate": "allocated", "cancel": "cancelled"},
    "allocated": {
        "allocate": "allocated",
        "deallocate": "open",
        "release": "picking",
        "cancel": "cancelled",
    },
    "picking": {"pick": "picking", "finish_picking": "picked"},
    "picked": {"pack": "picked", "split": "picked", "finish_packing": "packed"},
    "packed": {"ship": "shipped"},
    "shipped": {},
    "cancelled": {},
}
WAVE_TRANSITIONS: dict[str, dict[str, str]] = {
    "released": {"pick": "picking", "finish": "done"},
    "picking": {"pick": "picking", "finish": "done"},
    "done": {},
}
_TABLES = {"order": ORDER_TRANSITIONS, "wave": WAVE_TRANSITIONS}


def next_state(kind: str, document: str, state: str, action: str) -> str:
    """The state of an order or wave after ``action``; InvalidTransition when not allowed."""
    allowed = _TABLES[kind].get(state, {})
    if action not in allowed:
        raise InvalidTransition(
            document=document, state=state.replace("_", " "), action=action.replace("_", " ")
        )
    return allowed[action]


# --- errors the picker and packer see ---------------------------------------------------------
class WrongPickLocation(StockfloorError):
    template = "{scanned} is not the pick location, go to {expected}."


class ScanPickLocationFirst(StockfloorError):
    template = "Scan location {location} first."


class WrongPickItem(StockfloorError):
    template = "{scanned} is not the item to pick at {location}, pick {expected}."


class WrongLot(StockfloorError):
    template = "Lot {scanned} of {sku} is not the one reserved: pick lot {expected}."


class TooManyPicked(StockfloorError):
    template = "Only {remaining} more {sku} to pick here, {units} scanned."


class NotOnOrder(StockfloorError):
    template = "{sku} is not on order {order}: put it aside."


class ExtraItem(StockfloorError):
    template = "All {picked} {sku} of order {order} are packed: this one is extra."


class MissingItems(StockfloorError):
    template = "Order {order} is missing {missing}: a supervisor must split the order to close it."


class ParcelStillOpen(StockfloorError):
    template = "Parcel {parcel} of order {order} is open: close it with its weight first."


class NothingToDispatch(StockfloorError):
    template = "No packed parcels are waiting for {carrier}."


# --- allocation -----------------------------------------------------------------------------
@dataclass(frozen=True)
class StockOption:
    """Unreserved stock at one stock key, as the allocation sees it."""

    key: Hashable  # whatever the caller needs to reserve it again
    location_code: str
    location_kind: str
    available: int
    received_at: dt.datetime | None = None
    expiry: dt.date | None = None


def usable_until(today: dt.date, ship_by: dt.date | None) -> dt.date:
    """A lot must not expire before this day to be promised."""
    return max(today, ship_by) if ship_by else today


def lot_usable(expiry: dt.date | None, today: dt.date, ship_by: dt.date | None) -> bool:
    return expiry is None or expiry >= usable_until(today, ship_by)


def rank_stock(
    options: Iterable[StockOption], *, today: dt.date, ship_by: dt.date | None = None
) -> list[StockOption]:
    """Usable options in the order they should be promised (see the module docstring)."""
    usable = [
        option
        for option in options
        if option.available > 0
        and option.location_kind in PICKABLE_KINDS
        and lot_usable(option.expiry, today, ship_by)
    ]
    return sorted(usable, key=_rank)


def _rank(option: StockOption) -> tuple:
    expiry = option.expiry.toordinal() if option.expiry else math.inf
    face_first = PICKABLE_KINDS.index(option.location_kind)
    received = option.received_at.timestamp() if option.received_at else math.inf
    return (expiry, face_first, received, option.location_code)


def plan_allocation(
    options: Iterable[StockOption],
    quantity: int,
    *,
    today: dt.date,
    ship_by: dt.date | None = None,
) -> tuple[list[tuple[StockOption, int]], int]:
    """(option, units) to promise, in rank order, and the backorder that remains."""
    plan: list[tuple[StockOption, int]] = []
    remaining = quantity
    for option in rank_stock(options, today=today, ship_by=ship_by):
        if remaining <= 0:
            break
        take = min(option.available, remaining)
        plan.append((option, take))
        remaining -= take
    return plan, remaining


# --- waves ----------------------------------------------------------------------------------
def release_order_key(priority: int, ship_by: dt.date | None, number: str) -> tuple:
    """Most urgent first: higher priority, then the earlier ship-by date (none last)."""
    return (-priority, ship_by.toordinal() if ship_by else math.inf, number)


def batches(items: Sequence, cart_slots: int) -> list[list]:
    """Split orders onto carts of ``cart_slots`` totes, in the given order."""
    if cart_slots < 1:
        raise ValueError("a cart holds at least one tote")
    return [list(items[i:i + cart_slots]) for i in range(0, len(items), cart_slots)]


# --- cartons --------------------------------------------------------------------------------
# Items rarely pack without gaps: only this share of a carton's volume is counted as usable.
CARTON_FILL = 0.8


@dataclass(frozen=True)
class CartonSize:
    code: str
    length_cm: float
    width_cm: float
    height_cm: float
    max_weight_kg: float | None = None

    @property
    def volume_cm3(self) -> float:
        return self.length_cm * self.width_cm * self.height_cm

    @property
    def dimensions(self) -> tuple[float, float, float]:
        return tuple(sorted((self.length_cm, self.width_cm, self.height_cm), reverse=True))


@dataclass(frozen=True)
class ItemSize:
    """One product's unit size (unknown sizes count as nothing) and how many are packed."""

    quantity: int
    length_cm: float | None = None
    width_cm: float | None = None
    height_cm: float | None = None
    weight_kg: float | None = None

    @property
    def dimensions(self) -> tuple[float, float, float] | None:
        sides = (self.length_cm, self.width_cm, self.height_cm)
        if any(side is None for side in sides):
            return None
        return tuple(sorted(sides, reverse=True))  # type: ignore[arg-type]

    @property
    def volume_cm3(self) -> float:
        sides = self.dimensions
        return sides[0] * sides[1] * sides[2] * self.quantity if sides else 0.0


def choose_carton(
    cartons: Iterable[CartonSize], items: Iterable[ItemSize], *, fill: float = CARTON_FILL
) -> CartonSize | None:
    """The smallest carton that holds the items: their volume within ``fill`` of its own,
    every item fits through its sides, and their weight within its limit. None when no
    carton is big enough (pack into several parcels, or choose by hand)."""
    items = [item for item in items if item.quantity > 0]
    volume = sum(item.volume_cm3 for item in items)
    weight = sum((item.weight_kg or 0.0) * item.quantity for item in items)
    fitting = [
        carton
        for carton in cartons
        if volume <= carton.volume_cm3 * fill
        and (carton.max_weight_kg is None or weight <= carton.max_weight_kg)
        and all(_fits(item.dimensions, carton.dimensions) for item in items)
    ]
    return min(fitting, key=lambda carton: (carton.volume_cm3, carton.code), default=None)


def _fits(item: tuple[float, float, float] | None, carton: tuple[float, float, float]) -> bool:
    return item is None or all(a <= b for a, b in zip(item, carton))
