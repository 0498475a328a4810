"""Bounded waits on PostgreSQL sessions: defaults, environment overrides, the URL wins."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.db.engine import create_database
from app.db.pg_session import PgLimits


def test_defaults_bound_every_wait_to_well_under_half_a_minute():
    limits = PgLimits.from_environment({})
    settings = limits.server_settings()
    assert settings["idle_in_transaction_session_timeout"] == "15000"
    assert settings["lock_timeout"] == "10000" and settings["statement_timeout"] == "30000"
    args = limits.connect_args({})
    assert args["connect_timeout"] == 5 and args["keepalives"] == 1 and args["tcp_user_timeout"] == 20000
    assert "-c idle_in_transaction_session_timeout=15000" in args["options"]


def test_environment_overrides_and_the_url_wins():
    limits = PgLimits.from_environment({"STOCKFLOOR_PG_LOCK_TIMEOUT": "3", "STOCKFLOOR_CONNECT_TIMEOUT": "7"})
    args = limits.connect_args({"options": "-csearch_path=x -c statement_timeout=1s", "keepalives_idle": "4"})
    assert args["connect_timeout"] == 7 and "keepalives_idle" not in args
    assert args["options"].startswith("-csearch_path=x -c statement_timeout=1s ")
    assert "-c lock_timeout=3000" in args["options"] and args["options"].count("statement_timeout") == 1


def test_a_session_carries_the_limits(database, monkeypatch):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL sessions only")
    monkeypatch.setenv("STOCKFLOOR_PG_IDLE_IN_TRANSACTION_TIMEOUT", "12")
    station = create_database(database.url)
    with station.engine.connect() as conn:
        shown = {name: conn.execute(text(f"SHOW {name}")).scalar() for name in (
            "idle_in_transaction_session_timeout", "lock_timeout", "statement_timeout", "tcp_keepalives_idle")}
        search_path = conn.execute(text("SHOW search_path")).scalar()
    station.dispose()
    assert shown == {"idle_in_transaction_session_timeout": "12s", "lock_timeout": "10s",
                     "statement_timeout": "30s", "tcp_keepalives_idle": "10"}
    assert search_path.startswith("sf_test_")  # the URL's own options are kept
