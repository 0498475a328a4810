"""One confirmed item scan on its way to receive_scan, with everything gathered for it.

A scan may need more before it lands: a supervisor's approval, a lot, an expiry. Each retry
sends the same scan with the same idempotency key, so a retry after a lost commit cannot
count twice, and an approval given once is not asked for again when a lot is asked next.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from app.core.actor import Actor
from app.services.receiving import receipts as receiving
from app.ui.offline.desk import OfflineScan


@dataclass
class ReceiveAttempt:
    order_id: int
    raw: str
    actor: Actor
    quantity: int | None = None
    damaged: bool = False
    lot: str | None = None
    expiry: dt.date | None = None
    approval: Actor | None = None
    short_shelf_life: str | None = None  # "accept" or "quarantine", once asked
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)
    tries: int = 0

    def __call__(self, uow: Any, approval: Actor | None = None,
                 idempotency_key: str | None = None) -> receiving.ReceiveResult:
        """The use case for bridge.run_scan (which passes the key it retries with: this
        attempt's own); ``approval=`` is kept for the retries that follow."""
        assert idempotency_key in (None, self.idempotency_key)
        if approval is not None:
            self.approval = approval  # kept for the retries that follow (lot, expiry)
        return receiving.receive_scan(
            uow, self.order_id, self.raw, actor=self.actor, idempotency_key=self.idempotency_key,
            quantity=self.quantity, damaged=self.damaged, lot=self.lot, expiry=self.expiry,
            approval=self.approval, short_shelf_life=self.short_shelf_life,
        )

    def offline(self) -> OfflineScan | None:
        """How this scan is kept when the database cannot be reached (not with an approval:
        a supervisor's PIN is checked by the database, never kept on disk)."""
        if self.approval is not None:
            return None
        payload = {"order_id": self.order_id, "scan": self.raw, "quantity": self.quantity,
                   "damaged": self.damaged, "lot": self.lot,
                   "expiry": self.expiry.isoformat() if self.expiry else None}
        return OfflineScan("receive_scan", ("receipt", self.order_id), payload, self.actor, "receiving", self.raw)
