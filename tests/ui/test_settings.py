"""Workstation settings: declared once, saved and loaded back unchanged."""

from __future__ import annotations

import socket

from PySide6.QtCore import QSettings

from app.settings import DECLARED, Settings, WorkstationSettings
from app.ui.settings_store import settings_in_file


def test_defaults_without_a_stored_value(tmp_path):
    values = settings_in_file(tmp_path / "empty.ini").load()
    assert values.workstation == socket.gethostname()
    assert values.scanner_suffix == "enter"
    assert values.scanner_interval_ms == 50
    assert values.sound is True and values.scanner_symbology_id is False
    assert values.database_target.endswith("stockfloor.sqlite")


def test_every_setting_round_trips_through_the_ini_file(tmp_path):
    path = tmp_path / "ws.ini"
    chosen = WorkstationSettings(
        database_target="postgresql://wms@db.local/wh", workstation="DOCK-PC-2", language="es",
        sound=False, scanner_prefix="#", scanner_suffix="tab", scanner_interval_ms=35,
        scanner_symbology_id=True,
    )
    settings_in_file(path).save(chosen)
    # A fresh QSettings reads the file again: nothing lives only in memory.
    assert Settings(QSettings(str(path), QSettings.Format.IniFormat)).load() == chosen
    assert "scanner\\max_interval_ms" in path.read_text() or "max_interval_ms=35" in path.read_text()


def test_unusable_stored_values_fall_back_to_defaults(tmp_path):
    path = tmp_path / "ws.ini"
    path.write_text("[scanner]\nsuffix=escape\nmax_interval_ms=fast\n")
    values = settings_in_file(path).load()
    assert values.scanner_suffix == "enter" and values.scanner_interval_ms == 50


def test_each_setting_is_declared_once_with_a_description():
    keys = [setting.key for setting in DECLARED]
    assert len(keys) == len(set(keys))
    assert all(setting.description for setting in DECLARED)
