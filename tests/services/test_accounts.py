"""Accounts on every backend: approvals only from a real badge + PIN, PIN lockout, deactivated
badges, badge + PIN log-in for supervisors, and imports of users by admins only."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from sqlalchemy import func, select

from app.core import clock
from app.core.actor import Actor, Approval
from app.core.errors import AccountInactive, AccountLocked, LoginFailed, NotAllowed, OverReceipt, PinRequired
from app.db.models import AuditEntry, OnHand, User
from app.db.uow import UnitOfWork
from app.services import config, imports, users
from app.services.receiving import receipts as receiving
from tests.factories import gtin13


def receive_gadgets(database, warehouse, quantity, approval=None):
    with UnitOfWork(database) as uow:
        return receiving.receive_scan(uow, warehouse.orders["PO-1001"].id, gtin13(2), quantity=quantity,
                                      actor=warehouse.operator, idempotency_key=uuid.uuid4().hex,
                                      approval=approval)


def gadgets_on_hand(database) -> int:
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(select(func.coalesce(func.sum(OnHand.quantity), 0))) or 0


def login(database, badge, pin=None):
    with UnitOfWork(database) as uow:
        return users.login(uow, badge, pin, workstation="WS-TEST")


def audit_actions(database) -> list[str]:
    with UnitOfWork(database, write=False) as uow:
        return list(uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_forged_approval_is_refused_and_receives_nothing(database, warehouse):
    forged = Actor(warehouse.operator.user_id, "WS-TEST", "supervisor", "Sam Supervisor")
    with pytest.raises(NotAllowed):
        receive_gadgets(database, warehouse, 50, approval=forged)
    with pytest.raises(LoginFailed):
        receive_gadgets(database, warehouse, 50, approval=Approval("B-SUP", "0000"))
    with pytest.raises(OverReceipt):  # a real badge and PIN, but an operator's: no approval
        receive_gadgets(database, warehouse, 50, approval=warehouse.operator2_approval)
    with pytest.raises(OverReceipt):
        receive_gadgets(database, warehouse, 50)
    assert gadgets_on_hand(database) == 0
    result = receive_gadgets(database, warehouse, 50, approval=warehouse.approval)
    assert result.line.received == 50 and gadgets_on_hand(database) == 50
    assert "receipt_approved" in audit_actions(database)


def test_supervisors_log_in_with_badge_and_pin_operators_with_the_badge(database, warehouse, admin_actor):
    with pytest.raises(PinRequired):
        login(database, "B-SUP")
    assert login(database, "B-SUP", "4321").role == "supervisor"
    assert login(database, "B-OP1").user_id == warehouse.operator.user_id
    with UnitOfWork(database) as uow:
        config.set_rule(uow.session, "operator_pin_required", 1, actor=admin_actor)
        uow.commit()
    with pytest.raises(PinRequired):
        login(database, "B-OP1")
    assert login(database, "B-OP1", "1234").role == "operator"


def test_wrong_pins_lock_the_account_for_a_while_and_are_audited(database, warehouse):
    for _ in range(4):
        with pytest.raises(LoginFailed) as failed:
            login(database, "B-SUP", "0000")
        assert type(failed.value) is LoginFailed
    with pytest.raises(AccountLocked):
        login(database, "B-SUP", "0000")
    with pytest.raises(AccountLocked):  # the right PIN does not help while locked
        login(database, "B-SUP", "4321")
    with pytest.raises(AccountLocked):  # nor as an approval
        receive_gadgets(database, warehouse, 50, approval=warehouse.approval)
    actions = audit_actions(database)
    assert actions.count("pin_failed") == 5 and actions.count("account_locked") == 1
    with time_machine.travel(clock.now() + dt.timedelta(minutes=16)):
        assert login(database, "B-SUP", "4321").role == "supervisor"


def test_a_deactivated_badge_is_refused_and_its_history_stays(database, warehouse, admin_actor):
    receive_gadgets(database, warehouse, 2)
    with UnitOfWork(database) as uow:
        with pytest.raises(NotAllowed):
            users.deactivate_user(uow, warehouse.supervisor.user_id, actor=warehouse.supervisor)
        view = users.deactivate_user(uow, warehouse.supervisor.user_id, actor=admin_actor)
    assert not view.active
    with pytest.raises(AccountInactive):
        login(database, "B-SUP", "4321")
    with pytest.raises(AccountInactive):
        receive_gadgets(database, warehouse, 50, approval=warehouse.approval)
    with UnitOfWork(database) as uow:
        users.deactivate_user(uow, warehouse.operator.user_id, actor=admin_actor)
    with pytest.raises(AccountInactive):
        login(database, "B-OP1")
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(User)) == 3


def test_admin_manages_users_and_pins(database, warehouse, admin_actor):
    with UnitOfWork(database) as uow:
        added = users.add_user(uow, username="ada", display_name="Ada Admin", badge_code="B-ADA",
                               role="admin", pin="2468", actor=admin_actor)
    with UnitOfWork(database) as uow:
        users.reset_pin(uow, added.id, "1357", actor=admin_actor)
    with pytest.raises(LoginFailed):
        login(database, "B-ADA", "2468")
    assert login(database, "B-ADA", "1357").role == "admin"
    with UnitOfWork(database) as uow, pytest.raises(NotAllowed):
        users.reset_pin(uow, added.id, "1111", actor=warehouse.supervisor)


def test_an_operator_cannot_import_users(database, warehouse, tmp_path, admin_actor):
    path = tmp_path / "users.csv"
    path.write_text("username,display_name,badge_code,role,pin\nmallory,Mallory,B-666,admin,1234\n")
    for actor in (warehouse.operator, warehouse.supervisor):
        with UnitOfWork(database) as uow, pytest.raises(NotAllowed):
            imports.import_csv(uow, "users", path, actor=actor)
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(User).where(User.username == "mallory")) is None
    with UnitOfWork(database) as uow:
        assert imports.import_csv(uow, "users", path, actor=admin_actor).created == 1
