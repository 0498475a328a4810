"""`stockfloor user token NAME`: a token for scheduled jobs (STOCKFLOOR_TOKEN), issued by an admin."""

from __future__ import annotations

import argparse

from app.cli.common import cli_actor, note, open_database
from app.cli.words import translate
from app.db.uow import UnitOfWork
from app.services import users


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    user = commands.add_parser("user", parents=[common], help=translate("cli help", "accounts: tokens for scheduled jobs"))
    actions = user.add_subparsers(dest="action", metavar="ACTION", required=True)
    token = actions.add_parser(
        "token", parents=[common],
        help=translate("cli help", "print a new token for NAME (admin only; the previous token stops working). "
             "Scheduled jobs set STOCKFLOOR_TOKEN to it and run as NAME."),
    )
    token.add_argument("name", metavar="NAME", help=translate("cli help", "user name the token acts as"))
    token.set_defaults(run=issue_token)


def issue_token(args: argparse.Namespace) -> int:
    with open_database(args.target, must_exist=True) as database:
        actor = cli_actor()
        with UnitOfWork(database) as uow:
            value = users.issue_token(uow, users.user_id_by_name(uow.session, args.name), actor=actor)
    note(translate("cli", "Token for {name} (shown once; keep it where the scheduled job runs):").format(
        name=args.name))
    print(value)
    return 0
