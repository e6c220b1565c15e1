"""Which characters typed text may hold: the one rule shared by every form and API schema.

Text that reaches the database must be text a person typed. Three kinds of character are not:

* control characters (C0 except tab, line feed and carriage return in multi-line text; DEL;
  C1), including NUL, which PostgreSQL cannot store at all;
* lone surrogates, which are not characters and cannot be encoded as UTF-8;
* bidirectional formatting characters, which make text display in a different order from the
  order it is stored in (the "right-to-left override" trick that makes ``cod.exe`` look like
  ``exe.doc``, or a name look like someone else's). Embeddings, overrides and isolates
  (U+202A-U+202E, U+2066-U+2069) are refused everywhere; the plain direction marks
  (U+200E, U+200F, U+061C) are allowed in multi-line text, where Arabic or Hebrew writers may
  need them, but not in one-line names and titles, which are shown in lists beside others.

Forms (``accord.core.forms.AccordForm``) and API input schemas (``accord.api.schemas.InputSchema``)
both call `text_problem`; search boxes call `text_tidy_search` instead, since refusing a search
would help no one. This module imports nothing from Django.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Embeddings, overrides and isolates: they reorder what follows them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Direction marks: harmless in a paragraph, misleading in a one-line name.
BIDI_MARKS = frozenset("\u200e\u200f\u061c")
#: Whitespace controls allowed in multi-line text.
LINE_CONTROLS = frozenset("\t\n\r")


@dataclass(frozen=True)
class TextProblem:
    """Why a piece of text was refused: a message for the person and the code of the character."""

    code: str
    message: str


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def _is_control(char: str) -> bool:
    point = ord(char)
    return point < 0x20 or 0x7F <= point <= 0x9F


def _is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF


def text_problem(value: str, *, multiline: bool = False) -> TextProblem | None:
    """The first reason this text cannot be saved, or None if it can."""
    for char in value:
        if char in LINE_CONTROLS:
            if multiline:
                continue
            return TextProblem(
                "text_line_break",
                "Keep this on one line: remove the line break or tab.",
            )
        if _is_control(char):
            return TextProblem(
                "text_control",
                f"Remove the invisible control character ({_codepoint(char)}): it cannot be saved.",
            )
        if _is_surrogate(char):
            return TextProblem(
                "text_invalid",
                "This text contains a character that is not valid text. Type it again.",
            )
        if char in BIDI_CONTROLS or (char in BIDI_MARKS and not multiline):
            return TextProblem(
                "text_bidi",
                f"Remove the invisible character that changes the direction of text "
                f"({_codepoint(char)}): it can make the text display misleadingly.",
            )
    return None


def text_tidy_search(value: str) -> str:
    """A search term without the characters `text_problem` refuses (whitespace becomes a space)."""
    tidied = []
    for char in value:
        if char in LINE_CONTROLS:
            tidied.append(" ")
        elif not (
            _is_control(char) or _is_surrogate(char) or char in BIDI_CONTROLS or char in BIDI_MARKS
        ):
            tidied.append(char)
    return "".join(tidied)
