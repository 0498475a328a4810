"""Returns: the inspection screen (operators) and the return report (supervisors)."""

from __future__ import annotations


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202 - AppContext -> ReturnsScreen
        from app.ui.returns.screen import ReturnsScreen  # loads biip and the services: only when opened

        return ReturnsScreen(context)

    def build_report(context):  # noqa: ANN001, ANN202
        from app.ui.returns.report_screen import ReturnReportScreen

        return ReturnReportScreen(context)

    def report_title() -> str:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("workflows", "Return report")

    registry.register(ScreenEntry("returns", "operator", build))
    registry.register(ScreenEntry("returns_report", "supervisor", build_report, title=report_title))
