"""Log-in, home tiles by role, language switching and log-out, through the real widgets."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from app.db.models import ScanJournal
from app.db.uow import UnitOfWork
from app.ui.registry import ScreenEntry, ScreenRegistry
from app.ui.shell.window import MainWindow


def scan(qtbot, window, text):
    field = window.stack.currentWidget().scan_field
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def badge_and_pin(qtbot, window, badge, pin):
    """Supervisors and admins: the badge, then the PIN the login screen asks for."""
    scan(qtbot, window, badge)
    assert window.login.scan_field.echoMode() == window.login.scan_field.EchoMode.Password  # asked, masked
    assert window.login.prompt.text() == f"Type the PIN of badge {badge}."
    scan(qtbot, window, pin)


def tiles(window):
    return [tile.text() for tile in window.home.tiles]


def without_key(tile_text: str) -> str:
    """'F3  Pick' -> 'Pick' (tiles past F12 carry no key)."""
    return re.sub(r"^F\d+  ", "", tile_text)


def test_operator_badge_opens_home_with_their_name_and_tasks(qtbot, shell):
    assert shell.stack.currentWidget() is shell.login
    assert shell.login.prompt.text() == "Scan your badge"
    scan(qtbot, shell, "B-OP1")
    assert shell.stack.currentWidget() is shell.home
    assert shell.home.title.text() == "Hello, Olga Operator"
    assert shell.user_status.text() == "Olga Operator (operator)"
    assert shell.place_status.text() == "Workstation WS-TEST"
    assert not any("Stock" in text or "Settings" in text for text in tiles(shell))


def test_supervisor_sees_more_tiles_and_their_own_language(qtbot, shell):
    scan(qtbot, shell, "B-OP1")
    operator_tiles = {without_key(text) for text in tiles(shell)}
    scan(qtbot, shell, "SF:LOGOUT")
    badge_and_pin(qtbot, shell, "B-SUP", "4321")  # Sam works in Spanish
    assert shell.home.title.text() == "Hola, Sam Supervisor"
    assert shell.home.prompt.text() == "Elija una tarea"
    supervisor_tiles = {without_key(text) for text in tiles(shell)}
    assert {"Existencias", "Ajustes"} <= supervisor_tiles
    assert len(supervisor_tiles) > len(operator_tiles)  # everything an operator has, and more
    assert shell.user_status.text() == "Sam Supervisor (supervisor)"
    assert shell.place_status.text() == "Puesto WS-TEST"


def test_a_wrong_pin_after_the_badge_is_asked_again_and_never_journalled(qtbot, shell, database):
    scan(qtbot, shell, "B-SUP")
    scan(qtbot, shell, "0000")
    assert shell.stack.currentWidget() is shell.login
    assert shell.login.banner.state == "error" and shell.login.banner.text() == "Badge or PIN not recognised."
    assert shell.login.scan_field.echoMode() == shell.login.scan_field.EchoMode.Password  # asked again
    scan(qtbot, shell, "4321")
    assert shell.stack.currentWidget() is shell.home
    with UnitOfWork(database, write=False) as uow:
        raws = uow.session.scalars(select(ScanJournal.raw)).all()
    assert "0000" not in raws and "4321" not in raws


def test_logout_returns_to_login_in_the_workstation_language(qtbot, shell):
    badge_and_pin(qtbot, shell, "B-SUP", "4321")
    assert shell.home.logout_button.text() == "Cerrar sesión (Ctrl+L)"
    scan(qtbot, shell, "SF:LOGOUT")
    assert shell.stack.currentWidget() is shell.login
    qtbot.waitUntil(lambda: shell.login.prompt.text() == "Scan your badge")  # LanguageChange is posted
    assert shell.user_status.text() == "Nobody logged in"
    assert shell.bridge.actor is None


def test_ctrl_l_logs_out(qtbot, shell):
    scan(qtbot, shell, "B-OP1")
    shell.activateWindow()
    qtbot.waitUntil(shell.isActiveWindow)
    qtbot.keyClick(shell.home.scan_field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert shell.stack.currentWidget() is shell.login


def test_wrong_badge_is_red_with_the_reason_and_journaled(qtbot, shell, database):
    scan(qtbot, shell, "B-NOBODY")
    assert shell.stack.currentWidget() is shell.login
    assert shell.login.banner.state == "error"
    assert shell.login.banner.text() == "Badge or PIN not recognised."
    with UnitOfWork(database, write=False) as uow:
        rows = uow.session.execute(select(ScanJournal.context, ScanJournal.raw, ScanJournal.outcome)).all()
    assert rows == [("login", "B-NOBODY", "error")]


def test_typed_user_name_and_pin(qtbot, shell):
    login = shell.login
    qtbot.keyClicks(login.username, "olga")
    qtbot.keyClicks(login.pin, "9999")
    qtbot.keyClick(login.pin, Qt.Key.Key_Return)
    assert login.banner.text() == "Badge or PIN not recognised." and login.pin.text() == ""
    qtbot.keyClicks(login.pin, "1234")
    qtbot.keyClick(login.pin, Qt.Key.Key_Return)
    assert shell.home.title.text() == "Hello, Olga Operator"


class Placeholder(QLabel):
    """A screen that does nothing: the registry and navigation are under test."""

    def __init__(self, context, text):
        super().__init__(text)
        self.context = context

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Escape:
            self.context.navigator.go_home()


def test_only_registered_screens_the_role_may_open_get_tiles(qtbot, shell):
    registry = ScreenRegistry()
    registry.register(ScreenEntry("count", "operator", lambda c: Placeholder(c, "counting")))
    registry.register(ScreenEntry("receive", "operator", lambda c: Placeholder(c, "receiving")))
    registry.register(ScreenEntry("review_counts", "supervisor", lambda c: Placeholder(c, "review")))
    window = MainWindow(shell.context, registry)
    qtbot.addWidget(window)
    window.show()
    scan(qtbot, window, "B-OP1")
    assert tiles(window) == ["F1  Receive", "F2  Count"]  # workflow order, not registration order
    window.open_screen("review_counts")  # not for operators: nothing happens
    assert window.stack.currentWidget() is window.home
    qtbot.keyClick(window.home.scan_field, Qt.Key.Key_F2)
    assert window.stack.currentWidget().text() == "counting"
    qtbot.keyClick(window.stack.currentWidget(), Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    window.log_out()
    badge_and_pin(qtbot, window, "B-SUP", "4321")
    assert tiles(window) == ["F1  Recibir", "F2  Contar", "F3  Revisar recuentos"]


def test_every_home_tile_has_its_own_icon_that_draws(qapp):
    """A tile without an icon looks broken beside the others: every screen in the registry has an
    SVG under resources/icons/tiles that Qt can draw."""
    from PySide6.QtCore import QSize

    from app.ui.icons import tile_icon
    from app.ui.registry import discover

    registry = discover(ScreenRegistry())
    names = sorted({entry.name for entry in registry.entries_for("admin")})
    assert len(names) >= 20
    missing = [name for name in names if tile_icon(name).isNull() or tile_icon(name).pixmap(QSize(40, 40)).isNull()]
    assert missing == []
