"""The app icon and the home tiles' icons (SVG in resources/icons, drawn for this project)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from app.paths import resources_dir


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "stockfloor.svg"))


def tile_icon(screen: str) -> QIcon:
    """The icon of a home tile; an empty icon for a screen without one."""
    path = resources_dir() / "icons" / "tiles" / f"{screen}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()
