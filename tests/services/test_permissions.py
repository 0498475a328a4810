"""The permission table: every public use case has an entry and refuses every other role with
NotAllowed before it reads anything."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import app.services
from app.core.actor import ROLES, Actor
from app.core.errors import NotAllowed
from app.core.permissions import PERMISSIONS
from app.db.uow import UnitOfWork
from app.services import config

NOT_USE_CASES = {"finish_job", "login", "login_with_badge", "login_with_pin", "login_with_token"}


def public_use_cases() -> dict[str, object]:
    """Every function of app.services whose first parameter is ``uow``."""
    found = {}
    for info in pkgutil.walk_packages(app.services.__path__, "app.services."):
        module = importlib.import_module(info.name)
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters and parameters[0] == "uow" and name not in NOT_USE_CASES:
                found[f"{module.__name__}.{name}"] = function
    return found


USE_CASES = public_use_cases()


def test_every_use_case_has_an_entry_and_no_entry_is_stale():
    names = {}
    for where, function in USE_CASES.items():
        assert hasattr(function, "use_case"), f"{where} is not marked @use_case(...)"
        names[function.use_case] = where
    assert len(USE_CASES) >= 60
    stale = set(PERMISSIONS) - set(names) - {"config.set_rule", "import_users", "view_audit"}
    assert not stale, f"entries without a use case: {sorted(stale)}"


def _call_as(database, function, role: str):
    """Call ``function`` as ``role`` with placeholder arguments; the check comes first."""
    actor = Actor(1, "WS-TEST", role, f"a {role}")
    signature = inspect.signature(function)
    args, kwargs = [], {"actor": actor}
    for name, parameter in list(signature.parameters.items())[1:]:
        if parameter.default is not inspect.Parameter.empty or name == "actor":
            continue
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[name] = None
        else:
            args.append(None)
    with UnitOfWork(database) as uow:
        return function(uow, *args, **kwargs)


@pytest.mark.filterwarnings("ignore")  # placeholder arguments make SQLAlchemy complain
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", sorted(USE_CASES))
def test_each_role_is_refused_or_let_through_as_the_table_says(sqlite_database, where, role):
    function = USE_CASES[where]
    if role in PERMISSIONS[function.use_case]:
        try:
            _call_as(sqlite_database, function, role)
        except NotAllowed as refused:  # a rule of the use case itself may refuse; the table may not
            assert refused.params.get("use_case") is None, f"{where} refused {role}: {refused}"
        except Exception:  # noqa: BLE001, S110 - placeholder arguments are not a real call
            pass
    else:
        with pytest.raises(NotAllowed) as refused:
            _call_as(sqlite_database, function, role)
        assert refused.value.params["use_case"] == function.use_case


def test_supervisor_work_is_refused_to_operators(database, warehouse):
    from app.services.orders import allocation
    from app.services.packing import shipping
    from app.services.waves import release

    for call in (lambda uow: allocation.allocate_order(uow, 1, actor=warehouse.operator),
                 lambda uow: allocation.allocate_waiting_orders(uow, actor=warehouse.operator),
                 lambda uow: allocation.cancel_order(uow, 1, actor=warehouse.operator),
                 lambda uow: release.release_waves(uow, [1], actor=warehouse.operator),
                 lambda uow: shipping.dispatch(uow, "DHL", actor=warehouse.operator)):
        with UnitOfWork(database) as uow, pytest.raises(NotAllowed):
            call(uow)


def test_warehouse_rules_need_an_admin(database, warehouse, admin_actor):
    with UnitOfWork(database) as uow:
        with pytest.raises(NotAllowed):
            config.set_rule(uow.session, "over_receipt_tolerance_pct", 50, actor=warehouse.supervisor)
        config.set_rule(uow.session, "over_receipt_tolerance_pct", 50, actor=admin_actor)
        uow.commit()
    with UnitOfWork(database) as uow:
        assert config.get_rule(uow.session, "over_receipt_tolerance_pct") == 50.0
