"""`stockfloor journal export`: the scan journal as CSV, filtered like the journal screen."""

from __future__ import annotations

import csv
import io

from app.db.uow import UnitOfWork
from app.services import audit
from tests.factories import gtin13


def journal(database, actor, raw, outcome, message=""):
    with UnitOfWork(database) as uow:
        audit.journal_scan(uow.session, actor, context="receiving:receive", raw=raw,
                           interpretation="text", outcome=outcome, message=message)
        uow.commit()


def test_journal_export_writes_every_scan_and_filters(database, warehouse, receive, cli, tmp_path):
    receive(gtin13(1))  # the use case journals its own scan
    journal(database, warehouse.operator, "SF:BOGUS", "error", "SF:BOGUS does nothing here.")
    journal(database, warehouse.supervisor, "A-01-01", "refused", "Not recorded: that is A-01-01, not a lot.")
    target = tmp_path / "journal.csv"
    result = cli("--database", database.url, "journal", "export", target)
    assert result.code == 0 and result.err == f"3 journal rows written to {target}\n"
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["raw"], r["outcome"], r["user"]) for r in rows] == [
        ("A-01-01", "refused", "Sam Supervisor"),
        ("SF:BOGUS", "error", "Olga Operator"),
        (gtin13(1), "ok", "Olga Operator"),
    ]
    assert all(r["workstation"] for r in rows) and rows[0]["message"].startswith("Not recorded")
    only_errors = cli("--database", database.url, "journal", "export", "-", "--outcome", "error")
    assert [r["raw"] for r in csv.DictReader(io.StringIO(only_errors.out))] == ["SF:BOGUS"]
    by_user = cli("--database", database.url, "journal", "export", "-", "--by-user", "sam")
    assert [r["raw"] for r in csv.DictReader(io.StringIO(by_user.out))] == ["A-01-01"]
    by_text = cli("--database", database.url, "journal", "export", "-", "--text", "bogus")
    assert [r["raw"] for r in csv.DictReader(io.StringIO(by_text.out))] == ["SF:BOGUS"]
    none_yet = cli("--database", database.url, "journal", "export", "-", "--since", "2999-01-01T00:00:00")
    assert none_yet.out.splitlines() == [",".join(audit.JOURNAL_COLUMNS)]
