"""Reading one CSV cell, or one column of cells at once, by its column's type (text,
integer, decimal, boolean, date, choice, GTIN, barcodes): the value, or a CellError in words
a spreadsheet user understands. app.core.csv_rules reads whole files with it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.core.checkdigits import gs1_check_digit
from app.core.gs1_words import excerpt
from app.core.scan import GTIN_LENGTHS, is_digits

if TYPE_CHECKING:
    from app.core.csv_rules import Column

TRUE_WORDS = ("yes", "y", "true", "1", "x")
FALSE_WORDS = ("no", "n", "false", "0")
CELL_TYPES = ("text", "integer", "decimal", "boolean", "date", "choice", "gtin", "barcodes")
# What the database holds: INTEGER is 32 bits on PostgreSQL; money is NUMERIC(12, 4).
INTEGER_LIMIT = 2_147_483_647
DECIMAL_LIMIT = 99_999_999
# Numbers as a spreadsheet writes them, ASCII digits only ("１２", "1_000", "nan" are not).
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?([0-9]{1,18}(\.[0-9]{0,18})?|\.[0-9]{1,18})([eE][+-]?[0-9]{1,3})?")
# _bulk_number: cells joined by spaces (the same numbers; groups that capture nothing are faster)
_INTEGERS = re.compile(f"{_INTEGER.pattern}(?: {_INTEGER.pattern})*")
_ONE_DECIMAL = _DECIMAL.pattern.replace("(", "(?:")
_DECIMALS = re.compile(f"{_ONE_DECIMAL}(?: {_ONE_DECIMAL})*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class CellError(ValueError):
    """A cell's reason for being unreadable."""


def read_column(column: Column, texts: list[str]) -> list | None:
    """Every (stripped) cell of a column read at once (C-level map and regex passes), or None
    when any cell needs a closer look (then each is read by parse_cell, which says what is
    wrong)."""
    filled = [text for text in texts if text]
    if len(filled) != len(texts) and column.required:
        return None
    values = _BULK[column.type](column, filled) if filled else []
    if values is None or len(filled) == len(texts):
        return values
    found = iter(values)
    return [next(found) if text else column.default for text in texts]


def _bulk_text(column: Column, texts: list[str]) -> list | None:
    # A control character is in one of the cells when it is in all of them joined.
    if _CONTROL.search("".join(texts)) or column.max_length and max(map(len, texts)) > column.max_length:
        return None
    return texts


def _bulk_number(column: Column, texts: list[str]) -> list | None:
    pattern, kind, limit = ((_INTEGERS, int, INTEGER_LIMIT) if column.type == "integer"
                            else (_DECIMALS, float, DECIMAL_LIMIT))
    # One match over the cells joined by spaces: a stripped cell holds no space at either
    # end, and as many spaces as separators means none inside a cell, so each cell is one
    # number exactly when the joined text is numbers separated by single spaces.
    joined = " ".join(texts)
    if joined.count(" ") != len(texts) - 1 or not pattern.fullmatch(joined):
        return None
    values = list(map(kind, texts))
    if kind is float and not all(map(math.isfinite, values)):
        return None
    low, high = min(values), max(values)
    if column.minimum is not None and low < column.minimum:
        return None
    if high > (column.maximum if column.maximum is not None else limit) or low < -limit:
        return None
    return values


def _bulk_words(column: Column, texts: list[str]) -> list | None:
    words = list(map(str.lower, texts))
    if column.type == "choice":
        return words if set(words) <= set(column.choices) else None
    if not set(words) <= _BOOLEANS.keys():
        return None
    return [_BOOLEANS[word] for word in words]


def _bulk_cells(column: Column, texts: list[str]) -> list | None:
    try:
        return [PARSERS[column.type](column, text) for text in texts]
    except CellError:
        return None


_BOOLEANS = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}


def parse_cell(column: Column, raw: str) -> object:
    text = raw.strip()
    if not text:
        if column.required:
            raise CellError("required, but empty")
        return column.default
    return PARSERS[column.type](column, text)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # Unicode categories Cc and Cs
