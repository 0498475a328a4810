"""`stockfloor db ...` and how every command reports a database it cannot use."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from app.db import schema
from app.db.engine import create_database
from tests.factories import gtin13


def database_at_core_schema(path) -> None:
    """A database as the first Stockfloor release left it: only revision 0001."""
    old = create_database(str(path))
    config = schema.alembic_config()
    with old.writer.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    old.dispose()


def test_check_is_clean_after_receiving(database, warehouse, receive, cli):
    receive(gtin13(1), quantity=3)
    result = cli("--database", database.url, "db", "check")
    assert result.code == 0
    assert result.out.splitlines()[0] == "ledger consistent: 1 on-hand rows, 1 moves; document counters agree"
    assert result.out.splitlines()[1].startswith("hash chain intact: ")


def test_check_names_a_purchase_order_counter_that_disagrees_with_the_ledger(database, warehouse, receive, cli):
    receive(gtin13(1), quantity=3)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE purchase_order_lines SET quantity_received = 4 WHERE quantity_received = 3"))
    result = cli("--database", database.url, "db", "check")
    assert result.code == 1
    assert result.out.splitlines()[:2] == ["PO-1001, WIDGET: received 4, ledger says 3",
                                           "1 document counters disagree with the ledger"]


def test_check_names_a_corrupted_on_hand_row_and_exits_1(database, warehouse, receive, cli):
    receive(gtin13(1), quantity=3)
    receive("]C10109501101530003" + "10LOT7\x1d" + "17271231", quantity=2)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE on_hand SET quantity = 7 WHERE lot_id IS NULL"))
    result = cli("db", "check", "--database", database.url)  # the option after the command works too
    assert result.code == 1
    assert result.out.startswith("WIDGET at DOCK-1: on-hand 7, ledger 3\n"
                                 "1 discrepancies between on-hand and the ledger\n")


def test_a_newer_database_is_refused_in_one_line(sqlite_database, tmp_path, cli):
    with sqlite_database.engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version VALUES ('9999_future')"))
    users_csv = tmp_path / "users.csv"
    users_csv.write_text("username,display_name,badge_code,role,pin\nann,Ann,B-1,operator,1234\n")
    for args in (("db", "check"), ("db", "info"), ("import", "users", users_csv), ("demo",)):
        result = cli("--database", sqlite_database.sqlite_path, *args)
        assert result.code == 2
        assert result.err.startswith("stockfloor: The database sqlite:///")
        assert "newer Stockfloor (schema 9999_future)" in result.err and result.err.count("\n") == 1


def test_an_unreachable_server_is_one_clear_line(cli):
    result = cli("--database", "postgresql://postgres:secret@127.0.0.1:1/test", "db", "check")
    assert result.code == 2
    assert result.err.startswith("stockfloor: The database postgresql+psycopg://postgres:***@127.0.0.1:1/test "
                                 "cannot be reached: ")
    assert result.err.count("\n") == 1 and "secret" not in result.err


def test_read_only_commands_do_not_create_a_missing_file(tmp_path, cli):
    missing = tmp_path / "typo.sqlite"
    for args in (("db", "check"), ("db", "info"), ("export", "stock", tmp_path / "out.csv")):
        result = cli("--database", missing, *args)
        assert result.code == 2 and f"There is no database at {missing}" in result.err
    assert not missing.exists()


def test_upgrade_creates_then_reports_nothing_to_do(tmp_path, cli):
    target = tmp_path / "new.sqlite"
    heads = ", ".join(sorted(schema.head_revisions()))
    first = cli("--database", target, "db", "upgrade")
    assert first.code == 0
    assert f"schema before: (empty)\nschema after:  {heads}\n" in first.out
    again = cli("--database", target, "db", "upgrade")
    assert again.out.endswith(f"schema after:  {heads}\nalready up to date\n")


def test_an_older_database_is_backed_up_before_the_upgrade(tmp_path, cli):
    target = tmp_path / "old.sqlite"
    database_at_core_schema(target)
    result = cli("--database", target, "db", "upgrade")
    assert result.code == 0 and "schema before: 0001\n" in result.out
    backup = next(line for line in result.out.splitlines() if line.startswith("backup: "))[8:]
    assert backup.startswith(str(tmp_path / "old.before-0001-")) and (tmp_path / backup).exists()


def test_any_command_upgrades_an_old_database_and_says_so(tmp_path, cli):
    target = tmp_path / "old.sqlite"
    database_at_core_schema(target)
    result = cli("--database", target, "db", "check")
    assert result.code == 0
    assert result.err.startswith(f"Upgraded sqlite:///{target} from schema 0001 to ")
    assert "; backup: " in result.err and result.err.count("\n") == 1


def test_info_shows_where_what_schema_and_counts(database, warehouse, cli):
    result = cli("--database", database.url, "db", "info")
    assert result.code == 0
    assert f"database: {database.describe()}\n" in result.out
    assert "(current)" in result.out
    for line in ("products: 4", "barcodes: 5", "locations: 11", "virtual locations: 3",
                 "open purchase orders: 2", "active users: 3", "moves: 0"):
        assert line + "\n" in result.out
