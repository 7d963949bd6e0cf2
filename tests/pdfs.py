"""Real PDF bytes for filing tests, made with pypdf (the library the upload check reads with)."""

from __future__ import annotations

import io

from pypdf import PdfWriter


def pdf(pages: int = 1, title: str = "Test filing") -> bytes:
    """A valid PDF with `pages` blank pages; different titles give different bytes."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
