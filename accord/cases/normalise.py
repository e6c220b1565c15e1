"""How names, emails and phone numbers are normalised for matching and search (no Django).

The conflict check compares people on these keys, and the search index holds them, so the
same person written two ways ("+44 7700 900123", "07700-900-123") is found either way.
"""

from __future__ import annotations

import re


def normalise_name(name: str) -> str:
    """Case, spacing and punctuation ignored: "  Alice  O'Neil" matches "alice oneil"."""
    return " ".join(re.sub(r"[^\w\s]", "", name.casefold()).split())


def normalise_email(email: str) -> str:
    """Surrounding spaces and case ignored."""
    return email.strip().casefold()


def normalise_phone(phone: str) -> str:
    """Digits only, with a UK +44 prefix written as the leading 0; too short to match is ""."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("44") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits if len(digits) >= 7 else ""


def search_digits(text: str) -> str:
    """A phone number as typed into a search box, in the form the index holds ("" if none)."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("44") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits
