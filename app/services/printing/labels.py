"""Label data from the database: locations, products, license plates, receiving labels,
badges and the command-barcode sheet, as app.printing.data objects ready to render.

Every builder takes ``(session, selection, size)``: ``selection`` is the plain dict a print
job stores (so a retry builds the same labels), ``size`` the label size they will be printed
on (only the command sheet needs it). Unknown codes raise NotFound, an empty selection
NothingToPrint: both before any job is sent anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.checkdigits import is_valid_gs1
from app.core.errors import InvalidInput, NotFound
from app.core.scan import COMMAND_PREFIX, COMMANDS
from app.db.models import (
    LicensePlate,
    Lot,
    Move,
    OnHand,
    Product,
    ProductBarcode,
    PurchaseOrder,
    User,
)
from app.printing.data import (
    BadgeLabel,
    CommandSheet,
    LicensePlateLabel,
    LocationLabel,
    ProductLabel,
    ReceivingLabel,
)
from app.printing.sizes import Size
from app.services.location_ranges import (  # noqa: F401 - natural_key, LocationCode: known here too
    MAX_LABELS,
    LocationCode,
    locations_between,
    locations_named,
    natural_key,
)
from app.services.printing.errors import NothingToPrint, TooManyLabels

ARROWS = ("up", "down", "left", "right")
RECEIPT_REASONS = ("receipt", "receipt_damaged")

# Command barcodes with the caption printed above each. SF:QTY asks for a quantity; the
# grades are the returns workflow's. Captions are English unless the caller passes its own.
COMMAND_CAPTIONS = {
    "CONFIRM": "Confirm", "CANCEL": "Cancel", "UNDO": "Undo", "PRINT": "Print",
    "EMPTY": "Empty", "DAMAGED": "Damaged", "CLOSE": "Close", "LOGOUT": "Log out",
    "QTY": "Quantity", "GRADE-A": "Grade A", "GRADE-B": "Grade B", "GRADE-C": "Grade C",
    "GRADE-D": "Grade D", "SHORT": "Short pick", "SPLIT": "Split order",
    "SUPERVISOR": "Supervisor decides",
}
# The core's commands plus those single workflows understand (quantity, picking, returns...).
SHEET_COMMANDS = tuple(dict.fromkeys((*COMMANDS, *COMMAND_CAPTIONS)))


def _codes(selection: Mapping[str, Any], key: str = "codes") -> list[str]:
    return [str(code).strip() for code in selection.get(key) or () if str(code).strip()]


def _checked(labels: list, what: str) -> list:
    if not labels:
        raise NothingToPrint(what=what)
    if len(labels) > MAX_LABELS:
        raise TooManyLabels(count=len(labels), most=MAX_LABELS)
    return labels


# --------------------------------------------------------------------------- locations


def location_labels(session: Session, selection: Mapping[str, Any], size: Size | None = None
                    ) -> list[LocationLabel]:
    """``codes`` (in the order given) or ``range`` [first, last]: every physical location whose
    code sorts between them, numbers compared as numbers; codes starting with ``last`` count
    as inside (A-01 .. A-20 takes A-20-04-1 too). ``arrow``: up/down/left/right on each."""
    arrow = selection.get("arrow") or None
    if arrow is not None and arrow not in ARROWS:
        raise InvalidInput(field="arrow", reason=f"{arrow!r} is not one of {', '.join(ARROWS)}")
    codes, bounds = _codes(selection), _codes(selection, "range")
    if codes and bounds:
        raise InvalidInput(field="locations", reason="give codes or a range, not both")
    session.flush()  # the reads below are Core statements, which do not autoflush
    if bounds:
        if len(bounds) != 2:
            raise InvalidInput(field="range", reason="give the first and the last location code")
        locations = locations_between(session, *bounds)
        what = f"no locations from {bounds[0]} to {bounds[1]}"
    elif codes:
        found = locations_named(session, codes)
        missing = [code for code in codes if code not in found]
        if missing:
            raise NotFound(what="Location", key=", ".join(missing))
        locations = [found[code] for code in codes]
        what = "no location codes"
    else:
        raise InvalidInput(field="locations", reason="give location codes or a range")
    return _checked([LocationLabel(loc.code, loc.barcode, arrow) for loc in locations], what)


# --------------------------------------------------------------------------- products


def product_gtin(product: Product) -> str | None:
    """The product's own GTIN (not a case code), if it has a valid one."""
    for barcode in product.barcodes:
        code = barcode.code
        if barcode.kind == "gtin" and code.isdigit() and len(code) in (8, 12, 13, 14) and is_valid_gs1(code):
            return code
    return None


