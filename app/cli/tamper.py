"""Tamper evidence on the command line: the hash-chain part of `stockfloor db check`, and
`stockfloor db setup-roles` (PostgreSQL: an application role that cannot UPDATE or DELETE the
append-only tables)."""

from __future__ import annotations

import argparse
import re

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.cli.common import ask_secret, note, open_database
from app.cli.words import QT_TRANSLATE_NOOP, translate
from app.core.errors import InvalidInput
from app.db import chain


def check_chain(session: Session) -> bool:
    """Print the chain's state; False (exit 1) when a row was edited, deleted or slipped in."""
    links, problems = chain.verify(session)
    for problem in problems:
        print(chain_line(problem))
    if problems:
        print(translate("cli", "{count} tamper findings in moves, audit_log and scan_journal").format(count=len(problems)))
        return False
    head = session.scalar(select(chain.ChainLink.hash).order_by(chain.ChainLink.id.desc()).limit(1))
    print(translate("cli", "hash chain intact: {rows} rows chained, head {head}").format(
        rows=links, head=head or chain.GENESIS))
    return True


# chain.ChainProblem.what, worded.
CHAIN_PROBLEMS = {
    "edited": QT_TRANSLATE_NOOP("cli", "{table} row {row} was edited after it was written"),
    "deleted": QT_TRANSLATE_NOOP("cli", "{table} row {row} was deleted"),
    "unchained": QT_TRANSLATE_NOOP("cli", "{table} row {row} is not in the chain (written outside Stockfloor)"),
    "link removed": QT_TRANSLATE_NOOP("cli", "the chain link before {table} row {row} was removed"),
}


def chain_line(problem: chain.ChainProblem) -> str:
    if problem.what not in CHAIN_PROBLEMS:
        return str(problem)
    return translate("cli", CHAIN_PROBLEMS[problem.what]).format(table=problem.table, row=problem.row_id)


def register_setup_roles(actions: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = actions.add_parser(
        "setup-roles", parents=[common],
        help=translate("cli help", "PostgreSQL: create the login role the app should connect as (no UPDATE/DELETE on "
             "moves, audit_log, scan_journal, chain_links); run once as the database owner"),
    )
    parser.add_argument("--role", default="stockfloor_app", help=translate("cli help", "name of the role (default stockfloor_app)"))
    parser.add_argument("--password", help=translate("cli help", "its password (asked when omitted)"))
    parser.set_defaults(run=setup_roles)


def role_statements(role: str, schema: str) -> list[str]:
    """What setup-roles runs (and what README documents)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise InvalidInput(field="role", reason=translate("cli", "letters, digits and _ only"))
    append_only = ", ".join(chain.APPEND_ONLY)
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {append_only} FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}",
    ]


def setup_roles(args: argparse.Namespace) -> int:
    with open_database(args.target) as database:
        if database.engine.dialect.name != "postgresql":
            note(translate("cli", "setup-roles is for PostgreSQL; on SQLite the triggers alone keep the tables "
                                  "append-only."))
            return 2
        password = args.password or ask_secret(translate("cli", "password for {role}: ").format(role=args.role))
        with database.engine.begin() as conn:
            schema = conn.scalar(text("SELECT current_schema()"))
            exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": args.role})
            quoted = conn.dialect.identifier_preparer.quote(args.role)
            literal = "'" + password.replace("'", "''") + "'"
            verb = "ALTER" if exists else "CREATE"
            conn.exec_driver_sql(f"{verb} ROLE {quoted} LOGIN PASSWORD {literal}")
            for statement in role_statements(args.role, schema):
                conn.exec_driver_sql(statement)
        print(translate("cli", "role {role}: may read and write the warehouse in schema {schema}, may only append "
                               "to {tables}.").format(role=args.role, schema=schema, tables=", ".join(chain.APPEND_ONLY)))
        print(translate("cli", "Connect Stockfloor as {url}; run `stockfloor db upgrade` as the owner.").format(
            url=f"postgresql://{args.role}:PASSWORD@HOST/DBNAME"))
    return 0
