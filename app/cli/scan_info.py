"""`stockfloor scan-info RAW`: what a scanned string means, and what it is in the database."""

from __future__ import annotations

import argparse
import re

from app.cli.common import open_database, sqlite_file
from app.cli.words import QT_TRANSLATE_NOOP, error_text, translate
from app.core.checkdigits import location_check_digits
from app.core.errors import ScanError, UnknownBarcode
from app.core.gs1_words import escaped, excerpt
from app.core.scan import GS, ScannedCode, interpret, printable
from app.db.uow import UnitOfWork
from app.services.scanning import Resolved, resolve

# How a GS separator can be typed in a shell argument.
GS_SPELLINGS = re.compile(r"<GS>|\\x1d|\\u001d", re.IGNORECASE)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "scan-info", parents=[common], help=translate("cli help", "explain what a scanned string means"),
        description=translate("cli help", "Explain a scan: symbology, GS1 fields, check digits, commands; and what it is "
        "in the database when there is one. Type the GS separator between GS1 fields as <GS> or "
        r"\x1d, e.g. ']C10109501101530003' '10LOT7<GS>17271231'. Exit 1 when the scan is unreadable."),
    )
    parser.add_argument("raw", metavar="RAW", help=translate("cli help", "the scanned text"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    raw = GS_SPELLINGS.sub(GS, args.raw)
    print(translate("cli", "raw: {raw}").format(raw=printable(raw)))
    try:
        scanned = interpret(raw)
    except ScanError as error:
        print(translate("cli", "bad scan: {reason}").format(reason=error_text(error)))
        return 1
    for line in scan_lines(scanned):
        print(line)
    if scanned.kind == "command":
        return 0
    found = _look_up(args.target, scanned)
    # A bare code with a wrong check digit is fine only if the database knows it as it is.
    return 1 if scanned.problem is not None and not found else 0


# What ScannedCode.kind and its fields are called, in the order scan-info shows them.
KINDS = {"gs1": QT_TRANSLATE_NOOP("cli codes", "gs1"), "gtin": QT_TRANSLATE_NOOP("cli codes", "gtin"),
         "command": QT_TRANSLATE_NOOP("cli codes", "command"), "text": QT_TRANSLATE_NOOP("cli codes", "text")}
FIELDS = (
    ("command", QT_TRANSLATE_NOOP("cli", "command: {value}")),
    ("gtin", QT_TRANSLATE_NOOP("cli", "GTIN: {value}")),
    ("sscc", QT_TRANSLATE_NOOP("cli", "SSCC: {value}")),
    ("lot", QT_TRANSLATE_NOOP("cli", "lot: {value}")),
    ("expiry", QT_TRANSLATE_NOOP("cli", "expiry: {value}")),
    ("best_before", QT_TRANSLATE_NOOP("cli", "best before: {value}")),
    ("serial", QT_TRANSLATE_NOOP("cli", "serial: {value}")),
    ("count", QT_TRANSLATE_NOOP("cli", "count: {value}")),
    ("net_weight_kg", QT_TRANSLATE_NOOP("cli", "net weight (kg): {value}")),
)


def scan_lines(scanned: ScannedCode) -> list[str]:
    """The scan's fields in the current language (the same lines as ScannedCode.describe())."""
    kind = translate("cli codes", KINDS[scanned.kind]) if scanned.kind in KINDS else scanned.kind
    lines = [translate("cli", "kind: {kind}").format(kind=kind)]
    if scanned.symbology:
        lines.append(translate("cli", "symbology identifier: {value}").format(value=scanned.symbology))
    for name, template in FIELDS:
        value = getattr(scanned, name)
        if value is not None:
            lines.append(translate("cli", template).format(value=escaped(str(value))))
    if scanned.kind == "text":
        lines.append(translate("cli", "code: {value}").format(value=excerpt(scanned.code, 80)))
    if scanned.problem is not None:
        lines.append(translate("cli", "problem: {problem}").format(problem=error_text(scanned.problem)))
    return lines


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
        text = translate("cli", "product {sku} ({name})").format(sku=product.sku, name=product.name)
        if found.units > 1:
            text += translate("cli", ", {units} units per scan").format(units=found.units)
        if product.tracking in TRACKED:
            text += translate("cli", TRACKED[product.tracking])
        return text
    if found.location is not None:
        location = found.location
        template = (translate("cli", "location {code} ({kind}, blocked), check digits {digits}") if location.blocked
                    else translate("cli", "location {code} ({kind}), check digits {digits}"))
        return template.format(code=location.code, kind=_word(location.kind),
                               digits=location_check_digits(location.code))
    if found.license_plate is not None:
        return translate("cli", "license plate {code}").format(code=found.license_plate.code)
    if found.purchase_order is not None:
        order = found.purchase_order
        return translate("cli", "{kind} {number} from {supplier} ({status})").format(
            kind=order.kind.upper(), number=order.number, supplier=order.supplier or "?",
            status=_word(order.status.replace("_", " ")))
    if found.user is not None:
        return translate("cli", "badge of {name} ({role})").format(name=found.user.display_name,
                                                                  role=_word(found.user.role))
    return found.kind


TRACKED = {"lot": QT_TRANSLATE_NOOP("cli", ", lot tracked"), "serial": QT_TRANSLATE_NOOP("cli", ", serial tracked")}
# Stored codes shown in the database line: location kinds, purchase order states, roles.
CODES = (
    QT_TRANSLATE_NOOP("cli codes", "receiving"), QT_TRANSLATE_NOOP("cli codes", "storage"),
    QT_TRANSLATE_NOOP("cli codes", "pick_face"), QT_TRANSLATE_NOOP("cli codes", "packing"),
    QT_TRANSLATE_NOOP("cli codes", "shipping"), QT_TRANSLATE_NOOP("cli codes", "quarantine"),
    QT_TRANSLATE_NOOP("cli codes", "returns"), QT_TRANSLATE_NOOP("cli codes", "cart"),
    QT_TRANSLATE_NOOP("cli codes", "supplier"), QT_TRANSLATE_NOOP("cli codes", "customer"),
    QT_TRANSLATE_NOOP("cli codes", "inventory_loss"),
    QT_TRANSLATE_NOOP("cli codes", "open"), QT_TRANSLATE_NOOP("cli codes", "partially received"),
    QT_TRANSLATE_NOOP("cli codes", "received"), QT_TRANSLATE_NOOP("cli codes", "closed"),
    QT_TRANSLATE_NOOP("cli codes", "operator"), QT_TRANSLATE_NOOP("cli codes", "supervisor"),
    QT_TRANSLATE_NOOP("cli codes", "admin"),
)


def _word(code: str) -> str:
    """A stored code in the current language (an unknown one as it is stored)."""
    return translate("cli codes", code)
