"""One item scan on its way to scan_item, and what a scan says before the database is asked.

A lot-tracked item scanned without its lot is asked again with the lot; the retry keeps the
scan's idempotency key, so a retry after a lost commit cannot pick twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from app.services.waves.picking import PickPrompt


@dataclass
class PickAttempt:
    task: PickPrompt
    raw: str
    quantity: int | None = None
    lot: str | None = None
    gtin: str | None = None  # what the scan said: its own GS1 label answers the lot question
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)
