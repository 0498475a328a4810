"""The supervisor dashboard: KPI trends against targets, today's open work, operators today."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

TITLE = QT_TRANSLATE_NOOP("workflows", "Dashboard")


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202
        from app.ui.dashboard.screen import DashboardScreen

        return DashboardScreen(context)

    registry.register(ScreenEntry("dashboard", "supervisor", build,
                                  lambda: QCoreApplication.translate("workflows", TITLE)))
