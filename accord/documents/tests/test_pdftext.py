"""The tests' PDF reader must read every stream, whatever byte its compressed data ends with."""

from __future__ import annotations

import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.documents.tests.pdftext import pdf_text

_TO_UNICODE = b"beginbfchar\n<0001> <0041>\n<0002> <0042>\nendbfchar"


def _pdf(content: bytes, eol: bytes = b"\n") -> bytes:
    streams = [zlib.compress(_TO_UNICODE), zlib.compress(content)]
    body = b"".join(
        b"%d 0 obj\n<< /Filter /FlateDecode /Length %d >>\nstream\n" % (n, len(data))
        + data
        + eol
        + b"endstream\nendobj\n"
        for n, data in enumerate(streams, start=1)
    )
    return b"%PDF-1.7\n" + body + b"%%EOF\n"


def _ends_in_cr() -> bytes:
    """A text run whose compressed form ends with a CR byte, as one stream in 256 does."""
    for n in range(100_000):
        content = b"BT [<00010002>] TJ ET % " + str(n).encode()
        if zlib.compress(content).endswith(b"\r"):
            return content
    raise AssertionError("no such content found")


def test_a_stream_whose_compressed_data_ends_in_a_carriage_return_is_read() -> None:
    content = _ends_in_cr()
    assert zlib.compress(content).endswith(b"\r")
    assert pdf_text(_pdf(content)) == "AB"
    assert pdf_text(_pdf(content, eol=b"\r\n")) == "AB"


@settings(max_examples=200, deadline=None)
@given(tail=st.binary(max_size=40))
def test_every_stream_is_read_whatever_its_bytes(tail: bytes) -> None:
    content = b"BT [<0002><0001>] TJ ET % " + tail.replace(b"endstream", b"")
    assert pdf_text(_pdf(content)) == "BA"
