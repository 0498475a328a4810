"""`stockfloor db upgrade|check|info`: the schema and the consistency of the stock ledger."""

from __future__ import annotations

import argparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cli import tamper
from app.cli.common import open_database, revisions
from app.cli.words import QT_TRANSLATE_NOOP, translate
from app.db import schema
from app.db.models import (
    VIRTUAL_LOCATION_KINDS,
    LicensePlate,
    Location,
    Lot,
    Move,
    OnHand,
    Product,
    ProductBarcode,
    PurchaseOrder,
    User,
)
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.integrity import DocumentDiscrepancy, check_documents


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", parents=[common], help=translate("cli help", "schema upgrade, ledger check, database info"))
    actions = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser(
        "upgrade", parents=[common], help=translate("cli help", "bring the schema up to date (SQLite: after a backup)"),
    ).set_defaults(run=upgrade)
    actions.add_parser(
        "check", parents=[common],
        help=translate("cli help", "compare on-hand with the ledger; exit 1 and list every discrepancy when they differ"),
    ).set_defaults(run=check)
    actions.add_parser(
        "info", parents=[common], help=translate("cli help", "where the database is, its schema revisions and what it holds"),
    ).set_defaults(run=info)
    tamper.register_setup_roles(actions, common)


def upgrade(args: argparse.Namespace) -> int:
    with open_database(args.target, upgrade=False) as database:
        result = schema.upgrade(database)
        print(translate("cli", "database: {database}").format(database=database.describe()))
        print(translate("cli", "schema before: {schema}").format(schema=revisions(result.before)))
        print(translate("cli", "schema after:  {schema}").format(schema=revisions(result.after)))
        if result.backup:
            print(translate("cli", "backup: {file}").format(file=result.backup))
        if not result.changed:
            print(translate("cli", "already up to date"))
    return 0


def check(args: argparse.Namespace) -> int:
    with open_database(args.target, must_exist=True) as database, UnitOfWork(database, write=False) as uow:
        ledger_ok = _check_ledger(uow.session)
        chain_ok = tamper.check_chain(uow.session)
        return 0 if ledger_ok and chain_ok else 1


def _check_ledger(session: Session) -> bool:
    discrepancies = ledger.check_ledger(session)
    documents = check_documents(session)
    if not discrepancies and not documents:
        rows = session.scalar(select(func.count()).select_from(OnHand))
        moves = session.scalar(select(func.count()).select_from(Move))
        print(translate("cli", "ledger consistent: {rows} on-hand rows, {moves} moves; document counters agree")
              .format(rows=rows, moves=moves))
        return True
    for found in documents:
        print(document_line(found))
    if documents:
        print(translate("cli", "{count} document counters disagree with the ledger").format(count=len(documents)))
    for found in discrepancies:
        extra = "".join((
            translate("cli", ", lot {lot}").format(lot=_name(session, Lot.code, found.lot_id)) if found.lot_id else "",
            translate("cli", ", license plate {plate}").format(
                plate=_name(session, LicensePlate.code, found.license_plate_id)) if found.license_plate_id else "",
        ))
        negative = translate("cli", " (negative)") if min(found.on_hand, found.ledger) < 0 else ""
        print(translate("cli", "{product} at {location}{extra}: on-hand {on_hand}, ledger {ledger}{negative}").format(
            product=_name(session, Product.sku, found.product_id), location=_name(session, Location.code,
                                                                                   found.location_id),
            extra=extra, on_hand=found.on_hand, ledger=found.ledger, negative=negative))
    if discrepancies:
        print(translate("cli", "{count} discrepancies between on-hand and the ledger").format(count=len(discrepancies)))
    return False


# How check_documents() names documents and counters (DOCUMENT_KINDS, COUNTERS there).
DOCUMENTS = {"purchase order": QT_TRANSLATE_NOOP("cli", "{reference}"),
             "order": QT_TRANSLATE_NOOP("cli", "order {reference}"),
             "stock": QT_TRANSLATE_NOOP("cli", "stock {reference}")}
COUNTERS = {
    "received": QT_TRANSLATE_NOOP("cli counters", "received"),
    "damaged": QT_TRANSLATE_NOOP("cli counters", "damaged"),
    "picked": QT_TRANSLATE_NOOP("cli counters", "picked"),
    "packed": QT_TRANSLATE_NOOP("cli counters", "packed"),
    "pick tasks' picked": QT_TRANSLATE_NOOP("cli counters", "pick tasks' picked"),
    "reserved (allocations + returns held)": QT_TRANSLATE_NOOP("cli counters", "reserved (allocations + returns held)"),
}


def document_line(found: DocumentDiscrepancy) -> str:
    document = translate("cli", DOCUMENTS.get(found.kind, "{reference}")).format(reference=found.reference)
    item = found.sku + (translate("cli", ", lot {lot}").format(lot=found.lot) if found.lot else "")
    counter = translate("cli counters", COUNTERS[found.counter]) if found.counter in COUNTERS else found.counter
    return translate("cli", "{document}, {item}: {counter} {stored}, ledger says {ledger}").format(
        document=document, item=item, counter=counter, stored=found.stored, ledger=found.ledger)


def _name(session: Session, column, key: int) -> str:
    """The SKU, code... of the row with id ``key`` (``column`` says which table and field)."""
    return session.scalar(select(column).where(column.class_.id == key)) or f"#{key}"


def info(args: argparse.Namespace) -> int:
    with open_database(args.target, upgrade=False, must_exist=True) as database:
        current = schema.check_not_newer(database)
        heads = schema.head_revisions()
        print(translate("cli", "database: {database}").format(database=database.describe()))
        if database.sqlite_path is not None:
            print(translate("cli", "file size: {size} MB").format(size=f"{database.sqlite_path.stat().st_size / 1e6:.1f}"))
        state = (translate("cli", "current") if current == heads
                 else translate("cli", "needs `stockfloor db upgrade` to {schema}").format(schema=revisions(heads)))
        print(translate("cli", "schema: {schema} ({state})").format(schema=revisions(current), state=state))
        if current != heads:
            return 0
        with UnitOfWork(database, write=False) as uow:
            for label, value in _counts(uow.session):
                print(translate("cli", label) + f": {value}")
    return 0


def _counts(session: Session) -> list[tuple[str, int]]:
    def count(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where))

    physical = Location.kind.not_in(VIRTUAL_LOCATION_KINDS)
    return [
        (QT_TRANSLATE_NOOP("cli", "products"), count(Product)),
        (QT_TRANSLATE_NOOP("cli", "barcodes"), count(ProductBarcode)),
        (QT_TRANSLATE_NOOP("cli", "locations"), count(Location, physical)),
        (QT_TRANSLATE_NOOP("cli", "virtual locations"), count(Location, ~physical)),
        (QT_TRANSLATE_NOOP("cli", "lots"), count(Lot)),
        (QT_TRANSLATE_NOOP("cli", "license plates"), count(LicensePlate)),
        (QT_TRANSLATE_NOOP("cli", "on-hand rows"), count(OnHand, OnHand.quantity != 0)),
        (QT_TRANSLATE_NOOP("cli", "units on hand"), session.scalar(select(func.coalesce(func.sum(OnHand.quantity), 0)))),
        (QT_TRANSLATE_NOOP("cli", "moves"), count(Move)),
        (QT_TRANSLATE_NOOP("cli", "open purchase orders"), count(PurchaseOrder, PurchaseOrder.status.in_(("open", "partially_received")))),
        (QT_TRANSLATE_NOOP("cli", "active users"), count(User, User.active.is_(True))),
    ]
