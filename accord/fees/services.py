"""Every write of the fees part: the schedule, sharing, invoices, credit notes, payments, legal
aid means evidence and the voucher's FMC reference. Each is audited in its own transaction; audit
details carry ids, codes and amounts, never names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import kinds
from accord.cases.models import Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.fees import calculator as calc
from accord.fees import charges, means
from accord.fees.models import (
    Benefit,
    FeeItem,
    FeeRate,
    FeeSharing,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    MeansAssessment,
    MeansEvidence,
    MeansThreshold,
    Payment,
    PaymentMethod,
    SharingBasis,
    VoucherReference,
)
from accord.fees.money import MoneyProblem, parse_money
from accord.organisations.models import Organisation
from accord.organisations.selectors import is_service_admin

PAYMENT_RULE = "fees.invoice_payment"
INVOICE_TEMPLATE = "fees-invoice"
CHANGED_WHILE_RENDERED = (
    "The invoice changed while its PDF was being made, so it was not issued. Check it and "
    "issue it again."
)


def _money(value: Any, field: str, errors: dict[str, list[str]], **kw: Any) -> Decimal | None:
    try:
        return parse_money(value, **kw)
    except MoneyProblem as exc:
        errors[field] = [str(exc)]
        return None


def _require_admin(actor: Any, organisation: Organisation) -> None:
    if not is_service_admin(actor, organisation.pk):
        raise NotPermitted("Only the service's administrators manage the fee schedule.")


def _locked_case(actor: Any, case: Case, *, lock: bool = True) -> Case:
    from accord.cases.services import case_locked_for

    locked = case_locked_for(
        actor=actor,
        case=case,
        action="change",
        refusal="You do not have permission to manage fees on this case.",
        lock=lock,
    )
    ensure_part_applies(locked, "fees")
    return locked


# The fee schedule ---------------------------------------------------------------------------


@transaction.atomic
def fee_rate_add(
    *,
    actor: Any,
    organisation: Organisation,
    case_kind: str,
    item: str,
    amount: Any,
    vat_applies: bool,
    effective_from: dt.date | None,
    effective_to: dt.date | None = None,
) -> FeeRate:
    """Add a dated row to the service's fee schedule; overlapping periods are refused."""
    _require_admin(actor, organisation)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    errors: dict[str, list[str]] = {}
    if case_kind not in kinds.KINDS:
        errors["case_kind"] = ["Choose a kind of case."]
    if item not in FeeItem.values:
        errors["item"] = ["Choose what the fee is for."]
    value = _money(amount, "amount", errors, allow_zero=True)
    if not isinstance(effective_from, dt.date):
        errors["effective_from"] = ["Enter the date the fee applies from."]
    elif effective_to is not None and effective_to < effective_from:
        errors["effective_to"] = ["The end date must be on or after the start date."]
    if not errors:
        assert isinstance(effective_from, dt.date)
        for other in FeeRate.objects.filter(
            organisation=organisation, case_kind=case_kind, item=item
        ):
            if calc.periods_overlap(
                effective_from, effective_to, other.effective_from, other.effective_to
            ):
                until = f"to {other.effective_to:%d %B %Y}" if other.effective_to else "with no end"
                errors["effective_from"] = [
                    f"This overlaps the {FeeItem(item).label.lower()} fee of £{other.amount:,.2f} "
                    f"from {other.effective_from:%d %B %Y} {until}. Give that fee an end date "
                    "first, or choose dates outside it."
                ]
                break
    if errors:
        raise ValidationFailed("The fee could not be added.", field_errors=errors)
    assert value is not None and effective_from is not None
    rate = FeeRate.objects.create(
        organisation=organisation,
        case_kind=case_kind,
        item=item,
        amount=value,
        vat_applies=bool(vat_applies),
        effective_from=effective_from,
        effective_to=effective_to,
        created_by=actor,
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="fees.rate_added",
        target=rate,
        details={
            "case_kind": case_kind,
            "item": item,
            "amount": str(value),
            "vat": bool(vat_applies),
            "from": effective_from.isoformat() if effective_from else "",
            "to": effective_to.isoformat() if effective_to else "",
        },
    )
    return rate


