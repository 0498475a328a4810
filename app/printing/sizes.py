"""Label and page sizes by the short names people type and profiles store ("4x6", "a4-3x8").

Pure data over app.printing.data, so the CLI, the services and the UI agree on one list.
"""

from __future__ import annotations

from app.printing.data import (
    LABEL_2X1,
    LABEL_4X3,
    LABEL_4X6,
    PAGE_A4,
    PAGE_LETTER,
    SHEET_A4_3X8,
    SHEET_LETTER_3X10,
    LabelSize,
    SheetLayout,
)

Size = LabelSize | SheetLayout

# Thermal rolls first, then label sheets, then whole pages (documents, command sheets).
SIZES: dict[str, Size] = {
    "2x1": LABEL_2X1,
    "4x3": LABEL_4X3,
    "4x6": LABEL_4X6,
    "a4-3x8": SHEET_A4_3X8,
    "letter-3x10": SHEET_LETTER_3X10,
    "a4": PAGE_A4,
    "letter": PAGE_LETTER,
}
THERMAL = tuple(name for name, size in SIZES.items()
                if isinstance(size, LabelSize) and size.thermal)
PAGES = ("a4", "letter")


def size_named(name: str) -> Size:
    """The size called ``name`` (case-insensitive); ValueError naming the choices."""
    size = SIZES.get(name.strip().lower())
    if size is None:
        raise ValueError(f"unknown size {name!r}; choose one of {', '.join(SIZES)}")
    return size


def is_thermal(name: str) -> bool:
    return name.strip().lower() in THERMAL


def page_points(size: Size) -> tuple[float, float]:
    """Width and height of one printed page in points."""
    if isinstance(size, SheetLayout):
        return size.page_width, size.page_height
    return size.width, size.height
