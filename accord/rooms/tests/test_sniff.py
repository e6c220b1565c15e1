"""What kind of file some bytes are, by content alone (pure: no database)."""

from __future__ import annotations

import io
import zipfile

import pytest

from accord.rooms import sniff


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", sniff.PDF),
        (b"\x89PNG\r\n\x1a\n\x00\x00", sniff.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", sniff.JPEG),
        (_zip("[Content_Types].xml", "word/document.xml"), sniff.DOCX),
        ("Dear mediator,\n\tthank you, £20.\r\n".encode(), sniff.TEXT),
    ],
)
def test_accepted_kinds_are_recognised_by_their_content(data, kind):
    assert sniff.sniff(data) == kind


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"MZ\x90\x00\x03\x00",  # a Windows program
        b"GIF89a\x01\x00",  # an image kind that is not accepted
        _zip("xl/workbook.xml", "[Content_Types].xml"),  # a spreadsheet, not a Word file
        b"PK\x03\x04 not really a zip",
        b"\xfe\xff\x00t\x00e",  # not UTF-8
        b"text with a \x00 nul",
    ],
)
def test_anything_else_is_refused(data):
    assert sniff.sniff(data) is None


@pytest.mark.parametrize(
    ("declared", "actual", "matches"),
    [
        ("application/pdf", sniff.PDF, True),
        ("", sniff.PDF, True),
        ("application/octet-stream", sniff.PNG, True),
        ("text/plain; charset=utf-8", sniff.TEXT, True),
        ("image/png", sniff.PDF, False),
        ("text/html", sniff.TEXT, False),
    ],
)
def test_a_declared_type_must_agree_with_the_content(declared, actual, matches):
    assert sniff.declared_matches(declared, actual) is matches
