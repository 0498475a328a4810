"""`stockfloor import stock FILE.csv`: opening stock and adjustments through the ledger (admins)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.columns import columns_text
from app.cli.common import cli_actor, no_such_file, open_database, print_rejected
from app.cli.words import SOURCE_LANGUAGE, english_or, language, translate
from app.core.csv_rules import ImportRejected
from app.db.uow import UnitOfWork
from app.services.imports import stock


def register_import(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = kinds.add_parser(
        "stock", parents=[common], help=translate("cli help", "opening stock and adjustments, moved through the ledger (admin)"),
        description=english_or(stock.__doc__), formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=translate("cli help", "columns:") + "\n" + columns_text(stock.COLUMNS),
    )
    parser.add_argument("file", metavar="FILE.csv", type=Path)
    parser.add_argument("--dry-run", action="store_true", help=translate("cli help", "check every row and report what would move; "
                        "write nothing"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        return no_such_file(args.file)
    with open_database(args.target) as database, UnitOfWork(database) as uow:
        try:
            summary = stock.import_stock(uow, args.file, actor=cli_actor(), dry_run=args.dry_run)
        except ImportRejected as rejected:
            print_rejected(rejected)
            return 1
    print(summary_line(summary))
    return 0


def summary_line(summary: stock.StockImportSummary) -> str:
    """The importer's own English line (with its plurals), else counts in the chosen language."""
    if language() == SOURCE_LANGUAGE:
        return summary.describe()
    if summary.dry_run:
        text = translate("cli", "{file}: rows valid: {rows}; would move {units_in} units in and {units_out} out "
                                "({lots} new lots, {plates} new license plates). Dry run: nothing was written.")
    else:
        text = translate("cli", "{file}: rows imported: {rows}; moved {units_in} units in and {units_out} out "
                                "({lots} new lots, {plates} new license plates).")
    return text.format(file=summary.file, rows=summary.rows, units_in=summary.units_in, units_out=summary.units_out,
                       lots=summary.lots_created, plates=summary.plates_created)
