"""What a scanned string means, before the database is asked.

Handles symbology identifiers (]C1 GS1-128, ]d2 GS1 DataMatrix, ]Q3 GS1 QR, ]E0 EAN),
GS1 element strings with GS separators or in bracketed human-readable form (via biip),
GTIN-8/12/13/14 with check digits, Stockfloor command barcodes, and plain text codes.

Any string is answered with a ScannedCode or a ScanError in words: digits are ASCII digits
only ("²", "①", full-width digits are refused), control, format and surrogate characters are
refused, and messages quote at most a short escaped excerpt of the scan. GS1 element strings
without a symbology identifier and without separators (01 + GTIN + a variable-length last
field) are read too; when such a string does not parse it stays a text code with the GS1
problem kept, since it may be an internal code.

Check-digit problems of bare digit codes are kept on the result instead of raised at once: a
warehouse may use numeric internal codes that only look like GTINs, so the resolver first
looks the exact code up and raises ``problem`` only when nothing matches. Inside a GS1
message a bad check digit is raised at once.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field

from app.core.checkdigits import gs1_check_digit
from app.core.errors import (
    BadCheckDigit,
    BadGs1,
    EmptyScan,
    InvalidInput,
    NotAsciiDigit,
    ScanError,
    ScanTooLong,
    UnreadableScan,
)
from app.core.gs1_words import GS, escaped, excerpt, explain, is_hidden
from app.core.values import made_in_one_step

COMMAND_PREFIX = "SF:"
# Command barcodes every workflow understands; workflows may add their own (e.g. grades).
COMMANDS = ("CONFIRM", "CANCEL", "UNDO", "PRINT", "EMPTY", "DAMAGED", "CLOSE", "LOGOUT")
GS1_SYMBOLOGIES = ("]C1", "]d2", "]Q3", "]e0", "]J1")
GTIN_LENGTHS = (8, 12, 13, 14)
# Characters a keyboard-wedge scanner appends or a bad decode leaves behind.
TRAILING_NOISE = "\r\n\t\ufeff"
# Longer than any barcode a workflow uses (GS1-128 holds 48 characters, a Digital Link URL a
# few hundred): a longer "scan" is several scans run together or a pasted document.
MAX_SCAN_LENGTH = 512
# Fixed-length GS1 starts that identify an unmarked element string: AI and digits after it.
UNMARKED_GS1 = {"00": 18, "01": 14, "02": 14}


@made_in_one_step  # made on every scan
@dataclass(frozen=True)
class ScannedCode:
    raw: str
    code: str
    kind: str  # gs1 | gtin | command | text
    symbology: str | None = None
    gtin: str | None = None  # always 14 digits when set
    lot: str | None = None
    expiry: dt.date | None = None
    best_before: dt.date | None = None
    serial: str | None = None
    sscc: str | None = None
    count: int | None = None
    net_weight_kg: float | None = None
    command: str | None = None
    problem: ScanError | None = field(default=None, compare=False)

    def lookup_codes(self) -> list[str]:
        """Codes to look up in the barcode tables, most specific first."""
        codes = [self.code]
        if self.sscc:
            codes.append(self.sscc)
        if self.gtin:
            codes.extend(gtin_variants(self.gtin))
        return list(dict.fromkeys(codes))

    def describe(self) -> list[str]:
        """English lines explaining the scan (for `stockfloor scan-info` and the journal)."""
        lines = [f"kind: {self.kind}"]
        if self.symbology:
            lines.append(f"symbology identifier: {self.symbology}")
        values = (self.command, self.gtin, self.sscc, self.lot, self.expiry, self.best_before, self.serial,
                  self.count, self.net_weight_kg)
        for label, value in zip(_DESCRIBED, values):
            if value is not None:
                lines.append(f"{label}: {escaped(str(value))}")
        if self.kind == "text":
            lines.append(f"code: {excerpt(self.code, 80)}")
        if self.problem is not None:
            lines.append(f"problem: {self.problem}")
        return lines

    def summary(self) -> str:
        return "; ".join(self.describe())


# describe()'s labels, in the order of its values
_DESCRIBED = ("command", "GTIN", "SSCC", "lot", "expiry", "best before", "serial", "count", "net weight (kg)")


def gtin_variants(gtin14: str) -> list[str]:
    """A GTIN-14 and the shorter forms it may be stored as (GTIN-13, UPC-A, GTIN-8)."""
    significant = len(gtin14.lstrip("0"))  # a shorter form holds when the digits it drops are zeros
    variants = [gtin14]
    for length in (13, 12, 8):
        if significant <= length:
            variants.append(gtin14[14 - length:])
    return variants


def is_digits(text: str) -> bool:
    """Only ASCII digits ("²", "①" and full-width digits are not barcode digits)."""
    return text.isascii() and text.isdigit()


def interpret(raw: str) -> ScannedCode:
    """Turn a raw scan into a ScannedCode. Raises ScanError subclasses for unusable input."""
    if raw.isdigit() and raw.isascii() and len(raw) in GTIN_LENGTHS:  # the usual item scan: a bare GTIN
        return _interpret_gtin(raw, raw, None)
    text = raw.strip(TRAILING_NOISE + " ")
    if len(text) > MAX_SCAN_LENGTH:
        raise ScanTooLong(length=len(text), limit=MAX_SCAN_LENGTH)
    symbology = None
    if len(text) >= 3 and text[0] == "]" and text[1] in string.ascii_letters and text[2] in ALNUM:
        symbology, text = text[:3], text[3:]
    text = text.strip(GS)  # a leading FNC1 or trailing separator carries nothing
    if not text:
        raise EmptyScan()
    if not (text.isascii() and text.isprintable()) and any(ch != GS and is_hidden(ch) for ch in text):
        raise UnreadableScan(raw=excerpt(raw))
    foreign = None if text.isascii() else next((ch for ch in text if ch.isdigit() and not ch.isascii()), None)
    if foreign is not None:
        raise NotAsciiDigit(raw=excerpt(raw), char=f"{foreign} (U+{ord(foreign):04X})")
    if text.upper().startswith(COMMAND_PREFIX):
        return ScannedCode(raw, text, "command", symbology, command=text[len(COMMAND_PREFIX):].upper())
    if symbology in GS1_SYMBOLOGIES or GS in text or _looks_like_hri(text):
        return _interpret_gs1(raw, text, symbology)
    if is_digits(text) and len(text) in GTIN_LENGTHS:
        return _interpret_gtin(raw, text, symbology)
    if _looks_like_unmarked_gs1(text):
        # GS1 without symbology identifier and separators (scanner not set to transmit them).
        try:
            return _interpret_gs1(raw, text, symbology)
        except BadGs1 as error:  # maybe an internal code after all: the resolver decides
            return ScannedCode(raw, text, "text", symbology, problem=error)
    return ScannedCode(raw, text, "text", symbology)


ALNUM = frozenset(string.ascii_letters + string.digits)


def _looks_like_hri(text: str) -> bool:
    return text.startswith("(") and ")" in text[1:6] and is_digits(text[1:3])


def _looks_like_unmarked_gs1(text: str) -> bool:
    digits = UNMARKED_GS1.get(text[:2])
    return digits is not None and len(text) >= 2 + digits and is_digits(text[: 2 + digits])


def _interpret_gtin(raw: str, digits: str, symbology: str | None) -> ScannedCode:
    expected = gs1_check_digit(digits[:-1])
    problem = None
    if str(expected) != digits[-1]:
        problem = BadCheckDigit(kind="GTIN", got=digits[-1], expected=expected, code=digits)
    return ScannedCode(raw, digits, "gtin", symbology, gtin=digits.zfill(14), problem=problem)


def _interpret_gs1(raw: str, text: str, symbology: str | None) -> ScannedCode:
    # biip loads its GS1 tables on import (~0.25 s): only when a GS1 code is read, so the
    # command line's label printing and other scan-free work do not wait for it.
    import biip
    from biip.gs1_messages import GS1Message

    try:
        if _looks_like_hri(text):
            message = GS1Message.parse_hri(text)
        else:
            message = GS1Message.parse(text)
    except biip.ParseError as exc:
        raise explain(str(exc), raw) from exc
    values: dict[str, object] = {}
    problem: ScanError | None = None
    for element in message.element_strings:
        ai = element.ai.ai
        if ai in ("01", "02"):
            if element.gtin_error:
                digits = element.value
                problem = BadCheckDigit(
                    kind="GTIN",
                    got=digits[-1],
                    expected=gs1_check_digit(digits[:-1]) if is_digits(digits) else "?",
                    code=excerpt(digits),
                )
            values.setdefault("gtin", element.value.zfill(14))
        elif ai == "00":
            if element.sscc_error:
                digits = element.value
                problem = BadCheckDigit(
                    kind="SSCC",
                    got=digits[-1],
                    expected=gs1_check_digit(digits[:-1]) if is_digits(digits) else "?",
                    code=excerpt(digits),
                )
            values["sscc"] = element.value
        elif ai == "10":
            values["lot"] = element.value
        elif ai == "17":
            values["expiry"] = element.date
        elif ai == "15":
            values["best_before"] = element.date
        elif ai == "21":
            values["serial"] = element.value
        elif ai in ("30", "37"):
            values["count"] = int(element.value) if is_digits(element.value) else None
        elif ai.startswith("310") and element.decimal is not None:
            values["net_weight_kg"] = float(element.decimal)
    if problem is not None:
        raise problem  # inside a GS1 message a bad check digit is never an internal code
    code = str(values.get("sscc") or values.get("gtin") or message.value)
    return ScannedCode(raw, code, "gs1", symbology, **values)  # type: ignore[arg-type]


def printable(raw: str) -> str:
    """The raw scan with hidden characters shown as <GS>, <CR>, <0x07>, <U+200B>..."""
    return escaped(raw)


def try_interpret(raw: str) -> ScannedCode | None:
    """What the scan says before the database is asked; None when unreadable (the use case
    it goes to then explains why)."""
    try:
        return interpret(raw)
    except ScanError:
        return None


def command_of(raw: str) -> str | None:
    """The command of an SF: barcode ("QTY:4", "UNDO"), else None."""
    code = try_interpret(raw)
    return code.command if code is not None and code.kind == "command" else None


def scanned_units(count: int | None, per_scan: int, quantity: int | None) -> int:
    """The units one item scan stands for: the GS1 count on the label, else the barcode's units
    per scan (a case counts its units), times the quantity typed before it (F2). Picking,
    packing and returns, online and from the offline copies, count the same way."""
    if quantity is not None and quantity < 1:
        raise InvalidInput(field="quantity", reason=f"must be at least 1, got {quantity}")
    return (count or per_scan) * (quantity or 1)
