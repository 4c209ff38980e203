"""Word-wrapped list rows tall enough for every script they hold.

Qt's own row height counts lines at the list font's height; a line with Devanagari, Bengali or
Arabic drawn from a fallback font can be a pixel or two taller, and Qt then draws one line and an
ellipsis instead of the whole row. This delegate lays the text out as it will be drawn and asks
for the height of the lines it actually made.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem


class WrappedRows(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        view = self.parent()
        if not text or not isinstance(view, QAbstractItemView):
            return hint
        style = view.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        width = view.viewport().width() - 2 * margin - 2 * getattr(view, "spacing", lambda: 0)()
        if width <= 0:
            return hint
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        layout = QTextLayout(str(text).replace("\n", "\u2028"), font)
        wrap = QTextOption()
        wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(wrap)
        layout.beginLayout()
        height = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            height += line.height()
        layout.endLayout()
        return QSize(hint.width(), max(hint.height(), math.ceil(height) + 2 * margin))
