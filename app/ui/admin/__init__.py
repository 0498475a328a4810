"""Admin and supervisor screens: user accounts and scanning rules (admin), the audit viewer
(supervisors)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

USERS_TITLE = QT_TRANSLATE_NOOP("workflows", "Users")
AUDIT_TITLE = QT_TRANSLATE_NOOP("workflows", "Audit log")
SCAN_RULES_TITLE = QT_TRANSLATE_NOOP("workflows", "Scans required")


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def users(context):  # noqa: ANN001, ANN202
        from app.ui.admin.users_screen import UsersScreen

        return UsersScreen(context)

    def audit(context):  # noqa: ANN001, ANN202
        from app.ui.admin.audit_screen import AuditScreen

        return AuditScreen(context)

    def scan_rules(context):  # noqa: ANN001, ANN202
        from app.ui.admin.scan_rules_screen import ScanRulesScreen

        return ScanRulesScreen(context)

    registry.register(ScreenEntry("scan_rules", "admin", scan_rules,
                                  lambda: QCoreApplication.translate("workflows", SCAN_RULES_TITLE)))
    registry.register(ScreenEntry("users", "admin", users,
                                  lambda: QCoreApplication.translate("workflows", USERS_TITLE)))
    registry.register(ScreenEntry("audit", "supervisor", audit,
                                  lambda: QCoreApplication.translate("workflows", AUDIT_TITLE)))
