"""The plain-text markup of agreement wording: placeholders, and turning text into safe HTML.

No Django import. An editable body is never a Django template (a service admin's text must not
be able to run template code): placeholders are a fixed set filled by plain string substitution,
and every character of the result is HTML-escaped before the small markup (blank-line
paragraphs, "## " headings, "- " bullets) becomes tags.
"""

from __future__ import annotations

import hashlib
import re
from html import escape

PLACEHOLDERS: dict[str, str] = {
    "service": "the mediation service's name",
    "parties": "the names of the parties",
    "case_reference": "the case reference",
    "mediators": "the names of the case's mediators",
}

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def placeholders_in(body: str) -> list[str]:
    """Every placeholder name used in a body, stripped of spaces, in order of first use."""
    seen: list[str] = []
    for match in _PLACEHOLDER.finditer(body):
        name = match.group(1).strip()
        if name not in seen:
            seen.append(name)
    return seen


def unknown_placeholders(body: str) -> list[str]:
    """The placeholders in a body that Accord does not know how to fill."""
    return [name for name in placeholders_in(body) if name not in PLACEHOLDERS]


def fill(body: str, values: dict[str, str]) -> str:
    """Replace each known placeholder by its value; the caller has rejected unknown ones."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name in values:
            return values[name]
        return match.group(0)

    return _PLACEHOLDER.sub(replace, body)


def normalise_newlines(text: str) -> str:
    """One kind of line ending, no trailing spaces, so the same wording always hashes the same."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def sha256_of(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _flush(parts: list[str], paragraph: list[str], bullets: list[str]) -> None:
    if paragraph:
        parts.append("<p>" + "<br>".join(paragraph) + "</p>")
        paragraph.clear()
    if bullets:
        parts.append("<ul>" + "".join(f"<li>{b}</li>" for b in bullets) + "</ul>")
        bullets.clear()


def to_html(text: str) -> str:
    """Escaped HTML for a marked-up text: paragraphs, "## " headings and "- " bullet lists."""
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", normalise_newlines(text)):
        paragraph: list[str] = []
        bullets: list[str] = []
        for line in block.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("## "):
                _flush(parts, paragraph, bullets)
                parts.append(f"<h2>{escape(stripped[3:].strip())}</h2>")
            elif stripped.startswith("- "):
                if paragraph:
                    _flush(parts, paragraph, bullets)
                bullets.append(escape(stripped[2:].strip()))
            else:
                if bullets:
                    _flush(parts, paragraph, bullets)
                paragraph.append(escape(stripped))
        _flush(parts, paragraph, bullets)
    return "\n".join(parts)


def names_match(typed: str, expected: str) -> bool:
    """Whether a typed name is the expected one, ignoring case and runs of spaces."""

    def norm(value: str) -> str:
        return " ".join(value.split()).casefold()

    return bool(norm(typed)) and norm(typed) == norm(expected)
