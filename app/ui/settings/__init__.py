"""Workstation settings: a screen for supervisors, and the database dialog of the login screen."""

from __future__ import annotations


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202
        from app.ui.settings.screen import SettingsScreen

        return SettingsScreen(context)

    registry.register(ScreenEntry("settings", "supervisor", build))
