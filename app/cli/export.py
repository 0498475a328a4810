"""`stockfloor export stock FILE.csv`: what is on hand where, for spreadsheets and audits."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.cli.common import note, open_database
from app.cli.words import translate
from app.db.uow import UnitOfWork
from app.services.stock.erp_export import RECEIPT_COLUMNS, export_goods_receipt_csv
from app.services.stock.export import COLUMNS, SKU_COLUMNS, write_stock_csv

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("export", parents=[common], help=translate("cli help", "export stock as CSV"))
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    stock = what.add_parser("stock", parents=[common], help=translate("cli help", "every non-zero on-hand row: {columns}").format(columns=",".join(COLUMNS)))
    stock.add_argument("file", metavar="FILE.csv", help=translate("cli help", "where to write; '-' writes to standard output"))
    stock.add_argument("--sellable", action="store_true",
                       help=translate("cli help", "only pick faces and storage bins that are not blocked (no quarantine, carts, docks)"))
    stock.add_argument("--per-sku", action="store_true", help=translate("cli help", "one row per product: {columns}").format(columns=",".join(SKU_COLUMNS)))
    stock.set_defaults(run=run)
    receipt = what.add_parser("receipt", parents=[common],
                              help=translate("cli help", "the goods receipt of a purchase order: {columns}").format(
                                  columns=",".join(RECEIPT_COLUMNS)))
    receipt.add_argument("po", metavar="PO", help=translate("cli help", "purchase order or ASN number"))
    receipt.add_argument("file", metavar="FILE.csv", help=translate("cli help", "where to write; '-' writes to standard output"))
    receipt.set_defaults(run=run_receipt)


def run(args: argparse.Namespace) -> int:
    count = _export(args.target, args.file, lambda session, stream: write_stock_csv(
        session, stream, sellable=args.sellable, per_sku=args.per_sku))
    if count is not None:
        line = (translate("cli", "{count} products written to {file}") if args.per_sku
                else translate("cli", "{count} on-hand rows written to {file}"))
        note(line.format(file=args.file, count=count))
    return 0


def run_receipt(args: argparse.Namespace) -> int:
    count = _export(args.target, args.file, lambda session, stream: export_goods_receipt_csv(session, stream, args.po))
    if count is not None:
        note(translate("cli", "{count} receipt rows of {po} written to {file}").format(
            count=count, po=args.po, file=args.file))
    return 0


def _export(database_target, file: str, write: Callable[[Session, TextIO], int]) -> int | None:
    """Writes to standard output ('-': returns None) or, through a partial file renamed at the
    end, to FILE: a failed export leaves no half file. Returns the rows written."""
    with open_database(database_target, must_exist=True) as database, UnitOfWork(database, write=False) as uow:
        if file == "-":
            write(uow.session, sys.stdout)
            return None
        target = Path(file)
        partial = target.with_name(target.name + ".part")
        try:
            with partial.open("w", encoding="utf-8", newline="") as stream:
                count = write(uow.session, stream)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return count
