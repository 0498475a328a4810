"""What a scanned string means, before the database is asked.

Handles symbology identifiers (]C1 GS1-128, ]d2 GS1 DataMatrix, ]Q3 GS1 QR, ]E0 EAN),
GS1 element strings with GS separators or in bracketed human-readable form (via biip),
GTIN-8/12/13/14 with check digits, Stockfloor command barcodes, and plain text codes.

Check-digit problems of bare digit codes are kept on the result instead of raised at once: a
warehouse may use numeric internal codes that only look like GTINs, so the resolver first
looks the exact code up and raises ``problem`` only when nothing matches. Inside a GS1
message a bad check digit is raised at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import biip
from biip.gs1_messages import GS1Message

from app.core.checkdigits import gs1_check_digit
from app.core.errors import BadCheckDigit, BadGs1, EmptyScan, ScanError, UnreadableScan

GS = "\x1d"
COMMAND_PREFIX = "SF:"
# Command barcodes every workflow understands; workflows may add their own (e.g. grades).
COMMANDS = ("CONFIRM", "CANCEL", "UNDO", "PRINT", "EMPTY", "DAMAGED", "CLOSE", "LOGOUT")
GS1_SYMBOLOGIES = ("]C1", "]d2", "]Q3", "]e0", "]J1")
GTIN_LENGTHS = (8, 12, 13, 14)
# Characters a keyboard-wedge scanner appends or a bad decode leaves behind.
TRAILING_NOISE = "\r\n\t"


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
        for label, value in (
            ("command", self.command),
            ("GTIN", self.gtin),
            ("SSCC", self.sscc),
            ("lot", self.lot),
            ("expiry", self.expiry),
            ("best before", self.best_before),
            ("serial", self.serial),
            ("count", self.count),
            ("net weight (kg)", self.net_weight_kg),
        ):
            if value is not None:
                lines.append(f"{label}: {value}")
        if self.kind == "text":
            lines.append(f"code: {self.code}")
        if self.problem is not None:
            lines.append(f"problem: {self.problem}")
        return lines

    def summary(self) -> str:
        return "; ".join(self.describe())


def gtin_variants(gtin14: str) -> list[str]:
    """A GTIN-14 and the shorter forms it may be stored as (GTIN-13, UPC-A, GTIN-8)."""
    variants = [gtin14]
    for length in (13, 12, 8):
        if gtin14[: 14 - length].strip("0") == "":
            variants.append(gtin14[14 - length :])
    return variants


def interpret(raw: str) -> ScannedCode:
    """Turn a raw scan into a ScannedCode. Raises ScanError subclasses for unusable input."""
    text = raw.strip(TRAILING_NOISE + " ")
    if not text:
        raise EmptyScan()
    symbology = None
    if len(text) >= 3 and text[0] == "]" and text[1].isalpha() and text[2].isalnum():
        symbology, text = text[:3], text[3:]
    text = text.strip(GS)  # a leading FNC1 or trailing separator carries nothing
    if not text:
        raise EmptyScan()
    if any((ord(ch) < 32 and ch != GS) or ord(ch) == 127 for ch in text):
        raise UnreadableScan(raw=printable(raw))
    if text.upper().startswith(COMMAND_PREFIX):
        return ScannedCode(raw, text, "command", symbology, command=text[len(COMMAND_PREFIX):].upper())
    if symbology in GS1_SYMBOLOGIES or GS in text or _looks_like_hri(text):
        return _interpret_gs1(raw, text, symbology)
    if text.isdigit() and len(text) in GTIN_LENGTHS:
        return _interpret_gtin(raw, text, symbology)
    if text.isdigit() and len(text) > 14 and text[:2] in ("00", "01", "02"):
        # Unbracketed GS1 without a symbology identifier (scanner not set to transmit it).
        try:
            return _interpret_gs1(raw, text, symbology)
        except BadGs1:
            pass
    return ScannedCode(raw, text, "text", symbology)


def _looks_like_hri(text: str) -> bool:
    return text.startswith("(") and ")" in text[1:6] and text[1:3].isdigit()


def _interpret_gtin(raw: str, digits: str, symbology: str | None) -> ScannedCode:
    expected = gs1_check_digit(digits[:-1])
    problem = None
    if expected != int(digits[-1]):
        problem = BadCheckDigit(kind="GTIN", got=digits[-1], expected=expected, code=digits)
    return ScannedCode(raw, digits, "gtin", symbology, gtin=digits.zfill(14), problem=problem)


def _interpret_gs1(raw: str, text: str, symbology: str | None) -> ScannedCode:
    try:
        if _looks_like_hri(text):
            message = GS1Message.parse_hri(text)
        else:
            message = GS1Message.parse(text)
    except biip.ParseError as exc:
        raise BadGs1(raw=printable(raw), reason=str(exc)) from exc
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
                    expected=gs1_check_digit(digits[:-1]) if digits.isdigit() else "?",
                    code=digits,
                )
            values.setdefault("gtin", element.value.zfill(14))
        elif ai == "00":
            if element.sscc_error:
                digits = element.value
                problem = BadCheckDigit(
                    kind="SSCC",
                    got=digits[-1],
                    expected=gs1_check_digit(digits[:-1]) if digits.isdigit() else "?",
                    code=digits,
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
            values["count"] = int(element.value) if element.value.isdigit() else None
        elif ai.startswith("310") and element.decimal is not None:
            values["net_weight_kg"] = float(element.decimal)
    if problem is not None:
        raise problem  # inside a GS1 message a bad check digit is never an internal code
    code = str(values.get("sscc") or values.get("gtin") or message.value)
    return ScannedCode(raw, code, "gs1", symbology, **values)  # type: ignore[arg-type]


def printable(raw: str) -> str:
    """The raw scan with control characters shown as <GS>, <CR>, <0x07>..."""
    names = {GS: "<GS>", "\r": "<CR>", "\n": "<LF>", "\t": "<TAB>"}
    return "".join(names.get(ch, f"<0x{ord(ch):02x}>") if ord(ch) < 32 else ch for ch in raw)


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
