"""`stockfloor journal export FILE.csv`: every scan (right or wrong) as CSV, newest first."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from app.cli.common import note, open_database
from app.cli.words import translate
from app.db.uow import UnitOfWork
from app.services.audit import JOURNAL_COLUMNS, JournalFilter, write_journal_csv


def _instant(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("journal", parents=[common], help=translate("cli help", "the scan journal"))
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    export = what.add_parser("export", parents=[common],
                             help=translate("cli help", "write the scan journal as CSV: {columns}").format(
                                 columns=",".join(JOURNAL_COLUMNS)))
    export.add_argument("file", metavar="FILE.csv", help=translate("cli help", "where to write; '-' writes to standard output"))
    export.add_argument("--by-user", default="", metavar="USER",
                        help=translate("cli help", "only this user (user name or display name); --user is who runs the command"))
    export.add_argument("--workstation", default="", help=translate("cli help", "only this workstation"))
    export.add_argument("--since", type=_instant, help=translate("cli help", "from this time (ISO 8601; UTC unless a zone is given)"))
    export.add_argument("--until", type=_instant, help=translate("cli help", "before this time"))
    export.add_argument("--outcome", default="", help=translate("cli help", "only this outcome (ok, error, refused, command, answer...)"))
    export.add_argument("--text", default="", help=translate("cli help", "only scans whose text or message contains this"))
    export.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    where = JournalFilter(user=args.by_user, workstation=args.workstation, since=args.since, until=args.until,
                          outcome=args.outcome, text=args.text)
    with open_database(args.target, must_exist=True) as database, UnitOfWork(database, write=False) as uow:
        if args.file == "-":
            write_journal_csv(uow.session, sys.stdout, where)
            return 0
        target = Path(args.file)
        partial = target.with_name(target.name + ".part")  # a failed export leaves no half file
        try:
            with partial.open("w", encoding="utf-8", newline="") as stream:
                count = write_journal_csv(uow.session, stream, where)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    note(translate("cli", "{count} journal rows written to {file}").format(file=target, count=count))
    return 0
