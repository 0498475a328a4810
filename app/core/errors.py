"""Typed errors raised by the core and the services.

The core never translates. Each error carries an English ``template`` with named
placeholders and its ``params``; the UI looks the template up in its translator
(see app/ui/error_texts.py) and formats it, the CLI prints ``str(error)``.
"""

from __future__ import annotations


class StockfloorError(Exception):
    """Base of every error the operator should see as a sentence, not a traceback."""

    template = "Something went wrong."

    def __init__(self, **params: object) -> None:
        self.params = params
        super().__init__(self.template.format(**params))


# --- scans --------------------------------------------------------------------------
class ScanError(StockfloorError):
    template = "This scan could not be read."


class EmptyScan(ScanError):
    template = "The scan was empty."


class UnreadableScan(ScanError):
    template = "'{raw}' contains characters a barcode cannot hold."


class BadCheckDigit(ScanError):
    template = "{kind} check digit is {got}, expected {expected} ('{code}')."


class BadGs1(ScanError):
    template = "'{raw}' looks like a GS1 barcode but cannot be read: {reason}"


class ScanTooLong(ScanError):
    template = "The scan is {length} characters long, a barcode here holds at most {limit}: scan one barcode at a time."


class NotAsciiDigit(ScanError):
    template = "'{raw}' contains {char}, which is not a barcode digit: scan the barcode itself or type it with the digits 0-9."


class Gs1BadDate(BadGs1):
    template = "The {field} {value} is not a date: check the label, or enter the date by hand."


class Gs1BadField(BadGs1):
    template = "The {field} in '{raw}' cannot be read ('{value}'): scan another label, or type the code."


class Gs1UnknownField(BadGs1):
    template = "'{raw}' has no known GS1 field at '{value}': scan another label, or type the code."


class UnknownBarcode(ScanError):
    template = "'{code}' is not a known product, location, license plate, document or badge."


class WrongScanKind(ScanError):
    template = "{code} is a {got}, scan {expected}."


# --- stock and documents --------------------------------------------------------------
class InsufficientStock(StockfloorError):
    template = "Only {available} of {sku} at {location}, {requested} needed."


class LocationBlocked(StockfloorError):
    template = "Location {location} is blocked."


class NotAllowed(StockfloorError):
    template = "{who} may not {action}."


class SupervisorRequired(StockfloorError):
    template = "{reason} A supervisor must approve."


class InvalidTransition(StockfloorError):
    template = "{document} is {state}: '{action}' is not possible."


class NotFound(StockfloorError):
    template = "{what} '{key}' does not exist."


class InvalidInput(StockfloorError):
    template = "{field}: {reason}"


class InvalidFloorLayout(InvalidInput, ValueError):
    """Floor geometry that cannot be walked (a ValueError too, for callers of the geometry)."""

    def __init__(self, reason: str) -> None:
        super().__init__(field="floor layout", reason=reason)


class LotRequired(StockfloorError):
    template = "{sku} is tracked by lot: scan the lot (GS1 barcode) or enter it."


class ExpiryRequired(StockfloorError):
    template = "{sku} needs an expiry date: scan the GS1 barcode or enter it."


class ShelfLifeWarning(StockfloorError):
    """A lot too close to its expiry to receive to the dock: a supervisor accepts it, else the
    units go to quarantine (receive_scan's ``short_shelf_life``)."""

    template = "{sku} lot {lot} expires {expiry}."


class LotExpired(ShelfLifeWarning):
    template = "{sku} lot {lot} expired on {expiry}."


class ShortShelfLife(ShelfLifeWarning):
    template = "{sku} lot {lot} expires {expiry}: {days} days left, at least {minimum} required."


# --- database ------------------------------------------------------------------------
class DatabaseUnavailable(StockfloorError):
    template = "The database {where} cannot be reached: {reason}"


class NotInLocalCopy(StockfloorError):
    """Offline: the scan names something the open document's local copy does not know."""

    template = "'{code}' is not on the local copy of {document}: scan it again when the database is back."


class WaitsForDatabase(StockfloorError):
    """Offline: the step needs the shared database (an approval, a document not opened)."""

    template = "{what} waits until the database is back: it cannot be done offline."


class DatabaseTooNew(StockfloorError):
    template = (
        "The database {where} was written by a newer Stockfloor (schema {revision}). "
        "Update Stockfloor on this workstation."
    )


class ClientTooOld(StockfloorError):
    template = (
        "The database {where} needs Stockfloor {required} or newer; this workstation runs {running}. "
        "Update Stockfloor on this workstation."
    )


class LoginFailed(StockfloorError):
    template = "Badge or PIN not recognised."


class PinRequired(LoginFailed):
    template = "Type the PIN of badge {badge}."


class AccountLocked(LoginFailed):
    template = "Too many wrong PINs: {name} is locked until {until}."


class AccountInactive(LoginFailed):
    template = "Badge {badge} belongs to a deactivated account."


def all_error_classes() -> list[type[StockfloorError]]:
    """Every error class, for the UI's translation table and its completeness test."""
    found: list[type[StockfloorError]] = []
    pending: list[type[StockfloorError]] = [StockfloorError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


# --- approvals: the UI offers a supervisor's badge + PIN and retries -----------------------
class NeedsApproval(StockfloorError):
    template = "A supervisor must approve this."


class UnexpectedProduct(NeedsApproval):
    template = "{sku} is not on {document}. A supervisor must approve receiving it."


class OverReceipt(NeedsApproval):
    template = (
        "{sku}: {would_be} would be received, {expected} expected "
        "(tolerance {tolerance}%). A supervisor must approve."
    )


class AlreadyReceived(StockfloorError):
    template = "Serial {serial} of {sku} is already in stock."
