"""One inspection confirmation on its way to inspect_unit, with everything gathered for it.

A retry after a supervisor's approval sends the same idempotency key, so a unit can never be
routed twice, however often the confirmation is repeated.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from app.core.actor import Actor
from app.services.returns.inspection import Inspection, InspectionResult, inspect_unit


@dataclass
class InspectAttempt:
    unit_id: int
    inspection: Inspection
    actor: Actor
    disposition: str | None = None  # chosen instead of the rules' one
    approval: Actor | None = None
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __call__(self, uow: Any, approval: Actor | None = None) -> InspectionResult:
        """The use case for bridge.run; ``approval=`` is kept for the retries that follow."""
        if approval is not None:
            self.approval = approval
        return inspect_unit(uow, self.unit_id, self.inspection, actor=self.actor,
                            idempotency_key=self.idempotency_key, disposition=self.disposition,
                            approval=self.approval)