def product_labels(session: Session, selection: Mapping[str, Any], size: Size | None = None
                   ) -> list[ProductLabel]:
    """``codes``: SKUs (or any of their barcodes). EAN-13 when the product has a GTIN-12/13,
    else Code 128 of the SKU; both scan back to the product."""
    codes = _codes(selection)
    if not codes:
        raise InvalidInput(field="products", reason="give one or more SKUs")
    labels = []
    for code in codes:
        product = _product(session, code)
        gtin = product_gtin(product)
        ean = gtin is not None and (len(gtin) in (12, 13) or (len(gtin) == 14 and gtin[0] == "0"))
        labels.append(ProductLabel(product.sku, product.name, gtin if ean else None,
                                   "ean13" if ean else "code128"))
    return _checked(labels, "no products")


def _product(session: Session, code: str) -> Product:
    product = session.scalar(select(Product).where(Product.sku == code))
    if product is None:
        product = session.scalar(select(Product).join(ProductBarcode).where(ProductBarcode.code == code))
    if product is None:
        raise NotFound(what="Product", key=code)
    return product


# --------------------------------------------------------------------------- license plates


def license_plate_labels(session: Session, selection: Mapping[str, Any], size: Size | None = None
                         ) -> list[LicensePlateLabel | LocationLabel]:
    """GS1 logistic labels for SSCC plates (contents filled in when the plate holds one
    product); a plain LPN gets its code large with a Code 128, like a location label."""
    codes = _codes(selection)
    if not codes:
        raise InvalidInput(field="license plates", reason="give one or more license plate codes")
    labels: list[LicensePlateLabel | LocationLabel] = []
    sender: tuple[str, ...] | None = None
    for code in codes:
        plate = session.scalar(select(LicensePlate).where(LicensePlate.code == code))
        if plate is None:
            raise NotFound(what="License plate", key=code)
        if not (plate.is_sscc and len(plate.code) == 18 and is_valid_gs1(plate.code)):
            labels.append(LocationLabel(plate.code, plate.code))
            continue
        if sender is None:
            from app.services.packing.shipping import ship_from  # the warehouse's sender address

            sender = ship_from(session)
        labels.append(_sscc_label(session, plate, sender))
    return _checked(labels, "no license plates")


def _sscc_label(session: Session, plate: LicensePlate, sender: tuple[str, ...]) -> LicensePlateLabel:
    rows = session.execute(
        select(OnHand.quantity, Product, Lot)
        .join(Product, Product.id == OnHand.product_id)
        .outerjoin(Lot, Lot.id == OnHand.lot_id)
        .where(OnHand.license_plate_id == plate.id, OnHand.quantity > 0)
    ).all()
    products = {product.id: product for _, product, _ in rows}
    units = sum(quantity for quantity, _, _ in rows)
    if len(products) != 1:
        contents = f"{len(products)} products, {units} units" if products else ""
        return LicensePlateLabel(plate.code, sender, contents=contents,
                                 count=units if 0 < units < 10**8 else None)
    (product,) = products.values()
    lots = {lot.id: lot for _, _, lot in rows if lot is not None}
    lot = next(iter(lots.values())) if len(lots) == 1 else None
    lot_code = lot.code if lot is not None and len(lot.code) <= 20 else None
    return LicensePlateLabel(
        plate.code, sender, gtin=product_gtin(product), contents=f"{product.sku} {product.name}",
        count=units if units < 10**8 else None, lot=lot_code,
        expiry=lot.expiry if lot is not None else None,
    )


# --------------------------------------------------------------------------- receiving


