"""biip's parse errors in an operator's words, and short escaped excerpts of raw scans.

biip explains a broken GS1 message with the regular expression that did not match; a floor
worker needs "the expiry date 27-13-32 is not a date". The few shapes of biip's messages are
recognised here and turned into typed errors; anything else becomes a plain BadGs1.
"""

from __future__ import annotations

import ast
import re
import unicodedata

from app.core.errors import BadGs1, Gs1BadDate, Gs1BadField, Gs1UnknownField, ScanError

GS = "\x1d"
EXCERPT_LENGTH = 32
# What the GS1 application identifiers the floor meets are called (translated by the UI).
FIELD_NAMES = {
    "00": "SSCC",
    "01": "GTIN",
    "02": "GTIN of the contents",
    "10": "lot",
    "11": "production date",
    "12": "due date",
    "13": "packaging date",
    "15": "best before date",
    "16": "sell by date",
    "17": "expiry date",
    "21": "serial number",
    "30": "count",
    "37": "count",
}
DATE_FIELDS = ("11", "12", "13", "15", "16", "17")
GENERIC_REASON = "its fields do not follow the GS1 rules"
_NAMES = {GS: "<GS>", "\r": "<CR>", "\n": "<LF>", "\t": "<TAB>"}
# Characters never shown raw: controls (C0 and C1), format characters, surrogates,
# private use and unassigned code points.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})

_FAILED_MATCH = re.compile(r"^Failed to match (?P<value>.+) with GS1 AI \((?P<ai>\d+)\) pattern ", re.S)
_FAILED_DATE = re.compile(r"^Failed to parse GS1 AI \((?P<ai>\d+)\) date/time from (?P<value>.+)\.$", re.S)
_NO_AI = re.compile(r"^Failed to get GS1 Application Identifier from (?P<value>.+)\.$", re.S)
_UNKNOWN_AI = re.compile(r"^Unknown GS1 Application Identifier '(?P<value>\d+)'")


def is_hidden(ch: str) -> bool:
    return unicodedata.category(ch) in HIDDEN_CATEGORIES


def escaped(text: str) -> str:
    """``text`` with every hidden character shown as <GS>, <CR>, <0x07>, <U+200B>..."""
    if text.isascii() and text.isprintable():  # a plain barcode (most scans): nothing to show
        return text
    return "".join(_escape(ch) for ch in text)


def _escape(ch: str) -> str:
    if ch in _NAMES:
        return _NAMES[ch]
    if ch.isprintable():  # everything but controls, invisible characters and odd spaces
        return ch
    return f"<0x{ord(ch):02x}>" if ord(ch) < 0x100 else f"<U+{ord(ch):04X}>"


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """At most ``limit`` characters of ``text``, escaped, with '…' when cut."""
    cut = text[:limit]
    return escaped(cut) + ("…" if len(text) > limit else "")


def field_name(ai: str) -> str:
    if ai in FIELD_NAMES:
        return FIELD_NAMES[ai]
    if ai.startswith("310"):
        return "net weight"
    return f"GS1 field ({ai})"


def explain(message: str, raw: str) -> ScanError:
    """The typed error for biip's ParseError ``message`` about the scan ``raw``."""
    shown = excerpt(raw)
    for pattern in (_FAILED_MATCH, _FAILED_DATE):
        found = pattern.match(message)
        if found:
            ai = found["ai"]
            data = _unrepr(found["value"]).split(GS, 1)[0][len(ai):]
            date = data[:6]  # a date field is fixed length: what follows is the next field
            if ai in DATE_FIELDS and len(date) == 6 and date.isascii() and date.isdigit():
                return Gs1BadDate(field=field_name(ai), value=f"{date[:2]}-{date[2:4]}-{date[4:]}")
            return Gs1BadField(field=field_name(ai), raw=shown, value=excerpt(data, 20))
    found = _NO_AI.match(message) or _UNKNOWN_AI.match(message)
    if found:
        return Gs1UnknownField(raw=shown, value=excerpt(_unrepr(found["value"]), 12))
    if message.startswith("Could not find any GS1 Application Identifiers"):
        return Gs1UnknownField(raw=shown, value=excerpt(raw, 12))
    return BadGs1(raw=shown, reason=GENERIC_REASON)


def _unrepr(value: str) -> str:
    """biip quotes values with repr(); undo that (a plain string when it is not one)."""
    try:
        result = ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return value.strip("'\"")
    return result if isinstance(result, str) else value
