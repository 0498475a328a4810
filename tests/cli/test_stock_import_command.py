"""`stockfloor import stock FILE.csv`: run as a named admin, audited, the ledger and chain whole."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.core.actor import system_actor
from app.db.models import AuditEntry
from app.db.uow import UnitOfWork
from app.services import users

FILE = ("sku,location,lot,expiry,license_plate,quantity,reason\n"
        "WIDGET,A-01-01,,,,30,opening_balance\nMILK,A-02-01,L-5,2027-05-01,,12,\n")


def _admin_token(database) -> tuple[str, int]:
    with UnitOfWork(database) as uow:
        admin = users.create_user(uow.session, username="ada", display_name="Ada Admin", badge_code="B-ADM",
                                  role="admin", pin="2468")
        uow.commit()
        admin_id = admin.id
    with UnitOfWork(database) as uow:
        return users.issue_token(uow, admin_id, actor=system_actor("test")), admin_id


def test_an_admin_loads_opening_stock(database, warehouse, tmp_path, cli, monkeypatch):
    token, admin_id = _admin_token(database)
    monkeypatch.setenv("STOCKFLOOR_TOKEN", token)
    path = tmp_path / "stock.csv"
    path.write_text(FILE, encoding="utf-8")
    result = cli("--database", database.url, "import", "stock", path)
    assert (result.code, result.out) == (0, "stock.csv: 2 rows imported; moved 42 units in and 0 out "
                                            "(1 new lots, 0 new license plates).\n")
    with UnitOfWork(database, write=False) as uow:
        who, details = uow.session.execute(select(AuditEntry.user_id, AuditEntry.details)
                                           .where(AuditEntry.action == "stock_import")).one()
    assert who == admin_id and json.loads(details)["units_in"] == 42
    check = cli("--database", database.url, "db", "check")
    assert check.code == 0, check.out
    assert "ledger consistent" in check.out and "hash chain intact" in check.out


def test_a_supervisor_may_not_and_a_bad_file_changes_nothing(database, warehouse, tmp_path, cli, as_supervisor,
                                                             monkeypatch):
    path = tmp_path / "stock.csv"
    path.write_text(FILE, encoding="utf-8")
    refused = cli("--database", database.url, "import", "stock", path)
    assert refused.code == 2 and "may not import stock" in refused.err
    token, _ = _admin_token(database)
    monkeypatch.setenv("STOCKFLOOR_TOKEN", token)
    path.write_text(FILE + "WIDGET,A-01-01,,,,x,\n", encoding="utf-8")
    bad = cli("--database", database.url, "import", "stock", path)
    assert bad.code == 1 and bad.out == ""
    assert bad.err.splitlines() == ["row 4, quantity: 'x' is not a whole number",
                                    "row 4, sku: this SKU, location, lot and license plate is already on row 2",
                                    "stock.csv: 2 problem(s), nothing was imported."]