def receiving_labels(session: Session, selection: Mapping[str, Any], size: Size | None = None
                     ) -> list[ReceivingLabel | ProductLabel]:
    """GS1-128 labels for what a receipt brought in: ``order`` (PO/ASN number), ``per``
    "case" (one label per receipt scan, with its quantity in AI 30) or "unit" (one per unit,
    no quantity); ``last_of_user``: only that user's latest receipt scan. Undone scans are
    left out; a product without a GTIN gets a SKU label instead."""
    number = str(selection.get("order") or "").strip()
    per = selection.get("per") or "case"
    if per not in ("case", "unit"):
        raise InvalidInput(field="per", reason=f"{per!r} is not 'case' or 'unit'")
    order = session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == number))
    if order is None:
        raise NotFound(what="Purchase order", key=number)
    moves = receipt_moves(session, order.id)
    user_id = selection.get("last_of_user")
    if user_id is not None:
        moves = [move for move in moves if move.user_id == user_id][-1:]
    labels: list[ReceivingLabel | ProductLabel] = []
    for move in moves:
        product = session.get(Product, move.product_id)
        lot = session.get(Lot, move.lot_id) if move.lot_id else None
        repeat, qty = (move.quantity, None) if per == "unit" else (1, move.quantity)
        if len(labels) + repeat > MAX_LABELS:
            raise TooManyLabels(count=len(labels) + repeat, most=MAX_LABELS)
        labels.extend([_receiving_label(product, lot, qty)] * repeat)
    return _checked(labels, f"nothing was received on {order.number}")


def receipt_moves(session: Session, order_id: int) -> list[Move]:
    """The order's receipt moves in the order they happened, without the undone ones."""
    moves = list(session.scalars(
        select(Move).where(Move.document_type == "purchase_order", Move.document_id == order_id)
        .order_by(Move.id)))
    undone = {int(move.idempotency_key.split(":", 1)[1]) for move in moves
              if move.reason == "receipt_undo" and move.idempotency_key.startswith("undo:")}
    return [move for move in moves if move.reason in RECEIPT_REASONS and move.id not in undone]


def _receiving_label(product: Product, lot: Lot | None, qty: int | None) -> ReceivingLabel | ProductLabel:
    gtin = product_gtin(product)
    if gtin is None:
        return ProductLabel(product.sku, product.name)
    try:
        return ReceivingLabel(gtin, product.sku, product.name, qty=qty,
                              lot=lot.code if lot else None, expiry=lot.expiry if lot else None)
    except ValueError as error:  # e.g. a lot longer than GS1's 20 characters
        raise InvalidInput(field=product.sku, reason=str(error)) from error


# --------------------------------------------------------------------------- people, commands


def badge_labels(session: Session, selection: Mapping[str, Any], size: Size | None = None
                 ) -> list[BadgeLabel]:
    """``codes``: badge codes or user names; none: every active user, by name."""
    codes = _codes(selection)
    query = select(User).where(User.active.is_(True)).order_by(User.display_name)
    if codes:
        users = list(session.scalars(select(User).where(User.badge_code.in_(codes) | User.username.in_(codes))))
        known = {u.badge_code for u in users} | {u.username for u in users}
        missing = [code for code in codes if code not in known]
        if missing:
            raise NotFound(what="Badge", key=", ".join(missing))
        rank = {code: index for index, code in enumerate(codes)}
        users.sort(key=lambda u: min(rank.get(u.badge_code, len(rank)), rank.get(u.username, len(rank))))
    else:
        users = list(session.scalars(query))
    return _checked([BadgeLabel(u.display_name, u.badge_code, u.role.capitalize()) for u in users],
                    "no active users")


def command_sheets(session: Session | None, selection: Mapping[str, Any], size: Size | None = None
                   ) -> list[CommandSheet]:
    """Every command barcode with its caption, as many to a page as fit ``size``.
    ``captions`` may map commands to the caption to print (e.g. translated);
    ``title`` heads each page."""
    captions = {**COMMAND_CAPTIONS, **(selection.get("captions") or {})}
    title = str(selection.get("title") or "Stockfloor commands")
    commands = [(captions.get(name, name), f"{COMMAND_PREFIX}{name}") for name in SHEET_COMMANDS]
    per_page = _commands_per_page(title, commands, size)
    return [CommandSheet(title, commands[start:start + per_page])
            for start in range(0, len(commands), per_page)]


def _commands_per_page(title: str, commands: Sequence[tuple[str, str]], size: Size | None) -> int:
    if size is None:
        return len(commands)
    from app.printing.layout import layout

    cell = getattr(size, "label", size)  # a sheet's cell, or the label itself
    for count in range(len(commands), 0, -1):
        try:
            layout(CommandSheet(title, commands[:count]), cell.width, cell.height)
        except ValueError:
            continue
        return count
    raise InvalidInput(field="size", reason="a command barcode does not fit on this label size")


