"""Fees in "what is next": for the team, an invoice to raise or to issue and a payment overdue;
for a party, their own invoice to pay (never another party's)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.cases.progress import NextStep, PartyAction, register_next_steps, register_party_actions
from accord.fees import part  # noqa: F401  (the parts must exist first)
from accord.fees.models import Invoice, InvoiceKind, InvoiceStatus


def fee_steps(case: Case) -> list[NextStep]:
    from accord.fees import charges
    from accord.fees.models import FeeRate
    from accord.fees.services import balance_of

    invoices = list(Invoice.objects.filter(case=case).select_related("participant"))
    if (
        not invoices
        and not FeeRate.objects.filter(
            organisation_id=case.organisation_id, case_kind=case.kind
        ).exists()
    ):
        return []  # no fees for this kind of case: nothing to invoice (and two queries only)
    url = reverse("fees:case", kwargs={"case_pk": case.pk})
    steps: list[NextStep] = []
    today = timezone.localdate()
    for invoice in invoices:
        if invoice.is_credit_note:
            continue
        if not invoice.is_issued:
            steps.append(
                NextStep(
                    f"Issue the draft invoice for {invoice.participant.full_name}.", "fees", url
                )
            )
        elif invoice.due_on and invoice.due_on < today and balance_of(invoice) > 0:
            steps.append(
                NextStep(
                    f"Chase the overdue payment of invoice {invoice.display_number()} "
                    f"({invoice.participant.full_name}).",
                    "fees",
                    reverse("fees:invoice", kwargs={"case_pk": case.pk, "invoice_pk": invoice.pk}),
                    urgent=True,
                )
            )
    if not any(not i.is_issued for i in invoices):
        outcome = charges.uninvoiced(case)
        if outcome.lines:
            names = {p.pk: p.full_name for p in charges.parties(case)}
            who = " and ".join(names[pid] for pid in outcome.lines if pid in names)
            steps.append(NextStep(f"Raise the invoice for {who}.", "fees", url))
    return steps


def fee_actions(case: Case, participant: Participant) -> list[PartyAction]:
    from accord.fees.services import balance_of

    if not participant.is_party:
        return []
    actions = []
    for invoice in Invoice.objects.filter(
        case=case, participant=participant, kind=InvoiceKind.INVOICE, status=InvoiceStatus.ISSUED
    ).order_by("number"):
        owed = balance_of(invoice)
        if owed > 0:
            due = f" by {invoice.due_on:%d %B %Y}" if invoice.due_on else ""
            actions.append(
                PartyAction(
                    f"Pay invoice {invoice.display_number()}: £{owed:,.2f}{due}.",
                    "fees",
                    "#invoices",
                )
            )
    return actions


register_next_steps("fees", fee_steps)
register_party_actions("fees", fee_actions)
