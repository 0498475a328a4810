"""The workstation settings screen saves through app/settings.py, and the scan fields follow."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.settings.screen import SettingsScreen
from app.ui.settings_store import settings_in_file


@pytest.fixture
def screen(qtbot, context):
    widget = SettingsScreen(context)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_shows_the_stored_settings(screen):
    assert screen.workstation.text() == "WS-TEST"
    assert screen.language.currentText() == "English"
    assert screen.suffix.currentText() == "Enter"
    assert screen.interval.value() == 50
    assert not screen.sound.isChecked()


def test_saving_round_trips_through_the_ini_file(qtbot, screen, context, tmp_path):
    screen.workstation.setText("DOCK-PC-7")
    screen.language.setCurrentIndex(screen.language.findText("Español"))
    screen.sound.setChecked(True)
    screen.prefix.setText("#")
    screen.suffix.setCurrentIndex(1)  # Tab
    screen.interval.setValue(30)
    screen.symbology.setChecked(True)
    with qtbot.waitSignal(context.bridge.changed) as announced:
        qtbot.keyClick(screen.save_button, Qt.Key.Key_Space)
    assert announced.args[0].settings
    stored = settings_in_file(tmp_path / "workstation.ini").load()
    assert (stored.workstation, stored.language, stored.sound, stored.scanner_prefix,
            stored.scanner_suffix, stored.scanner_interval_ms, stored.scanner_symbology_id) == (
        "DOCK-PC-7", "es", True, "#", "tab", 30, True)
    assert context.sounds.enabled
    assert screen.status.text() == ("Saved. The database and workstation name apply when "
                                    "Stockfloor starts again.")


def test_try_a_scan_tells_scanner_from_typing(qtbot, screen):
    qtbot.keyClicks(screen.try_scan, "PO-1001")
    qtbot.keyClick(screen.try_scan, Qt.Key.Key_Return)
    assert screen.try_result.text() == "Read \u201cPO-1001\u201d from a scanner."
    qtbot.keyClicks(screen.try_scan, "PO", delay=120)
    qtbot.keyClick(screen.try_scan, Qt.Key.Key_Return)
    assert "typed by hand" in screen.try_result.text()


def test_escape_drops_unsaved_edits(qtbot, screen, context):
    class Navigator:
        went_home = False

        def go_home(self):
            self.went_home = True

    context.navigator = Navigator()
    screen.workstation.setText("SOMETHING-ELSE")
    qtbot.keyClick(screen.workstation, Qt.Key.Key_Escape)
    assert context.navigator.went_home
    assert screen.workstation.text() == "WS-TEST"
    assert context.settings.load().workstation == "WS-TEST"


def test_languages_are_offered_in_their_own_names(screen):
    names = [screen.language.itemText(index) for index in range(1, screen.language.count())]
    assert names == ["English", "Deutsch", "Español", "Polski"]


def test_copy_diagnostics_puts_a_support_summary_on_the_clipboard(qtbot, screen, context, caplog):
    import logging

    from PySide6.QtGui import QGuiApplication

    from app.support import RecentErrors

    recent = RecentErrors()
    logging.getLogger().addHandler(recent)
    try:
        logging.getLogger("app.test").error("printer DOCK-ZPL refused the job")
        qtbot.keyClick(screen, Qt.Key.Key_F8)
    finally:
        logging.getLogger().removeHandler(recent)
    text = QGuiApplication.clipboard().text()
    assert text.startswith("Stockfloor ") and "Qt 6." in text and "SQLAlchemy 2." in text
    assert "Database: SQLite sqlite" in text or "Database: PostgreSQL" in text
    assert "Workstation: WS-TEST" in text
    assert "printer DOCK-ZPL refused the job" in text
    assert screen.status.text().startswith("Diagnostics copied to the clipboard")
    assert screen.log_folder.text().startswith("Log files: ")
