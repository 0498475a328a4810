"""One confirmed scan, one outcome: run a scan use case and, when the connection to the
database is lost (before, during or around COMMIT), run it again with the same arguments
and the same idempotency key until the database answers.

The key makes every retry safe: the scan's transaction either committed (the retry finds
the key claimed and reports the first outcome) or did not (the retry applies it). A retry
that finds its own earlier, unanswered attempt committed is reported as applied, not as a
replay, so the caller sees exactly the one result the operator's scan produced. After
``give_up_after`` seconds the last DatabaseUnavailable is raised (bounded failure); the
caller may run the same call again later, still with the same key.

Usable from the CLI and from a UI worker thread (it blocks; never run it on the GUI thread).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any, TypeVar

from app.core.errors import DatabaseUnavailable, InvalidInput
from app.db.engine import Database
from app.db.uow import UnitOfWork

T = TypeVar("T")
BACKOFF = (0.1, 0.25, 0.5, 1.0, 2.0)  # seconds between attempts, the last one repeats


def run_scan(
    database: Database,
    use_case: Callable[..., T],
    *args: Any,
    give_up_after: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    **kwargs: Any,
) -> T:
    """``use_case(uow, *args, **kwargs)`` in its own unit of work, retried on a lost
    connection. ``kwargs`` must hold the scan's ``idempotency_key``."""
    if not kwargs.get("idempotency_key"):
        raise InvalidInput(field="idempotency_key", reason="a retried scan needs its key")
    deadline = monotonic() + give_up_after
    unanswered = False  # an earlier attempt may have committed without telling us
    for attempt in range(10_000):
        try:
            with UnitOfWork(database) as uow:
                result = use_case(uow, *args, **kwargs)
        except DatabaseUnavailable:
            if monotonic() >= deadline:
                raise
            unanswered = True
            sleep(min(BACKOFF[min(attempt, len(BACKOFF) - 1)], max(deadline - monotonic(), 0)))
            continue
        if unanswered and getattr(result, "replayed", False) and dataclasses.is_dataclass(result):
            result = dataclasses.replace(result, replayed=False)  # it was our own attempt
        return result
    raise AssertionError("unreachable")
