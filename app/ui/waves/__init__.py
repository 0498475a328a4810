"""Waves and dispatch screen (supervisors): release orders, follow waves, export pick lists,
hand parcels to the carriers."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

TITLE = QT_TRANSLATE_NOOP("workflows", "Waves and dispatch")


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202 - AppContext -> WavesScreen
        from app.ui.waves.screen import WavesScreen

        return WavesScreen(context)

    registry.register(ScreenEntry("waves", "supervisor", build,
                                  lambda: QCoreApplication.translate("workflows", TITLE)))
