"""One item scan on its way to pack_scan, and reading what the packer scans or types.

A lot-tracked item whose lot the tote does not make clear is asked again with the lot; the
retry keeps the scan's idempotency key, so a retry after a lost commit cannot pack twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from app.core.actor import Actor
from app.ui.offline.desk import OfflineScan


def parse_weight(text: str) -> float | None:
    """Kilograms typed or scanned as 1.25 or 1,25; None when it is not a weight."""
    text = text.strip().replace(",", ".")
    try:
        weight = float(text)
    except ValueError:
        return None
    return weight if 0 < weight < 1000 and text.replace(".", "", 1).isdigit() else None


@dataclass
class PackAttempt:
    """One item scan on its way to pack_scan; a retry with the lot keeps its key."""

    raw: str
    quantity: int | None = None
    lot: str | None = None
    gtin: str | None = None  # what the scan said: its own GS1 label answers the lot question
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def offline(self, order_id: int, actor: Actor) -> OfflineScan:
        """How this scan is kept when the database cannot be reached: checked against the
        order's local copy (services/outbox/copies_outbound.PackCopy), replayed with its key."""
        payload = {"order_id": order_id, "scan": self.raw, "quantity": self.quantity, "lot": self.lot}
        return OfflineScan("pack_scan", ("pack", order_id), payload, actor, "packing", self.raw)
