"""Turning typed errors into translated sentences.

Every error template of the project is listed below with QT_TRANSLATE_NOOP so that
pyside6-lupdate extracts it into context "errors"; tests/ui/test_error_texts.py fails when an
error class (in app.core or in any app.services module) has a template that lupdate does not
find. Screens with errors of their own may list them in their own package the same way.
Long templates stay on one line: lupdate must see exactly the string the error class holds.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.core.errors import StockfloorError

log = logging.getLogger(__name__)

CONTEXT = "errors"
WORDS_CONTEXT = "error words"

ERROR_TEMPLATES = (
    QT_TRANSLATE_NOOP("errors", "Something went wrong."),
    QT_TRANSLATE_NOOP("errors", "This scan could not be read."),
    QT_TRANSLATE_NOOP("errors", "The scan was empty."),
    QT_TRANSLATE_NOOP("errors", "'{raw}' contains characters a barcode cannot hold."),
    QT_TRANSLATE_NOOP("errors", "{kind} check digit is {got}, expected {expected} ('{code}')."),
    QT_TRANSLATE_NOOP("errors", "'{raw}' looks like a GS1 barcode but cannot be read: {reason}"),
    QT_TRANSLATE_NOOP("errors", "'{code}' is not a known product, location, license plate, document or badge."),
    QT_TRANSLATE_NOOP("errors", "{code} is a {got}, scan {expected}."),
    QT_TRANSLATE_NOOP("errors", "Only {available} of {sku} at {location}, {requested} needed."),
    QT_TRANSLATE_NOOP("errors", "Location {location} is blocked."),
    QT_TRANSLATE_NOOP("errors", "{who} may not {action}."),
    QT_TRANSLATE_NOOP("errors", "{reason} A supervisor must approve."),
    QT_TRANSLATE_NOOP("errors", "{document} is {state}: '{action}' is not possible."),
    QT_TRANSLATE_NOOP("errors", "{what} '{key}' does not exist."),
    QT_TRANSLATE_NOOP("errors", "{field}: {reason}"),
    QT_TRANSLATE_NOOP("errors", "{sku} is tracked by lot: scan the lot (GS1 barcode) or enter it."),
    QT_TRANSLATE_NOOP("errors", "{sku} needs an expiry date: scan the GS1 barcode or enter it."),
    QT_TRANSLATE_NOOP("errors", "{sku} lot {lot} expires {expiry}."),
    QT_TRANSLATE_NOOP("errors", "{sku} lot {lot} expired on {expiry}."),
    QT_TRANSLATE_NOOP("errors", "{sku} lot {lot} expires {expiry}: {days} days left, at least {minimum} required."),
    QT_TRANSLATE_NOOP("errors", "The database {where} cannot be reached: {reason}"),
    QT_TRANSLATE_NOOP("errors", "'{code}' is not on the local copy of {document}: scan it again when the database is back."),
    QT_TRANSLATE_NOOP("errors", "{what} waits until the database is back: it cannot be done offline."),
    QT_TRANSLATE_NOOP("errors", "The database {where} was written by a newer Stockfloor (schema {revision}). Update Stockfloor on this workstation."),
    QT_TRANSLATE_NOOP("errors", "The database {where} needs Stockfloor {required} or newer; this workstation runs {running}. Update Stockfloor on this workstation."),
    QT_TRANSLATE_NOOP("errors", "Badge or PIN not recognised."),
    QT_TRANSLATE_NOOP("errors", "Type the PIN of badge {badge}."),
    QT_TRANSLATE_NOOP("errors", "Too many wrong PINs: {name} is locked until {until}."),
    QT_TRANSLATE_NOOP("errors", "Badge {badge} belongs to a deactivated account."),
    QT_TRANSLATE_NOOP("errors", "A supervisor must approve this."),
    QT_TRANSLATE_NOOP("errors", "{sku} is not on {document}. A supervisor must approve receiving it."),
    QT_TRANSLATE_NOOP("errors", "{sku}: {would_be} would be received, {expected} expected (tolerance {tolerance}%). A supervisor must approve."),
    QT_TRANSLATE_NOOP("errors", "Serial {serial} of {sku} is already in stock."),
    # scans refused in words (app.core.scan, app.core.gs1_words)
    QT_TRANSLATE_NOOP("errors", "The scan is {length} characters long, a barcode here holds at most {limit}: scan one barcode at a time."),
    QT_TRANSLATE_NOOP("errors", "'{raw}' contains {char}, which is not a barcode digit: scan the barcode itself or type it with the digits 0-9."),
    QT_TRANSLATE_NOOP("errors", "The {field} {value} is not a date: check the label, or enter the date by hand."),
    QT_TRANSLATE_NOOP("errors", "The {field} in '{raw}' cannot be read ('{value}'): scan another label, or type the code."),
    QT_TRANSLATE_NOOP("errors", "'{raw}' has no known GS1 field at '{value}': scan another label, or type the code."),
    # --- errors of the workflow modules -----------------------------------------------
    # app.core.counting_rules
    QT_TRANSLATE_NOOP("errors", "Count {count} is for {wanted} only; {sku} is not counted here."),
    QT_TRANSLATE_NOOP("errors", "Nothing to count: {what}."),
    QT_TRANSLATE_NOOP("errors", "Nothing was counted at {location}: scan what is there, or confirm it is empty."),
    QT_TRANSLATE_NOOP("errors", "Scan location {location} before counting in it."),
    QT_TRANSLATE_NOOP("errors", "Serial {serial} of {sku} was already counted here."),
    QT_TRANSLATE_NOOP("errors", "{location} is not part of count {count}."),
    QT_TRANSLATE_NOOP("errors", "{sku} at {location} moved during the count: choose 'keep counted quantity' or 'keep the difference'."),
    QT_TRANSLATE_NOOP("errors", "{units} units were already counted at {location}: it is not empty."),
    # app.core.csv_rules
    QT_TRANSLATE_NOOP("errors", "{file}: {count} problem(s), nothing was imported."),
    # app.core.picking_rules
    QT_TRANSLATE_NOOP("errors", "All {picked} {sku} of order {order} are packed: this one is extra."),
    QT_TRANSLATE_NOOP("errors", "Lot {scanned} of {sku} is not the one reserved: pick lot {expected}."),
    QT_TRANSLATE_NOOP("errors", "No packed parcels are waiting for {carrier}."),
    QT_TRANSLATE_NOOP("errors", "Only {remaining} more {sku} to pick here, {units} scanned."),
    QT_TRANSLATE_NOOP("errors", "Order {order} is missing {missing}: a supervisor must split the order to close it."),
    QT_TRANSLATE_NOOP("errors", "Parcel {parcel} of order {order} is open: close it with its weight first."),
    QT_TRANSLATE_NOOP("errors", "Scan location {location} first."),
    QT_TRANSLATE_NOOP("errors", "{scanned} is not the item to pick at {location}, pick {expected}."),
    QT_TRANSLATE_NOOP("errors", "{scanned} is not the pick location, go to {expected}."),
    QT_TRANSLATE_NOOP("errors", "{sku} is not on order {order}: put it aside."),
    # app.core.putaway_errors
    QT_TRANSLATE_NOOP("errors", "License plate {plate} moves whole: scan an item on it to move part of it."),
    QT_TRANSLATE_NOOP("errors", "No {what} waits to be put away on {sources}."),
    QT_TRANSLATE_NOOP("errors", "{location} cannot take these goods."),
    QT_TRANSLATE_NOOP("errors", "{location} holds lot {other_lot} of {sku}; lots may not be mixed there."),
    QT_TRANSLATE_NOOP("errors", "{location} holds {used} units, room for {limit}: {adding} more do not fit."),
    QT_TRANSLATE_NOOP("errors", "{location} is a {kind} location: put away into a storage bin or pick face."),
    QT_TRANSLATE_NOOP("errors", "{location} is full."),
    QT_TRANSLATE_NOOP("errors", "{location} would hold {would_be} l, its limit is {limit} l."),
    QT_TRANSLATE_NOOP("errors", "{location} would weigh {would_be} kg, its limit is {limit} kg."),
    QT_TRANSLATE_NOOP("errors", "{sku} may not be stored in zone {zone} ({location}); allowed zones: {allowed}."),
    QT_TRANSLATE_NOOP("errors", "{suggested} was suggested. A supervisor must approve using {location} instead."),
    QT_TRANSLATE_NOOP("errors", "{suggested} was suggested: say why {location} is used instead."),
    # app.services.demo
    QT_TRANSLATE_NOOP("errors", "The database {where} already holds data ({contents}). Use --force to erase everything in it and build the demo warehouse."),
)

# English words the services put into parameters (kinds of scan, document states, actions).
# Only these are translated; codes, SKUs and names pass through untouched.
PARAMETER_WORDS = (
    QT_TRANSLATE_NOOP("error words", "product"),
    QT_TRANSLATE_NOOP("error words", "location"),
    QT_TRANSLATE_NOOP("error words", "license plate"),
    QT_TRANSLATE_NOOP("error words", "purchase order"),
    QT_TRANSLATE_NOOP("error words", "badge"),
    QT_TRANSLATE_NOOP("error words", "command"),
    QT_TRANSLATE_NOOP("error words", "a product"),
    QT_TRANSLATE_NOOP("error words", "a location"),
    QT_TRANSLATE_NOOP("error words", "a license plate"),
    QT_TRANSLATE_NOOP("error words", "a purchase order"),
    QT_TRANSLATE_NOOP("error words", "a badge"),
    QT_TRANSLATE_NOOP("error words", "a command"),
    QT_TRANSLATE_NOOP("error words", "open"),
    QT_TRANSLATE_NOOP("error words", "partially received"),
    QT_TRANSLATE_NOOP("error words", "received"),
    QT_TRANSLATE_NOOP("error words", "closed"),
    QT_TRANSLATE_NOOP("error words", "receive"),
    QT_TRANSLATE_NOOP("error words", "complete"),
    QT_TRANSLATE_NOOP("error words", "close short"),
    QT_TRANSLATE_NOOP("error words", "approve"),
    QT_TRANSLATE_NOOP("error words", "quantity"),
    QT_TRANSLATE_NOOP("error words", "Purchase order"),
    # GS1 fields named in scan errors (app.core.gs1_words.FIELD_NAMES)
    QT_TRANSLATE_NOOP("error words", "SSCC"),
    QT_TRANSLATE_NOOP("error words", "GTIN"),
    QT_TRANSLATE_NOOP("error words", "GTIN of the contents"),
    QT_TRANSLATE_NOOP("error words", "lot"),
    QT_TRANSLATE_NOOP("error words", "production date"),
    QT_TRANSLATE_NOOP("error words", "due date"),
    QT_TRANSLATE_NOOP("error words", "packaging date"),
    QT_TRANSLATE_NOOP("error words", "best before date"),
    QT_TRANSLATE_NOOP("error words", "sell by date"),
    QT_TRANSLATE_NOOP("error words", "expiry date"),
    QT_TRANSLATE_NOOP("error words", "serial number"),
    QT_TRANSLATE_NOOP("error words", "count"),
    QT_TRANSLATE_NOOP("error words", "net weight"),
    QT_TRANSLATE_NOOP("error words", "its fields do not follow the GS1 rules"),
    # what waits for the database while a workstation works offline (app.services.outbox, app.ui.offline)
    QT_TRANSLATE_NOOP("error words", "This step"),
    QT_TRANSLATE_NOOP("error words", "This document"),
    QT_TRANSLATE_NOOP("error words", "This pick task"),
    QT_TRANSLATE_NOOP("error words", "A product not on the document"),
    QT_TRANSLATE_NOOP("error words", "Receiving more than expected"),
    QT_TRANSLATE_NOOP("error words", "Another bin than the suggested one"),
)
_WORDS = frozenset(PARAMETER_WORDS)
OR_SEPARATOR = QT_TRANSLATE_NOOP("error words", " or ")


def _translate_word(value: object) -> object:
    if not isinstance(value, str):
        return value
    if value in _WORDS:
        return QCoreApplication.translate(WORDS_CONTEXT, value)
    parts = value.split(" or ")
    if len(parts) > 1 and all(part in _WORDS for part in parts):
        separator = QCoreApplication.translate(WORDS_CONTEXT, OR_SEPARATOR)
        return separator.join(QCoreApplication.translate(WORDS_CONTEXT, part) for part in parts)
    return value


def error_message(error: StockfloorError) -> str:
    """The error as a sentence in the current language; English when there is no translation
    (QCoreApplication.translate returns the source) or the translation is malformed."""
    template = QCoreApplication.translate(CONTEXT, error.template)
    params = {name: _translate_word(value) for name, value in error.params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        log.warning("translation of %r does not fit its parameters", error.template)
        return str(error)
