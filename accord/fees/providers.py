"""Taking payments: one interface for a payment provider added later, and the manual one used now.

A provider (a card gateway, open banking) implements `PaymentProvider`; the service's staff
record what arrives through `ManualProvider`, which records the payment as given. Whatever the
provider, the payment lands through `accord.fees.services.payment_record`, audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Protocol

from accord.fees.models import Invoice, Payment


class PaymentProvider(Protocol):
    """What Accord asks of a payment provider."""

    code: str

    def payment_link(self, invoice: Invoice) -> str | None:
        """Where the party can pay the invoice online, or None (pay by the usual means)."""
        ...

    def record(
        self,
        *,
        actor: Any,
        invoice: Invoice,
        amount: Decimal | str,
        paid_on: dt.date,
        method: str,
        reference: str,
        confirm_overpayment: bool = False,
    ) -> Payment:
        """Record a payment the provider received."""
        ...


class ManualProvider:
    """Payments received by bank transfer, card in person, cash or cheque, typed in by staff."""

    code = "manual"

    def payment_link(self, invoice: Invoice) -> str | None:
        return None

    def record(
        self,
        *,
        actor: Any,
        invoice: Invoice,
        amount: Decimal | str,
        paid_on: dt.date,
        method: str,
        reference: str,
        confirm_overpayment: bool = False,
    ) -> Payment:
        from accord.fees.services import payment_record

        return payment_record(
            actor=actor,
            invoice=invoice,
            paid_on=paid_on,
            amount=amount,
            method=method,
            reference=reference,
            confirm_overpayment=confirm_overpayment,
            provider=self.code,
        )


def provider() -> PaymentProvider:
    """The service's payment provider: manual until another is configured."""
    return ManualProvider()
