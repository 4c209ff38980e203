"""Print / Save as PDF, with a preview: the document is laid out off the GUI thread in the
language chosen here (the community's, which need not be the app's), its pages are shown as
they will print, and it is saved to a PDF file or sent to a printer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, current_language, language_name, ngettext, shipped_languages
from coachdesk.services import printing
from coachdesk.ui.context import UiContext
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.page_parts import quiet, wrapped

PREVIEW_SCALE = 1.2


# Module-level so tests can answer it without a modal loop.
def choose_pdf_path(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, _("Save as PDF"), str(suggested), _("PDF files (*.pdf)"))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def page_images(data: bytes, scale: float = PREVIEW_SCALE) -> list[QImage]:
    """Each page of a PDF as an image, as the preview shows it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    images = []
    try:
        for index in range(len(document)):
            bitmap = document[index].render(scale=scale, rev_byteorder=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGBX8888 if bitmap.n_channels == 4 else QImage.Format.Format_RGB888)
            images.append(image.copy())  # the bitmap's memory goes with the document
    finally:
        document.close()
    return images


class PrintPreviewDialog(QDialog):
    """``make(language)`` returns the PDF's bytes and page count; it runs on a worker thread."""

    def __init__(self, context: UiContext, title: str, suggested_name: str,
                 make: Callable[[str], tuple[bytes, int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.make, self.suggested_name = context, make, suggested_name
        self.data: bytes = b""
        self.setWindowTitle(title)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language of the document"))
        for code in shipped_languages():
            self.language.addItem(language_name(code, code), code)
        here = self.language.findData(current_language())
        self.language.setCurrentIndex(here if here >= 0 else 0)
        self.status = quiet(wrapped())
        self.pages = QVBoxLayout()
        self.pages.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        holder = QWidget()
        holder.setLayout(self.pages)
        self.scroll = QScrollArea()
        self.scroll.setWidget(holder)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAccessibleName(_("Preview"))
        self.save_button = QPushButton(_("&Save as PDF…"))
        self.print_button = QPushButton(_("&Print…"))
        close = QPushButton(_("&Close"))
        for button in (self.save_button, self.print_button):
            button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("&Language:")))
        top.itemAt(0).widget().setBuddy(self.language)
        top.addWidget(self.language)
        top.addWidget(self.status, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.print_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)
        self.language.currentIndexChanged.connect(self.refresh)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_document)
        close.clicked.connect(self.reject)
        self.save_button.setDefault(True)
        self.resize(820, 900)
        self.refresh()

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    def refresh(self) -> None:
        language = self.chosen_language()
        self.status.setText(_("Laying out the pages…"))
        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.context.tasks.long(lambda _progress: self.make(language), title=self.windowTitle(), writes=False,
                                success=lambda result: self._show(language, *result), failure=self._failed)

    def _show(self, language: str, data: bytes, count: int) -> None:
        if language != self.chosen_language():
            return  # a later choice is on its way
        self.data = data
        while self.pages.count():
            widget = self.pages.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for image in page_images(data):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setFrameShape(QLabel.Shape.Box)
            self.pages.addWidget(label)
        self.status.setText(ngettext("{count} page", "{count} pages", count).format(count=count))
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(page_parts.error_text(_("Print"), error))

    def save(self) -> Path | None:
        if not self.data:
            return None
        path = choose_pdf_path(self, Path.home() / f"{self.suggested_name}.pdf")
        if path is None:
            return None
        try:
            printing.save_pdf(self.data, path)
        except Exception as error:  # noqa: BLE001 - shown, not raised
            self._failed(error)
            return None
        self.status.setText(_("Saved {file}.").format(file=path))
        return path

    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        resolution = printer.resolution()
        painter = QPainter(printer)
        try:
            for n, image in enumerate(page_images(self.data, scale=resolution / 72)):
                if n:
                    printer.newPage()
                target = painter.viewport()
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(target.x(), target.y(), image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                                                       Qt.TransformationMode.SmoothTransformation))
        finally:
            painter.end()
