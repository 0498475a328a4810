"""The look of the floor: large type, high contrast, visible keyboard focus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def apply_style(app: QApplication, path: Path = RESOURCES / "stylesheet.qss") -> None:
    app.setStyle("Fusion")  # the same widgets on every platform, so the stylesheet fits
    app.setStyleSheet(path.read_text(encoding="utf-8"))
