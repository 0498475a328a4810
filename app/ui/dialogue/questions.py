"""The questions a floor screen asks in its one scan field, and how an answer is read.

A question never takes a scan blindly: ``read()`` gets the scan after it was interpreted and
either returns the answer or raises Refused with words for the banner ("that is BEV-0033's
barcode: scan or type the lot of BEV-0005"). Commands never get here (the engine runs them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.scan import ScannedCode

MAX_QUANTITY = 9999  # more in one scan is a typo (or a barcode scanned at the quantity question)
KINDS = ("quantity", "lot", "expiry", "serial", "weight", "reason", "badge", "pin", "tote", "carton")
Lookup = Callable[[str], "tuple[str, str] | None"]  # raw -> (kind, label) the database knows


class Refused(Exception):
    """Not an answer to this question; the message says why and what to scan instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Answer:
    value: Any
    expiry: dt.date | None = None  # a GS1 label answering the lot question may carry it


@dataclass
class Question:
    """Asked in the scan field; ``then(answer)`` runs with the answer, ``cancelled()`` on
    SF:CANCEL / Esc. ``subject`` names the product asked about (its SKU), ``gtin`` lets its own
    GS1 label answer; ``choices`` are (code, caption) for a reason; ``expected`` is the one
    right tote/carton label."""

    kind: str
    prompt: str
    then: Callable[[Answer], None]
    cancelled: Callable[[], None] | None = None
    subject: str = ""
    gtin: str | None = None
    choices: tuple[tuple[str, str], ...] = ()
    expected: str | None = None
    secret: bool = False
    least: int = 1  # a quantity question's range (a short pick may find 0)
    most: int = MAX_QUANTITY

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown question kind {self.kind!r}")
        self.secret = self.secret or self.kind == "pin"


def parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD or YYYYMMDD (or YYMMDD as on GS1 labels); None when not a date."""
    text = text.strip()
    if len(text) == 6 and text.isdigit():
        text = "20" + text
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def read(question: Question, raw: str, code: ScannedCode | None, lookup: Lookup) -> Answer:
    """The answer in ``raw``, or Refused."""
    reader = _READERS[question.kind]
    return reader(question, raw.strip(), code, lookup)


def _quantity(question: Question, text: str, code: ScannedCode | None, lookup: Lookup) -> Answer:
    if text.isdigit() and question.least <= int(text) <= question.most:
        return Answer(int(text))
    raise Refused(QCoreApplication.translate(
        "Dialogue", "A quantity is a number from {least} to {most}: type or scan it, then Enter.").format(
        least=question.least, most=question.most))


def _not_a_known_code(question: Question, text: str, code: ScannedCode | None, lookup: Lookup,
                      wanted: str) -> None:
    """Refuse a product, location, document or badge barcode where a free text is wanted."""
    known = lookup(text)
    if known is None and code is not None and code.gtin:
        known = ("product", code.gtin)
    if known is None:
        return
    kind, label = known
    if kind == "product":
        what = QCoreApplication.translate("Dialogue", "that is {label}'s barcode").format(label=label)
    else:
        what = QCoreApplication.translate("Dialogue", "that is {label}, not {wanted}").format(
            label=label, wanted=wanted)
    raise Refused(QCoreApplication.translate("Dialogue", "Not recorded: {what}. {prompt}").format(
        what=what, prompt=question.prompt))


def _lot(question: Question, text: str, code: ScannedCode | None, lookup: Lookup) -> Answer:
    if code is not None and code.gtin and question.gtin and code.gtin == question.gtin and code.lot:
        return Answer(code.lot, expiry=code.expiry)
    _not_a_known_code(question, text, code, lookup, QCoreApplication.translate("Dialogue", "a lot"))
    if code is not None and code.kind == "gs1":
        raise Refused(QCoreApplication.translate("Dialogue", "Not recorded: that GS1 label has no lot. {prompt}").format(
            prompt=question.prompt))
    return Answer(text)


def _serial(question: Question, text: str, code: ScannedCode | None, lookup: Lookup) -> Answer:
    if code is not None and code.gtin and question.gtin and code.gtin == question.gtin and code.serial:
        return Answer(code.serial)
    _not_a_known_code(question, text, code, lookup, QCoreApplication.translate("Dialogue", "a serial number"))
    if code is not None and code.kind == "gs1":
        raise Refused(QCoreApplication.translate("Dialogue", "Not recorded: that GS1 label has no serial number. {prompt}").format(
            prompt=question.prompt))
    return Answer(text)


def _expiry(question: Question, text: str, code: ScannedCode | None, lookup: Lookup) -> Answer:
    if code is not None and code.expiry is not None and (not question.gtin or code.gtin == question.gtin):
        return Answer(code.expiry)
    date = parse_date(text)
    if date is None:
        raise Refused(QCoreApplication.translate(
            "Dialogue", "An expiry is a date: type it as YYYY-MM-DD or scan the GS1 label."))
    return Answer(date)


def _weight(question: Question, text: str, code: ScannedCode | None, lookup: Lookup) -> Answer:
    if code is not None and code.net_weight_kg is not None:
        return Answer(Decimal(str(code.net_weight_kg)))
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = Decimal(0)
    if value.is_finite() and 0 < value < 100000:
        return Answer(value)
    raise Refused(QCoreApplication.translate("Dialogue", "A weight is a number of kilograms, e.g. 1.25."))


def _reason(question: Question, text: str, code: ScannedCode | None, lookup: Lookup) -> Answer:
    if not question.choices:  # the operator's own words
        _not_a_known_code(question, text, code, lookup, QCoreApplication.translate("Dialogue", "a reason"))
        return Answer(text)
    for number, (choice, _caption) in enumerate(question.choices, start=1):
        if text == str(number) or text.upper() == choice.upper():
            return Answer(choice)
    _not_a_known_code(question, text, code, lookup, QCoreApplication.translate("Dialogue", "a reason"))
    raise Refused(QCoreApplication.translate("Dialogue", "Not a reason: type its number from the list. {prompt}").format(
        prompt=question.prompt))


def _badge(question: Question, text: str, code: ScannedCode | None, lookup: Lookup) -> Answer:
    known = lookup(text)
    if known is not None and known[0] == "user":
        return Answer(text)
    raise Refused(QCoreApplication.translate("Dialogue", "Not recorded: that is not a badge. {prompt}").format(
        prompt=question.prompt))


def _pin(question: Question, text: str, code: ScannedCode | None, lookup: Lookup) -> Answer:
    return Answer(text)


def _label(question: Question, text: str, code: ScannedCode | None, lookup: Lookup) -> Answer:
    if question.choices:  # one of a list (cartons): its code or its number
        for number, (choice, _caption) in enumerate(question.choices, start=1):
            if text == str(number) or text.upper() == choice.upper():
                return Answer(choice)
        raise Refused(QCoreApplication.translate("Dialogue", "Not one of the list: {got}. {prompt}").format(
            got=text, prompt=question.prompt))
    if question.expected is None or text.upper() == question.expected.upper():
        if question.expected is None:
            _not_a_known_code(question, text, code, lookup, question.kind)
        return Answer(question.expected or text)
    raise Refused(QCoreApplication.translate("Dialogue", "Wrong label {got}: scan {expected}.").format(
        got=text, expected=question.expected))


_READERS = {"quantity": _quantity, "lot": _lot, "serial": _serial, "expiry": _expiry,
            "weight": _weight, "reason": _reason, "badge": _badge, "pin": _pin,
            "tote": _label, "carton": _label}
