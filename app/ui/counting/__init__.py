"""Cycle counts: the operators' counting screen (blind, by scanner), the supervisors' review
of counted lines, and the supervisors' planning screen (plans, count sheets, accuracy)."""

from __future__ import annotations


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

    from app.ui.registry import ScreenEntry

    plan_title = QT_TRANSLATE_NOOP("workflows", "Plan counts")

    # The screens load biip, reportlab and the review tables: only when opened.
    def count(context):  # noqa: ANN001, ANN202 - AppContext -> CountingScreen
        from app.ui.counting.count_screen import CountingScreen

        return CountingScreen(context)

    def review(context):  # noqa: ANN001, ANN202 - AppContext -> ReviewScreen
        from app.ui.counting.review_screen import ReviewScreen

        return ReviewScreen(context)

    def plan(context):  # noqa: ANN001, ANN202 - AppContext -> PlanningScreen
        from app.ui.counting.planning_screen import PlanningScreen

        return PlanningScreen(context)

    registry.register(ScreenEntry("count", "operator", count))
    registry.register(ScreenEntry("review_counts", "supervisor", review))
    registry.register(ScreenEntry("plan_counts", "supervisor", plan,
                                  title=lambda: QCoreApplication.translate("workflows", plan_title)))

    policy_title = QT_TRANSLATE_NOOP("workflows", "Count policy")

    def policy(context):  # noqa: ANN001, ANN202 - AppContext -> PolicyScreen
        from app.ui.counting.policy_screen import PolicyScreen

        return PolicyScreen(context)

    registry.register(ScreenEntry("count_policy", "supervisor", policy,
                                  title=lambda: QCoreApplication.translate("workflows", policy_title)))
