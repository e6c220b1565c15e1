"""What kind of file some bytes are, judged by their content alone (no Django import).

The browser's declared content type and the file name are claims; these checks look at the
bytes. Only the kinds a party reasonably sends a mediator are accepted: PDF, PNG, JPEG, Word
(DOCX) and plain text.
"""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"

ACCEPTED = (PDF, PNG, JPEG, DOCX, TEXT)

#: Extensions a download is given, so the name matches what the content is.
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", TEXT: ".txt"}

#: Declared types that say nothing either way (browsers send these for unknown files).
_UNDECLARED = {"", "application/octet-stream"}


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, or None if they are none of the accepted kinds."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(data) else None
    if _is_text(data):
        return TEXT
    return None


def declared_matches(declared: str, actual: str) -> bool:
    """Whether the declared content type agrees with the sniffed one (or declares nothing)."""
    kind = declared.split(";", 1)[0].strip().lower()
    return kind in _UNDECLARED or kind == actual


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _is_text(data: bytes) -> bool:
    if not data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Control characters other than tab, newline, carriage return and form feed mean binary.
    return not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text) and "\x7f" not in text
