"""Which screens exist, who may open them, and how to build them.

Each screen package registers itself: its ``__init__.py`` defines
``register_screens(registry)``, which adds ScreenEntry objects. The home screen shows a tile
only for registered screens the user's role may open, so a workflow that is not written yet
shows no tile. Keep ``__init__.py`` light: import the screen module inside the factory.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.core.actor import ROLES

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.ui.context import AppContext

log = logging.getLogger(__name__)

# The home screen's tiles in order, with their English titles (context "workflows").
# Screens with other names follow alphabetically and bring their own title.
WORKFLOW_TITLES = {
    "receive": QT_TRANSLATE_NOOP("workflows", "Receive"),
    "putaway": QT_TRANSLATE_NOOP("workflows", "Put away"),
    "pick": QT_TRANSLATE_NOOP("workflows", "Pick"),
    "replenish": QT_TRANSLATE_NOOP("workflows", "Replenish"),
    "pack": QT_TRANSLATE_NOOP("workflows", "Pack"),
    "waves": QT_TRANSLATE_NOOP("workflows", "Waves and dispatch"),
    "count": QT_TRANSLATE_NOOP("workflows", "Count"),
    "returns": QT_TRANSLATE_NOOP("workflows", "Returns"),
    "review_counts": QT_TRANSLATE_NOOP("workflows", "Review counts"),
    "plan_counts": QT_TRANSLATE_NOOP("workflows", "Plan counts"),
    "stock": QT_TRANSLATE_NOOP("workflows", "Stock"),
    "journal": QT_TRANSLATE_NOOP("workflows", "Scan journal"),
    "settings": QT_TRANSLATE_NOOP("workflows", "Settings"),
}
TILE_ORDER = tuple(WORKFLOW_TITLES)


@dataclass(frozen=True)
class ScreenEntry:
    name: str  # e.g. "receive"; also what Navigator.open_screen() takes
    role: str  # the least role that may open it: operator | supervisor | admin
    factory: Callable[[AppContext], QWidget]
    title: Callable[[], str] | None = None  # translated text; default: WORKFLOW_TITLES

    def allowed_for(self, role: str) -> bool:
        return ROLES.index(role) >= ROLES.index(self.role)

    def display_title(self) -> str:
        if self.title is not None:
            return self.title()
        return QCoreApplication.translate("workflows", WORKFLOW_TITLES.get(self.name, self.name))


class ScreenRegistry:
    def __init__(self) -> None:
        self._entries: dict[str, ScreenEntry] = {}

    def register(self, entry: ScreenEntry) -> None:
        if entry.role not in ROLES:
            raise ValueError(f"unknown role {entry.role!r} for screen {entry.name!r}")
        if entry.name in self._entries:
            raise ValueError(f"screen {entry.name!r} is registered twice")
        self._entries[entry.name] = entry

    def get(self, name: str) -> ScreenEntry | None:
        return self._entries.get(name)

    def entries_for(self, role: str) -> list[ScreenEntry]:
        allowed = [entry for entry in self._entries.values() if entry.allowed_for(role)]
        rank = {name: index for index, name in enumerate(TILE_ORDER)}
        return sorted(allowed, key=lambda entry: (rank.get(entry.name, len(rank)), entry.name))


def discover(registry: ScreenRegistry, package: str = "app.ui") -> ScreenRegistry:
    """Import every sub-package of ``package`` and let it register its screens.
    A package that fails to import is logged and left out: the other workflows still run."""
    root = importlib.import_module(package)
    for info in pkgutil.iter_modules(root.__path__, f"{package}."):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:
            log.exception("screen package %s cannot be imported", info.name)
            continue
        register = getattr(module, "register_screens", None)
        if register is not None:
            register(registry)
    return registry
