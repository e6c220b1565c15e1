"""How fees read on the case timeline: what was done, never amounts or names of other parties."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_prefix
from accord.fees import part  # noqa: F401  (the parts must exist first)


def _number(item: TimelineEvent) -> str:
    number = item.details.get("number")
    return f" {number:05d}" if isinstance(number, int) else ""


register_prefix("fees.", "fees")
register("fees.rate_added", "fees", lambda i: f"{i.actor} added a fee to the schedule")
register("fees.rate_ended", "fees", lambda i: f"{i.actor} ended a fee in the schedule")
register(
    "fees.means_thresholds_added",
    "fees",
    lambda i: f"{i.actor} added the service's own legal aid thresholds",
)
register("fees.sharing_set", "fees", lambda i: f"{i.actor} set how the fees are shared")
register(
    "fees.invoice_drafted", "fees", lambda i: f"{i.actor} drafted an invoice for {i.participant()}"
)
register("fees.invoice_updated", "fees", lambda i: f"{i.actor} changed a draft invoice")
register("fees.invoice_discarded", "fees", lambda i: f"{i.actor} discarded a draft invoice")
register(
    "fees.invoice_issued",
    "fees",
    lambda i: f"{i.actor} issued invoice INV-{_number(i).strip()} to {i.participant()}",
)
register(
    "fees.credit_note_issued",
    "fees",
    lambda i: f"{i.actor} issued credit note CN-{_number(i).strip()}",
)
register(
    "fees.payment_recorded",
    "fees",
    lambda i: f"{i.actor} recorded a payment against invoice INV-{_number(i).strip()}",
)
register(
    "fees.means_assessed",
    "fees",
    lambda i: f"{i.actor} recorded the legal aid means assessment of {i.participant()}",
)
register(
    "fees.voucher_reference_set",
    "fees",
    lambda i: f"{i.actor} recorded the FMC case reference of the voucher",
)
