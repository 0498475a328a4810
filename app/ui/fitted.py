"""Layout pieces that keep every screen inside 1366x768: a label of a fixed number of lines,
and a stack of pages as large as the page it shows.

FittedLabel: a label of a fixed number of lines: the text wraps, and what does not fit ends in "…".

The label's height never changes with its text, so nothing below it moves (the scan field
under the banner). ``text()`` is the whole text; the tooltip shows it when it was shortened,
``shortened`` tells whether it was, ``shown_text()`` is what is painted.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontMetrics, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QWidget


class FittedLabel(QLabel):
    def __init__(self, lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = lines
        self._full = ""
        self.shortened = False
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fix_height()

    # --- the text -------------------------------------------------------------------------
    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self._fit()

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def lines_needed(self, width: int | None = None) -> int:
        """How many lines the whole text takes at ``width`` (default: the label's)."""
        return len(self._layout_lines(self._full, self._width() if width is None else width))

    # --- fitting --------------------------------------------------------------------------
    def _width(self) -> int:
        return max(1, self.contentsRect().width())

    def _layout_lines(self, text: str, width: int) -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            layout = QTextLayout(paragraph, self.font())
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                lines.append(paragraph[line.textStart():line.textStart() + line.textLength()])
            layout.endLayout()
        return lines

    def _fit(self) -> None:
        width = self._width()
        lines = self._layout_lines(self._full, width)
        self.shortened = len(lines) > self.lines
        if self.shortened:
            kept = [line.rstrip() for line in lines[:self.lines - 1]]
            rest = " ".join(line.strip() for line in lines[self.lines - 1:])
            # A little room for the "…": elidedText measures without the wrap's slack.
            last = QFontMetrics(self.font()).elidedText(rest, Qt.TextElideMode.ElideRight, width - 2)
            shown = "\n".join([*kept, last])
        else:
            shown = self._full
        super().setText(shown)
        self.setToolTip(self._full if self.shortened else "")

    def clear(self) -> None:
        self.setText("")

    def _fix_height(self) -> None:
        margins = self.contentsMargins()  # the style sheet's padding and border are in them
        lines = self.lines * QFontMetrics(self.font()).lineSpacing()
        self.setFixedHeight(lines + margins.top() + margins.bottom() + 2)

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fix_height()
            self._fit()


class CurrentPageStack(QStackedWidget):
    """A stack as large as the page it shows: a QStackedWidget asks for the largest minimum of
    all its pages, so one tall screen opened once would keep the window too tall for the others."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()
