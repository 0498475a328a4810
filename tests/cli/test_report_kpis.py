"""`stockfloor report kpis`: the scripted month's figures as CSV and JSON, as a supervisor."""

from __future__ import annotations

import csv
import io
import json

from app.services import kpis
from tests.workflows.test_kpi_month import script_march


def test_the_month_as_csv_and_json(database, warehouse, cli, as_supervisor, tmp_path):
    script_march(database, warehouse)
    done = cli("report", "kpis", "--from", "2026-03-01", "--to", "2026-03-31", "--by", "month",
               "--format", "csv", "--database", database.url)
    assert done.code == 0, done.err
    rows = list(csv.DictReader(io.StringIO(done.out)))
    assert tuple(rows[0]) == kpis.COLUMNS
    overall = {row["kpi"]: row for row in rows if not row["channel"] and not row["operator"]}
    assert (overall["order_accuracy"]["numerator"], overall["order_accuracy"]["denominator"]) == ("1", "3")
    assert overall["cycle_time_p90_h"]["value"] == "43.2"
    assert overall["return_rate"]["value"] == "0.1667"
    assert {row["channel"] for row in rows} == {"", "Amazon", "Shopify"}

    out = tmp_path / "kpis.json"
    done = cli("report", "kpis", "--from", "2026-03-01", "--to", "2026-03-31", "--by", "month",
               "--channel", "Amazon", "--format", "json", "-o", out, "--database", database.url)
    assert done.code == 0 and "figures written to" in done.err
    data = json.loads(out.read_text())
    assert (data["from"], data["by"], data["channel"]) == ("2026-03-01", "month", "Amazon")
    amazon = {r["kpi"]: r["value"] for r in data["rows"] if r["channel"] == "Amazon"}
    assert amazon["order_accuracy"] == 0 and amazon["stockout_rate"] == 0.5
    assert {r["channel"] for r in data["rows"]} == {"", "Amazon"}


def test_an_empty_period_has_empty_ratios_and_bad_dates_exit_2(database, warehouse, cli, as_supervisor):
    done = cli("report", "kpis", "--from", "2026-03-01", "--to", "2026-03-01", "--database", database.url)
    assert done.code == 0
    accuracy = next(r for r in csv.DictReader(io.StringIO(done.out)) if r["kpi"] == "order_accuracy")
    assert (accuracy["value"], accuracy["denominator"]) == ("", "0")
    assert cli("report", "kpis", "--from", "2026-03-09", "--to", "2026-03-01",
               "--database", database.url).code == 2
    assert cli("report", "kpis", "--from", "March", "--to", "2026-03-01", "--database", database.url).code == 2


def test_an_operator_may_not_read_the_kpis(database, warehouse, cli, monkeypatch):
    from app.core.actor import system_actor
    from app.db.uow import UnitOfWork
    from app.services import users

    with UnitOfWork(database) as uow:
        token = users.issue_token(uow, warehouse.operator.user_id, actor=system_actor("test"))
    monkeypatch.setenv("STOCKFLOOR_TOKEN", token)
    done = cli("report", "kpis", "--from", "2026-03-01", "--to", "2026-03-31", "--database", database.url)
    assert done.code == 2 and "may not" in done.err
