"""The window takes the screen: maximized, or full screen with the workstation setting kiosk,
also where no window manager would act on either request (a bare X server, offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.bridge import Changes


def test_the_window_opens_on_the_whole_available_area(qtbot, shell):
    shell.place_on_screen()
    qtbot.waitUntil(lambda: shell.isVisible())
    area = shell.screen().availableGeometry()
    assert shell.windowState() & Qt.WindowState.WindowMaximized
    assert shell.geometry() == area
    assert not shell.isFullScreen()


def test_kiosk_fills_the_whole_screen_and_saving_it_in_settings_applies_at_once(qtbot, shell, settings):
    settings.update(kiosk=True)
    shell.place_on_screen()
    assert shell.isFullScreen()
    assert shell.geometry() == shell.screen().geometry()
    settings.update(kiosk=False)
    shell.bridge.announce(Changes(settings=True))  # what the Settings screen's Save does
    assert not shell.isFullScreen()
    assert shell.windowState() & Qt.WindowState.WindowMaximized
    assert shell.geometry() == shell.screen().availableGeometry()


def test_kiosk_is_a_setting_of_the_settings_screen(qtbot, context):
    from app.ui.settings.screen import SettingsScreen

    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    assert not screen.kiosk.isChecked()
    screen.kiosk.setChecked(True)
    screen.save()
    assert context.settings.load().kiosk is True
    assert screen.labels[screen.kiosk].text() == "&Kiosk"


def test_the_window_takes_the_keyboard_itself_so_ctrl_l_logs_out_without_a_window_manager(
        qtbot, shell, warehouse):
    """On a bare X server (kiosk sessions) nobody activates the window: Qt then ignores its
    shortcuts although the keys arrive. The window activates itself when it is placed."""
    from PySide6.QtWidgets import QApplication

    shell.place_on_screen()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shell)
    shell.logged_in(warehouse.operator)
    assert shell.bridge.actor is not None
    qtbot.keyClick(QApplication.focusWidget() or shell, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shell.bridge.actor is None)
