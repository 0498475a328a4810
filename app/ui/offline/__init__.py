"""Working offline on the floor: the desk beside the bridge (desk.py), the status-bar text
(status.py) and the supervisor's needs-attention screen (attention_screen.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.ui.bridge import Bridge
    from app.ui.registry import ScreenRegistry


def keep_offline_copy(bridge: Bridge, read: Callable[..., Any], *args: Any) -> None:
    """A floor screen opened a document: keep its local copy for an outage (no-op without an
    outbox, e.g. on a SQLite file, which is on this workstation's own disk)."""
    if bridge.offline is not None:
        bridge.offline.keep_copy(read, *args)


def keep_local_copy(bridge: Bridge, copy: Any) -> None:
    """Like keep_offline_copy, for a copy the screen already holds (no database read)."""
    if bridge.offline is not None:
        bridge.offline.keep(copy)


def update_offline_copy(bridge: Bridge, document: tuple, state: Any) -> None:
    """The screen has a newer state of an open document (e.g. after a close or an undo, which
    do not run offline): its local copy takes it (``copy.take(state)``)."""
    if bridge.offline is not None:
        bridge.offline.update(document, state)


def register_screens(registry: ScreenRegistry) -> None:
    from PySide6.QtCore import QCoreApplication

    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202
        from app.ui.offline.attention_screen import AttentionScreen

        return AttentionScreen(context)

    registry.register(ScreenEntry("offline_scans", "supervisor", build,
                                  lambda: QCoreApplication.translate("workflows", "Offline scans")))
