"""Kinds of location: where stock is kept or handled, and the virtual ones that are only the
ends of moves (stock comes from a supplier, goes to a customer or is written off) and hold
nothing. Plain data, so that readers without the ORM models can use it too."""

from __future__ import annotations

LOCATION_KINDS = (
    "receiving", "storage", "pick_face", "packing", "shipping", "quarantine", "returns", "cart",
    "supplier", "customer", "inventory_loss",
)
VIRTUAL_LOCATION_KINDS = ("supplier", "customer", "inventory_loss")
