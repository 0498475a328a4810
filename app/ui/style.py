"""The look of the floor: large type, high contrast, visible keyboard focus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.paths import resources_dir

RESOURCES = resources_dir()


def apply_style(app: QApplication, path: Path | None = None) -> None:
    path = path or RESOURCES / "stylesheet.qss"
    app.setStyle("Fusion")  # the same widgets on every platform, so the stylesheet fits
    app.setStyleSheet(path.read_text(encoding="utf-8"))
