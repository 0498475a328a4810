"""`stockfloor scan-info RAW`: what a scanned string means, and what it is in the database."""

from __future__ import annotations

import argparse
import re

from app.cli.common import open_database, sqlite_file
from app.cli.words import error_text, translate
from app.core.checkdigits import location_check_digits
from app.core.errors import ScanError, UnknownBarcode
from app.core.scan import GS, ScannedCode, interpret, printable
from app.db.uow import UnitOfWork
from app.services.scanning import Resolved, resolve

# How a GS separator can be typed in a shell argument.
GS_SPELLINGS = re.compile(r"<GS>|\\x1d|\\u001d", re.IGNORECASE)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "scan-info", parents=[common], help="explain what a scanned string means",
        description="Explain a scan: symbology, GS1 fields, check digits, commands; and what it is "
        "in the database when there is one. Type the GS separator between GS1 fields as <GS> or "
        r"\x1d, e.g. ']C10109501101530003' '10LOT7<GS>17271231'. Exit 1 when the scan is unreadable.",
    )
    parser.add_argument("raw", metavar="RAW", help="the scanned text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    raw = GS_SPELLINGS.sub(GS, args.raw)
    print(f"raw: {printable(raw)}")
    try:
        scanned = interpret(raw)
    except ScanError as error:
        print(translate("cli", "bad scan: {reason}").format(reason=error_text(error)))
        return 1
    for line in scanned.describe():
        print(line)
    if scanned.kind == "command":
        return 0
    found = _look_up(args.target, scanned)
    # A bare code with a wrong check digit is fine only if the database knows it as it is.
    return 1 if scanned.problem is not None and not found else 0


def _look_up(target: str, scanned: ScannedCode) -> bool:
    """Print what the scan resolves to; False when nothing (or no database) knows it."""
    path = sqlite_file(target)
    if path is not None and str(path) != ":memory:" and not path.exists():
        print(translate("cli", "database: none at {file} (interpretation only)").format(file=path))
        return False
    # An unusable database (unreachable, not a database, newer schema) is exit 2, like
    # every other command: the caller asked for a look-up that could not be made.
    with open_database(target) as database, UnitOfWork(database, write=False) as uow:
        try:
            print(translate("cli", "database: {database}").format(database=_describe(resolve(uow.session, scanned))))
            return True
        except UnknownBarcode:
            print(translate("cli", "database: not known in {database}").format(database=database.describe()))
        except ScanError:  # the problem printed above stands: nothing has this exact code
            print(translate("cli", "database: no exact match in {database}").format(database=database.describe()))
    return False


def _describe(found: Resolved) -> str:
    if found.product is not None:
        product = found.product
        pack = f", {found.units} units per scan" if found.units > 1 else ""
        tracking = f", {product.tracking} tracked" if product.tracking != "none" else ""
        return f"product {product.sku} ({product.name}){pack}{tracking}"
    if found.location is not None:
        location = found.location
        return (f"location {location.code} ({location.kind}{', blocked' if location.blocked else ''}), "
                f"check digits {location_check_digits(location.code)}")
    if found.license_plate is not None:
        return f"license plate {found.license_plate.code}"
    if found.purchase_order is not None:
        order = found.purchase_order
        return f"{order.kind.upper()} {order.number} from {order.supplier or '?'} ({order.status.replace('_', ' ')})"
    if found.user is not None:
        return f"badge of {found.user.display_name} ({found.user.role})"
    return found.kind
