"""`stockfloor import KIND FILE.csv`: master data from CSV files, all rows or none."""

from __future__ import annotations

import argparse
import re
import textwrap
from pathlib import Path

from app.cli.columns import columns_text
from app.cli.common import cli_actor, no_such_file, open_database, print_rejected
from app.cli.words import QT_TRANSLATE_NOOP, SOURCE_LANGUAGE, english_or, language, translate
from app.db.uow import UnitOfWork
from app.services import imports
from app.services.imports import ImportRejected, importers


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "import", parents=[common], help=translate("cli help", "import products, locations, users or purchase orders from CSV"),
        description=english_or(imports.__doc__), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for importer in importers().values():
        kind = kinds.add_parser(
            importer.kind, parents=[common], help=import_help(importer),
            description=english_or(textwrap.fill(importer.description + " UTF-8 (a byte-order mark is fine), "
                                                  "comma or semicolon separated, a header row naming the "
                                                  "columns in any order.", 88)),
            epilog=translate("cli help", "columns:") + "\n" + columns_text(importer.columns),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        kind.add_argument("file", metavar="FILE.csv", type=Path)
        kind.add_argument("--dry-run", action="store_true",
                          help=translate("cli help", "check every row and report what would change; write nothing"))
        kind.set_defaults(run=run)
    # orders (CSV/JSON), the floor layout and opening stock (the ledger, an admin) have their own readers
    from app.cli import picking, stock_import

    picking.register_import(kinds, common)
    stock_import.register_import(kinds, common)


# What each importer reads (ImporterSpec.description), for --help in the chosen language.
IMPORT_HELP = {
    "products": QT_TRANSLATE_NOOP("cli help", "Products and their barcodes (one row per SKU)."),
    "locations": QT_TRANSLATE_NOOP("cli help", "Locations: bins, docks, packing and shipping, and the virtual ends "
                                               "of moves."),
    "users": QT_TRANSLATE_NOOP("cli help", "Users with badge, role, PIN and language."),
    "purchase-orders": QT_TRANSLATE_NOOP("cli help", "Purchase orders and ASNs to receive (one row per line)."),
    "bin-capacities": QT_TRANSLATE_NOOP("cli help", "Bin capacities for put-away: units, weight, volume, and "
                                                    "whether lots may mix."),
    "putaway-rules": QT_TRANSLATE_NOOP("cli help", "Put-away rules per product, product group or zone: home bin, "
                                                   "zones, lots, FEFO."),
    "pick-faces": QT_TRANSLATE_NOOP("cli help", "Pick faces for replenishment: the product, min / max and the "
                                                "replenishment unit."),
}


def import_help(importer) -> str:
    if language() == SOURCE_LANGUAGE or importer.kind not in IMPORT_HELP:
        return importer.description
    return translate("cli help", IMPORT_HELP[importer.kind])


# What the importers create (ImporterSpec.noun), for the summary line.
NOUNS = (QT_TRANSLATE_NOOP("cli", "products"), QT_TRANSLATE_NOOP("cli", "locations"),
         QT_TRANSLATE_NOOP("cli", "users"), QT_TRANSLATE_NOOP("cli", "orders"),
         QT_TRANSLATE_NOOP("cli", "bins"), QT_TRANSLATE_NOOP("cli", "rules"), QT_TRANSLATE_NOOP("cli", "pick faces"))


def summary_line(summary: imports.ImportSummary, noun: str) -> str:
    """The importer's own English line (ImportSummary.describe), else in the chosen language."""
    if language() == SOURCE_LANGUAGE:
        return summary.describe()
    what = translate("cli", noun)
    if summary.dry_run:
        text = translate("cli", "{file}: rows valid: {rows}; {what}: would create {created}, would update "
                                "{updated}. Dry run: nothing was written.")
    else:
        text = translate("cli", "{file}: rows imported: {rows}; {what}: created {created}, updated {updated}.")
    text = text.format(file=summary.file, rows=summary.rows, what=what, created=summary.created,
                       updated=summary.updated)
    return text + (f" ({detail_text(summary.detail)})" if summary.detail else "")


# The importers' detail (Counts.detail), "12 lines" or "3 new barcodes", in the chosen language.
DETAILS = ((r"(?P<count>\d+) lines", QT_TRANSLATE_NOOP("cli", "lines: {count}")),
           (r"(?P<count>\d+) new barcodes", QT_TRANSLATE_NOOP("cli", "new barcodes: {count}")))


def detail_text(detail: str) -> str:
    for pattern, template in DETAILS:
        found = re.fullmatch(pattern, detail)
        if found:
            return translate("cli", template).format(**found.groupdict())
    return detail


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        return no_such_file(args.file)
    with open_database(args.target) as database, UnitOfWork(database) as uow:
        try:
            summary = imports.import_csv(uow, args.kind, args.file, actor=cli_actor(), dry_run=args.dry_run)
        except ImportRejected as rejected:
            print_rejected(rejected)
            return 1
    print(summary_line(summary, importers()[args.kind].noun))
    return 0
