"""`stockfloor export stock FILE.csv`: what is on hand where, for spreadsheets and audits."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli.common import note, open_database
from app.db.uow import UnitOfWork
from app.services.stock.erp_export import RECEIPT_COLUMNS, export_goods_receipt_csv
from app.services.stock.export import COLUMNS, SKU_COLUMNS, write_stock_csv


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("export", parents=[common], help="export stock as CSV")
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    stock = what.add_parser("stock", parents=[common], help="every non-zero on-hand row: " + ",".join(COLUMNS))
    stock.add_argument("file", metavar="FILE.csv", help="where to write; '-' writes to standard output")
    stock.add_argument("--sellable", action="store_true",
                       help="only pick faces and storage bins that are not blocked (no quarantine, carts, docks)")
    stock.add_argument("--per-sku", action="store_true", help="one row per product: " + ",".join(SKU_COLUMNS))
    stock.set_defaults(run=run)
    receipt = what.add_parser("receipt", parents=[common],
                              help="the goods receipt of a purchase order: " + ",".join(RECEIPT_COLUMNS))
    receipt.add_argument("po", metavar="PO", help="purchase order or ASN number")
    receipt.add_argument("file", metavar="FILE.csv", help="where to write; '-' writes to standard output")
    receipt.set_defaults(run=run_receipt)


def run(args: argparse.Namespace) -> int:
    with open_database(args.target, must_exist=True) as database, UnitOfWork(database, write=False) as uow:
        if args.file == "-":
            write_stock_csv(uow.session, sys.stdout, sellable=args.sellable, per_sku=args.per_sku)
            return 0
        target = Path(args.file)
        partial = target.with_name(target.name + ".part")  # a failed export leaves no half file
        try:
            with partial.open("w", encoding="utf-8", newline="") as stream:
                count = write_stock_csv(uow.session, stream, sellable=args.sellable, per_sku=args.per_sku)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    note(f"{count} {'products' if args.per_sku else 'on-hand rows'} written to {target}")
    return 0


def run_receipt(args: argparse.Namespace) -> int:
    with open_database(args.target, must_exist=True) as database, UnitOfWork(database, write=False) as uow:
        if args.file == "-":
            export_goods_receipt_csv(uow.session, sys.stdout, args.po)
            return 0
        target = Path(args.file)
        partial = target.with_name(target.name + ".part")
        try:
            with partial.open("w", encoding="utf-8", newline="") as stream:
                count = export_goods_receipt_csv(uow.session, stream, args.po)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    note(f"{count} receipt rows of {args.po} written to {target}")
    return 0
