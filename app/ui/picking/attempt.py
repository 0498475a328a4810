"""One item scan on its way to scan_item, and what a scan says before the database is asked.

A lot-tracked item scanned without its lot is asked again with the lot; the retry keeps the
scan's idempotency key, so a retry after a lost commit cannot pick twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from app.core.scan import try_interpret as scanned_code
from app.services.waves.picking import PickPrompt


def lot_of(raw: str) -> str:
    """A scanned GS1 label gives its lot (or serial); anything else is the lot itself."""
    code = scanned_code(raw)
    if code is not None and code.kind == "gs1" and (code.lot or code.serial):
        return code.lot or code.serial or ""
    return raw.strip()


@dataclass
class PickAttempt:
    task: PickPrompt
    raw: str
    quantity: int | None = None
    lot: str | None = None
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)
