"""CLI tests call app.cli.main() in-process with the user's folders and environment isolated."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli import main
from app.db.uow import UnitOfWork
from app.services.receiving import receipts as receiving


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """The user's data folder (platformdirs honours XDG_DATA_HOME); no STOCKFLOOR_DATABASE."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("STOCKFLOOR_DATABASE", raising=False)
    # messages in English unless a test chooses: no workstation setting, no system language
    monkeypatch.setenv("STOCKFLOOR_SETTINGS", str(tmp_path / "no-settings.ini"))
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path / "xdg" / "Stockfloor"


@pytest.fixture
def cli(capsys):
    def run(*args: object) -> Outcome:
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


@pytest.fixture
def receive(database, warehouse):
    """Receive a scan on PO-1001 as the operator would."""
    def run(scan: str, quantity: int = 1) -> None:
        with UnitOfWork(database) as uow:
            receiving.receive_scan(uow, warehouse.orders["PO-1001"].id, scan, actor=warehouse.operator,
                                   idempotency_key=uuid.uuid4().hex, quantity=quantity)

    return run

