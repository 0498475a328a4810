"""`stockfloor print labels KIND ...` and `stockfloor print document NAME ...`.

    stockfloor print labels locations --range A-01-01 A-02-20 --size a4-3x8 -o rack-a.pdf
    stockfloor print labels products --sku WIDGET GADGET --size 2x1 --format zpl -o shelf.zpl
    stockfloor print labels commands -o commands.pdf
    stockfloor print labels license-plates --codes 095011010000000018 --printer Zebra-Dock
    stockfloor print document receiving-report PO-1001 -o po-1001.pdf
    stockfloor print document putaway-list --source DOCK-1 --printer WS-1/documents

-o FILE writes the file and records nothing. --printer takes a printer profile (its name, or
WORKSTATION/labels, WORKSTATION/documents) or a CUPS queue; the job is recorded, so a failed
one can be retried from the Print jobs screen (exit 1 names the reason).

Wiring (app/cli/__init__.py): ``printing.register(commands, common)`` beside the others.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.cli import settle_heap
from app.cli.common import cli_actor, log_in_asked, note, open_database, whole_number
from app.cli.words import english_or, language, translate
from app.core.errors import InvalidInput
from app.printing.sizes import SIZES

LABEL_KINDS = {  # the command's word -> (what, default size)
    "locations": ("locations", "4x3"),
    "products": ("products", "2x1"),
    "license-plates": ("license_plates", "4x6"),
    "badges": ("badges", "4x3"),
    "commands": ("commands", "a4"),
    "receiving": ("receiving_labels", "4x3"),
}
DOCUMENTS = {"receiving-report": "receiving_report", "putaway-list": "putaway_list"}
THERMAL_DPI = 203  # what the print service renders files for (app/services/printing/run.py render)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("print", parents=[common], help=translate("cli help", "print labels and documents"),
                                 description=english_or(__doc__.split("\n\nWiring")[0]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)

    labels = what.add_parser("labels", parents=[common], help=translate("cli help", "labels: {kinds}").format(kinds=", ".join(LABEL_KINDS)))
    labels.add_argument("kind", choices=tuple(LABEL_KINDS), metavar="KIND",
                        help=" | ".join(LABEL_KINDS))
    chosen = labels.add_mutually_exclusive_group()
    chosen.add_argument("--codes", nargs="+", metavar="CODE",
                        help=translate("cli help", "location codes, SKUs, license plate codes or badge codes"))
    chosen.add_argument("--range", nargs=2, metavar=("FIRST", "LAST"),
                        help=translate("cli help", "locations: every location from FIRST to LAST"))
    chosen.add_argument("--sku", nargs="+", metavar="SKU", help=translate("cli help", "products: these SKUs"))
    chosen.add_argument("--order", metavar="PO", help=translate("cli help", "receiving: the purchase order or ASN"))
    labels.add_argument("--per", choices=("case", "unit"), default="case",
                        help=translate("cli help", "receiving: a label per receipt scan (case) or per unit"))
    labels.add_argument("--arrow", choices=("up", "down", "left", "right"),
                        help=translate("cli help", "locations: an arrow pointing at the bin"))
    labels.add_argument("--size", choices=tuple(SIZES), help=translate("cli help", "label size or sheet"))
    labels.add_argument("--format", choices=("pdf", "zpl"),
                        help=translate("cli help", "with -o: PDF (default; .zpl files: ZPL) or ZPL for thermal printers"))
    labels.add_argument("--copies", type=whole_number(1, 999), default=1, metavar="N", help=translate("cli help", "each label N times"))
    _destination(labels)
    labels.set_defaults(run=run_labels)

    document = what.add_parser("document", parents=[common], help=translate("cli help", "receiving-report PO | putaway-list"))
    names = document.add_subparsers(dest="document", metavar="NAME", required=True)
    report = names.add_parser("receiving-report", parents=[common], help=translate("cli help", "what a receipt brought in"))
    report.add_argument("order", metavar="PO", help=translate("cli help", "purchase order or ASN number"))
    putaway = names.add_parser("putaway-list", parents=[common],
                               help=translate("cli help", "what waits to be put away, with the suggested bins"))
    putaway.add_argument("--source", metavar="LOCATION", help=translate("cli help", "only what waits on this location"))
    for sub in (report, putaway):
        sub.add_argument("--size", choices=("a4", "letter"), help=translate("cli help", "paper (default: A4 or the profile's)"))
        _destination(sub)
        sub.set_defaults(run=run_document)


def _destination(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", type=Path, metavar="FILE", help=translate("cli help", "write the PDF or ZPL here"))
    where.add_argument("--printer", metavar="PROFILE_OR_QUEUE",
                       help=translate("cli help", "a printer profile (name or WORKSTATION/labels) or a CUPS queue"))


def run_labels(args: argparse.Namespace) -> int:
    what, default_size = LABEL_KINDS[args.kind]
    selection: dict[str, Any] = {}
    if args.range:
        if what != "locations":
            raise InvalidInput(field="--range", reason=translate("cli", "only locations are printed by range"))
        selection["range"] = args.range
    if args.sku and what != "products":
        raise InvalidInput(field="--sku", reason=translate("cli", "only products are chosen by SKU"))
    if args.order and what != "receiving_labels":
        raise InvalidInput(field="--order", reason=translate("cli", "only receiving labels come from an order"))
    if what == "receiving_labels":
        if not args.order:
            raise InvalidInput(field="receiving", reason=translate("cli", "give --order PO"))
        selection.update(order=args.order, per=args.per)
    if args.codes or args.sku:
        selection["codes"] = args.codes or args.sku
    if args.arrow:
        if what != "locations":
            raise InvalidInput(field="--arrow", reason=translate("cli", "only location labels have arrows"))
        selection["arrow"] = args.arrow
    fmt = args.format or ("zpl" if args.output and args.output.suffix.lower() == ".zpl" else "pdf")
    return _print(args, what, selection, size=args.size, default_size=default_size, fmt=fmt,
                  copies=args.copies)


def run_document(args: argparse.Namespace) -> int:
    what = DOCUMENTS[args.document]
    selection = {"order": args.order} if what == "receiving_report" else {"source": args.source}
    if what == "putaway_list":
        selection["operator"] = cli_actor().display_name
    selection["language"] = language()
    return _print(args, what, selection, size=args.size, default_size="a4", fmt="pdf", copies=1)


def _print(args: argparse.Namespace, what: str, selection: dict[str, Any], *, size: str | None,
           default_size: str, fmt: str, copies: int) -> int:
    if what == "locations" and args.output is not None:
        written = _write_location_labels(args, selection, size or default_size, fmt, copies)
        if written is not None:
            return written
    from app.services import printing
    with open_database(args.target, must_exist=True) as database:
        tx = printing.Transactions(database)
        if args.output is not None:
            return _write(tx, args.output, what, selection, size or default_size, fmt, copies)
        profile = tx.query(_printer, args.printer, printing.PRINTABLES[what].kind,
                           size or default_size, fmt if args.format else None)
        job = tx.run(printing.queue_print, what, selection, actor=cli_actor(), size=size,
                     printer=profile, copies=copies)
        job = printing.run_job(tx, job.id)
    if job.failed:
        note(f"stockfloor: {job.reason}")
        note(translate("cli", "Print job {job} is kept as failed: retry it from the Print jobs screen.").format(job=job.id))
        return 1
    note(_amount(job).format(job=job.id, count=job.count, printer=job.printer))
    return 0


def _write(tx, path: Path, what: str, selection: dict[str, Any], size: str, fmt: str,  # noqa: ANN001
           copies: int) -> int:
    from app.printing.transports import write_file
    from app.services import printing
    from app.services.printing.jobs import build, job_settings

    kind = printing.PRINTABLES[what].kind
    output = "zpl_tcp" if fmt == "zpl" else "pdf_file"
    _fmt, size = job_settings(printing.Profile("cli", kind, output, size=size), what, size)
    data = tx.query(build, what, selection, size)
    content = printing.render(data, what=what, kind=kind, fmt=fmt, size=size, copies=copies)
    write_file(content, path)
    if isinstance(data, list):
        note(translate("cli", "{count} labels written to {file}").format(file=path, count=len(data) * copies))
    else:
        note(translate("cli", "document written to {file}").format(file=path))
    return 0


def _write_location_labels(args: argparse.Namespace, selection: dict[str, Any], size: str, fmt: str,
                           copies: int) -> int | None:
    """Location labels to a file, read with one query right after the database is open: the
    print service's locations and rendering without its job machinery, SQLAlchemy's ORM and the
    models (~0.3 s of loading and mapping for a rack of labels), and through the driver alone
    when the database is one to read as it is (app/db/direct.py: SQLAlchemy is ~0.15 s more).
    None when the selection names nothing or too much, or ZPL is asked for a sheet: _print then
    goes through the service, whose refusals those are. Tests hold the file to the service's
    render, byte for byte."""
    from app.printing.data import LocationLabel
    from app.printing.sizes import is_thermal
    from app.services.location_ranges import MAX_LABELS, locations_between, locations_named

    bounds, codes = ([str(code).strip() for code in selection.get(key) or () if str(code).strip()]
                     for key in ("range", "codes"))  # as the service reads them
    by_range, by_code = len(bounds) == 2 and not codes, bool(codes) and not bounds
    if not (by_range or by_code) or (fmt == "zpl" and not is_thermal(size)):
        return None
    with _label_source(args.target) as db:
        if by_range:
            found = locations_between(db, *bounds)
        else:
            named = locations_named(db, codes)
            if any(code not in named for code in codes):
                return None
            found = [named[code] for code in codes]
    if not found or len(found) > MAX_LABELS:
        return None
    labels = [LocationLabel(location.code, location.barcode, selection.get("arrow")) for location in found]
    from app.printing.render import render_label_list
    from app.printing.transports import write_file

    content = render_label_list(labels, size, fmt=fmt, dpi=THERMAL_DPI, copies=copies,
                                title=LABEL_KINDS["locations"][0])  # the service's title: its ``what``

    write_file(content, args.output)
    note(translate("cli", "{count} labels written to {file}").format(file=args.output, count=len(labels) * copies))
    return 0


@contextmanager
def _label_source(target: str) -> Iterator[Any]:
    """What the labels are read from: the driver's connection when the database can be read
    as it is and no user logs in (a log-in goes through the services), else a SQLAlchemy
    connection of the database opened the usual way (upgraded first if it is older)."""
    from app.db.direct import open_current

    if not log_in_asked():
        with open_current(target) as connection:
            if connection is not None:
                settle_heap()  # what the command loads from here on is the labels' drawing
                yield connection
                return
    with open_database(target, must_exist=True) as database, database.engine.connect() as connection:
        yield connection


def _printer(session, name: str, kind: str, size: str, fmt: str | None):  # noqa: ANN001, ANN202
    """The profile called ``name``, else the CUPS queue ``name`` as an ad hoc profile."""
    from app.printing.transports import PrinterUnavailable, cups_queues
    from app.services import printing
    profile = printing.find_profile(session, name)
    if profile is not None:
        if fmt is not None and fmt != profile.format:
            raise InvalidInput(field="--format", reason=translate("cli", "printer {name} prints {format}").format(
                name=name, format=profile.format.upper()))
        return profile
    try:
        queues = cups_queues()
    except PrinterUnavailable as error:
        raise InvalidInput(field="--printer", reason=translate(
            "cli", "no printer profile is named '{name}', and CUPS cannot be asked: {reason}").format(
            name=name, reason=error.reason)) from None
    if name not in queues:
        raise InvalidInput(field="--printer", reason=translate(
            "cli", "there is no printer profile or CUPS queue named '{name}'").format(name=name))
    output = "zpl_cups" if fmt == "zpl" else "pdf_cups"
    return printing.Profile(cli_actor().workstation, kind, output, name, size, name=name)


def _amount(job) -> str:  # noqa: ANN001
    if job.kind == "documents":
        return (translate("cli", "Print job {job}: {count} page sent to {printer}") if job.count == 1
                else translate("cli", "Print job {job}: {count} pages sent to {printer}"))
    return (translate("cli", "Print job {job}: {count} label sent to {printer}") if job.count == 1
            else translate("cli", "Print job {job}: {count} labels sent to {printer}"))