@transaction.atomic
def fee_rate_end(*, actor: Any, rate: FeeRate, effective_to: dt.date | None) -> FeeRate:
    """Give an open-ended schedule row its last day (so a new fee can follow it)."""
    rate = FeeRate.objects.select_for_update().select_related("organisation").get(pk=rate.pk)
    _require_admin(actor, rate.organisation)
    if not isinstance(effective_to, dt.date):
        raise ValidationFailed(
            "The fee could not be ended.", field_errors={"effective_to": ["Enter the last day."]}
        )
    if effective_to < rate.effective_from:
        raise ValidationFailed(
            "The fee could not be ended.",
            field_errors={"effective_to": ["The last day must be on or after the start date."]},
        )
    rate.effective_to = effective_to
    rate.save(update_fields=["effective_to", "updated_at"])
    audit_record(
        organisation_id=rate.organisation_id,
        actor=actor,
        action="fees.rate_ended",
        target=rate,
        details={"to": effective_to.isoformat()},
    )
    return rate


# Sharing ------------------------------------------------------------------------------------


@transaction.atomic
def fee_sharing_set(
    *,
    actor: Any,
    case: Case,
    basis: str,
    payer: Participant | None = None,
    percentages: dict[int, Any] | None = None,
) -> FeeSharing:
    """How the case's shared fees are divided: equally, in agreed percentages, or one pays."""
    case = _locked_case(actor, case)
    party_ids = [p.pk for p in charges.parties(case)]
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    if basis not in SharingBasis.values:
        errors["basis"] = ["Choose how the fees are shared."]
    if basis == SharingBasis.ONE_PAYS and (payer is None or payer.pk not in party_ids):
        errors["payer"] = ["Choose the party who pays all the fees."]
    if basis == SharingBasis.PERCENTAGES:
        given = percentages or {}
        total = Decimal("0")
        for pid in party_ids:
            raw = given.get(pid, "")
            try:
                pct = parse_money(raw, allow_zero=True)
            except MoneyProblem:
                errors[f"percent_{pid}"] = ["Enter a percentage from 0 to 100."]
                continue
            if pct > 100:
                errors[f"percent_{pid}"] = ["Enter a percentage from 0 to 100."]
                continue
            total += pct
            clean[str(pid)] = str(pct)
        if not errors and total != 100:
            errors["__all__"] = [f"The percentages must add up to 100; they add up to {total}."]
    if errors:
        raise ValidationFailed("The sharing could not be saved.", field_errors=errors)
    row, _ = FeeSharing.objects.update_or_create(
        case=case,
        defaults={
            "organisation_id": case.organisation_id,
            "basis": basis,
            "payer": payer if basis == SharingBasis.ONE_PAYS else None,
            "percentages": clean,
        },
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="fees.sharing_set",
        target=row,
        case_id=case.pk,
        details={"basis": basis, "payer": row.payer_id, "percentages": clean},
    )
    return row


# Invoices -----------------------------------------------------------------------------------


def _next_number(organisation_id: int) -> int:
    """The service's next invoice number, taken under a row lock so numbers never skip or repeat.

    The number is taken in the same transaction that issues the invoice: if issuing fails, the
    number goes back with the rollback, so the sequence has no gaps.
    """
    counter, _ = InvoiceCounter.objects.get_or_create(organisation_id=organisation_id)
    counter = InvoiceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _number_to_take(organisation_id: int, *, lock: bool) -> int:
    """The number `_next_number` will give next, so that the PDF can be rendered with it first.

    Without `lock` (before the render, outside any transaction) it is a guess that another
    issue may overtake; with it (inside the short transaction that stores the invoice) the
    counter is locked until that transaction ends, so `_next_number` then gives exactly this
    number. The render is compared with the locked look and made again if the number moved on
    (accord.documents.produce): the number is only ever taken by the transaction that stores
    the invoice, so the sequence keeps no gaps and no duplicates.
    """
    if lock:
        counter, _ = InvoiceCounter.objects.get_or_create(organisation_id=organisation_id)
        counter = InvoiceCounter.objects.select_for_update().get(pk=counter.pk)
        return counter.last_number + 1
    found = InvoiceCounter.objects.filter(organisation_id=organisation_id).first()
    return (found.last_number if found else 0) + 1


