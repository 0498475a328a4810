"""Returns through an outage of the shared database: an item scanned on the open RMA is
checked against its local copy (services/outbox/copies_outbound.ReturnCopy) and kept in the outbox;
the unit waits for inspection. Grading and routing it wait for the database (the rules, a
supervisor's approval above a value, the routing label with the unit's code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from app.core.actor import Actor
from app.services.returns.receive import ReceiveResult
from app.ui.offline.desk import OfflineScan
from app.ui.returns.texts import flag_names

if TYPE_CHECKING:
    from app.ui.returns.screen import ReturnsScreen


def offline_receive(rma_id: int, raw: str, lot: str | None, actor: Actor) -> OfflineScan:
    """How an item scan of the open RMA is kept when the database cannot be reached."""
    payload = {"rma_id": rma_id, "scan": raw, "lot": lot, "quantity": None}
    return OfflineScan("receive_item", ("return", rma_id), payload, actor, "returns", raw)


def kept_offline(result: ReceiveResult) -> bool:
    """The unit was received offline: it has no number yet (the server gives it one)."""
    return result.unit.unit_id <= 0 and not result.replayed


def show_kept(screen: ReturnsScreen, result: ReceiveResult) -> None:
    screen.rma, screen.state = result.rma, None
    unit = result.unit
    text = QCoreApplication.translate(
        "ReturnsScreen", "{sku} {name} received offline: grade it online.").format(
        sku=unit.sku, name=unit.name)
    if unit.flags:
        screen.feedback.attention(text + " " + QCoreApplication.translate("ReturnsScreen", "Check: {flags}").format(
            flags=flag_names(unit.flags)))
    else:
        screen.feedback.ok(text)
    screen.retranslate()
