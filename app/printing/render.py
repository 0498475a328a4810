"""A list of labels (plain data) as PDF or ZPL bytes: the one place the print service and the
command line's label files render them (no database, no ORM)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.printing.sizes import is_thermal, size_named


def render_label_list(labels: Sequence[Any], size: str, *, fmt: str, dpi: int = 203, darkness: int | None = None,
                      offsets: tuple[int, int] = (0, 0), copies: int = 1, title: str = "") -> bytes:
    """``copies`` of each label, next to each other (peel, stick, peel, stick); a PDF for a
    thermal size is drawn on ``dpi`` printer dots, a sheet's is not."""
    label_size = size_named(size)
    if fmt == "zpl":
        from app.printing.zpl import render_labels_zpl

        return render_labels_zpl(labels, label_size, dpi=dpi, darkness=darkness, offset_dots=offsets, copies=copies)
    from app.printing.labels import render_labels_pdf

    return render_labels_pdf([label for label in labels for _ in range(copies)], label_size,
                             dpi=dpi if is_thermal(size) else None, title=title)
