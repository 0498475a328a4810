"""`stockfloor demo`, `stockfloor --demo` and plain `stockfloor` (the window, faked here)."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import create_database
from app.db.models import Product
from app.db.models_picking import SalesOrder
from app.db.uow import UnitOfWork


@pytest.fixture
def window(monkeypatch):
    """Stands in for app.main (the Qt composition root): records how it was started."""
    calls = []
    fake = types.ModuleType("app.main")
    fake.run = lambda target, *, demo=False, prepare=None: (prepare and prepare()) or calls.append((target, demo)) or 0
    monkeypatch.setitem(sys.modules, "app.main", fake)
    return calls


def products_in(target) -> int:
    database = create_database(str(target))
    try:
        with UnitOfWork(database, write=False) as uow:
            return uow.session.scalar(select(func.count()).select_from(Product))
    finally:
        database.dispose()


def test_demo_then_check_is_clean(database, cli):
    built = cli("--database", database.url, "demo", "--products", "40", "--seed", "5")
    assert built.code == 0, built.err
    assert "  40 products, 811 locations (798 bins)" in built.out
    for user in ("B-1001  1111  operator    en", "B-1002  2222  operator    es",
                 "B-2001  9999  supervisor  en", "B-3001  0000  admin       en"):
        assert user in built.out
    check = cli("--database", database.url, "db", "check")
    assert check.code == 0 and check.out.startswith("ledger consistent: ")
    with UnitOfWork(database, write=False) as uow:  # picking can start right away
        statuses = uow.session.execute(select(SalesOrder.status, func.count()).group_by(SalesOrder.status)).all()
    today = {status: n for status, n in statuses if status != "shipped"}  # shipped: the demo's history
    assert today == {"open": 4, "allocated": 10, "picking": 6}


def test_demo_refuses_a_warehouse_with_data_unless_forced(sqlite_database, cli, monkeypatch):
    target = sqlite_database.sqlite_path
    assert cli("--database", target, "demo", "--products", "10").code == 0
    refused = cli("--database", target, "demo", "--products", "12")
    assert refused.code == 2
    assert "already holds data (10 products, 812 locations, 4 users" in refused.err
    assert "--force" in refused.err and products_in(target) == 10
    assert cli("--database", target, "demo", "--products", "12", "--force").code == 2  # nobody
    monkeypatch.setattr("getpass.getpass", lambda prompt: "0000")  # the demo admin's PIN
    forced = cli("--database", target, "--user", "admin", "demo", "--products", "12", "--force")
    assert forced.code == 0, forced.err
    assert products_in(target) == 12


@pytest.mark.parametrize("args", [("demo", "--products", "20000"), ("demo", "--products", "0"),
                                  ("demo", "--products", "many"), ("print", "labels", "locations", "--copies", "0")])
def test_bad_arguments_are_refused_before_a_database_is_created(tmp_path, cli, args):
    target = tmp_path / "new.sqlite"
    refused = cli("--database", target, *args)
    assert refused.code == 2 and ("between" in refused.err or "whole number" in refused.err)
    assert list(tmp_path.iterdir()) == []  # no empty database left behind


def test_demo_flag_builds_the_demo_once_and_opens_the_window(data_dir, window, cli):
    first = cli("--demo")
    assert first.code == 0 and window == [(str(data_dir / "demo.sqlite"), True)]
    assert "Built the demo warehouse" in first.err and products_in(data_dir / "demo.sqlite") == 300
    again = cli("--demo")
    assert again.code == 0 and "Built" not in again.err and len(window) == 2


def test_the_window_opens_on_the_chosen_database(data_dir, window, cli, monkeypatch, tmp_path):
    assert cli().code == 0
    monkeypatch.setenv("STOCKFLOOR_DATABASE", "postgresql://wh@server/stock")
    assert cli().code == 0
    assert cli("--database", tmp_path / "x.sqlite").code == 0
    assert window == [(str(data_dir / "stockfloor.sqlite"), False),
                      ("postgresql://wh@server/stock", False), (str(tmp_path / "x.sqlite"), False)]


def test_a_window_that_cannot_load_is_one_line(monkeypatch, cli):
    monkeypatch.setitem(sys.modules, "app.main", None)  # import fails as with a broken Qt install
    result = cli()
    assert result.code == 2 and result.err.startswith("stockfloor: The window cannot open: ")
    assert result.err.count("\n") == 1


def test_demo_and_database_together_are_a_usage_error(cli, tmp_path):
    result = cli("--demo", "--database", tmp_path / "x.sqlite")
    assert result.code == 2 and "--demo and --database exclude each other" in result.err


def test_help_documents_exit_codes(cli):
    result = cli("--help")
    assert result.code == 0
    assert "exit codes:\n  0  done\n  1  the command ran and found problems" in result.out


def test_opening_the_window_loads_no_command(tmp_path):
    """The window's start-up time is not spent on SQLAlchemy, Alembic or biip for the commands."""
    code = ("import sys, types\n"
            "fake = types.ModuleType('app.main'); fake.run = lambda target, demo=False: 0\n"
            "sys.modules['app.main'] = fake\n"
            "from app.cli import main\n"
            "assert main([]) == 0\n"
            "print(','.join(m for m in ('sqlalchemy', 'alembic', 'biip') if m in sys.modules))")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            cwd=Path(__file__).resolve().parents[2], check=True)
    assert result.stdout == "\n"
