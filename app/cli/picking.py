"""Outbound commands: `import orders FILE`, `import layout FILE`, `orders allocate`,
`waves release`, `picklist export WAVE`, `shipments export FILE`.

Wiring (app/cli): ``picking.register(commands, common)`` beside the other command modules,
and ``picking.register_import(kinds, common)`` inside `import`'s kind sub-parsers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.columns import meaning_text, required, type_text
from app.cli.common import cli_actor, note, open_database, print_rejected
from app.cli.words import english_or, language, translate
from app.core.csv_rules import ImportRejected
from app.core.errors import InvalidInput
from app.db.uow import UnitOfWork
from app.services.imports import orders as order_import
from app.services.imports.common import read_import_file
from app.services.orders import allocation
from app.services.packing import shipping
from app.services.replenishment import tasks as replenishment
from app.services.stock import erp_export
from app.services.waves import layout
from app.services.waves import release as waves


def register_import(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    orders = kinds.add_parser(
        "orders", parents=[common], help=translate("cli help", "customer orders from CSV (one row per line) or JSON"),
        description=english_or(order_import.__doc__), formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=translate("cli help", "CSV columns (JSON: the same names, ship_to_* inside \"ship_to\", lines as "
                                     "[{\"sku\", \"quantity\"}]):") + "\n" + _columns(order_import.CSV_COLUMNS),
    )
    orders.add_argument("file", metavar="FILE", type=Path, help=translate("cli help", "FILE.csv or FILE.json"))
    orders.add_argument("--dry-run", action="store_true", help=translate("cli help", "check every order; write nothing"))
    orders.set_defaults(run=import_orders)
    floor = kinds.add_parser(
        "layout", parents=[common], help=translate("cli help", "the floor layout for pick routes (replaces the stored one)"),
        description=english_or(layout.__doc__), formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=translate("cli help", "columns:") + "\n" + _columns(layout.COLUMNS),
    )
    floor.add_argument("file", metavar="FILE.csv", type=Path)
    floor.set_defaults(run=import_layout)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    orders = commands.add_parser("orders", parents=[common], help=translate("cli help", "allocate customer orders"))
    allocate = orders.add_subparsers(dest="action", metavar="ACTION", required=True).add_parser(
        "allocate", parents=[common], help=translate("cli help", "reserve stock for every open or partly allocated order"))
    allocate.add_argument("--channel")
    allocate.set_defaults(run=allocate_orders)

    wave = commands.add_parser("waves", parents=[common], help=translate("cli help", "release allocated orders to the floor"))
    release = wave.add_subparsers(dest="action", metavar="ACTION", required=True).add_parser(
        "release", parents=[common], help=translate("cli help", "release the releasable orders (filters narrow them)"))
    release.add_argument("--mode", choices=waves.MODES, default="single",
                         help=translate("cli help", "single: a wave per order; batch: orders share carts, a tote each"))
    release.add_argument("--cart-slots", type=int, default=waves.DEFAULT_CART_SLOTS, metavar="N")
    release.add_argument("--channel")
    release.add_argument("--carrier")
    release.add_argument("--ship-by-until", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    release.add_argument("--min-priority", type=int, metavar="N")
    release.add_argument("--complete-only", action="store_true", help=translate("cli help", "leave out orders with a backorder"))
    release.add_argument("--order", action="append", metavar="NUMBER",
                         help=translate("cli help", "only this order number (repeat for more)"))
    release.set_defaults(run=release_waves)

    picklist = commands.add_parser("picklist", parents=[common], help=translate("cli help", "a wave's pick list"))
    export = picklist.add_subparsers(dest="action", metavar="ACTION", required=True).add_parser(
        "export", parents=[common], help=translate("cli help", "the pick list in walking order as CSV or PDF"))
    export.add_argument("wave", metavar="WAVE", help=translate("cli help", "wave number (W000012) or id"))
    export.add_argument("--format", choices=("csv", "pdf"), default="csv")
    export.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
    export.add_argument("-o", "--output", metavar="FILE", help=translate("cli help", "default picklist-WAVE.csv|pdf; '-' = stdout"))
    export.set_defaults(run=export_picklist)

    shipments = commands.add_parser("shipments", parents=[common], help=translate("cli help", "shipment confirmations"))
    confirm = shipments.add_subparsers(dest="action", metavar="ACTION", required=True).add_parser(
        "export", parents=[common], help=translate("cli help", "one CSV row per shipped parcel: {columns}").format(
            columns=",".join(shipping.EXPORT_HEADER)))
    confirm.add_argument("file", metavar="FILE.csv", help=translate("cli help", "'-' writes to standard output"))
    confirm.add_argument("--since", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    confirm.add_argument("--carrier")
    confirm.add_argument("--lines", action="store_true",
                         help=translate("cli help", "one row per item in each parcel instead: {columns}").format(
                             columns=",".join(erp_export.SHIPMENT_LINE_COLUMNS)))
    confirm.set_defaults(run=export_shipments)


def _columns(columns) -> str:
    return "\n".join(f"  {c.name:<18} {type_text(c):<22} {required(c)}{meaning_text(c)}"
                     for c in columns)


def _rejected(rejected: ImportRejected) -> int:
    print_rejected(rejected)
    return 1


def import_orders(args: argparse.Namespace) -> int:
    data = read_import_file(args.file)
    with open_database(args.target) as database, UnitOfWork(database) as uow:
        try:
            summary = order_import.import_orders(uow, data, file=args.file.name, actor=cli_actor(),
                                                 dry_run=args.dry_run)
        except ImportRejected as rejected:
            return _rejected(rejected)
    text = (translate("cli", "{file}: {orders} orders with {lines} lines valid, nothing written (dry run).")
            if args.dry_run else translate("cli", "{file}: {orders} orders with {lines} lines imported."))
    print(text.format(file=args.file.name, orders=summary.orders, lines=summary.lines))
    return 0


def import_layout(args: argparse.Namespace) -> int:
    data = read_import_file(args.file)
    with open_database(args.target) as database, UnitOfWork(database) as uow:
        try:
            summary = layout.import_layout_csv(uow, data, file=args.file.name, actor=cli_actor())
        except ImportRejected as rejected:
            return _rejected(rejected)
    print(translate("cli", "{file}: {aisles} aisles, {cross} middle cross aisles, depot at x={x}.").format(
        file=args.file.name, aisles=summary.aisles, cross=summary.cross_aisles, x=f"{summary.depot[0]:g}"))
    return 0


def allocate_orders(args: argparse.Namespace) -> int:
    with open_database(args.target) as database, UnitOfWork(database) as uow:
        results = allocation.allocate_waiting_orders(uow, actor=cli_actor(), channel=args.channel)
        waiting = replenishment.open_tasks(uow.session)
    line = translate("cli", "{order}: {units} reserved, backorder {backorder}")
    for result in results:
        print(line.format(order=result.order.label, units=result.reserved_now, backorder=result.backorder))
    note(translate("cli", "Orders allocated: {orders}; units reserved: {units}; on backorder: {backorder}.").format(
        orders=len(results), units=sum(r.reserved_now for r in results), backorder=sum(r.backorder for r in results)))
    if any(task.waiting_units for task in waiting):  # not backorders: a face is being refilled for them
        note(translate("cli", "Units waiting for replenishment: {units} (tasks: {tasks}).").format(
            units=sum(task.waiting_units for task in waiting), tasks=sum(1 for task in waiting if task.waiting_units)))
    return 0


def release_waves(args: argparse.Namespace) -> int:
    with open_database(args.target) as database, UnitOfWork(database) as uow:
        releasable = waves.list_releasable_orders(
            uow.session, channel=args.channel, carrier=args.carrier, ship_by_until=args.ship_by_until,
            min_priority=args.min_priority, complete_only=args.complete_only)
        if args.order:
            releasable = [o for o in releasable if o.number in args.order]
        if not releasable:
            note(translate("cli", "no allocated orders match: nothing released"))
            return 0
        released = waves.release_waves(uow, [o.order_id for o in releasable], actor=cli_actor(),
                                       mode=args.mode, cart_slots=args.cart_slots)
    line = translate("cli", "{wave}: {picks} picks, {units} units ({orders})")
    for wave in released:
        orders = ", ".join(f"{slot}:{label}" for _, label, slot in wave.orders)
        print(line.format(wave=wave.number, picks=wave.tasks_total, units=wave.units_total, orders=orders))
    note(translate("cli", "Waves released: {waves}; lines to pick: {lines}.").format(
        waves=len(released), lines=sum(wave.tasks_total for wave in released)))
    return 0


def _wave_id(text: str) -> int:
    digits = text.upper().removeprefix("W")
    if not digits.isdigit():
        raise InvalidInput(field="WAVE", reason=translate("cli", "'{text}' is not a wave number like W000012")
                           .format(text=text))
    return int(digits)


def export_picklist(args: argparse.Namespace) -> int:
    wave_id = _wave_id(args.wave)
    output = args.output or f"picklist-W{wave_id:06d}.{args.format}"
    with open_database(args.target, must_exist=True) as database, UnitOfWork(database, write=False) as uow:
        if args.format == "pdf":
            pdf = waves.picklist_pdf(uow.session, wave_id, page_size=args.page_size, language=language())
            _write(output, lambda stream: stream.write(pdf), binary=True)
        else:
            _write(output, lambda stream: waves.export_picklist_csv(uow.session, wave_id, stream))
    if output != "-":
        note(translate("cli", "pick list of {wave} written to {file}").format(wave=f"W{wave_id:06d}", file=output))
    return 0


def export_shipments(args: argparse.Namespace) -> int:
    since = dt.datetime.combine(args.since, dt.time(), dt.timezone.utc) if args.since else None
    with open_database(args.target, must_exist=True) as database, UnitOfWork(database, write=False) as uow:
        export = erp_export.export_shipment_lines_csv if args.lines else shipping.export_shipments_csv
        count = _write(args.file, lambda stream: export(uow.session, stream, since=since, carrier=args.carrier))
    if args.file != "-":
        line = (translate("cli", "{count} parcel items written to {file}") if args.lines
                else translate("cli", "{count} shipped parcels written to {file}"))
        note(line.format(file=args.file, count=count))
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
