"""What the court accepts as a filing, decided by the bytes (issue 6)."""

from __future__ import annotations

import pytest

from docket.core.uploads import UploadRefused, check_pdf, safe_file_name
from tests.pdfs import encrypted_pdf, pdf

LIMIT = 1_000_000


def test_a_real_pdf_is_accepted_with_its_page_count():
    checked = check_pdf(pdf(pages=3), "Motion.PDF", LIMIT)
    assert (checked.file_name, checked.pages) == ("Motion.pdf", 3)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "Windows program"),
        (b"\x7fELF\x02\x01" + b"\x00" * 200, "Linux program"),
        (b"PK\x03\x04" + b"\x00" * 200, "ZIP archive or Word"),
        (b"<html><body>hi</body></html>", "HTML"),
        (b"just some text", "not a PDF"),
    ],
)
def test_a_renamed_file_is_refused_by_its_content(data, words):
    with pytest.raises(UploadRefused, match=words) as refused:
        check_pdf(data, "motion.pdf", LIMIT)
    assert "motion.pdf is not a PDF document" in str(refused.value)


def test_empty_oversized_damaged_and_encrypted_files_are_refused():
    with pytest.raises(UploadRefused, match=r"empty \(0 bytes\)"):
        check_pdf(b"", "a.pdf", LIMIT)
    big = pdf()
    with pytest.raises(UploadRefused, match=r"the court accepts files up to 0\.0 MB"):
        check_pdf(big, "a.pdf", len(big) - 1)
    with pytest.raises(UploadRefused, match="cannot be opened"):
        check_pdf(b"%PDF-1.7\n" + b"garbage" * 10, "a.pdf", LIMIT)
    with pytest.raises(UploadRefused, match="password-protected"):
        check_pdf(encrypted_pdf(), "a.pdf", LIMIT)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\x.pdf", "x.pdf"),
        ("/abs/path/brief.pdf", "brief.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("notes", "notes.pdf"),
        ("", "document.pdf"),
        ("..", "document.pdf"),
        ('we<ird>:"na|me?*.pdf', "we_ird___na_me__.pdf"),
        ("line\nbreak\x00.pdf", "linebreak.pdf"),
        ("Exhibit A – Zeugenaussage.pdf", "Exhibit A – Zeugenaussage.pdf"),
    ],
)
def test_file_names_are_only_names(given, stored):
    assert safe_file_name(given) == stored


def test_long_names_are_cut_and_keep_the_extension():
    name = safe_file_name("x" * 300 + ".pdf")
    assert len(name) == 120 and name.endswith(".pdf")