@transaction.atomic
def invoices_raise(*, actor: Any, case: Case) -> list[Invoice]:
    """Draft an invoice per party for what happened and is not yet invoiced.

    A party's existing draft is replaced by the new figures. Legally aided work, the free MIAM
    and first session, and the voucher follow `accord.fees.calculator`.
    """
    case = _locked_case(actor, case)
    outcome = charges.uninvoiced(case)
    if not outcome.lines:
        raise ValidationFailed(
            "There is nothing to invoice: every MIAM, session and document held so far is "
            "invoiced, legally aided, free, or has no fee in the schedule."
        )
    drafts = []
    for party in charges.parties(case):
        lines = outcome.lines.get(party.pk)
        if not lines:
            continue
        invoice = Invoice.objects.select_for_update().filter(
            case=case, participant=party, kind=InvoiceKind.INVOICE, status=InvoiceStatus.DRAFT
        ).first() or Invoice(
            organisation_id=case.organisation_id,
            case=case,
            participant=party,
            created_by=actor,
        )
        invoice.net, invoice.vat, invoice.total = calc.totals(lines)
        invoice.save()
        invoice.lines.all().delete()
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                ref=line.ref,
                kind=line.kind,
                label=line.label,
                net=line.net,
                vat=line.vat,
                gross=line.gross,
            )
            for line in lines
        )
        audit_record(
            organisation_id=case.organisation_id,
            actor=actor,
            action="fees.invoice_drafted",
            target=invoice,
            case_id=case.pk,
            details={
                "participant_id": party.pk,
                "total": str(invoice.total),
                "lines": len(lines),
            },
        )
        drafts.append(invoice)
    return drafts


def _locked_invoice(actor: Any, invoice: Invoice, *, lock: bool = True) -> tuple[Case, Invoice]:
    case = _locked_case(actor, invoice.case, lock=lock)
    invoices = Invoice.objects.select_for_update() if lock else Invoice.objects.all()
    locked = invoices.filter(pk=invoice.pk, case=case).first()
    if locked is None:
        raise NotFoundOrHidden("No such invoice.")
    return case, locked


@transaction.atomic
def invoice_update(*, actor: Any, invoice: Invoice, note: str) -> Invoice:
    """Change a draft's note to the party; an issued invoice is corrected by a credit note."""
    case, invoice = _locked_invoice(actor, invoice)
    if invoice.is_issued:
        raise ValidationFailed(
            f"Invoice {invoice.display_number()} has been issued, so it cannot be changed. "
            "Issue a credit note to correct it."
        )
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationFailed(
            "The note is too long.", field_errors={"note": ["Use 500 characters or fewer."]}
        )
    invoice.note = note
    invoice.save(update_fields=["note", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="fees.invoice_updated",
        target=invoice,
        case_id=case.pk,
        details={"participant_id": invoice.participant_id},
    )
    return invoice


@transaction.atomic
def invoice_discard(*, actor: Any, invoice: Invoice) -> None:
    """Throw away a draft; an issued invoice is never deleted."""
    case, invoice = _locked_invoice(actor, invoice)
    if invoice.is_issued:
        raise ValidationFailed(
            f"Invoice {invoice.display_number()} has been issued, so it cannot be discarded. "
            "Issue a credit note to cancel it."
        )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="fees.invoice_discarded",
        target=invoice,
        case_id=case.pk,
        details={"participant_id": invoice.participant_id},
    )
    invoice.delete()