_NOT_IN_CODE = re.compile("[\\s\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # spaces (str.isspace), Cc and Cs


def _text(column: Column, text: str) -> str:
    control = _CONTROL.search(text)
    if control is not None:  # line breaks, tabs, NULs, lone surrogates: never meant in a name or a code
        raise CellError(f"contains a control character (0x{ord(control.group()):02x})")
    if column.max_length and len(text) > column.max_length:
        raise CellError(f"longer than {column.max_length} characters")
    return text


def _integer(column: Column, text: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise CellError(f"'{excerpt(text)}' is not a whole number")
    value = int(text)
    _in_range(column, value, INTEGER_LIMIT)
    return value


def _decimal(column: Column, text: str) -> float:
    if not _DECIMAL.fullmatch(text):
        raise CellError(f"'{excerpt(text)}' is not a number (decimals take a dot)")
    value = float(text)
    if not math.isfinite(value):  # 1e999
        raise CellError(f"'{excerpt(text)}' is not a number the database can hold")
    _in_range(column, value, DECIMAL_LIMIT)
    return value


def _in_range(column: Column, value: float, limit: float) -> None:
    if column.minimum is not None and value < column.minimum:
        raise CellError(f"must be at least {column.minimum:g}, got {value:g}")
    highest = column.maximum if column.maximum is not None else limit
    if value > highest or value < -limit:
        shown = excerpt(f"{value:.0f}" if value == int(value) else f"{value:g}")
        raise CellError(f"must be between {-limit:.0f} and {highest:.0f}, got {shown}")


def _boolean(column: Column, text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"'{excerpt(text)}' is not yes or no")


def _date(column: Column, text: str) -> dt.date:
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CellError(f"'{excerpt(text)}' is not a date as YYYY-MM-DD") from None


def _choice(column: Column, text: str) -> str:
    word = text.lower()
    if word not in column.choices:
        raise CellError(f"'{excerpt(text)}' is not one of " + ", ".join(column.choices))
    return word


def _gtin(column: Column, text: str) -> str:
    problem = gtin_problem(text)
    if problem:
        raise CellError(problem)
    return text


def gtin_problem(code: str) -> str | None:
    """Why ``code`` is not a GTIN-8/12/13/14, or None."""
    if not is_digits(code) or len(code) not in GTIN_LENGTHS:
        return f"'{excerpt(code)}' is not a GTIN (8, 12, 13 or 14 digits)"
    expected = gs1_check_digit(code[:-1])
    if expected != int(code[-1]):
        return f"check digit of {code} should be {expected}, not {code[-1]}"
    return None


def _barcodes(column: Column, text: str) -> list[tuple[str, int]]:
    """``code:qty;code:qty`` (qty defaults to 1). All-digit codes of GTIN length must be GTINs."""
    found = []
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        code, _, qty_text = part.partition(":")
        code = code.strip()
        if not code or len(code) > 64 or _NOT_IN_CODE.search(code):
            raise CellError(f"'{excerpt(code)}' is not a barcode (1-64 characters, no spaces)")
        if not code.isascii() and any(ch.isdigit() and not ch.isascii() for ch in code):
            raise CellError(f"'{excerpt(code)}' is not a barcode (digits are 0-9)")
        problem = gtin_problem(code) if is_digits(code) and len(code) in GTIN_LENGTHS else None
        if problem:
            raise CellError(problem)
        qty_text = qty_text.strip()
        if qty_text and not _INTEGER.fullmatch(qty_text):
            raise CellError(f"'{excerpt(qty_text)}' after {code}: is not a whole number")
        quantity = int(qty_text) if qty_text else 1
        if quantity > INTEGER_LIMIT:
            raise CellError(f"{code}: a pack holds at most {INTEGER_LIMIT} units")
        if quantity < 1:
            raise CellError(f"{code}: a pack holds at least 1 unit")
        found.append((code, quantity))
    return found


_BULK: dict[str, Callable[[Column, list[str]], list | None]] = {
    "text": _bulk_text,
    "integer": _bulk_number,
    "decimal": _bulk_number,
    "boolean": _bulk_words,
    "choice": _bulk_words,
    "date": _bulk_cells,
    "gtin": _bulk_cells,
    "barcodes": _bulk_cells,
}
PARSERS: dict[str, Callable[[Column, str], object]] = {
    "text": _text,
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
    "date": _date,
    "choice": _choice,
    "gtin": _gtin,
    "barcodes": _barcodes,
}


def barcode_key(code: str) -> str:
    """GTINs compare as GTIN-14 (04006381333931 and 4006381333931 are one code)."""
    return code.zfill(14) if is_digits(code) and len(code) in GTIN_LENGTHS else code
