"""Answer codes: the secret in the link, short enough to type from a printed letter.

Pure Python, no Django. A code is 20 characters of Crockford base32 (100 random bits), shown in
groups of four. Typing is forgiving: case, spaces and hyphens are ignored, and the letters people
confuse with digits (O, I, L) are read as the digits.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh random code in its compact form (no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """The compact form of a code as typed, or "" if it cannot be one."""
    compact = "".join(str(typed or "").split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(compact) != LENGTH or any(ch not in ALPHABET for ch in compact):
        return ""
    return compact


def grouped(code: str) -> str:
    """A code shown for reading aloud or typing: ABCD-EFGH-..."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_hash(code: str) -> str:
    """SHA-256 of the compact code: the only form stored."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()