@dataclass(frozen=True)
class _Issue:
    """An invoice or credit note about to be issued, checked: numbered and dated in memory
    (nothing saved) so that its PDF can be rendered before the transaction that stores it."""

    case: Case
    invoice: Invoice
    lines: list[InvoiceLine]

    def says(self) -> dict[str, Any]:
        """What the PDF says, to compare the render with the locked look."""
        invoice = self.invoice
        return {
            "number": invoice.display_number(),
            "kind": invoice.kind,
            "issued_on": timezone.localdate(invoice.issued_at) if invoice.issued_at else None,
            "party": invoice.participant.full_name,
            "case": self.case.reference,
            "credits": invoice.credits.display_number() if invoice.credits else None,
            "note": invoice.note,
            "amounts": [str(invoice.net), str(invoice.vat), str(invoice.total)],
            "lines": [
                [line.label, str(line.net), str(line.vat), str(line.gross)] for line in self.lines
            ],
        }


def _render_pdf(actor: Any, seen: _Issue) -> Any:
    """Render the invoice's PDF and write nothing (outside any transaction)."""
    from accord.documents.services import document_prepare_pdf

    invoice = seen.invoice
    return document_prepare_pdf(
        actor=actor,
        case=seen.case,
        template_code=INVOICE_TEMPLATE,
        context={
            "invoice": invoice,
            "lines": seen.lines,
            "party_name": invoice.participant.full_name,
            "credited": invoice.credits,
        },
    )


def _store_pdf(actor: Any, case: Case, invoice: Invoice, rendered: Any) -> None:
    """Store the rendered PDF as the invoice's document and share it with the party."""
    from accord.documents.services import document_share, document_store

    version = document_store(
        actor=actor,
        case=case,
        rendered=rendered,
        title=f"{invoice.get_kind_display()} {invoice.display_number()}",
        document_code=f"invoice-{invoice.number}",
    )
    document_share(actor=actor, version=version, participants=[invoice.participant])
    invoice.document_version = version


def _take_number(seen: _Issue) -> int:
    """Take the number the PDF was rendered with (the counter is locked since the look)."""
    number = _next_number(seen.case.organisation_id)
    if number != seen.invoice.number:  # cannot happen while the counter stays locked
        raise ValidationFailed(CHANGED_WHILE_RENDERED)
    return number


def invoice_issue(*, actor: Any, invoice: Invoice) -> Invoice:
    """Number the draft (next in the service's sequence), freeze it, produce its PDF, share it
    with the party and set a payment deadline whose reminders chase it when overdue.

    The PDF is rendered first, outside any transaction, with the number the invoice will take;
    then a short transaction locks the case, the draft and the service's counter, checks it all
    again and takes that number. If the draft or the number changed meanwhile (another invoice
    was issued first), the PDF is rendered again (accord.documents.produce).
    """
    from accord.documents.produce import render_then_store

    return render_then_store(
        look=lambda lock: _issue_look(actor, invoice, lock=lock),
        render=lambda seen: _render_pdf(actor, seen),
        store=lambda now, pdf: _issue_store(actor, now, pdf),
        says=lambda seen: seen.says(),
        refusal=CHANGED_WHILE_RENDERED,
    )


def _issue_look(actor: Any, invoice: Invoice, *, lock: bool) -> _Issue:
    """The draft as it would be issued now (number and date in memory); rows locked with `lock`."""
    case, invoice = _locked_invoice(actor, invoice, lock=lock)
    if invoice.is_issued:
        raise ValidationFailed(f"Invoice {invoice.display_number()} is already issued.")
    invoice.number = _number_to_take(case.organisation_id, lock=lock)
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_at = timezone.now()
    return _Issue(case, invoice, list(invoice.lines.all()))


