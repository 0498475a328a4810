"""The Qt store behind app/settings.py: the platform's per-user ini file, or a named one."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

from app.settings import Settings


def user_settings() -> Settings:
    """The per-user ini file (~/.config/Stockfloor/Stockfloor.ini and the like), or the file
    named by STOCKFLOOR_SETTINGS (a portable install, a test)."""
    override = os.environ.get("STOCKFLOOR_SETTINGS")
    if override:
        return settings_in_file(override)
    return Settings(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Stockfloor", "Stockfloor"))


def settings_in_file(path: str | os.PathLike) -> Settings:
    return Settings(QSettings(str(path), QSettings.Format.IniFormat))
