"""Local copies of an open floor document, taken while the database answers, and the checks a
scan passes against them while it does not.

A copy holds what the scan path reads: the document's lines, the products on it with their
barcodes and tracking, the locations the stock goes to, and the rules the check applies. The
checks raise the same typed errors as the use cases (a lot is asked, an over-receipt needs a
supervisor...), so the screen's dialogue runs unchanged; what a copy cannot know (a product
not on the document, a supervisor's PIN) is refused in words and waits for the database.
After a scan is kept in the outbox, ``take`` adds it to the copy, so the next scan is
checked against the counts the operator has seen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.core.errors import NotInLocalCopy


@dataclass(frozen=True)
class ProductCopy:
    sku: str
    name: str
    tracking: str  # none | lot | serial
    expiry_tracked: bool


def parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def product_in(code: Any, barcodes: dict[str, tuple[str, int]], products: dict[str, ProductCopy],
               document: str) -> tuple[str, int]:
    for candidate in code.lookup_codes():
        if candidate in barcodes:
            return barcodes[candidate]
    if code.code in products:
        return code.code, 1
    raise NotInLocalCopy(code=code.code, document=document)
