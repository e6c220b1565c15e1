"""Pounds as people type them, to integer pence and back (pure Python, no Django).

"£1,234.50", "1234.5" and "1234" are accepted; more than two decimal places, negative amounts
where they are not allowed, and absurd sizes are refused with a sentence saying why.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: The largest amount accepted anywhere: one billion pounds, in pence.
MAX_PENCE = 100_000_000_000

_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


class MoneyError(ValueError):
    """An amount that cannot be used; the message says why in plain words."""


def pounds_to_pence(text: object, *, allow_negative: bool = False) -> int:
    """Integer pence from an amount in pounds (a string, int or Decimal; never a float)."""
    if isinstance(text, (bool, float)):
        raise MoneyError("Enter the amount in pounds, like 1250 or 1250.50.")
    raw = str(text).strip().replace(" ", "")
    if raw.startswith("£"):
        raw = raw[1:]
    negative = raw.startswith("-")
    if negative:
        raw = raw[1:]
        if raw.startswith("£"):
            raw = raw[1:]
    if "," in raw:
        if not _GROUPED.match(raw):
            raise MoneyError("Enter the amount in pounds, like 1250 or 1,250.50.")
        raw = raw.replace(",", "")
    if not raw or not re.fullmatch(r"\d+(\.\d*)?|\.\d+", raw):
        raise MoneyError("Enter the amount in pounds, like 1250 or 1250.50.")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise MoneyError("Enter the amount in pounds, like 1250 or 1250.50.") from None
    if "." in raw and len(raw.split(".", 1)[1]) > 2:
        raise MoneyError("Enter the amount to the penny: at most 2 decimal places.")
    pence = int(amount * 100)
    if pence > MAX_PENCE:
        raise MoneyError("The amount is too large: enter an amount up to £1,000,000,000.")
    if negative and pence:
        if not allow_negative:
            raise MoneyError("Enter the amount without a minus sign: it cannot be negative.")
        pence = -pence
    return pence


def pence_to_pounds(pence: int) -> str:
    """ "£1,234.50" from 123450 pence; negative amounts as "-£12.00"."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(int(pence)), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def pence_to_decimal(pence: int) -> Decimal:
    """The amount in pounds as an exact Decimal (two places)."""
    return (Decimal(int(pence)) / 100).quantize(Decimal("0.01"))
