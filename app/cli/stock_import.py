"""`stockfloor import stock FILE.csv`: opening stock and adjustments through the ledger (admins)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import cli_actor, open_database
from app.core.csv_rules import ImportRejected
from app.db.uow import UnitOfWork
from app.services.imports import stock


def register_import(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = kinds.add_parser(
        "stock", parents=[common], help="opening stock and adjustments, moved through the ledger (admin)",
        description=stock.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="columns:\n" + stock.column_help(),
    )
    parser.add_argument("file", metavar="FILE.csv", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="check every row and report what would move; "
                        "write nothing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"stockfloor: {args.file}: no such file", file=sys.stderr)
        return 2
    with open_database(args.target) as database, UnitOfWork(database) as uow:
        try:
            summary = stock.import_stock(uow, args.file, actor=cli_actor(), dry_run=args.dry_run)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                print(problem, file=sys.stderr)
            print(rejected, file=sys.stderr)
            return 1
    print(summary.describe())
    return 0
