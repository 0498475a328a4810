"""Printing for every screen: printer settings (supervisors), recent print jobs with retry
and reprint, the print preview, and ``actions.print_action`` for other screens to call."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

TITLES = {
    "printers": QT_TRANSLATE_NOOP("workflows", "Printers"),
    "print_jobs": QT_TRANSLATE_NOOP("workflows", "Print jobs"),
}


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def printers(context):  # noqa: ANN001, ANN202
        from app.ui.printing.printers_screen import PrintersScreen

        return PrintersScreen(context)

    def jobs(context):  # noqa: ANN001, ANN202
        from app.ui.printing.jobs_screen import PrintJobsScreen

        return PrintJobsScreen(context)

    def title(name: str):  # noqa: ANN202
        return lambda: QCoreApplication.translate("workflows", TITLES[name])

    registry.register(ScreenEntry("printers", "admin", printers, title("printers")))  # admins set printers
    registry.register(ScreenEntry("print_jobs", "operator", jobs, title("print_jobs")))
