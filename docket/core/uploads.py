"""Checks on an uploaded filing, by its bytes: what a court's electronic filing accepts.

Pure (no Flask, no database): the filing service calls `check_pdf` before anything is stored,
and a refusal names what is wrong. The content decides, never the name: a renamed executable
is refused by its first bytes; a PDF must open (pypdf reads its cross-reference table and
pages) and must not be password-protected, as in federal CM/ECF, where the clerk's office and
the other side must be able to open every filing.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PdfReadError

MEDIA_TYPE = "application/pdf"

# The first bytes of kinds of files people rename to .pdf, named in the refusal.
_SIGNATURES = (
    (b"MZ", "a Windows program (.exe)"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"#!", "a script"),
    (b"PK\x03\x04", "a ZIP archive or Word/Excel document"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"{\\rtf", "an RTF document"),
    (b"<", "an HTML or XML file"),
)


class UploadRefused(ValueError):
    """A file the court does not accept, with the reason a filer can act on."""


@dataclass(frozen=True)
class CheckedPdf:
    file_name: str
    size_bytes: int
    pages: int


def check_pdf(data: bytes, file_name: str, max_bytes: int) -> CheckedPdf:
    """The file as the court will store it, or UploadRefused naming what is wrong."""
    name = safe_file_name(file_name)
    size = len(data)
    if size == 0:
        raise UploadRefused(f"{name} is empty (0 bytes): choose the PDF again.")
    if size > max_bytes:
        raise UploadRefused(
            f"{name} is {_megabytes(size)}; the court accepts files up to {_megabytes(max_bytes)}."
            " Split it into attachments, or file it with the clerk's office."
        )
    if not data.startswith(b"%PDF-"):
        what = next((w for sig, w in _SIGNATURES if data.lstrip()[: len(sig)] == sig), None)
        found = f"it is {what}" if what else "its content is not a PDF"
        raise UploadRefused(
            f"{name} is not a PDF document ({found}, whatever its name says). "
            "Save or print it as PDF and file that."
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRefused(
                f"{name} is password-protected: the court and the other parties must be able "
                "to open every filing. File it without the password."
            )
        pages = len(reader.pages)
    except UploadRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise UploadRefused(
            f"{name} starts like a PDF but cannot be opened ({error.__class__.__name__}): "
            "it may be damaged or cut short. Save it again as PDF."
        ) from error
    if pages == 0:
        raise UploadRefused(f"{name} has no pages.")
    return CheckedPdf(file_name=name, size_bytes=size, pages=pages)


def safe_file_name(file_name: str | None) -> str:
    """A display name that is only a name: no directories (either slash), no control or
    reserved characters, no leading dots, at most 120 characters, ending in .pdf.
    The stored file is named by its SHA-256, never by this."""
    name = unicodedata.normalize("NFC", file_name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name).strip().lstrip(".").strip()
    stem = re.sub(r"\.pdf$", "", name, flags=re.IGNORECASE).strip(" .") or "document"
    return stem[:116] + ".pdf"


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"
