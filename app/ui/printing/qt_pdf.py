"""PDF pages as images (QtPdf's QPdfDocument), for the preview and for system printers.

A system printer gets each page drawn at the printer's resolution through QPrinter; the page
size is the job's label or paper size, so a label printer is not sent an A4 page. QPainter on
QPrinter and QImage is allowed outside the GUI thread, so this runs in the print worker.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSize, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument

from app.printing.sizes import Size, page_points
from app.printing.transports import PrinterUnavailable


class PdfPages:
    """A loaded PDF: ``len()`` pages, ``image(index, dpi)`` renders one."""

    def __init__(self, pdf: bytes) -> None:
        self._data = QByteArray(pdf)
        self._buffer = QBuffer(self._data)  # QPdfDocument reads it lazily: keep it alive
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise ValueError(f"not a readable PDF ({self.document.error().name})")

    def __len__(self) -> int:
        return self.document.pageCount()

    def points(self, index: int) -> QSizeF:
        return self.document.pagePointSize(index)

    def image(self, index: int, dpi: float) -> QImage:
        size = self.points(index)
        pixels = QSize(max(1, round(size.width() * dpi / 72)), max(1, round(size.height() * dpi / 72)))
        return self.document.render(index, pixels)

    def close(self) -> None:
        self.document.close()
        self._buffer.close()


def print_pdf(pdf: bytes, printer_name: str, size: Size) -> None:
    """Print every page of ``pdf`` on the system printer ``printer_name`` at ``size``.
    PrinterUnavailable(kind "system") when the printer is unknown or refuses the job."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(printer_name)
    if not printer.isValid() or printer.printerName() != printer_name:
        raise PrinterUnavailable(printer_name, f"there is no system printer called {printer_name!r}",
                                 "system")
    width, height = page_points(size)
    printer.setPageLayout(QPageLayout(QPageSize(QSizeF(width, height), QPageSize.Unit.Point),
                                      QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)
    printer.setDocName("Stockfloor")
    pages = PdfPages(pdf)
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise PrinterUnavailable(printer_name, "the printer refused the job", "system")
        dpi = min(printer.resolution(), 600)
        for index in range(len(pages)):
            if index:
                printer.newPage()
            painter.drawImage(printer.pageRect(QPrinter.Unit.DevicePixel), pages.image(index, dpi))
    finally:
        if painter.isActive():
            painter.end()
        pages.close()
