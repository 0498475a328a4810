"""Where a document is saved (a file dialog tests can replace) and a PDF preview window.

The preview uses QtPdf (QPdfDocument + QPdfView from the PySide6 Addons wheel). Where that
module is missing the preview is skipped and the file is only saved.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


class SaveFileDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, suggested_name: str, file_filter: str) -> Path | None:
        """The file to write, or None when cancelled. Tests replace this method."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / suggested_name), file_filter)
        return Path(chosen) if chosen else None


def write_file(path: Path, data: bytes) -> None:
    """Write through a temporary file so a failed write never leaves half a document."""
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)


class PdfPreview(QDialog):
    """A window showing every page of a saved PDF; None from ``open`` when QtPdf is missing."""

    def __init__(self, parent: QWidget | None, path: Path) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(path.name)
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(820, 1000)

    @classmethod
    def open_for(cls, parent: QWidget | None, path: Path) -> PdfPreview | None:
        """Show the preview next to the screen (not modal); None when it cannot be shown."""
        try:
            preview = cls(parent, path)
        except ImportError as error:
            log.info("no PDF preview: %s", error)
            return None
        preview.show()
        return preview
