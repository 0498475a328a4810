"""CSV writers for exports that a spreadsheet opens: no cell is ever run as a formula.

OWASP's rule for CSV injection: a text cell that starts with = + - @, a tab or a carriage
return is prefixed with a single quote, so Excel, LibreOffice and Google Sheets show it as
text (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`, `@SUM(...)`). Numbers stay numbers: ints and
floats pass untouched, and so does text that is a plain number ("-3", "+1.50"), which no
spreadsheet executes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet may safely open it."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def writerow(self, row: Iterable[object]) -> Any:
        return self._inner.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class _SafeDictWriter(_SafeWriter):
    def writeheader(self) -> Any:
        return self._inner.writeheader()

    def writerow(self, row: dict[str, object]) -> Any:  # type: ignore[override]
        return self._inner.writerow({key: safe_cell(value) for key, value in row.items()})


def writer(stream: Any, **options: Any) -> _SafeWriter:
    """csv.writer whose cells are neutralised by safe_cell()."""
    return _SafeWriter(csv.writer(stream, **options))


def dict_writer(stream: Any, fieldnames: list[str], **options: Any) -> _SafeDictWriter:
    """csv.DictWriter whose values are neutralised by safe_cell()."""
    return _SafeDictWriter(csv.DictWriter(stream, fieldnames=fieldnames, **options))