def _issue_store(actor: Any, seen: _Issue, pdf: Any) -> Invoice:
    """The short write half of `invoice_issue`, inside its transaction with the rows locked."""
    from accord.deadlines.services import deadline_create

    case, invoice = seen.case, seen.invoice
    invoice.number = _take_number(seen)
    invoice.save()
    _store_pdf(actor, case, invoice, pdf)
    deadline = None
    if invoice.total > 0:
        assert invoice.issued_at is not None
        deadline = deadline_create(
            actor=actor,
            case=case,
            rule_code=PAYMENT_RULE,
            start=invoice.issued_at,
            owner=actor,
            title=f"Payment of invoice {invoice.display_number()}",
            concerns_participant=invoice.participant,
        )
        invoice.deadline = deadline
        invoice.due_on = timezone.localdate(deadline.due_at)
    invoice.save(update_fields=["document_version", "deadline", "due_on", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="fees.invoice_issued",
        target=invoice,
        case_id=case.pk,
        details={
            "number": invoice.number,
            "participant_id": invoice.participant_id,
            "total": str(invoice.total),
            "due_on": invoice.due_on.isoformat() if invoice.due_on else "",
        },
    )
    return invoice


def balance_of(invoice: Invoice) -> Decimal:
    """What the party still owes on an issued invoice (credit notes and payments taken off)."""
    if not invoice.is_issued or invoice.is_credit_note:
        return Decimal("0")
    credited = invoice.credit_notes.filter(status=InvoiceStatus.ISSUED).aggregate(s=Sum("total"))[
        "s"
    ] or Decimal("0")
    paid = invoice.payments.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return invoice.total + credited - paid


def _settle_deadline(actor: Any, invoice: Invoice) -> None:
    """Once nothing is owed, the payment deadline is met (no more reminders)."""
    from accord.deadlines.models import DeadlineStatus
    from accord.deadlines.services import deadline_meet

    if invoice.deadline_id and balance_of(invoice) <= 0:
        deadline = invoice.deadline
        assert deadline is not None
        if deadline.status == DeadlineStatus.OPEN:
            deadline_meet(actor=actor, deadline=deadline, note="Paid in full.")


def credit_note_issue(*, actor: Any, invoice: Invoice, amount: Any, reason: str) -> Invoice:
    """Correct an issued invoice: a numbered credit note for some or all of it.

    Its PDF is rendered before the short transaction that numbers and stores it, as for an
    invoice (`invoice_issue`).
    """
    from accord.documents.produce import render_then_store

    return render_then_store(
        look=lambda lock: _credit_look(actor, invoice, amount, reason, lock=lock),
        render=lambda seen: _render_pdf(actor, seen),
        store=lambda now, pdf: _credit_store(actor, now, pdf),
        says=lambda seen: seen.says(),
        refusal=(
            "The invoice changed while the credit note's PDF was being made, so it was not "
            "issued. Check it and issue it again."
        ),
    )


def _credit_look(actor: Any, invoice: Invoice, amount: Any, reason: Any, *, lock: bool) -> _Issue:
    """Check the credit note and build it in memory, numbered; rows locked with `lock`."""
    case, invoice = _locked_invoice(actor, invoice, lock=lock)
    errors: dict[str, list[str]] = {}
    if not invoice.is_issued or invoice.is_credit_note:
        raise ValidationFailed("Only an issued invoice can be credited.")
    value = _money(amount, "amount", errors)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["Say why the invoice is being corrected."]
    elif len(reason) > 300:
        errors["reason"] = ["Use 300 characters or fewer."]
    credited = -(
        invoice.credit_notes.filter(status=InvoiceStatus.ISSUED).aggregate(s=Sum("total"))["s"]
        or Decimal("0")
    )
    left = invoice.total - credited
    if value is not None and value > left:
        errors["amount"] = [
            f"A credit note can be for at most £{left:,.2f}, what is left of the invoice."
        ]
    if errors:
        raise ValidationFailed("The credit note could not be issued.", field_errors=errors)
    assert value is not None
    note = Invoice(
        organisation_id=case.organisation_id,
        case=case,
        participant=invoice.participant,
        kind=InvoiceKind.CREDIT_NOTE,
        status=InvoiceStatus.ISSUED,
        number=_number_to_take(case.organisation_id, lock=lock),
        credits=invoice,
        note=reason,
        net=-value,
        vat=Decimal("0"),
        total=-value,
        issued_at=timezone.now(),
        created_by=actor,
    )
    line = InvoiceLine(
        ref=f"credit:{invoice.pk}",
        kind="credit",
        label=f"Credit against invoice {invoice.display_number()}: {reason}",
        net=-value,
        vat=Decimal("0"),
        gross=-value,
    )
    return _Issue(case, note, [line])


def _credit_store(actor: Any, seen: _Issue, pdf: Any) -> Invoice:
    """The short write half of `credit_note_issue`, inside its transaction with the rows locked."""
    case, note = seen.case, seen.invoice
    invoice = note.credits
    assert invoice is not None
    note.number = _take_number(seen)
    note.save(force_insert=True)
    for line in seen.lines:
        line.invoice = note
        line.save(force_insert=True)
    _store_pdf(actor, case, note, pdf)
    note.save(update_fields=["document_version", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="fees.credit_note_issued",
        target=note,
        case_id=case.pk,
        details={"number": note.number, "invoice": invoice.pk, "amount": str(-note.total)},
    )
    _settle_deadline(actor, invoice)
    return note


# Payments -----------------------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    actor: Any,
    invoice: Invoice,
    paid_on: dt.date | None,
    amount: Any,
    method: str,
    reference: str = "",
    confirm_overpayment: bool = False,
    provider: str = "manual",
) -> Payment:
    """Record a payment against an issued invoice; more than is owed needs confirming."""
    case, invoice = _locked_invoice(actor, invoice)
    errors: dict[str, list[str]] = {}
    if not invoice.is_issued or invoice.is_credit_note:
        raise ValidationFailed("Payments are recorded against issued invoices only.")
    value = _money(amount, "amount", errors)
    if not isinstance(paid_on, dt.date):
        errors["paid_on"] = ["Enter the date the payment was received."]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = ["The date of a payment received cannot be in the future."]
    if method not in PaymentMethod.values:
        errors["method"] = ["Choose how it was paid."]
    reference = (reference or "").strip()
    if len(reference) > 100:
        errors["reference"] = ["Use 100 characters or fewer."]
    balance = balance_of(invoice)
    if value is not None and "amount" not in errors and value > balance and not confirm_overpayment:
        errors["confirm_overpayment"] = [
            f"£{value:,.2f} is more than the £{max(balance, Decimal(0)):,.2f} owed on invoice "
            f"{invoice.display_number()}. Tick to confirm the overpayment, or correct the amount."
        ]
    if errors:
        raise ValidationFailed("The payment could not be recorded.", field_errors=errors)
    assert value is not None and paid_on is not None
    payment = Payment.objects.create(
        organisation_id=case.organisation_id,
        invoice=invoice,
        paid_on=paid_on,
        amount=value,
        method=method,
        reference=reference,
        provider=provider,
        recorded_by=actor,
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="fees.payment_recorded",
        target=payment,
        case_id=case.pk,
        details={
            "invoice": invoice.pk,
            "number": invoice.number,
            "amount": str(value),
            "method": method,
            "overpayment": bool(value is not None and value > balance),
        },
    )
    _settle_deadline(actor, invoice)
    return payment


# Legal aid and the voucher ------------------------------------------------------------------


#: Capital may be far larger than any fee; anything above this is a typing mistake.
CAPITAL_LIMIT = Decimal("100000000.00")


def means_threshold_in_force(organisation_id: int, day: dt.date) -> MeansThreshold | None:
    """The legal aid means thresholds in force on a day: the service's own row, else national."""
    rows = MeansThreshold.objects.filter(
        Q(organisation_id=organisation_id) | Q(organisation__isnull=True),
        effective_from__lte=day,
    ).order_by(F("organisation_id").desc(nulls_last=True), "-effective_from")
    return rows.first()


def thresholds_of(row: MeansThreshold) -> means.Thresholds:
    return means.Thresholds(
        gross_monthly_income=row.gross_monthly_income,
        children_included=row.children_included,
        per_extra_child=row.per_extra_child,
        disposable_monthly_income=row.disposable_monthly_income,
        disposable_capital=row.disposable_capital,
    )


@transaction.atomic
def means_threshold_add(
    *,
    actor: Any,
    organisation: Organisation,
    effective_from: dt.date | None,
    gross_monthly_income: Any,
    children_included: Any,
    per_extra_child: Any,
    disposable_monthly_income: Any,
    disposable_capital: Any,
    source: str,
) -> MeansThreshold:
    """Add the service's own dated legal aid thresholds (from the LAA's guidance it has
    checked); they win over the national row from their date. Administrators only."""
    _require_admin(actor, organisation)
    errors: dict[str, list[str]] = {}
    if not isinstance(effective_from, dt.date):
        errors["effective_from"] = ["Enter the date the thresholds apply from."]
    elif MeansThreshold.objects.filter(
        organisation=organisation, effective_from=effective_from
    ).exists():
        errors["effective_from"] = [
            f"The service already has thresholds from {effective_from:%d %B %Y}; "
            "add them from another date."
        ]
    given = {
        "gross_monthly_income": gross_monthly_income,
        "per_extra_child": per_extra_child,
        "disposable_monthly_income": disposable_monthly_income,
        "disposable_capital": disposable_capital,
    }
    amounts = {
        name: _money(value, name, errors, allow_zero=True, limit=CAPITAL_LIMIT)
        for name, value in given.items()
    }
    if (
        isinstance(children_included, bool)
        or not isinstance(children_included, int)
        or not 0 <= children_included <= 20
    ):
        errors["children_included"] = ["Enter a whole number of children from 0 to 20."]
    source = (source or "").strip()
    if not source or len(source) > 300:
        errors["source"] = ["Say where the figures come from (up to 300 characters)."]
    if errors:
        raise ValidationFailed("The thresholds were not added.", field_errors=errors)
    assert effective_from is not None
    row = MeansThreshold.objects.create(
        organisation=organisation,
        effective_from=effective_from,
        children_included=children_included,
        source=source,
        confirmed=True,
        **amounts,
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="fees.means_thresholds_added",
        target=row,
        details={
            "effective_from": effective_from,
            "children_included": children_included,
            **{k: str(v) for k, v in amounts.items()},
        },
    )
    return row


@transaction.atomic
def means_assessment_record(
    *,
    actor: Any,
    participant: Participant,
    evidence: str,
    benefit: str = "",
    assessed_on: dt.date | None,
    evidence_note: str,
    disposable_capital: Any,
    gross_monthly_income: Any = None,
    disposable_monthly_income: Any = None,
    dependent_children: Any = 0,
) -> MeansAssessment:
    """Record a party's legal aid means assessment and its evidence. The result is worked out
    from the party's figures against the thresholds in force on the day of the assessment
    (passported: capital only); the party's funding follows (legal aid, passported or
    means-assessed), which also frees the other party's MIAM and first session when eligible."""
    from accord.meetings.models import LegalAidBasis, LegalAidOutcome
    from accord.meetings.services.funding import funding_record

    case = _locked_case(actor, participant.case)
    ensure_part_applies(case, "funding")
    participant = Participant.objects.get(pk=participant.pk)
    errors: dict[str, list[str]] = {}
    if participant.case_id != case.pk or not participant.is_party:
        errors["participant"] = ["Choose a party of this case."]
    if evidence not in MeansEvidence.values:
        errors["evidence"] = ["Choose passported on a benefit or a means assessment."]
    passported = evidence == MeansEvidence.PASSPORTED
    if passported and benefit not in Benefit.values:
        errors["benefit"] = ["Choose the qualifying benefit the party receives."]
    if evidence == MeansEvidence.MEANS and benefit:
        errors["benefit"] = ["A benefit belongs only to a passported assessment."]
    threshold = None
    if not isinstance(assessed_on, dt.date):
        errors["assessed_on"] = ["Enter the date of the assessment."]
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = ["The assessment date cannot be in the future."]
    else:
        threshold = means_threshold_in_force(case.organisation_id, assessed_on)
        if threshold is None:
            errors["assessed_on"] = [
                f"No legal aid thresholds are in force on {assessed_on:%d %B %Y}; "
                "an administrator adds them under Service settings, Fee schedule."
            ]
    evidence_note = (evidence_note or "").strip()
    if not evidence_note:
        errors["evidence_note"] = [
            "Say what evidence was seen, such as the benefit award letter and its date."
        ]
    elif len(evidence_note) > 300:
        errors["evidence_note"] = ["Use 300 characters or fewer."]
    capital = _money(
        disposable_capital, "disposable_capital", errors, allow_zero=True, limit=CAPITAL_LIMIT
    )
    gross = disposable = None
    if not passported:
        for name, value in (
            ("gross_monthly_income", gross_monthly_income),
            ("disposable_monthly_income", disposable_monthly_income),
        ):
            if value in (None, ""):
                errors[name] = ["Enter the figure from the means assessment (CIVMEANS7)."]
        if "gross_monthly_income" not in errors:
            gross = _money(
                gross_monthly_income,
                "gross_monthly_income",
                errors,
                allow_zero=True,
                limit=CAPITAL_LIMIT,
            )
        if "disposable_monthly_income" not in errors:
            disposable = _money(
                disposable_monthly_income,
                "disposable_monthly_income",
                errors,
                allow_zero=True,
                limit=CAPITAL_LIMIT,
            )
    elif gross_monthly_income not in (None, "") or disposable_monthly_income not in (None, ""):
        errors["gross_monthly_income"] = [
            "Income is not tested for a passported party; leave the income figures empty."
        ]
    if (
        isinstance(dependent_children, bool)
        or not isinstance(dependent_children, int)
        or not 0 <= dependent_children <= 30
    ):
        errors["dependent_children"] = ["Enter the number of dependent children, 0 to 30."]
    if errors:
        raise ValidationFailed("The assessment could not be recorded.", field_errors=errors)
    assert assessed_on is not None and threshold is not None and capital is not None
    result = means.assess(
        thresholds_of(threshold),
        passported=passported,
        disposable_capital=capital,
        gross_monthly_income=gross,
        disposable_monthly_income=disposable,
        dependent_children=dependent_children,
    )
    row, _ = MeansAssessment.objects.update_or_create(
        participant=participant,
        defaults={
            "organisation_id": case.organisation_id,
            "case": case,
            "evidence": evidence,
            "benefit": benefit if passported else "",
            "eligible": result.eligible,
            "assessed_on": assessed_on,
            "evidence_note": evidence_note,
            "gross_monthly_income": gross,
            "disposable_monthly_income": disposable,
            "disposable_capital": capital,
            "dependent_children": dependent_children,
            "threshold": threshold,
            "reasons": result.reasons,
            "recorded_by": actor,
        },
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="fees.means_assessed",
        target=row,
        case_id=case.pk,
        details={
            "participant_id": participant.pk,
            "evidence": evidence,
            "eligible": result.eligible,
            "threshold_id": threshold.pk,
        },
    )
    funding_record(
        actor=actor,
        participant=participant,
        kind="legal_aid",
        legal_aid_basis=LegalAidBasis.PASSPORTED if passported else LegalAidBasis.MEANS_ASSESSED,
        legal_aid_outcome=LegalAidOutcome.ELIGIBLE
        if result.eligible
        else LegalAidOutcome.NOT_ELIGIBLE,
    )
    return row


@transaction.atomic
def voucher_reference_set(*, actor: Any, case: Case, fmc_reference: str) -> VoucherReference:
    """Record the FMC's case reference for the case's voucher claim."""
    case = _locked_case(actor, case)
    ensure_part_applies(case, "voucher")
    fmc_reference = (fmc_reference or "").strip()
    if not fmc_reference or len(fmc_reference) > 40:
        raise ValidationFailed(
            "The reference could not be saved.",
            field_errors={"fmc_reference": ["Enter the FMC case reference (up to 40 characters)."]},
        )
    row, _ = VoucherReference.objects.update_or_create(
        case=case,
        defaults={"organisation_id": case.organisation_id, "fmc_reference": fmc_reference},
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="fees.voucher_reference_set",
        target=row,
        case_id=case.pk,
        details={"fmc_reference": fmc_reference},
    )
    return row
