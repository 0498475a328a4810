"""`stockfloor demo` and `stockfloor --demo`: a demo warehouse to try every workflow on."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from app.cli.common import cli_actor, cli_workstation, note, open_database, whole_number
from app.cli.words import english_or, translate
from app.core.actor import system_actor
from app.db.uow import UnitOfWork
from app.services import demo


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "demo", parents=[common], help=translate("cli help", "fill an empty database with a demo warehouse"),
        description=english_or(demo.__doc__), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--products", type=whole_number(1, demo.MAX_PRODUCTS), default=300, metavar="N",
                        help=translate("cli help", "how many products, 1 to {most} (default 300)").format(most=demo.MAX_PRODUCTS))
    parser.add_argument("--seed", type=int, default=1, metavar="S",
                        help=translate("cli help", "the same seed builds the same warehouse (default 1)"))
    parser.add_argument("--force", action="store_true",
                        help=translate("cli help", "ERASE everything in the database first"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with open_database(args.target) as database, UnitOfWork(database) as uow:
        # only --force can change a warehouse with data (and then only as an admin)
        actor = cli_actor() if args.force else system_actor(cli_workstation())
        summary = demo.build_demo(uow, products=args.products, seed=args.seed, force=args.force,
                                  actor=actor)
        where = database.describe()
    print(translate("cli", "Demo warehouse built in {database} in {seconds} s:").format(
        database=where, seconds=f"{time.perf_counter() - started:.1f}"))
    print("  " + translate("cli", "{products} products, {locations} locations ({bins} bins), {lots} lots/serials, "
                                  "{plates} pallets on SSCC license plates").format(
        products=summary.products, locations=summary.locations, bins=summary.bins, lots=summary.lots,
        plates=summary.license_plates))
    print("  " + translate("cli", "{moves} opening moves, {units} units on hand, {orders} open purchase orders / ASNs")
          .format(moves=summary.moves, units=summary.units, orders=summary.orders))
    print("  " + translate("cli", "{orders} customer orders ({waves} waves released, ready to pick), floor layout and "
                                  "cartons").format(orders=summary.sales_orders, waves=summary.waves))
    print(translate("cli", "Users (badge, PIN, role, language):"))
    for username, name, badge, role, pin, language in summary.users:
        print(f"  {badge}  {pin}  {role:<10}  {language}  {name} ({username})")
    return 0


def ensure_demo_database(target: str) -> None:
    """Build the demo warehouse in ``target`` unless it already holds one.

    A missing file is built beside it and renamed when complete, so an existing demo file
    is always a finished one (app.cli checks only that before opening the window)."""
    path = Path(target)
    building = path.with_name(path.name + ".building")
    fresh = not path.exists()
    if fresh:
        for leftover in (building, building.with_name(building.name + "-wal"),
                         building.with_name(building.name + "-shm")):
            leftover.unlink(missing_ok=True)
    with open_database(str(building) if fresh else target) as database, UnitOfWork(database) as uow:
        if demo.contents(uow.session):
            return
        demo.build_demo(uow, actor=system_actor(cli_workstation()))  # an empty database
    if fresh:
        os.replace(building, path)
    note(translate("cli", "Built the demo warehouse in {file}.").format(file=path))
