"""Print preview inside the app: the PDF's pages drawn by QtPdf, one under the other.

``PrintPreviewDialog.ask(parent, pdf, title)`` returns True when the operator chose Print;
tests replace it the way they replace the approval dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.printing.qt_pdf import PdfPages

SCREEN_DPI = 96
MAX_PAGES_SHOWN = 50  # a 1000-label job previews its first pages; the count says the rest


class PrintPreviewDialog(QDialog):
    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None, *,
                 can_print: bool = True) -> None:
        super().__init__(parent)
        self.title = title
        self.pages = PdfPages(pdf)
        self.page_count = len(self.pages)
        self.summary = QLabel(objectName="previewSummary")
        self.page_labels: list[QLabel] = []
        column = QWidget(objectName="previewPages")
        column.setStyleSheet("QWidget#previewPages { background: #808080; }")
        pages_layout = QVBoxLayout(column)
        pages_layout.setSpacing(16)
        pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        widest = max((self.pages.points(i).width() for i in range(self.page_count)), default=1)
        dpi = min(SCREEN_DPI, 560 * 72 / widest)  # a whole page fits the dialog's width
        for index in range(min(self.page_count, MAX_PAGES_SHOWN)):
            label = QLabel(objectName=f"previewPage{index + 1}")
            label.setPixmap(QPixmap.fromImage(self.pages.image(index, dpi)))
            label.setStyleSheet("background: white; border: 1px solid #404040;")
            pages_layout.addWidget(label)
            self.page_labels.append(label)
        self.pages.close()
        self.scroll = QScrollArea()
        self.scroll.setWidget(column)
        self.scroll.setWidgetResizable(True)
        self.buttons = QDialogButtonBox()
        self.print_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setVisible(can_print)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(680, 760)
        self.print_button.setDefault(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Print preview: {title}").format(title=self.title))
        shown = len(self.page_labels)
        if shown < self.page_count:
            text = self.tr("{title}: {count} pages, the first {shown} shown").format(
                title=self.title, count=self.page_count, shown=shown)
        else:
            text = self.tr("{title}: %n page(s)", None, self.page_count).format(title=self.title)
        self.summary.setText(text)
        self.print_button.setText(self.tr("&Print"))

    @classmethod
    def ask(cls, parent: QWidget | None, pdf: bytes, title: str) -> bool:
        dialog = cls(pdf, title, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted

    @classmethod
    def show_only(cls, parent: QWidget | None, pdf: bytes, title: str) -> None:
        """Look without printing (a job printed before)."""
        cls(pdf, title, parent, can_print=False).exec()
