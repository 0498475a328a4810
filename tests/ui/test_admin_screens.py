"""The admin's users screen and the supervisors' audit viewer, through the real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.core.actor import system_actor
from app.db.models import User
from app.db.models_printing import PrintJob
from app.db.uow import UnitOfWork
from app.ui.admin.audit_screen import AuditScreen
from app.ui.admin.users_screen import PinForm, UserForm, UsersScreen


def users_screen(qtbot, context, actor):
    context.bridge.log_in(actor)
    screen = UsersScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def row_of(screen, username) -> int:
    return next(i for i, user in enumerate(screen.rows) if user.username == username)


def test_admin_adds_deactivates_resets_and_prints_a_badge(qtbot, context, database, warehouse, monkeypatch):
    admin = system_actor("WS-TEST")
    screen = users_screen(qtbot, context, admin)
    assert [screen.table.item(r, 0).text() for r in range(screen.table.rowCount())] == ["olga", "otto", "sam"]
    monkeypatch.setattr(UserForm, "ask", classmethod(lambda cls, parent: {
        "username": "ada", "display_name": "Ada Admin", "badge_code": "B-ADA", "role": "admin", "pin": "2468"}))
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "User ada added."
    screen.table.selectRow(row_of(screen, "otto"))
    qtbot.mouseClick(screen.active_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Otto Operator is deactivated: the badge is refused."
    assert screen.table.item(row_of(screen, "otto"), 4).text() == "no"
    monkeypatch.setattr(PinForm, "ask", classmethod(lambda cls, parent, name: "9753"))
    screen.table.selectRow(row_of(screen, "sam"))
    qtbot.mouseClick(screen.pin_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "New PIN set for Sam Supervisor."
    qtbot.mouseClick(screen.badge_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Badge of Sam Supervisor sent to the label printer."
    with UnitOfWork(database, write=False) as uow:
        assert not uow.session.scalar(select(User.active).where(User.username == "otto"))
        assert uow.session.scalar(select(PrintJob.what)) == "badges"


def test_a_supervisor_cannot_manage_users_even_with_the_screen(qtbot, context, warehouse):
    screen = users_screen(qtbot, context, warehouse.supervisor)
    screen.table.selectRow(row_of(screen, "otto"))
    qtbot.mouseClick(screen.active_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Sam Supervisor may not deactivate user."


def test_audit_viewer_filters_and_exports(qtbot, context, database, warehouse, tmp_path, monkeypatch):
    from app.services import config

    with UnitOfWork(database) as uow:
        config.set_rule(uow.session, "pin_attempts", 4, actor=system_actor("WS-TEST"))
        uow.commit()
    context.bridge.log_in(warehouse.supervisor)
    screen = AuditScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.table.rowCount() == 1
    assert screen.table.item(0, 3).text() == "warehouse_rule_set"
    qtbot.keyClicks(screen.action, "login*")
    qtbot.keyClick(screen.action, Qt.Key.Key_Return)
    assert screen.table.rowCount() == 0 and screen.message.text() == "0 entries"
    screen.action.clear()
    qtbot.keyClicks(screen.document, "pin_attempts")
    qtbot.keyClick(screen.document, Qt.Key.Key_Return)
    assert screen.table.rowCount() == 1
    target = tmp_path / "audit.csv"
    monkeypatch.setattr(AuditScreen, "ask_path", classmethod(lambda cls, parent: str(target)))
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    lines = target.read_text().splitlines()
    assert lines[0] == "id,at_utc,user,workstation,action,details"
    assert lines[1].split(",")[2:5] == ["system", "WS-TEST", "warehouse_rule_set"]


def test_operators_do_not_get_the_audit(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.operator)
    screen = AuditScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.message.text() == "Olga Operator may not view audit."
