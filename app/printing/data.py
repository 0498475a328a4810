"""Plain data that the service layer fills in and the printing layer turns into bytes.

Everything here is a frozen dataclass with no behaviour beyond validation, so a label
can be built in a test or a worker thread without touching the database.  Validation
happens at construction: a wrong GTIN or SSCC fails here, with a message naming the
field, rather than as an unscannable label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from app.core.checkdigits import is_valid_gs1

POINTS_PER_INCH = 72.0
POINTS_PER_MM = 72.0 / 25.4

Arrow = Literal["up", "down", "left", "right"]
BarcodeKind = Literal["ean13", "code128"]


def _require_gs1_number(field_name: str, value: str, lengths: tuple[int, ...]) -> None:
    if not (value.isdigit() and len(value) in lengths):
        allowed = "/".join(str(n) for n in lengths)
        raise ValueError(f"{field_name} must be {allowed} digits, got {value!r}")
    if not is_valid_gs1(value):
        raise ValueError(f"{field_name} {value!r} has a wrong check digit")


def gtin14(gtin: str) -> str:
    """Any GTIN-8/12/13/14 left-padded to the 14 digits that AIs (01) and (02) carry."""
    _require_gs1_number("GTIN", gtin, (8, 12, 13, 14))
    return gtin.zfill(14)


# --------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class ProductLabel:
    """Shelf/item label. 'ean13' encodes the GTIN, 'code128' encodes the SKU."""

    sku: str
    name: str
    gtin: str | None = None
    barcode_kind: BarcodeKind = "code128"

    def __post_init__(self) -> None:
        if not self.sku:
            raise ValueError("ProductLabel needs a SKU")
        if self.barcode_kind not in ("ean13", "code128"):
            raise ValueError(f"unknown barcode kind {self.barcode_kind!r}")
        if self.gtin is not None:
            _require_gs1_number("GTIN", self.gtin, (8, 12, 13, 14))
        if self.barcode_kind == "ean13":
            # EAN-13 carries GTIN-13 (and GTIN-12 with a leading zero), nothing else.
            g = self.gtin or ""
            if not (len(g) in (12, 13) or (len(g) == 14 and g[0] == "0")):
                raise ValueError(f"EAN-13 needs a GTIN-12 or GTIN-13, got {self.gtin!r}")

    @property
    def ean13(self) -> str:
        return (self.gtin or "")[-13:].zfill(13)


@dataclass(frozen=True)
class LocationLabel:
    """Rack/bin label: large human-readable code, Code 128 of ``barcode``."""

    code: str
    barcode: str
    arrow: Arrow | None = None

    def __post_init__(self) -> None:
        if not self.code or not self.barcode:
            raise ValueError("LocationLabel needs a code and a barcode value")
        if self.arrow not in (None, "up", "down", "left", "right"):
            raise ValueError(f"arrow must be up/down/left/right or None, got {self.arrow!r}")


@dataclass(frozen=True)
class LicensePlateLabel:
    """GS1 logistic label: SSCC in its own symbol, optional contents in a second one.

    ``gtin`` is the GTIN of the contained trade items (AI 02) and needs ``count``
    (AI 37); without a GTIN, count/lot/dates are printed as text only, because GS1
    forbids those AIs without a GTIN beside them.
    """

    sscc: str
    ship_from: Sequence[str]
    ship_to: Sequence[str] = ()
    gtin: str | None = None
    contents: str = ""
    count: int | None = None
    lot: str | None = None
    best_before: date | None = None
    expiry: date | None = None
    reference: str = ""  # order/ASN number, printed only

    def __post_init__(self) -> None:
        _require_gs1_number("SSCC", self.sscc, (18,))
        if not self.ship_from:
            raise ValueError("LicensePlateLabel needs a ship-from name")
        object.__setattr__(self, "ship_from", tuple(self.ship_from))
        object.__setattr__(self, "ship_to", tuple(self.ship_to))
        if self.gtin is not None:
            gtin14(self.gtin)
            if self.count is None:
                raise ValueError("a GTIN of contents (AI 02) needs a count (AI 37)")
        if self.count is not None and not 0 < self.count < 10**8:
            raise ValueError(f"count must be 1..99999999, got {self.count}")
        if self.lot is not None and not 0 < len(self.lot) <= 20:
            raise ValueError("lot must be 1..20 characters (AI 10)")


@dataclass(frozen=True)
class ReceivingLabel:
    """Stuck on received goods: GS1-128 with (01) GTIN, (17) expiry, (10) lot, (30) qty."""

    gtin: str
    sku: str
    name: str
    qty: int | None = None
    lot: str | None = None
    expiry: date | None = None

    def __post_init__(self) -> None:
        gtin14(self.gtin)
        if self.qty is not None and not 0 <= self.qty < 10**8:
            raise ValueError(f"qty must be 0..99999999, got {self.qty}")
        if self.lot is not None and not 0 < len(self.lot) <= 20:
            raise ValueError("lot must be 1..20 characters (AI 10)")


@dataclass(frozen=True)
class BadgeLabel:
    name: str
    badge_code: str
    role: str = ""

    def __post_init__(self) -> None:
        if not self.name or not self.badge_code:
            raise ValueError("BadgeLabel needs a name and a badge code")


@dataclass(frozen=True)
class CommandSheet:
    """Laminated sheet of scan commands (CONFIRM, CANCEL, ...) for a workstation."""

    title: str
    commands: Sequence[tuple[str, str]]  # (caption, barcode value)

    def __post_init__(self) -> None:
        if not self.commands:
            raise ValueError("CommandSheet needs at least one command")
        object.__setattr__(self, "commands", tuple(tuple(c) for c in self.commands))


Label = ProductLabel | LocationLabel | LicensePlateLabel | ReceivingLabel | BadgeLabel | CommandSheet


# --------------------------------------------------------------------------- sizes


@dataclass(frozen=True)
class LabelSize:
    """One label per page: thermal rolls, or a whole sheet of paper used as one label."""

    name: str
    width: float  # points
    height: float  # points
    thermal: bool = True

    @classmethod
    def inches(cls, name: str, width: float, height: float, thermal: bool = True) -> LabelSize:
        return cls(name, width * POINTS_PER_INCH, height * POINTS_PER_INCH, thermal)

    @property
    def cups_media(self) -> str:
        """Value for ``lp -o media=...``; paper sizes use their PWG names."""
        if not self.thermal:
            return self.name
        return f"Custom.{self.width / POINTS_PER_INCH:g}x{self.height / POINTS_PER_INCH:g}in"

    def dots(self, dpi: int) -> tuple[int, int]:
        return round(self.width * dpi / 72), round(self.height * dpi / 72)


@dataclass(frozen=True)
class SheetLayout:
    """Labels in a grid on office paper (laser/inkjet label sheets)."""

    name: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    label: LabelSize
    margin_left: float
    margin_top: float
    gap_x: float = 0.0
    gap_y: float = 0.0
    cups_media: str = "A4"  # for lp -o media=...

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, index: int) -> tuple[float, float]:
        """Top-left corner (x, y from the top) of the index-th cell on its page."""
        row, col = divmod(index % self.per_page, self.columns)
        return (self.margin_left + col * (self.label.width + self.gap_x),
                self.margin_top + row * (self.label.height + self.gap_y))


_MM = POINTS_PER_MM
LABEL_2X1 = LabelSize.inches("2x1in", 2, 1)
LABEL_4X3 = LabelSize.inches("4x3in", 4, 3)
LABEL_4X6 = LabelSize.inches("4x6in", 4, 6)
PAGE_A4 = LabelSize("A4", 210 * _MM, 297 * _MM, thermal=False)
PAGE_LETTER = LabelSize.inches("Letter", 8.5, 11, thermal=False)
# 3 x 8 labels of 70 x 36 mm, no gaps (e.g. Avery 3475 and its many clones).
SHEET_A4_3X8 = SheetLayout("A4 3x8", PAGE_A4.width, PAGE_A4.height, 3, 8,
                           LabelSize("70x36mm", 70 * _MM, 36 * _MM, thermal=False),
                           margin_left=0, margin_top=4.5 * _MM)
# 3 x 10 labels of 2.625 x 1 in (Avery 5160 layout).
SHEET_LETTER_3X10 = SheetLayout("Letter 3x10", PAGE_LETTER.width, PAGE_LETTER.height, 3, 10,
                                LabelSize.inches("2.625x1in", 2.625, 1, thermal=False),
                                margin_left=0.1875 * 72, margin_top=0.5 * 72, gap_x=0.125 * 72,
                                cups_media="Letter")

THERMAL_SIZES = (LABEL_2X1, LABEL_4X3, LABEL_4X6)
SHEETS = (SHEET_A4_3X8, SHEET_LETTER_3X10)


# --------------------------------------------------------------------------- document rows


@dataclass(frozen=True)
class ReceiptLine:
    sku: str
    name: str
    qty_expected: int
    qty_received: int
    lot: str = ""
    expiry: date | None = None
    barcode: str = ""  # usually the GTIN or SKU


@dataclass(frozen=True)
class ReceivingReport:
    receipt_number: str
    supplier: str
    received_at: datetime
    operator: str
    lines: Sequence[ReceiptLine] = field(default_factory=tuple)
    language: str = "en"  # the words of the printed report (app/printing/words.py)


@dataclass(frozen=True)
class PutawayTask:
    sku: str
    name: str
    qty: int
    from_location: str
    to_location: str
    to_location_barcode: str
    lot: str = ""


@dataclass(frozen=True)
class PutawayList:
    reference: str
    created_at: datetime
    operator: str
    tasks: Sequence[PutawayTask] = field(default_factory=tuple)
    language: str = "en"  # the words of the printed list (app/printing/words.py)
