"""Returns commands: `import rmas FILE`, `export inspections FILE`, `export return-report FILE`.

Wiring (app/cli): ``returns.register_import(kinds, common)`` inside `import`'s kind
sub-parsers and ``returns.register_export(what, common)`` inside `export`'s; or, standing
alone, ``returns.register(commands, common)`` adds `returns import|export|report`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.columns import meaning_text, required, type_text
from app.cli.common import cli_actor, no_such_file, note, open_database, print_rejected
from app.cli.words import english_or, translate
from app.core import csv_safe
from app.core.csv_rules import ImportRejected
from app.db.uow import UnitOfWork
from app.services.imports import returns as returns_import
from app.services.imports.common import read_import_file
from app.services.returns import reports as returns_reports


def _columns() -> str:
    return "\n".join(f"  {c.name:<14} {type_text(c):<16} {required(c)}{meaning_text(c)}"
                     for c in returns_import.CSV_COLUMNS)


def _add_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", type=Path, help=translate("cli help", "FILE.csv or FILE.json"))
    parser.add_argument("--dry-run", action="store_true", help=translate("cli help", "check every RMA; write nothing"))
    parser.set_defaults(run=import_rmas)


def _add_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=translate("cli help", "'-' writes to standard output"))
    parser.add_argument("--since", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help=translate("cli help", "only units inspected on or after this day"))
    parser.add_argument("--until", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help=translate("cli help", "only units inspected before this day"))
    parser.set_defaults(run=export_inspections)


def _add_report(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help=translate("cli help", "FILE.pdf, or FILE.csv / '-' for the rows as CSV"))
    parser.add_argument("--by", choices=returns_reports.GROUPS, default="channel")
    parser.add_argument("--since", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    parser.add_argument("--until", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    parser.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
    parser.set_defaults(run=export_report)


def register_import(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    _add_import(kinds.add_parser(
        "rmas", parents=[common], help=translate("cli help", "returns the sales channels announced (CSV or JSON)"),
        description=english_or(returns_import.__doc__), formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=translate("cli help", "CSV columns (JSON: a list of {channel, rma_number, order_number, lines: "
                                     "[{sku, quantity, reason}]}):") + "\n" + _columns()))


def register_export(what: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    _add_export(what.add_parser(
        "inspections", parents=[common],
        help=translate("cli help", "inspected returns with grade, disposition and refund: {columns}").format(
            columns=",".join(returns_reports.EXPORT_HEADER))))
    _add_report(what.add_parser("return-report", parents=[common],
                                help=translate("cli help", "return rate and grades by channel, product, reason or month")))


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """`stockfloor returns import FILE | export FILE.csv | report FILE.pdf`."""
    parser = commands.add_parser("returns", parents=[common], help=translate("cli help", "RMAs, inspection results, return report"))
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    _add_import(actions.add_parser("import", parents=[common], help=translate("cli help", "import RMAs from CSV or JSON"),
                                   epilog=translate("cli help", "CSV columns:") + "\n" + _columns(),
                                   formatter_class=argparse.RawDescriptionHelpFormatter))
    _add_export(actions.add_parser("export", parents=[common], help=translate("cli help", "inspection results as CSV")))
    _add_report(actions.add_parser("report", parents=[common], help=translate("cli help", "the return report")))


def import_rmas(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        return no_such_file(args.file)
    data = read_import_file(args.file)
    with open_database(args.target) as database, UnitOfWork(database) as uow:
        try:
            summary = returns_import.import_rmas(uow, data, file=args.file.name, actor=cli_actor(),
                                                 dry_run=args.dry_run)
        except ImportRejected as rejected:
            print_rejected(rejected)
            return 1
    text = (translate("cli", "{file}: {rmas} RMAs with {lines} lines valid, nothing written (dry run)") if args.dry_run
            else translate("cli", "{file}: {rmas} RMAs with {lines} lines imported"))
    if summary.replaced:
        text += translate("cli", ", {replaced} replaced")
    print((text + ".").format(file=args.file.name, rmas=summary.rmas, lines=summary.lines, replaced=summary.replaced))
    return 0


def _day(value: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(value, dt.time(), dt.timezone.utc) if value else None


def export_inspections(args: argparse.Namespace) -> int:
    with open_database(args.target, must_exist=True) as database, UnitOfWork(database, write=False) as uow:
        count = _write(args.file, lambda stream: returns_reports.export_inspections_csv(
            uow.session, stream, since=_day(args.since), until=_day(args.until)))
    if args.file != "-":
        note(translate("cli", "{count} inspected returns written to {file}").format(file=args.file, count=count))
    return 0


def export_report(args: argparse.Namespace) -> int:
    since, until = _day(args.since), _day(args.until)
    with open_database(args.target, must_exist=True) as database, UnitOfWork(database, write=False) as uow:
        if args.file.lower().endswith(".pdf"):
            pdf = returns_reports.return_report_pdf(uow.session, args.by, since=since, until=until,
                                                    page_size=args.page_size)
            _write(args.file, lambda stream: stream.write(pdf), binary=True)
        else:
            rows = [r.as_dict() for r in returns_reports.return_report(uow.session, args.by, since=since,
                                                                       until=until)]

            def write(stream) -> None:  # noqa: ANN001
                writer = csv_safe.dict_writer(stream, list(rows[0]) if rows else ["key"])
                writer.writeheader()
                writer.writerows(rows)

            _write(args.file, write)
    if args.file != "-":
        note(translate("cli", "return report by {group} written to {file}").format(group=args.by, file=args.file))
    return 0


def _write(target: str, write: Callable, *, binary: bool = False):
    """Write to stdout ('-') or to a file that appears only when complete."""
    if target == "-":
        return write(sys.stdout.buffer if binary else sys.stdout)
    path = Path(target)
    partial = path.with_name(path.name + ".part")
    try:
        with (partial.open("wb") if binary else partial.open("w", encoding="utf-8", newline="")) as stream:
            result = write(stream)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return result
