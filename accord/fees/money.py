"""Amounts of money typed by people: pounds and pence, checked strictly. Pure logic, no Django."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: The largest amount a fee, invoice or payment may be: anything larger is a typing mistake.
LIMIT = Decimal("100000.00")
_SHAPE = re.compile(r"-?\d+(\.\d+)?")


class MoneyProblem(ValueError):
    """What is wrong with an amount, in words for the person who typed it."""


def parse_money(value: object, *, allow_zero: bool = False, limit: Decimal = LIMIT) -> Decimal:
    """ "1,234.50", "£12", 12, Decimal("12.5") -> Decimal with two places; else MoneyProblem."""
    if isinstance(value, bool) or value is None:
        raise MoneyProblem("Enter an amount in pounds and pence, such as 120.00.")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", "")
    if text.startswith("£"):
        text = text[1:]
    if not _SHAPE.fullmatch(text):
        raise MoneyProblem("Enter an amount in pounds and pence, such as 120.00.")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise MoneyProblem("Enter an amount in pounds and pence, such as 120.00.") from None
    if amount < 0:
        raise MoneyProblem("Enter an amount of zero or more; a negative amount is not allowed.")
    if amount != amount.quantize(Decimal("0.01")):
        raise MoneyProblem("Enter an amount with no more than two decimal places (pence).")
    if amount > limit:
        raise MoneyProblem(f"Enter an amount of no more than £{limit:,.2f}.")
    if amount == 0 and not allow_zero:
        raise MoneyProblem("Enter an amount greater than zero.")
    return amount.quantize(Decimal("0.01"))
