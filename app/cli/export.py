"""`stockfloor export stock FILE.csv`: what is on hand where, for spreadsheets and audits."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli.common import note, open_database
from app.cli.words import translate
from app.db.uow import UnitOfWork
from app.services.stock.export import COLUMNS, write_stock_csv


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("export", parents=[common], help="export stock as CSV")
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    stock = what.add_parser("stock", parents=[common], help="every non-zero on-hand row: " + ",".join(COLUMNS))
    stock.add_argument("file", metavar="FILE.csv", help="where to write; '-' writes to standard output")
    stock.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_database(args.target, must_exist=True) as database, UnitOfWork(database, write=False) as uow:
        if args.file == "-":
            write_stock_csv(uow.session, sys.stdout)
            return 0
        target = Path(args.file)
        partial = target.with_name(target.name + ".part")  # a failed export leaves no half file
        try:
            with partial.open("w", encoding="utf-8", newline="") as stream:
                count = write_stock_csv(uow.session, stream)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    note(translate("cli", "{count} on-hand rows written to {file}").format(file=target, count=count))
    return 0
