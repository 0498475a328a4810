"""Replenishment: the operators' Replenish screen (reserve bin -> pick face, by scanner) and the
supervisors' pick-face screen (min / max / unit per face, open tasks)."""

from __future__ import annotations


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

    from app.ui.registry import ScreenEntry

    faces_title = QT_TRANSLATE_NOOP("workflows", "Pick faces")

    def replenish(context):  # noqa: ANN001, ANN202 - AppContext -> ReplenishScreen
        from app.ui.replenishment.floor_screen import ReplenishScreen

        return ReplenishScreen(context)

    def faces(context):  # noqa: ANN001, ANN202 - AppContext -> FacesScreen
        from app.ui.replenishment.faces_screen import FacesScreen

        return FacesScreen(context)

    registry.register(ScreenEntry("replenish", "operator", replenish))
    registry.register(ScreenEntry("pick_faces", "supervisor", faces,
                                  title=lambda: QCoreApplication.translate("workflows", faces_title)))
