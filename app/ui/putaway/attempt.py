"""One destination scan on its way to confirm_putaway, with what the operator adds to it.

A bin other than the suggested one may need a reason or a supervisor's approval. Each retry
sends the same scan with the same idempotency key, so a retry after a lost commit cannot
move the goods twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from app.core.actor import Actor
from app.services.outbox.copies_inbound import putaway_document, putaway_payload
from app.services.putaway import tasks as putaway
from app.services.putaway.tasks import PutawayResult, PutawayTask
from app.ui.offline.desk import OfflineScan


@dataclass
class PutawayAttempt:
    task: PutawayTask
    raw: str
    actor: Actor
    quantity: int | None = None
    reason: str | None = None
    approval: Actor | None = None
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)
    tries: int = 0

    def __call__(self, uow: Any, approval: Actor | None = None,
                 idempotency_key: str | None = None) -> PutawayResult:
        """The use case for bridge.run_scan (which passes this attempt's own key back);
        ``approval=`` is kept for the retries that follow."""
        assert idempotency_key in (None, self.idempotency_key)
        if approval is not None:
            self.approval = approval
        return putaway.confirm_putaway(
            uow, self.task, self.raw, actor=self.actor, idempotency_key=self.idempotency_key,
            quantity=self.quantity, reason=self.reason, approval=self.approval,
        )

    def offline(self) -> OfflineScan | None:
        """How this bin scan is kept when the database cannot be reached (only into the
        suggested bin, without a reason or an approval: the copy refuses anything else)."""
        if self.approval is not None or self.reason is not None:
            return None
        payload = {"task": putaway_payload(self.task), "scan": self.raw, "quantity": self.quantity}
        return OfflineScan("confirm_putaway", putaway_document(self.task), payload, self.actor, "putaway", self.raw)
