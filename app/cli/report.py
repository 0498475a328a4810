"""`stockfloor report kpis --from D --to D [--by day|week|month] [--channel C] --format csv|json`:
the supervisors' key figures (README "KPI definitions"), as a supervisor or admin."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from app.cli.common import cli_actor, note, open_database
from app.cli.words import translate
from app.core import clock
from app.db.uow import UnitOfWork
from app.services import kpis


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate("cli", "{text} is not a date (YYYY-MM-DD)").format(text=repr(text))) from None


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("report", parents=[common], help=translate("cli help", "key figures for supervisors"))
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    report = what.add_parser(
        "kpis", parents=[common], help=translate("cli help", "KPIs per day, week or month (README: KPI definitions)"),
        description=translate("cli help", "One row per figure: {columns}. A ratio with nothing to divide by has an "
                                          "empty value (null in JSON).").format(columns=",".join(kpis.COLUMNS)))
    report.add_argument("--from", dest="since", type=_date, metavar="YYYY-MM-DD",
                        help=translate("cli help", "first day (default: 27 days before --to)"))
    report.add_argument("--to", dest="until", type=_date, metavar="YYYY-MM-DD",
                        help=translate("cli help", "last day (default: today)"))
    report.add_argument("--by", choices=kpis.BY, default="day")
    report.add_argument("--channel", help=translate("cli help", "only this sales channel's orders, returns and lines"))
    report.add_argument("--format", choices=("csv", "json"), default="csv")
    report.add_argument("-o", "--output", default="-", metavar="FILE", help=translate("cli help", "where to write; '-' (default) is stdout"))
    report.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    until = args.until or clock.today()
    since = args.since or until - dt.timedelta(days=27)
    with open_database(args.target, must_exist=True) as database:
        actor = cli_actor()
        with UnitOfWork(database, write=False) as uow:
            report = kpis.kpi_report(uow, since, until, by=args.by, channel=args.channel, actor=actor)

    def write(stream) -> None:  # noqa: ANN001
        if args.format == "json":
            stream.write(kpis.as_json(report) + "\n")
        else:
            kpis.write_csv(report, stream)

    if args.output == "-":
        write(sys.stdout)
        return 0
    target = Path(args.output)
    partial = target.with_name(target.name + ".part")  # a failed report leaves no half file
    try:
        with partial.open("w", encoding="utf-8", newline="") as stream:
            write(stream)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    note(translate("cli", "{count} figures written to {file}").format(count=len(report.rows), file=target))
    return 0
