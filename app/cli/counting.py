"""`stockfloor counts classify | plan`: ABC classes from the ledger and the capped daily count
plan, by the warehouse's plan policy (the Count policy screen sets it)."""

from __future__ import annotations

import argparse
import datetime as dt

from app.cli.common import cli_actor, open_database
from app.cli.words import translate
from app.core import clock
from app.db.uow import UnitOfWork
from app.services.counting import planning, policy


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    counts = commands.add_parser("counts", parents=[common], help=translate("cli help", "ABC classes and the cycle-count plan"))
    actions = counts.add_subparsers(dest="action", metavar="ACTION", required=True)
    classify = actions.add_parser(
        "classify", parents=[common],
        help=translate("cli help", "classify every product A/B/C from its movement over the policy's look-back days "
             "(by value or by number of moves, with the policy's class shares)"))
    classify.set_defaults(run=run_classify)
    plan = actions.add_parser(
        "plan", parents=[common],
        help=translate("cli help", "plan the product counts the ABC schedule says are due in the policy's plan days, "
             "spread evenly, at most the daily cap a day"))
    plan.add_argument("--from", dest="start", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                      help=translate("cli help", "the plan's first day (default today)"))
    plan.add_argument("--dry-run", action="store_true", help=translate("cli help", "show the counts per day; plan nothing"))
    plan.set_defaults(run=run_plan)


def run_classify(args: argparse.Namespace) -> int:
    with open_database(args.target, must_exist=True) as database:
        actor = cli_actor()
        with UnitOfWork(database) as uow:
            used = policy.plan_policy(uow.session)
            classes = policy.classify(uow, clock.today(), actor=actor)
    print(translate("cli", "Products classified: {count} (by {basis}, over {days} days): {classes}").format(
        count=sum(classes.values()), basis=used.basis, days=used.lookback_days,
        classes=", ".join(f"{cls} {n}" for cls, n in classes.items())))
    return 0


def run_plan(args: argparse.Namespace) -> int:
    start = args.start or clock.today()
    with open_database(args.target, must_exist=True) as database:
        actor = cli_actor()
        with UnitOfWork(database, write=not args.dry_run) as uow:
            preview = planning.abc_plan(uow.session, start)
            if not args.dry_run:
                planning.plan_abc_counts(uow, start, actor=actor)
    for day, size in preview.sizes().items():
        print(translate("cli", "{day}  counts: {count}").format(day=day.isoformat(), count=size))
    total = sum(preview.sizes().values())
    line = (translate("cli", "Counts that would be planned: {count} over {days} days; due counts left for the next "
                                "plan (daily cap): {left}") if args.dry_run else
            translate("cli", "Counts planned: {count} over {days} days; due counts left for the next plan "
                             "(daily cap): {left}"))
    print(line.format(count=total, days=len(preview.by_day), left=len(preview.left_over)))
    return 0
