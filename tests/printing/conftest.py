"""Shared helpers for printing tests: rasterise PDFs like a 203 dpi printer, decode
barcodes with an independent decoder (zxing-cpp), and a loopback 'Zebra' listener."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

PRINTER_DPI = 203


def rasterize(pdf: bytes, dpi: int = PRINTER_DPI):
    """Every page of ``pdf`` as a PIL image at ``dpi``."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil() for page in document]
    finally:
        document.close()


def page_texts(pdf: bytes) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def decode(image) -> list:
    """Barcodes zxing-cpp finds in the image (each has .text, .bytes, .format, ...)."""
    import zxingcpp

    return zxingcpp.read_barcodes(image)


def decoded_texts(image) -> list[str]:
    return sorted(result.text for result in decode(image))


def save_shot(image, name: str) -> None:
    """With STOCKFLOOR_PRINTING_SHOTS=dir set, keep the image for a human to look at."""
    folder = os.environ.get("STOCKFLOOR_PRINTING_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        image.save(Path(folder) / f"{name}.png")


class Listener:
    """A TCP server on 127.0.0.1 that records what one client sends, like a printer."""

    def __init__(self, port: int = 0, read: bool = True):
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen(1)
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.done = threading.Event()
        self._read = read
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self.server.accept()
        except OSError:
            return
        with connection:
            if not self._read:  # a stuck printer: accepts, never reads
                self.done.wait(10)
                return
            while chunk := connection.recv(65536):
                self.received += chunk
        self.done.set()

    def close(self) -> None:
        self.done.set()
        try:
            self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting in its thread
        except OSError:
            pass
        self.server.close()
        self._thread.join(5)


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()
