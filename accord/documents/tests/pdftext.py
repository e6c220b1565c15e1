"""Pull the text out of a WeasyPrint PDF without pypdf: inflate streams, map glyphs via ToUnicode.

WeasyPrint writes text as glyph numbers of subset fonts; each font's ToUnicode map says which
character each glyph is. The maps of all fonts are merged, which is exact for the one font
family the letterhead uses (regular and bold share glyph numbers) and good enough for tests.
"""

from __future__ import annotations

import re
import zlib

#: A stream's bytes run from the end-of-line after `stream` to `endstream`. The end-of-line
#: before `endstream` is not cut off by the pattern: compressed data can itself end in a CR
#: byte, which `\r?\nendstream` would swallow and so break the data (one stream in 256).
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_TJ = re.compile(rb"\[(.*?)\]\s*TJ", re.S)
_HEX = re.compile(rb"<([0-9a-fA-F]+)>")


def _inflate(pdf: bytes) -> list[bytes]:
    out = []
    for raw in _STREAM.findall(pdf):
        inflater = zlib.decompressobj()
        try:
            # The inflater stops at the end of the deflate data and leaves the end-of-line
            # that follows it in `unused_data`.
            out.append(inflater.decompress(raw))
        except zlib.error:
            out.append(raw.rstrip(b"\r\n"))
    return out


def _unicode(hex_value: bytes) -> str:
    data = bytes.fromhex(hex_value.decode())
    return data.decode("utf-16-be", errors="replace")


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, one line per text run, spaces kept."""
    streams = _inflate(pdf)
    glyphs: dict[int, str] = {}
    for stream in streams:
        for block in _BFCHAR.findall(stream):
            for code, uni in _PAIR.findall(block):
                glyphs[int(code, 16)] = _unicode(uni)
        for block in _BFRANGE.findall(stream):
            for start, end, uni in _RANGE.findall(block):
                first = ord(_unicode(uni)[0])
                for offset in range(int(end, 16) - int(start, 16) + 1):
                    glyphs[int(start, 16) + offset] = chr(first + offset)
    lines = []
    for stream in streams:
        for run in _TJ.findall(stream):
            chars = []
            for hex_run in _HEX.findall(run):
                for i in range(0, len(hex_run), 4):
                    chars.append(glyphs.get(int(hex_run[i : i + 4], 16), "?"))
            lines.append("".join(chars))
    return "\n".join(lines)
